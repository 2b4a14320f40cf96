import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A frame's location: a .js/.mjs file by absolute path or file: URL, then :line:column. */
const FRAME = /((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s()]*?\.m?js):(\d+):(\d+)/g;

/**
 * An error's stack for a bug report, with the frames of the bundled files (dist/) mapped to the TypeScript sources by
 * the source map beside each file. Node maps frames itself only in files loaded while source maps were enabled, and
 * enabling them for every run would parse the maps on every start; so they are read here, once something broke.
 * Frames without a map (Node's own, tests run from the sources) are left as they are.
 */
export function mappedStack(error: unknown): string {
  const stack = (error as Error | undefined)?.stack;
  if (typeof stack !== 'string') return String(error);
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(FRAME, (frame, location: string, line: string, column: string) => {
    const file = location.startsWith('file:') ? fileURLToPath(location) : location;
    if (!maps.has(file)) maps.set(file, readMap(file));
    const entry = maps.get(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return frame;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function readMap(file: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  } catch {
    return undefined;
  }
}
