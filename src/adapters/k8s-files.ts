import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import { loadGlobEngine } from '../core/glob-engine.js';

/** Where a manifest path came from, for messages: the config file and line, or the input. */
export interface PathOrigin {
  pattern: string;
  where: string;
  file?: string;
  line?: number;
  /** Where the pattern is written, looked up only when an error names it (the config file's line). */
  locate?: () => Promise<{ where: string; line?: number }>;
}

const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.version-backups']);

/** A pattern that would reach outside the working directory: absolute, or climbing with `..`. */
export function escapesRoot(pattern: string): boolean {
  return isAbsolute(pattern) || /^[A-Za-z]:/.test(pattern) || pattern.replace(/\\/g, '/').split('/').includes('..');
}

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(root, dir ? `${dir}/${entry.name}` : entry.name, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && YAML_FILE.test(entry.name)) {
      out.push(dir ? `${dir}/${entry.name}` : entry.name);
    }
  }
}

function outside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * The manifest files the patterns name (a file, a directory: its YAML files, or a glob), relative to root, sorted.
 * A pattern or a symbolic link that leads outside root is an error naming where the pattern was written.
 */
export async function resolveManifestFiles(root: string, origins: PathOrigin[]): Promise<string[]> {
  const realRoot = realpathSync(root);
  const found = new Set<string>();
  let all: string[] | undefined;
  const fail = async (origin: PathOrigin, why: string): Promise<never> => {
    const at = (await origin.locate?.()) ?? origin;
    throw new UserError(`${at.where}: "${origin.pattern}" ${why}`, { file: origin.file, line: at.line });
  };
  for (const origin of origins) {
    const pattern = origin.pattern.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
    if (escapesRoot(pattern)) await fail(origin, 'is outside the working directory: manifest paths are relative to it and stay inside it');
    const isGlob = /[*?[\]{}!]/.test(pattern);
    const matched: string[] = [];
    if (!isGlob) {
      let stat;
      try {
        stat = statSync(join(root, pattern));
      } catch {
        return fail(origin, 'does not exist (expected a manifest file, a directory of them, or a glob)');
      }
      if (stat!.isDirectory()) {
        const inDir: string[] = [];
        walk(root, pattern === '.' ? '' : pattern, inDir);
        matched.push(...inDir);
      } else matched.push(pattern);
    } else {
      const Minimatch = await loadGlobEngine();
      const glob = new Minimatch(pattern, { dot: false });
      if (!all) {
        all = [];
        walk(root, '', all);
      }
      matched.push(...all.filter(file => glob.match(file)));
    }
    for (const file of matched) {
      let real: string;
      try {
        real = realpathSync(join(root, file));
      } catch {
        return fail(origin, `matches ${file}, a link to nothing`);
      }
      if (outside(realRoot, real)) await fail(origin, `matches ${file}, which leads outside the working directory (a symbolic link to ${real!})`);
      found.add(file);
    }
  }
  return [...found].sort();
}
