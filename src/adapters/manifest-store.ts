import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { UserError, isUserError } from '../core/errors.js';
import { checkManifest, parseManifest, renderEnvFile, renderManifest, type VersionManifest } from '../core/manifest.js';
import { lockFile, removeOrphanTemps } from './file-lock.js';
import { createFileWhole, readTextIfExists, writeFilesAtomically } from './files.js';

export const BACKUP_DIR = '.version-backups';
/** How long a change waits for another run changing the same manifest. */
const LOCK_TIMEOUT_MS = 120_000;

/**
 * A manifest on disk. A change holds the manifest's lock (.<file>.lock beside it) from its read to its write, so
 * runs at once never lose each other's writes. Every change first copies the file to .version-backups/<file>.<timestamp>
 * (beside the working directory), whole or not at all, then writes versions.env and the manifest through temporary
 * files and renames: a crash leaves the old or the new manifest, never half of one. A crash between the two renames
 * leaves versions.env behind the manifest: the next change rewrites it from the manifest, and clears the temporary
 * files killed runs left.
 */
export class ManifestStore {
  constructor(
    private readonly root: string,
    /** Relative to root. */
    readonly path: string,
    /** Relative to root; undefined: no env file. */
    readonly envFile?: string,
    /** Where repairs are reported. */
    private readonly notice: (message: string) => void = () => undefined
  ) {}

  /** The lock file of this manifest, relative to root. */
  get lockPath(): string {
    return join(dirname(this.path), `.${basename(this.path)}.lock`);
  }

  /**
   * Runs a read-modify-write of the manifest holding its lock: first the leftovers of killed runs are cleared and
   * versions.env is brought in line with the manifest.
   */
  async exclusive<T>(change: () => Promise<T>): Promise<T> {
    const dir = dirname(join(this.root, this.path));
    const created = await fs.mkdir(dir, { recursive: true });
    const lock = await lockFile(join(this.root, this.lockPath), { what: `Version manifest ${this.path}`, timeoutMs: LOCK_TIMEOUT_MS });
    try {
      await this.recover();
      return await change();
    } finally {
      await lock.release();
      // A change that wrote nothing leaves no empty directory made only for its lock.
      for (let empty = dir; created !== undefined && empty.startsWith(created); empty = dirname(empty)) {
        if (!(await fs.rmdir(empty).then(() => true, () => false))) break;
      }
    }
  }

  private async recover(): Promise<void> {
    const manifestBase = basename(this.path);
    const backupPrefix = this.backupName('');
    await removeOrphanTemps(dirname(join(this.root, this.path)), base => base === manifestBase || base === basename(this.lockPath));
    if (this.envFile) await removeOrphanTemps(dirname(join(this.root, this.envFile)), base => base === basename(this.envFile!));
    await removeOrphanTemps(join(this.root, BACKUP_DIR), base => base.startsWith(backupPrefix));
    if (!this.envFile) return;
    const text = await readTextIfExists(join(this.root, this.path));
    if (text === undefined) return;
    let manifest: VersionManifest;
    try {
      manifest = parseManifest(text, this.path);
    } catch {
      return; // read() reports it, naming the backup to restore
    }
    const expected = renderEnvFile(manifest);
    if ((await readTextIfExists(join(this.root, this.envFile))) === expected) return;
    await fs.mkdir(dirname(join(this.root, this.envFile)), { recursive: true });
    await writeFilesAtomically([{ path: join(this.root, this.envFile), text: expected }]);
    this.notice(`${this.envFile} did not match ${this.path} (an earlier run stopped between writing the two): rewritten from ${this.path}`);
  }

  /** A backup's file name in BACKUP_DIR; with an empty stamp, the prefix of them all. */
  private backupName(stamp: string): string {
    return `${this.path.replace(/[\\/]/g, '__')}.${stamp}`;
  }

  /** The newest backup of this manifest that holds something (a crash could leave an empty one), relative to root. */
  async newestBackup(): Promise<string | undefined> {
    const prefix = this.backupName('');
    const names = await fs.readdir(join(this.root, BACKUP_DIR)).catch(() => [] as string[]);
    const mine = names.filter(n => n.startsWith(prefix)).sort().reverse();
    for (const name of mine) {
      const size = await fs.stat(join(this.root, BACKUP_DIR, name)).then(s => s.size, () => 0);
      if (size > 0) return `${BACKUP_DIR}/${name}`;
    }
    return undefined;
  }

  /** The manifest, or an empty one when the file does not exist yet (and `create` allows it). */
  async read(create = false): Promise<{ manifest: VersionManifest; text?: string }> {
    const text = await readTextIfExists(join(this.root, this.path));
    if (text === undefined) {
      if (create) return { manifest: { services: Object.create(null) as VersionManifest['services'] } };
      throw new UserError(`Version manifest ${this.path} does not exist (in ${this.root}): run imgver manifest update first, or set the manifest input`, { input: 'manifest' });
    }
    try {
      return { manifest: parseManifest(text, this.path), text };
    } catch (error) {
      if (!isUserError(error)) throw error;
      const backup = await this.newestBackup();
      const restore = backup ? `; the newest backup is ${backup}: restore it with cp ${backup} ${this.path}` : '; there is no backup of it in .version-backups';
      throw new UserError(`${error.message}${restore}`, { file: this.path, line: error.line });
    }
  }

  /** Backs up the current file, then writes the manifest and the env file atomically. Returns the backup's path. */
  async write(manifest: VersionManifest, previousText: string | undefined, now: Date): Promise<string | undefined> {
    checkManifest(manifest, this.path);
    let backup: string | undefined;
    if (previousText !== undefined) {
      const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      await fs.mkdir(join(this.root, BACKUP_DIR), { recursive: true });
      for (let n = 1; backup === undefined; n++) {
        const name = n === 1 ? this.backupName(stamp) : `${this.backupName(stamp)}-${n}`;
        if (await createFileWhole(join(this.root, BACKUP_DIR, name), previousText)) backup = `${BACKUP_DIR}/${name}`;
      }
    }
    await fs.mkdir(dirname(join(this.root, this.path)), { recursive: true });
    // versions.env first, the manifest last: the manifest's rename is the change.
    const writes = this.envFile ? [{ path: join(this.root, this.envFile), text: renderEnvFile(manifest) }] : [];
    if (this.envFile) await fs.mkdir(dirname(join(this.root, this.envFile)), { recursive: true });
    writes.push({ path: join(this.root, this.path), text: renderManifest(manifest) });
    await writeFilesAtomically(writes);
    return backup;
  }
}

/** versions.env beside the manifest, relative to root. */
export function envFileBeside(manifestPath: string): string {
  const dir = dirname(manifestPath);
  return dir === '.' ? 'versions.env' : relative('.', join(dir, 'versions.env'));
}

