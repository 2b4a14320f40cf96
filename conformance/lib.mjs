// Shared pieces of the conformance suite: real git repositories in temp dirs and the real CLI (dist/cli.js).
// Each peer lives in conformance/<peer>/run.mjs, exports nothing, and reports through report() below.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = join(root, 'dist/cli.js');

/** A real git repository in a temp dir; removed by the harness at exit. */
export class Repo {
  static created = [];
  constructor(dir) {
    this.dir = dir;
  }
  static create({ branch = 'main' } = {}) {
    const repo = new Repo(mkdtempSync(join(tmpdir(), 'imgver-conf-')));
    Repo.created.push(repo.dir);
    repo.git('init', '-q', '-b', branch);
    repo.git('config', 'user.email', 'conformance@imgver.local');
    repo.git('config', 'user.name', 'imgver conformance');
    repo.git('config', 'commit.gpgsign', 'false');
    repo.git('config', 'tag.gpgsign', 'false');
    return repo;
  }
  git(...args) {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }
  write(path, text) {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return this;
  }
  /** Writes the files, commits everything with the message (empty commits allowed); returns the SHA. */
  commit(message, files = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
  tag(name, ref = 'HEAD') {
    this.git('tag', name, ref);
    return this;
  }
}

/**
 * Runs the real CLI: `imgver <args>` in cwd, with only the environment given (plus PATH/HOME), so a case never
 * depends on the machine's GITHUB_* variables. Returns { code, stdout, stderr, json } (json: stdout parsed, if it is).
 */
export function imgver(args, { cwd, env = {}, input } = {}) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC' };
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...base, ...env }, input, encoding: 'utf8' });
  let json;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = undefined;
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json };
}

/** A temp file holding text (an event payload, say); removed at exit. */
export function tempFile(name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-conf-'));
  Repo.created.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * Runs the cases of one peer and prints one line per failure and a summary line `peer: N/M passed`.
 * A case is { name, source, run: () => void | Promise<void> } where source names the peer's file and test, and run
 * throws (an assertion) when imgver's answer differs. A case with `differs: 'why'` is a documented difference:
 * it still runs, must still pass against imgver's own expected answer, and is counted apart.
 * Returns { passed, failed, total }.
 */
export async function report(peer, cases) {
  let passed = 0;
  const failures = [];
  for (const c of cases) {
    try {
      await c.run();
      passed++;
    } catch (error) {
      failures.push({ c, error });
    }
  }
  for (const { c, error } of failures) {
    console.log(`  FAIL ${peer} · ${c.name} (${c.source})\n       ${String(error?.message ?? error).split('\n').join('\n       ')}`);
  }
  const differs = cases.filter(c => c.differs).length;
  console.log(`${peer}: ${passed}/${cases.length} passed${differs ? ` (${differs} differ on purpose, see the README)` : ''}`);
  if (failures.length) process.exitCode = 1;
  return { passed, failed: failures.length, total: cases.length };
}

process.on('exit', () => {
  for (const dir of Repo.created) rmSync(dir, { recursive: true, force: true });
});
