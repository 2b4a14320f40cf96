#!/usr/bin/env node
// 8 workflow runs, one per pushed commit, release at once against one bare origin: each run is its own pair of
// processes (imgver compute-version --write, then imgver release), as on 8 runners. Once with on-conflict: recompute,
// once with reserve: true. Prints the wall time, the push attempts, the distinct versions, and what the bare
// repository's reflog says (nothing forced, each release tag written once).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const RUNS = Number(process.env.RUNS ?? 8);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const run = promisify(execFile);
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function origin() {
  const seed = mkdtempSync(join(tmpdir(), 'imgver-bench-release-'));
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'config', 'user.email', 'bench@imgver.local');
  git(seed, 'config', 'user.name', 'bench');
  execFileSync('sh', ['-c', 'printf "image: registry.local/acme/{{service}}\\nversion: {source: file, file: VERSION, file-mode: bump}\\nservices:\\n  api:\\n" > imgver.yaml && echo 1.0.0 > VERSION'], { cwd: seed });
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'init');
  const shas = [];
  for (let i = 1; i <= RUNS; i++) {
    execFileSync('sh', ['-c', `echo ${i} > change-${i}.txt`], { cwd: seed });
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', `fix: change ${i}`);
    shas.push(git(seed, 'rev-parse', 'HEAD'));
  }
  const bare = `${seed}.git`;
  execFileSync('git', ['clone', '-q', '--bare', seed, bare]);
  git(bare, 'config', 'core.logAllRefUpdates', 'always');
  return { bare, shas };
}

async function race(mode) {
  const { bare, shas } = origin();
  const clones = shas.map((sha, i) => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-bench-run-'));
    execFileSync('git', ['clone', '-q', `file://${bare}`, dir]);
    git(dir, 'config', 'user.email', 'ci@imgver.local');
    git(dir, 'config', 'user.name', `run ${i + 1}`);
    git(dir, 'checkout', '-q', '-B', 'main', sha);
    return dir;
  });
  const started = performance.now();
  const results = await Promise.all(
    clones.map(async dir => {
      const env = { ...process.env, GITHUB_ACTIONS: '', GITHUB_REF: '' };
      const computeArgs = [cli, 'compute-version', '--write', '--bump', 'patch', '--ref', 'refs/heads/main', '--json', ...(mode === 'reserve' ? ['--reserve'] : [])];
      const computed = await run('node', computeArgs, { cwd: dir, env });
      const plan = JSON.stringify(JSON.parse(computed.stdout).plan);
      const releaseArgs = [cli, 'release', '--plan', plan, '--ref', 'refs/heads/main', '--max-attempts', '20', '--json', ...(mode === 'recompute' ? ['--on-conflict', 'recompute'] : [])];
      const released = await run('node', releaseArgs, { cwd: dir, env });
      const attempts = 1 + (released.stderr.match(/^attempt \d+:/gm) ?? []).length;
      return { tags: JSON.parse(released.stdout).tags, attempts, reserveRetries: (computed.stderr.match(/trying the next version/g) ?? []).length };
    })
  );
  const seconds = (performance.now() - started) / 1000;
  const tags = results.flatMap(r => r.tags);
  const reflog = git(bare, 'reflog', 'show', '--format=%H', 'refs/heads/main').split('\n').reverse();
  let forced = 0;
  for (let i = 1; i < reflog.length; i++) {
    try {
      execFileSync('git', ['merge-base', '--is-ancestor', reflog[i - 1], reflog[i]], { cwd: bare });
    } catch {
      forced++;
    }
  }
  const rewritten = tags.filter(tag => git(bare, 'reflog', 'show', `refs/tags/${tag}`).split('\n').length !== 1).length;
  const lost = shas.filter(sha => {
    try {
      execFileSync('git', ['merge-base', '--is-ancestor', sha, 'main'], { cwd: bare });
      return false;
    } catch {
      return true;
    }
  }).length;
  console.log(
    `${mode.padEnd(9)}: ${RUNS} runs in ${seconds.toFixed(2)} s; ${new Set(tags).size} distinct versions (${[...tags].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).join(' ')}); ` +
      `push attempts max ${Math.max(...results.map(r => r.attempts))}, total ${results.reduce((n, r) => n + r.attempts, 0)}; ` +
      `reservation retries ${results.reduce((n, r) => n + r.reserveRetries, 0)}; main:VERSION ${git(bare, 'show', 'main:VERSION')}; ` +
      `forced branch updates ${forced}, rewritten tags ${rewritten}, lost commits ${lost}`
  );
  if (new Set(tags).size !== RUNS || forced > 0 || rewritten > 0 || lost > 0) process.exitCode = 1;
}

await race('recompute');
await race('reserve');
