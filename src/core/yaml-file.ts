import type { Marker, ValuePath, YamlEdit, YamlEditResult } from './value-path.js';
import { OutlineDeclined, YamlOutline } from './yaml-outline.js';

/**
 * One YAML file of a chart, read once: what helm-sync asks of Chart.yaml and values files. Two readers answer:
 * yaml-outline.ts (a line scanner, no parser loaded) for the block YAML charts are written in, and yaml-edit.ts (the
 * `yaml` library's Document API) for everything else and for every error message.
 */
export interface YamlFile {
  file: string;
  text: string;
  has(path: ValuePath): boolean;
  /** The string at a path; undefined when missing, null or a collection. */
  read(path: ValuePath): string | undefined;
  /** The kinds of a sequence's items; undefined when the path is not a sequence. */
  items(path: ValuePath): ('map' | 'seq' | 'scalar')[] | undefined;
  edit(edits: YamlEdit[]): YamlEditResult;
  markers(): Marker[];
}

function outlineFile(text: string, file: string): YamlFile {
  const outline = new YamlOutline(text, file);
  return {
    file,
    text,
    has: path => outline.has(path),
    read: path => outline.read(path),
    items: path => {
      const node = outline.node(path);
      if (node?.kind === 'opaque') throw new OutlineDeclined('a flow sequence');
      if (node?.kind !== 'seq') return undefined;
      return node.items.map(item => {
        if (item.kind === 'opaque') throw new OutlineDeclined('a flow collection in a sequence');
        return item.kind === 'scalar' ? 'scalar' : item.kind;
      });
    },
    edit: edits => outline.edit(edits),
    markers: () => outline.markers()
  };
}

/**
 * Runs `work` (pure: it decides, it writes nothing) over the files as the scanner reads them; when the scanner
 * declines any question, runs it again over the files as the full parser reads them.
 */
export async function withYamlFiles<T>(files: { file: string; text: string }[], work: (files: YamlFile[]) => T): Promise<T> {
  try {
    return work(files.map(f => outlineFile(f.text, f.file)));
  } catch (error) {
    if (!(error instanceof OutlineDeclined)) throw error;
  }
  const { documentFile } = await import('./yaml-edit.js');
  return work(files.map(f => documentFile(f.text, f.file)));
}
