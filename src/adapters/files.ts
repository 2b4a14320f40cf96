import { closeSync, constants as fsConstants, existsSync, fsyncSync, lstatSync, mkdtempSync, openSync, promises as fs, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '../core/errors.js';

/** Who gave a path: an input (`Input 'environment'`) or a config key (`version.file in imgver.yaml`), for messages. */
export interface PathSource {
  /** How the message names it, e.g. "Input 'environment'" or "version.file". */
  name: string;
  input?: string;
  file?: string;
  line?: number;
}

function sourceOf(source: PathSource | string): PathSource {
  return typeof source === 'string' ? { name: `Input '${source}'`, input: source } : source;
}

/** The real path of `path`: of its deepest existing ancestor, symlinks followed, with the rest appended. */
function realPathOf(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A link that points nowhere (ENOENT on realpath, yet lstat finds it) could be made to point anywhere.
      if (code === 'ENOENT' && lstatSync(existing, { throwIfNoEntry: false })?.isSymbolicLink()) throw Object.assign(new Error('dangling'), { dangling: existing });
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(existing);
      if (parent === existing) return join(existing, ...rest);
      rest.unshift(basename(existing));
      existing = parent;
    }
  }
}

/**
 * Resolves a path from config or an input inside the working directory `root`, symlinks included: the absolute path
 * to use, or a UserError naming the input (or config key) when the path, or a symlink on the way, leads outside.
 * Every path imgver writes to, and every path it reads repository files from, goes through here. With `expect`, an
 * existing path of the other kind (a directory where a file is expected) is refused too.
 */
export function resolveInside(root: string, path: string, from: PathSource | string, expect?: 'file' | 'directory'): string {
  const source = sourceOf(from);
  const what = source.name.includes(path) ? source.name : `${source.name} (${path})`;
  const where = { input: source.input, file: source.file, line: source.line };
  if (path.trim() === '' || path.includes('\0')) throw new UserError(`${source.name} is ${path.trim() === '' ? 'empty' : 'not a valid path'}: expected a path inside the working directory ${root}`, where);
  const absolute = resolve(root, path);
  let real: string;
  let realRoot: string;
  try {
    realRoot = realPathOf(resolve(root));
    real = realPathOf(absolute);
  } catch (error) {
    const dangling = (error as { dangling?: string }).dangling;
    if (dangling) throw new UserError(`${what} goes through ${dangling}, a symlink to nothing: paths must stay inside the working directory ${root}`, where);
    throw new UserError(`${what} cannot be resolved: ${(error as Error).message}`, where);
  }
  const inside = relative(realRoot, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    const via = real !== absolute && relative(realRoot, absolute).split(sep)[0] !== '..' ? ` (through a symlink, to ${real})` : '';
    throw new UserError(`${what} leads outside the working directory ${root}${via}: paths from config and inputs must stay inside it`, where);
  }
  if (expect) {
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (stat && expect === 'file' && stat.isDirectory()) throw new UserError(`${what} is a directory: expected a file`, where);
    if (stat && expect === 'directory' && !stat.isDirectory()) throw new UserError(`${what} is a file: expected a directory`, where);
  }
  return absolute;
}

/** The working-directory input as an existing directory, or a UserError saying what is wrong with it. */
export function workingDirectoryOf(cwd: string, input: string | undefined): string {
  const dir = resolve(cwd, input || '.');
  const stat = statSync(dir, { throwIfNoEntry: false });
  // Left at its default, a directory that is not there is no mistake of the user's: a run whose version comes from
  // the pushed tag needs no checkout at all.
  if (!stat && (input ?? '.') === '.') return dir;
  if (!stat) throw new UserError(`Input 'working-directory' (${input}) does not exist: ${dir}`, { input: 'working-directory' });
  if (!stat.isDirectory()) throw new UserError(`Input 'working-directory' (${input}) is not a directory: ${dir}`, { input: 'working-directory' });
  return dir;
}

