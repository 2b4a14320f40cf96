import { existsSync, promises as fs, readFileSync } from 'node:fs';
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

/** Whether something exists at the path (a file or a directory). */
export function pathExists(path: string): boolean {
  return existsSync(path);
}

export interface FileWrite {
  path: string;
  text: string;
}

/**
 * Writes several files so that a crash or an error leaves either the old or the new content of each,
 * never half a file: every new content goes to a temporary file beside its target first, then all are renamed.
 */
export async function writeFilesAtomically(writes: FileWrite[]): Promise<void> {
  const { randomBytes } = await import('node:crypto');
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const { path, text } of writes) {
      const temp = join(dirname(path), `.${basename(path)}.imgver-${process.pid}-${randomBytes(4).toString('hex')}`);
      const mode = await fs.stat(path).then(s => s.mode, () => 0o644);
      const handle = await fs.open(temp, 'w', mode);
      try {
        const pause = Number(process.env.IMGVER_TEST_SLOW_WRITE_MS ?? 0);
        if (pause > 0) {
          // Fault injection for the crash test: half the file, a pause to be killed in, then the rest.
          const half = Math.floor(text.length / 2);
          await handle.writeFile(text.slice(0, half), 'utf8');
          await new Promise(resolve => setTimeout(resolve, pause));
          await handle.writeFile(text.slice(half), 'utf8');
        } else {
          await handle.writeFile(text, 'utf8');
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      staged.push({ temp, path });
    }
  } catch (error) {
    await Promise.all(staged.map(s => fs.rm(s.temp, { force: true })));
    throw error;
  }
  for (const { temp, path } of staged) await fs.rename(temp, path);
}
