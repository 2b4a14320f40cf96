import { UserError } from './errors.js';

/** Paths into a YAML document and the edits and markers that name them: shared by yaml-outline.ts and yaml-edit.ts. */

export type ValuePath = (string | number)[];

export interface YamlEdit {
  path: ValuePath;
  value: string;
  /** Add the key when it is missing (its parent mapping must exist). */
  insert?: boolean;
  /** Write the value quoted even if the file had it plain (appVersion). */
  quote?: boolean;
  /** For messages: where the edit comes from (e.g. a marker comment). */
  origin?: string;
}

export interface YamlChange {
  path: string;
  line: number;
  from: string | null;
  to: string;
}

export interface YamlEditResult {
  text: string;
  changes: YamlChange[];
}

export function pathText(path: ValuePath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** `image.api`, `images[0].tag`, `a."dotted.key".b` → path segments. */
export function parseValuePath(text: string, where: string): ValuePath {
  const path: ValuePath = [];
  const re = /\s*(?:"([^"]*)"|([^.[\]"]+)|\[(\d+)\])\s*(\.|(?=\[)|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || re.lastIndex === at) {
      throw new UserError(`${where}: "${text}" is not a value path (expected keys joined by dots, e.g. image.api)`);
    }
    path.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2]).trim());
    at = re.lastIndex;
  }
  if (path.length === 0) throw new UserError(`${where}: the value path is empty (expected e.g. image.api)`);
  return path;
}

export type MarkerField = 'tag' | 'digest' | 'repository' | 'reference' | 'version';
export const MARKER_FIELDS: readonly MarkerField[] = ['tag', 'digest', 'repository', 'reference', 'version'];

export interface Marker {
  name: string;
  field: MarkerField;
  line: number;
  path: ValuePath;
}