/**
 * A file's text, or undefined when there is none. Read synchronously: these are small files (configs, manifests,
 * charts), and the first use of fs.promises costs every run a few milliseconds of Node loading its promise API.
 */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new UserError(`${path} is a directory, not a file`, { file: path });
    if (code === 'EACCES' || code === 'ENOTDIR') throw new UserError(`Cannot read ${path}: ${code === 'EACCES' ? 'permission denied' : 'a part of the path is not a directory'}`, { file: path });
    throw error;
  }
}

/** Whether something exists at the path (a file or a directory). */
export function pathExists(path: string): boolean {
  return existsSync(path);
}

export interface FileWrite {
  path: string;
  text: string;
}

/** The temporary file a write of `path` goes through: beside it, named after it and the writing process. */
export function tempPathFor(path: string, randomHex: string): string {
  return join(dirname(path), `.${basename(path)}.imgver-${process.pid}-${randomHex}`);
}

/** The file a temporary file (tempPathFor) was for, and the pid that made it; undefined for any other name. */
export function parseTempName(name: string): { base: string; pid: number } | undefined {
  const match = /^\.(.+)\.imgver-(\d+)-[0-9a-f]+$/.exec(name);
  return match ? { base: match[1], pid: Number(match[2]) } : undefined;
}

/**
 * Writes text to a new temporary file beside path, flushed to disk; returns the temporary file's path. Synchronous
 * calls: a few small files are written in well under a millisecond each, and the first use of fs.promises costs a
 * run the loading of Node's promise API and the start of its thread pool (a few milliseconds).
 */
async function writeTemp(path: string, text: string): Promise<string> {
  // The name only has to differ from other writers' ('wx' refuses one that exists): no need to load node:crypto (~8 ms).
  const temp = tempPathFor(path, Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0'));
  let mode = 0o644;
  try {
    mode = statSync(path).mode;
  } catch {
    // A new file (or one that cannot be read): the usual mode.
  }
  const fd = openSync(temp, 'wx', mode);
  try {
    const pause = Number(process.env.IMGVER_TEST_SLOW_WRITE_MS ?? 0);
    if (pause > 0) {
      // Fault injection for the crash tests: half the file, a pause to be killed in, then the rest.
      const half = Math.floor(text.length / 2);
      writeFileSync(fd, text.slice(0, half), 'utf8');
      await new Promise(resolve => setTimeout(resolve, pause));
      writeFileSync(fd, text.slice(half), 'utf8');
    } else {
      writeFileSync(fd, text, 'utf8');
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  return temp;
}

/**
 * Writes several files so that a crash or an error leaves either the old or the new content of each,
 * never half a file: every new content goes to a temporary file beside its target first, then all are renamed,
 * in the order given.
 */
export async function writeFilesAtomically(writes: FileWrite[]): Promise<void> {
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const { path, text } of writes) staged.push({ temp: await writeTemp(path, text), path });
  } catch (error) {
    for (const s of staged) rmSync(s.temp, { force: true });
    throw error;
  }
  for (const { temp, path } of staged) renameSync(temp, path);
}

/**
 * Creates a file that must not exist yet, whole or not at all: written to a temporary file, then hard-linked to its
 * name (which fails, EEXIST, when the name is taken). Returns false when the name is taken.
 */
export async function createFileWhole(path: string, text: string): Promise<boolean> {
  const temp = await writeTemp(path, text);
  try {
    await fs.link(temp, path).catch(async (error: NodeJS.ErrnoException) => {
      // A file system without hard links: an exclusive copy (whole once it returns).
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(error.code ?? '')) throw error;
      await fs.copyFile(temp, path, fsConstants.COPYFILE_EXCL);
    });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** What is at a path: a file, something else (a directory), or nothing. */
export function pathKind(path: string): 'file' | 'other' | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? (stat.isFile() ? 'file' : 'other') : undefined;
}

/**
 * A file in a new directory of its own under `parent` (named `prefix` and a random suffix), for what a run hands on
 * but nothing should keep: on a runner, its temp dir (removed after the job).
 */
export function writeTempFile(parent: string, prefix: string, name: string, text: string): string {
  const path = join(mkdtempSync(join(parent, prefix)), name);
  writeFileSync(path, text);
  return path;
}
