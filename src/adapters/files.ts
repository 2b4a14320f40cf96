import { constants as fsConstants, promises as fs, readFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/**
 * A file's text, or undefined when there is none. Read synchronously: these are small files (configs, manifests,
 * charts), and the first use of fs.promises costs every run a few milliseconds of Node loading its promise API.
 */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
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

/** Writes text to a new temporary file beside path, flushed to disk; returns the temporary file's path. */
async function writeTemp(path: string, text: string): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  const temp = tempPathFor(path, randomBytes(4).toString('hex'));
  const mode = await fs.stat(path).then(s => s.mode, () => 0o644);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    const pause = Number(process.env.IMGVER_TEST_SLOW_WRITE_MS ?? 0);
    if (pause > 0) {
      // Fault injection for the crash tests: half the file, a pause to be killed in, then the rest.
      const half = Math.floor(text.length / 2);
      await handle.writeFile(text.slice(0, half), 'utf8');
      await new Promise(resolve => setTimeout(resolve, pause));
      await handle.writeFile(text.slice(half), 'utf8');
    } else {
      await handle.writeFile(text, 'utf8');
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
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
    await Promise.all(staged.map(s => fs.rm(s.temp, { force: true })));
    throw error;
  }
  for (const { temp, path } of staged) await fs.rename(temp, path);
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
