#!/usr/bin/env node
// Cold start of `imgver compute-version` on a tag-push context (version from the ref, no checkout), side by side
// with `node -e 0` in the same run. Targets: <= 1.5x node -e 0 wall, <= 70 MiB peak RSS. Prints the figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const runs = Number(process.env.RUNS ?? 15);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'imgver-bench-'));
const event = join(dir, 'event.json');
writeFileSync(event, JSON.stringify({ ref: 'refs/tags/v1.2.3', repository: { name: 'app', full_name: 'acme/app', default_branch: 'main' } }));
const env = {
  PATH: process.env.PATH,
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_EVENT_PATH: event,
  GITHUB_REPOSITORY: 'acme/app'
};
const imgverArgs = [cli, 'compute-version', '--images', 'ghcr.io/acme/app', '--version-source', 'ref', '--tags', 'type=semver,pattern={{version}}', '--tags', 'type=semver,pattern={{major}}.{{minor}}', '--tags', 'type=sha', '--json'];

/** Wall time and peak RSS of one process, from GNU time when present, else wall only. */
function measure(args) {
  const hasTime = spawnSync('/usr/bin/time', ['--version']).status === 0;
  const started = process.hrtime.bigint();
  const result = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: dir, env, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  const kb = hasTime ? Number(result.stderr.trim().split('\n').pop()) : NaN;
  return { ms, mib: kb / 1024 };
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = [];
const imgver = [];
measure(['-e', '0']);
measure(imgverArgs);
for (let i = 0; i < runs; i++) {
  baseline.push(measure(['-e', '0']));
  imgver.push(measure(imgverArgs));
}
const out = JSON.parse(execFileSync(process.execPath, imgverArgs, { cwd: dir, env, encoding: 'utf8' }));
const b = median(baseline.map(r => r.ms));
const m = median(imgver.map(r => r.ms));
const peak = Math.max(...imgver.map(r => r.mib));
console.log(`compute-version cold start, tag push v1.2.3 (${runs} runs, medians): version=${out.version} tags=${out['tag-names'].split('\n').join(',')}`);
console.log(`  node -e 0              ${b.toFixed(1)} ms   peak ${Math.max(...baseline.map(r => r.mib)).toFixed(1)} MiB`);
console.log(`  imgver compute-version ${m.toFixed(1)} ms   peak ${peak.toFixed(1)} MiB`);
console.log(`  ratio ${(m / b).toFixed(2)}x (target <= 1.50x), peak ${peak.toFixed(1)} MiB (target <= 70 MiB): ${m / b <= 1.5 && peak <= 70 ? 'OK' : 'OVER TARGET'}`);
