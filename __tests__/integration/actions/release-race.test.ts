import { describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Releases racing for real: clones of one bare origin, each running the built CLI (dist/cli.js) as its own process,
 * all at once. What must hold whatever the interleaving: every run's own commit ends on the branch, every release
 * tag is written once and never moved, the branch only ever moves forward, and a run that cannot make it says so
 * (non-zero exit) without dropping its commit.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const gitOk = (cwd: string, ...args: string[]) => {
  try {
    execFileSync('git', args, { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A bare origin: imgver.yaml with one service versioned by its VERSION file (1.0.0), bumped from the commits. */
function origin(pushedCommits = 0): { bare: string; shas: string[] } {
  const seed = mkdtempSync(join(tmpdir(), 'imgver-race-seed-'));
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'config', 'user.email', 'seed@imgver.local');
  git(seed, 'config', 'user.name', 'seed');
  writeFileSync(join(seed, 'imgver.yaml'), 'image: registry.local/acme/{{service}}\nversion: {source: file, file: VERSION, file-mode: bump}\nservices:\n  api: {}\n');
  writeFileSync(join(seed, 'VERSION'), '1.0.0\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'init');
  git(seed, 'tag', '-a', 'v1.0.0', '-m', 'Release 1.0.0');
  const shas: string[] = [];
  for (let i = 1; i <= pushedCommits; i++) {
    mkdirSync(join(seed, 'api'), { recursive: true });
    writeFileSync(join(seed, `api/pushed-${i}.txt`), `${i}\n`);
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', `fix: pushed change ${i}`);
    shas.push(git(seed, 'rev-parse', 'HEAD'));
  }
  const bare = `${seed}.git`;
  execFileSync('git', ['clone', '-q', '--bare', seed, bare]);
  git(bare, 'config', 'core.logAllRefUpdates', 'always');
  return { bare, shas };
}

function clone(bare: string, name: string, at?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-race-run-'));
  execFileSync('git', ['clone', '-q', `file://${bare}`, dir]);
  git(dir, 'config', 'user.email', `${name}@imgver.local`);
  git(dir, 'config', 'user.name', name);
  if (at) git(dir, 'checkout', '-q', '-B', 'main', at);
  return dir;
}

interface RunResult {
  dir: string;
  code: number;
  stdout: string;
  stderr: string;
}

function cliRun(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise(resolveRun => {
    execFile('node', [cli, ...args], { cwd: dir, env }, (error, stdout, stderr) => {
      resolveRun({ dir, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** One-step release (compute-version with write-back inside), as a run with the default max-attempts makes it. */
function release(dir: string): Promise<RunResult> {
  const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_REF: '', GITHUB_SHA: '', GITHUB_EVENT_NAME: '' };
  return cliRun(dir, ['release', '--on-conflict', 'recompute', '--ref', 'refs/heads/main', '--json'], env);
}

/** The branch only ever moved forward on the origin: each reflog entry is an ancestor of the next. */
function forcedUpdates(bare: string): number {
  const reflog = git(bare, 'reflog', 'show', '--format=%H', 'refs/heads/main').split('\n').reverse();
  return reflog.slice(1).filter((sha, i) => !gitOk(bare, 'merge-base', '--is-ancestor', reflog[i], sha)).length;
}

/** Release tags on the origin, each checked to have been written exactly once. */
function releaseTags(bare: string): string[] {
  const tags = git(bare, 'tag', '--list', 'v*').split('\n').filter(Boolean);
  for (const tag of tags.filter(t => t !== 'v1.0.0')) expect(`${tag}: ${git(bare, 'reflog', 'show', `refs/tags/${tag}`).split('\n').length} reflog entries`).toBe(`${tag}: 1 reflog entries`);
  return tags;
}

/**
 * N runs, each with a fix of its own committed but not pushed, release at once. A run may give up (max-attempts)
 * only with a non-zero exit and its commit still in its clone; a run that exits 0 has its fix on the branch.
 */
async function unpushedRace(runs: number) {
  const { bare } = origin();
  const dirs = Array.from({ length: runs }, (_, i) => {
    const dir = clone(bare, `run-${i + 1}`);
    mkdirSync(join(dir, 'api'), { recursive: true });
    writeFileSync(join(dir, `api/fix-${i + 1}.txt`), `${i + 1}\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `fix: change ${i + 1}`);
    return dir;
  });
  const results = await Promise.all(dirs.map(dir => release(dir)));
  const onMain = git(bare, 'log', '--format=%s', 'main').split('\n');
  const lost = results.map((r, i) => ({ ...r, fix: `fix: change ${i + 1}` })).filter(r => !onMain.includes(r.fix));
  // The figures first (a failure shows all of them): no run failed, no commit lost, none lost by a run that exited 0.
  expect({
    failed: results.filter(r => r.code !== 0).length,
    lostCommits: lost.length,
    lostWithExit0: lost.filter(r => r.code === 0).length,
    forcedUpdates: forcedUpdates(bare)
  }).toEqual({ failed: 0, lostCommits: 0, lostWithExit0: 0, forcedUpdates: 0 });
  expect(results.filter(r => r.code !== 0).map(r => r.stderr.trim().split('\n').slice(-2).join(' | '))).toEqual([]);
  // Every fix made it, each once, and it is in the tree of main.
  for (let i = 1; i <= runs; i++) {
    expect(onMain.filter(s => s === `fix: change ${i}`)).toHaveLength(1);
    expect(git(bare, 'show', `main:api/fix-${i}.txt`)).toBe(String(i));
  }
  const tags = releaseTags(bare);
  expect(forcedUpdates(bare)).toBe(0);
  // Each run released its own fix: one new version per run, the last on main's VERSION.
  const released = results.flatMap(r => JSON.parse(r.stdout).tags as string[]);
  expect(new Set(released).size).toBe(released.length);
  expect(tags).toHaveLength(runs + 1);
  expect(git(bare, 'show', 'main:VERSION')).toBe(`1.0.${runs}`);
  // Every release tag is on main and its commit holds the version it names.
  for (const tag of released) {
    expect(gitOk(bare, 'merge-base', '--is-ancestor', tag, 'main')).toBe(true);
    expect(`v${git(bare, 'show', `${tag}:VERSION`)}`).toBe(tag);
  }
  return results;
}

describe('release races (real clones of one bare origin, the real CLI as separate processes)', () => {
  it('8 runs with unpushed commits, on-conflict recompute: every commit is on main, 8 distinct versions, nothing forced', async () => {
    await unpushedRace(8);
  }, 180_000);

  it('16 runs with unpushed commits, on-conflict recompute: every commit is on main, 16 distinct versions, nothing forced', async () => {
    await unpushedRace(16);
  }, 300_000);

  it('32 CI-style runs, one per pushed commit, reserve a version each (reserve: true, max-attempts as an input): 32 distinct versions, each on its own commit', async () => {
    const { bare, shas } = origin(32);
    const dirs = shas.map((sha, i) => clone(bare, `ci-${i + 1}`, sha));
    const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_REF: '', GITHUB_SHA: '', GITHUB_EVENT_NAME: '' };
    const results = await Promise.all(dirs.map(dir => cliRun(dir, ['compute-version', '--reserve', '--max-attempts', '40', '--ref', 'refs/heads/main', '--json'], env)));
    expect({ failed: results.filter(r => r.code !== 0).length }).toEqual({ failed: 0 });
    expect(results.filter(r => r.code !== 0).map(r => r.stderr.trim().split('\n').slice(-2).join(' | '))).toEqual([]);
    const reserved = results.map(r => JSON.parse(r.stdout).plan.services[0].releaseTag as string);
    expect(new Set(reserved).size).toBe(32);
    // Each tag was pushed once, on the commit its run is for; main was not touched.
    expect(releaseTags(bare)).toHaveLength(33);
    reserved.forEach((tag, i) => expect(git(bare, 'rev-list', '-n', '1', tag)).toBe(shas[i]));
    expect(git(bare, 'rev-parse', 'main')).toBe(shas[31]);
  }, 300_000);
});
