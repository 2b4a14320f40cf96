import { promises as fs, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { parseTempName, readTextIfExists, tempPathFor } from './files.js';

/**
 * A lock file: taken by hard-linking a file that already holds the owner (so the lock is never seen half written),
 * released by removing it. A lock whose owner died (kill -9, a crashed runner on this machine) is broken by the
 * next run; one held by a live process is waited for, up to a limit.
 */
export interface FileLock {
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
  since: string;
  id: string;
}

export async function lockFile(path: string, options: { what: string; timeoutMs: number }): Promise<FileLock> {
  const { hostname } = await import('node:os');
  const { randomBytes } = await import('node:crypto');
  const me: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), id: randomBytes(6).toString('hex') };
  const text = `${JSON.stringify(me)}\n`;
  const temp = tempPathFor(path, me.id);
  await fs.writeFile(temp, text, { flag: 'wx' });
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
      if (await tryLink(temp, path, text)) {
        return {
          release: async () => {
            if ((await readTextIfExists(path)) === text) await fs.rm(path, { force: true });
          }
        };
      }
      const held = await readTextIfExists(path);
      if (held === undefined) continue;
      if (await isStale(path, held, me.host)) {
        await breakLock(path, held);
        continue;
      }
      if (Date.now() > deadline) {
        const owner = parseOwner(held);
        throw new UserError(
          `${options.what} is locked by ${owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'another process'} (${path}), still after ${Math.round(options.timeoutMs / 1000)} s: ` +
            `another run is changing it. If none is, remove ${path}`
        );
      }
      await new Promise(resolve => setTimeout(resolve, wait * (0.5 + Math.random())));
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function tryLink(temp: string, path: string, text: string): Promise<boolean> {
  try {
    await fs.link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(code)) throw error;
  }
  // A file system without hard links: an exclusive create (a crash between create and write leaves it empty: stale).
  try {
    await fs.writeFile(path, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const owner = JSON.parse(text) as Owner;
    return Number.isInteger(owner?.pid) && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process of this machine is still running. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(path: string, held: string, host: string): Promise<boolean> {
  const owner = parseOwner(held);
  if (owner) return owner.host === host && !isRunning(owner.pid);
  // Unreadable (an empty lock from a crash mid-create): stale once it is old enough not to be one being written.
  const stat = await fs.stat(path).catch(() => undefined);
  return stat !== undefined && Date.now() - stat.mtimeMs > 10_000;
}

/** Moves a dead owner's lock aside; if what was moved turns out to be a live lock taken meanwhile, it goes back. */
async function breakLock(path: string, seen: string): Promise<void> {
  const aside = tempPathFor(path, Math.random().toString(16).slice(2, 10));
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readTextIfExists(aside);
  if (moved !== seen) await fs.link(aside, path).catch(() => undefined);
  await fs.rm(aside, { force: true });
}

/**
 * Removes the temporary files (tempPathFor) in `dir` that processes no longer running left behind (a write killed
 * before its rename), for the files `mine` accepts. Call it holding the lock of those files.
 */
export async function removeOrphanTemps(dir: string, mine: (base: string) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const temp = parseTempName(name);
    if (!temp || !mine(temp.base) || temp.pid === process.pid || isRunning(temp.pid)) continue;
    await fs.rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
