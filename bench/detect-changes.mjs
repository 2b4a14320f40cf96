#!/usr/bin/env node
// detect-changes on a synthetic monorepo, side by side with `git diff --name-only BASE HEAD` and `node -e 0` in one run.
//   repo: 40 service dirs x 140 files + 360 x 50 + 10 libs x 140 = 25,000 files; a commit touching 1,500 files
//   across 10 services (1,400) and one lib (100). Configs with 40 and with 400 services (paths with a negation, depends-on a lib).
//   A second repo: a commit touching 80,000 files.
// Targets: 40 services <= 1.7x node -e 0 wall and <= 60 MiB peak; 400 services <= 1.3x the 40-service time;
// 80,000 files < 2 s. Prints the figures; exit 1 when a target is missed and BENCH_STRICT=1.
// Beside dorny/paths-filter (targets: <= 0.45x its time at 40 services, <= 0.3x at 4,000): paths-filter is no npm
// package and this bench may not download, so that comparison runs when PATHS_FILTER_DIST names a copy of its
// dist/index.js (a checkout of github.com/dorny/paths-filter), with the same filters as a paths-filter file.
// Floors, measured in the same runs: a CommonJS script that only runs the same `git diff` (git spawned from Node), and
// one that also reads the config with js-yaml, the YAML parser imgver uses. No implementation that spawns git and reads
// imgver.yaml with a YAML library can be faster than these, so they show what the targets leave room for.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const runs = Number(process.env.RUNS ?? 15);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const hasTime = spawnSync('/usr/bin/time', ['--version']).status === 0;
const pad = n => String(n).padStart(3, '0');

