import { promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError, isUserError } from '../core/errors.js';
import { parseManifest, renderEnvFile, renderManifest, type VersionManifest } from '../core/manifest.js';
import { readTextIfExists, writeFilesAtomically } from './files.js';

export const BACKUP_DIR = '.version-backups';

/**
 * A manifest on disk. Every change first copies the file to .version-backups/<file>.<timestamp> (beside the working
 * directory), then writes the manifest and its versions.env through temporary files and renames: a crash leaves the
 * old or the new manifest, never half of one.
 */
export class ManifestStore {
  constructor(
    private readonly root: string,
    /** Relative to root. */
    readonly path: string,
    /** Relative to root; undefined: no env file. */
    readonly envFile?: string
  ) {}

  private backupName(stamp: string): string {
    return `${this.path.replace(/[\\/]/g, '__')}.${stamp}`;
  }

  /** The newest backup of this manifest, relative to root, if any. */
  async newestBackup(): Promise<string | undefined> {
    const prefix = `${this.path.replace(/[\\/]/g, '__')}.`;
    const names = await fs.readdir(join(this.root, BACKUP_DIR)).catch(() => [] as string[]);
    const mine = names.filter(n => n.startsWith(prefix)).sort();
    return mine.length > 0 ? `${BACKUP_DIR}/${mine[mine.length - 1]}` : undefined;
  }

  /** The manifest, or an empty one when the file does not exist yet (and `create` allows it). */
  async read(create = false): Promise<{ manifest: VersionManifest; text?: string }> {
    const text = await readTextIfExists(join(this.root, this.path));
    if (text === undefined) {
      if (create) return { manifest: { services: {} } };
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
    let backup: string | undefined;
    if (previousText !== undefined) {
      const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      await fs.mkdir(join(this.root, BACKUP_DIR), { recursive: true });
      let name = this.backupName(stamp);
      for (let n = 2; await exists(join(this.root, BACKUP_DIR, name)); n++) name = `${this.backupName(stamp)}-${n}`;
      backup = `${BACKUP_DIR}/${name}`;
      await fs.writeFile(join(this.root, backup), previousText, { flag: 'wx' });
    }
    await fs.mkdir(dirname(join(this.root, this.path)), { recursive: true });
    const writes = [{ path: join(this.root, this.path), text: renderManifest(manifest) }];
    if (this.envFile) writes.push({ path: join(this.root, this.envFile), text: renderEnvFile(manifest) });
    await writeFilesAtomically(writes);
    return backup;
  }
}

async function exists(path: string): Promise<boolean> {
  return fs.stat(path).then(
    () => true,
    () => false
  );
}

/** versions.env beside the manifest, relative to root. */
export function envFileBeside(manifestPath: string): string {
  const dir = dirname(manifestPath);
  return dir === '.' ? 'versions.env' : relative('.', join(dir, 'versions.env'));
}

