import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Real git repositories in temp dirs, with a bare repository as origin when asked. */
export class TestRepo {
  constructor(readonly dir: string) {}

  static create(): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-repo-'));
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'test@imgver.local');
    repo.git('config', 'user.name', 'imgver test');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  write(path: string, text: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return this;
  }

  /** Writes the files and commits them with the message. Returns the commit SHA. */
  commit(message: string, files: Record<string, string> = {}): string {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  tag(name: string): this {
    this.git('tag', name);
    return this;
  }

  /** A bare clone of this repository, set as its origin, with every tag. */
  withBareOrigin(): string {
    const bare = mkdtempSync(join(tmpdir(), 'imgver-origin-'));
    execFileSync('git', ['clone', '-q', '--bare', this.dir, bare]);
    execFileSync('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: bare });
    this.git('remote', 'add', 'origin', bare);
    return bare;
  }

  /** A shallow clone (--depth 1, no tags) of a bare origin, as actions/checkout makes by default. */
  static shallowClone(origin: string): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-shallow-'));
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-tags', `file://${origin}`, dir]);
    const repo = new TestRepo(dir);
    repo.git('config', 'user.email', 'test@imgver.local');
    repo.git('config', 'user.name', 'imgver test');
    return repo;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