/** Builds a repository with git fast-import: two commits, the second touching `touched(path)` files. */
function generate(dir, files, touched) {
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const lines = [];
  const commit = (ref, message, entries, parent) => {
    lines.push(`commit ${ref}`, `mark :${parent ? 2 : 1}`, 'committer bench <bench@imgver.local> 1700000000 +0000');
    lines.push(`data ${Buffer.byteLength(message)}`, message);
    if (parent) lines.push(`from :${parent}`);
    for (const [path, text] of entries) lines.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(text)}`, text);
    lines.push('');
  };
  commit('refs/heads/main', 'base', files.map(f => [f, `${f}\n`]));
  commit('refs/heads/main', 'change', files.filter(touched).map(f => [f, `${f} changed\n`]), 1);
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: lines.join('\n') + '\n', maxBuffer: 1 << 30 });
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  return { base: execFileSync('git', ['rev-parse', 'main~1'], { cwd: dir, encoding: 'utf8' }).trim(), head: execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim() };
}

function config(services) {
  const lines = ['image: ghcr.io/acme/{{service}}', 'libs:'];
  for (let l = 0; l < 10; l++) lines.push(`  lib${l}:`, `    paths: ['libs/lib${l}/**']`);
  lines.push('services:');
  for (let s = 0; s < services; s++) {
    lines.push(`  s${pad(s)}:`, `    paths: ['services/s${pad(s)}/**', '!**/*.md']`, `    depends-on: [lib${s % 10}]`);
  }
  return lines.join('\n') + '\n';
}

function runnerEnv(dir, base, head) {
  const event = join(dir, '.event.json');
  writeFileSync(event, JSON.stringify({ before: base, after: head, repository: { name: 'mono', full_name: 'acme/mono', default_branch: 'main' } }));
  return { PATH: process.env.PATH, GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: head, GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/mono' };
}

function measure(command, args, cwd, env) {
  const started = process.hrtime.bigint();
  const result = hasTime ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 }) : spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, mib: hasTime ? Number(result.stderr.trim().split('\n').pop()) / 1024 : NaN, stdout: result.stdout };
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * imgver detect-changes beside dorny/paths-filter's action code (`dist`) on the same push, with the same filters:
 * service N matches services/sN/** and the lib it depends on. Prints the medians; returns the checks.
 */
function besidePathsFilter(dir, env, dist) {
  const checks = [];
  for (const [services, target] of [[40, 0.45], [4000, 0.3]]) {
    const name = s => `s${String(s).padStart(4, '0')}`;
    const libs = Array.from({ length: 10 }, (_, l) => `  lib${l}:\n    paths: ['libs/lib${l}/**']`);
    const svcs = Array.from({ length: services }, (_, s) => `  ${name(s)}:\n    paths: ['services/${name(s)}/**']\n    depends-on: [lib${s % 10}]`);
    writeFileSync(join(dir, `imgver-pf-${services}.yaml`), ['image: ghcr.io/acme/{{service}}', 'libs:', ...libs, 'services:', ...svcs].join('\n') + '\n');
    writeFileSync(join(dir, `filters-${services}.yaml`), Array.from({ length: services }, (_, s) => `${name(s)}:\n  - 'services/${name(s)}/**'\n  - 'libs/lib${s % 10}/**'`).join('\n') + '\n');
    const output = join(dir, '.github-output');
    // Outside a runner the action's input defaults are not applied: they are given here.
    const pfEnv = { ...env, GITHUB_OUTPUT: output, GITHUB_WORKSPACE: dir, INPUT_FILTERS: `filters-${services}.yaml`, INPUT_TOKEN: '', 'INPUT_LIST-FILES': 'none', 'INPUT_INITIAL-FETCH-DEPTH': '100', 'INPUT_PREDICATE-QUANTIFIER': 'some' };
    const pf = [];
    const own = [];
    for (let i = 0; i <= runs; i++) {
      writeFileSync(output, '');
      const a = measure(process.execPath, [dist], dir, pfEnv);
      const b = measure(process.execPath, [cli, 'detect-changes', '--config', `imgver-pf-${services}.yaml`, '--json'], dir, env);
      if (i > 0) pf.push(a.ms), own.push(b.ms);
    }
    const ratio = median(own) / median(pf);
    console.log(`  beside dorny/paths-filter, ${services} services: imgver ${median(own).toFixed(1)} ms, paths-filter ${median(pf).toFixed(1)} ms`);
    checks.push([`${services} services ${ratio.toFixed(2)}x dorny/paths-filter (target <= ${target.toFixed(2)}x)`, ratio <= target]);
  }
  for (const [text, ok] of checks) console.log(`  ${ok ? 'OK  ' : 'OVER'} ${text}`);
  return checks;
}

const root = mkdtempSync(join(tmpdir(), 'imgver-bench-dc-'));
try {
  // 25,000 files; 1,500 touched: all 140 of each of 10 services among the first 40, and 100 in lib3.
  const files = [];
  for (let s = 0; s < 400; s++) for (let f = 0; f < (s < 40 ? 140 : 50); f++) files.push(`services/s${pad(s)}/src/f${f}.${f % 10 === 0 ? 'md' : 'ts'}`);
  for (let l = 0; l < 10; l++) for (let f = 0; f < 140; f++) files.push(`libs/lib${l}/f${f}.ts`);
  const touchedServices = new Set([1, 5, 9, 13, 17, 21, 25, 29, 33, 37].map(pad));
  const small = join(root, 'mono');
  const { base, head } = generate(small, files, f => {
    const m = f.match(/^services\/s(\d{3})\/src\/f(\d+)/);
    if (m) return touchedServices.has(m[1]);
    return /^libs\/lib3\/f\d\d?\./.test(f);
  });
  writeFileSync(join(small, 'imgver-40.yaml'), config(40));
  writeFileSync(join(small, 'imgver-400.yaml'), config(400));
  const env = runnerEnv(small, base, head);
  const diffCount = execFileSync('git', ['diff', '--name-only', base, head], { cwd: small, encoding: 'utf8' }).split('\n').filter(Boolean).length;

  const floorScript = join(root, 'floor.cjs');
  writeFileSync(
    floorScript,
    [
      "const { spawn } = require('node:child_process');",
      "const git = spawn('git', ['diff', '--name-status', '-z', process.argv[2], process.argv[3]], { stdio: ['ignore', 'pipe', 'inherit'] });",
      'git.stdout.resume();',
      `if (process.argv[4]) { const { load, CORE_SCHEMA } = require(${JSON.stringify(createRequire(import.meta.url).resolve('js-yaml'))}); load(require('node:fs').readFileSync(process.argv[4], 'utf8'), { schema: CORE_SCHEMA }); }`,
      "git.on('close', code => { process.exitCode = code; });"
    ].join('\n')
  );
  const samples = { node: [], diff: [], floorDiff: [], floor40: [], floor400: [], forty: [], fourHundred: [] };
  const imgver = cfg => [cli, 'detect-changes', '--config', cfg, '--json'];
  measure(process.execPath, imgver('imgver-40.yaml'), small, env);
  for (let i = 0; i < runs; i++) {
    samples.node.push(measure(process.execPath, ['-e', '0'], small, env));
    samples.diff.push(measure('git', ['diff', '--name-only', base, head], small, env));
    samples.floorDiff.push(measure(process.execPath, [floorScript, base, head], small, env));
    samples.floor40.push(measure(process.execPath, [floorScript, base, head, 'imgver-40.yaml'], small, env));
    samples.floor400.push(measure(process.execPath, [floorScript, base, head, 'imgver-400.yaml'], small, env));
    samples.forty.push(measure(process.execPath, imgver('imgver-40.yaml'), small, env));
    samples.fourHundred.push(measure(process.execPath, imgver('imgver-400.yaml'), small, env));
  }
  const out40 = JSON.parse(samples.forty[0].stdout);
  const out400 = JSON.parse(samples.fourHundred[0].stdout);
  const ms = key => median(samples[key].map(s => s.ms));
  const peak = key => Math.max(...samples[key].map(s => s.mib));

  // 80,000 files, all touched.
  const big = join(root, 'big');
  const bigFiles = [];
  for (let s = 0; s < 400; s++) for (let f = 0; f < 200; f++) bigFiles.push(`services/s${pad(s)}/src/f${f}.ts`);
  const bigCommits = generate(big, bigFiles, () => true);
  writeFileSync(join(big, 'imgver.yaml'), config(40));
  const bigEnv = runnerEnv(big, bigCommits.base, bigCommits.head);
  const bigRuns = [];
  for (let i = 0; i < 3; i++) bigRuns.push(measure(process.execPath, [cli, 'detect-changes', '--json'], big, bigEnv));
  const bigDiff = measure('git', ['diff', '--name-only', bigCommits.base, bigCommits.head], big, bigEnv);
  const bigOut = JSON.parse(bigRuns[0].stdout);
  const bigMs = median(bigRuns.map(r => r.ms));

  const ratio40 = ms('forty') / ms('node');
  const ratio400 = ms('fourHundred') / ms('forty');
  const row = (name, key, note = '') => console.log(`  ${name.padEnd(38)} ${ms(key).toFixed(1).padStart(7)} ms   peak ${peak(key).toFixed(1).padStart(5)} MiB ${note}`);
  console.log(`detect-changes on ${files.length} files, a push touching ${diffCount} files (${runs} runs, medians)`);
  row('node -e 0', 'node');
  row(`git diff --name-only BASE HEAD`, 'diff');
  row(`floor: node running imgver's git diff`, 'floorDiff', `${(ms('floorDiff') / ms('node')).toFixed(2)}x node -e 0`);
  row(`floor: that + js-yaml, 40 services`, 'floor40', `${(ms('floor40') / ms('node')).toFixed(2)}x node -e 0`);
  row(`floor: that + js-yaml, 400 services`, 'floor400', `${(ms('floor400') / ms('floor40')).toFixed(2)}x the 40-service floor`);
  row(`imgver detect-changes, 40 services`, 'forty', `→ ${out40.count} changed`);
  row(`imgver detect-changes, 400 services`, 'fourHundred', `→ ${out400.count} changed`);
  console.log(`  80,000 files touched: imgver ${bigMs.toFixed(0)} ms (git diff alone ${bigDiff.ms.toFixed(0)} ms), peak ${Math.max(...bigRuns.map(r => r.mib)).toFixed(1)} MiB → ${bigOut.count} changed`);
  const checks = [
    [`40 services ${ratio40.toFixed(2)}x node -e 0 (target <= 1.70x)`, ratio40 <= 1.7],
    [`40 services peak ${peak('forty').toFixed(1)} MiB (target <= 60 MiB)`, !(peak('forty') > 60)],
    [`400 services ${ratio400.toFixed(2)}x the 40-service time (target <= 1.30x)`, ratio400 <= 1.3],
    [`80,000 files ${bigMs.toFixed(0)} ms (target < 2000 ms)`, bigMs < 2000]
  ];
  for (const [text, ok] of checks) console.log(`  ${ok ? 'OK  ' : 'OVER'} ${text}`);
  // Expected: the touched services, plus the dependents of lib3 (every service whose number ends in 3).
  const expected = n => Array.from({ length: n }, (_, s) => s).filter(s => touchedServices.has(pad(s)) || s % 10 === 3).length;
  if (Number(out40.count) !== expected(40) || Number(out400.count) !== expected(400)) {
    throw new Error(`unexpected result: ${out40.count} / ${out400.count} changed, expected ${expected(40)} / ${expected(400)}`);
  }
  if (process.env.PATHS_FILTER_DIST) checks.push(...besidePathsFilter(small, env, process.env.PATHS_FILTER_DIST));
  else console.log('  dorny/paths-filter: not measured (set PATHS_FILTER_DIST to its dist/index.js to compare)');
  if (process.env.BENCH_STRICT === '1' && checks.some(([, ok]) => !ok)) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
