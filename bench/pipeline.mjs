#!/usr/bin/env node
// The bundled example's shape scaled to 20 and 200 services (one version for the product, a shared lib, one chart
// deploying every service), with the previous release (0.1.0) already in the registry, then one service changed.
// Each stage runs as its own CLI process, as in a workflow, handing the plan on as a file; prints each stage's wall
// time, the plan's size, and what was built and retagged. Then the whole pipeline again with nothing changed.
// Registry requests are counted per service from the registry's access log; build-tag-push's time is also given
// without its one real build (the engine's build and push, as the stage logs it), per unchanged service, and
// beside the targets: at most 5 requests per retagged service, 2 per service on the re-run, and the time at the
// largest size at most 3 times that at the smallest (whole and per unchanged service; wall and CPU time).
// BENCH_CLI=<path> runs another build of the CLI (an earlier one, to compare).
// Needs the test environment (scripts/setup-test-env.sh): a Docker engine, docker-registry and helm.
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every stage there (sampled every BENCH_CPU_PROF_INTERVAL µs, 1000 unless set).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const SIZES = (process.env.SIZES ?? '100,1000').split(',').map(Number);
const cli = process.env.BENCH_CLI ?? new URL('../dist/cli.js', import.meta.url).pathname;
const helm = process.env.IMGVER_HELM ?? new URL('../.tools/helm', import.meta.url).pathname;
const run = promisify(execFile);
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const RETAG_BUDGET = 5;
const RERUN_BUDGET = 2;
const TIME_RATIO_BUDGET = 3;
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

async function freePort() {
  return new Promise(resolve => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRegistry(dir) {
  const port = await freePort();
  // The access log (one combined-format line per request) goes to stdout: a file, so a full pipe never stalls it.
  const accessLog = join(dir, 'access.log');
  writeFileSync(join(dir, 'registry.yml'), `version: 0.1\nlog: {level: error, accesslog: {disabled: false}}\nstorage: {filesystem: {rootdirectory: ${dir}/data}}\nhttp: {addr: "127.0.0.1:${port}"}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', openSync(accessLog, 'w'), 'ignore'] });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${port}/v2/`).then(r => r.ok, () => false)) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return { host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, stop: () => child.kill(), requests: () => accessLines(accessLog), cpuMs: () => processCpuMs(child.pid) };
}

/** A process's user + sys CPU time so far, from /proc/<pid>/stat (Linux; 0 elsewhere). */
function processCpuMs(pid) {
  try {
    // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The children's user + sys time from the last line bash's `times` printed ("0m4.170s 0m1.360s"). */
function childCpuMs(stderr) {
  const last = stderr.trim().split('\n').pop() ?? '';
  return [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
}

/** Every API request the registry logged so far: method and path. */
function accessLines(file) {
  return [...readFileSync(file, 'utf8').matchAll(/"(GET|HEAD|PUT|POST|PATCH|DELETE) (\/v2\/[^ "]*) HTTP/g)].map(m => ({ method: m[1], path: m[2] }));
}

/** Requests per service repository (bench/<service>) among `requests`, by method too. */
function perService(requests, names) {
  const counts = new Map(names.map(n => [n, { total: 0, byMethod: {} }]));
  for (const { method, path } of requests) {
    const name = /^\/v2\/bench\/([^/]+)\//.exec(path)?.[1];
    const count = name && counts.get(name);
    if (!count) continue;
    count.total++;
    count.byMethod[method] = (count.byMethod[method] ?? 0) + 1;
  }
  return counts;
}

/** max / mean requests over `names`, and the methods of the service with the most. */
function describeCounts(counts, names) {
  const totals = names.map(n => counts.get(n).total);
  const max = Math.max(...totals);
  const mean = totals.reduce((a, b) => a + b, 0) / names.length;
  const worst = counts.get(names[totals.indexOf(max)]).byMethod;
  return { max, mean, methods: Object.entries(worst).map(([m, n]) => `${n} ${m}`).join(' + ') };
}

/** The previous release of a service, pushed by registry API (building hundreds of images only to set the stage would dominate). */
async function seedRelease(url, repository, content, tags) {
  const upload = async bytes => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location'), url);
    location.searchParams.set('digest', digest);
    await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    return digest;
  };
  const layer = Buffer.from(content);
  const layerDigest = await upload(layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layerDigest] } }));
  const configDigest = await upload(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }]
  });
  for (const tag of tags) {
    await fetch(`${url}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  }
}

async function scenario(size) {
  const dir = mkdtempSync(join(tmpdir(), `imgver-bench-pipeline-${size}-`));
  const registry = await startRegistry(dir);
  const names = Array.from({ length: size }, (_, i) => `svc${String(i + 1).padStart(3, '0')}`);
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'libs/common'), { recursive: true });
  mkdirSync(join(repo, 'deploy/chart/templates'), { recursive: true });
  writeFileSync(join(repo, 'libs/common/lib.txt'), 'common\n');
  const config = [
    'version: {source: git-tag}',
    `image: ${registry.host}/bench/{{service}}`,
    'tags:',
    "  - 'type=semver,pattern={{version}}'",
    "  - 'type=semver,pattern={{major}}.{{minor}}'",
    'services:',
    ...names.map(n => `  ${n}: {context: services/${n}, depends-on: [common]}`),
    'libs:',
    '  common: {paths: [libs/common/**]}',
    'charts:',
    '  - path: deploy/chart',
    '    images:',
    ...names.map(n => `      ${n}: image.${n}`)
  ];
  writeFileSync(join(repo, 'imgver.yaml'), `${config.join('\n')}\n`);
  writeFileSync(join(repo, 'deploy/chart/Chart.yaml'), 'apiVersion: v2\nname: bench\ntype: application\nversion: 0.1.0\nappVersion: "0.1.0"\n');
  writeFileSync(join(repo, 'deploy/chart/values.yaml'), ['image:', ...names.flatMap(n => [`  ${n}:`, `    repository: ${registry.host}/bench/${n}`, '    tag: "0.1.0"', '    digest: ""'])].join('\n') + '\n');
  writeFileSync(join(repo, 'deploy/chart/templates/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\ndata:\n{{- range $k, $v := .Values.image }}\n  {{ $k }}: "{{ $v.tag }}"\n{{- end }}\n');
  for (const n of names) {
    mkdirSync(join(repo, 'services', n), { recursive: true });
    writeFileSync(join(repo, 'services', n, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    writeFileSync(join(repo, 'services', n, 'app.txt'), `${n} v1\n`);
  }
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'bench@imgver.local');
  git(repo, 'config', 'user.name', 'bench');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'feat: first version');
  git(repo, 'tag', '-a', 'v0.1.0', '-m', 'Release 0.1.0');
  execFileSync('git', ['clone', '-q', '--bare', repo, join(dir, 'origin.git')]);
  git(repo, 'remote', 'add', 'origin', join(dir, 'origin.git'));
  git(repo, 'fetch', '-q', 'origin');
  git(repo, 'branch', '-q', '-u', 'origin/main');
  const seedStart = performance.now();
  for (let i = 0; i < names.length; i += 20) await Promise.all(names.slice(i, i + 20).map(n => seedRelease(registry.url, `bench/${n}`, `${n} v1\n`, ['0.1.0', '0.1'])));
  const seedMs = performance.now() - seedStart;

  writeFileSync(join(repo, 'services', names[0], 'app.txt'), `${names[0]} v2\n`);
  git(repo, 'commit', '-q', '-am', `fix(${names[0]}): one change`);

  const env = {
    ...process.env,
    IMGVER_DOCKER: process.env.IMGVER_DOCKER ?? '/usr/bin/docker',
    IMGVER_HELM: helm,
    DOCKER_CONFIG: join(dir, 'docker'),
    HELM_CONFIG_HOME: join(dir, 'helm'),
    HELM_CACHE_HOME: join(dir, 'helm'),
    HELM_DATA_HOME: join(dir, 'helm'),
    SOURCE_DATE_EPOCH: '1767225600'
  };
  let planFile = join(dir, 'plan.json');
  const stage = async (name, args) => {
    const logged = registry.requests().length;
    const registryCpu = registry.cpuMs();
    const started = performance.now();
    // Through bash, whose `times` gives the stage's CPU time (user + sys, its docker and helm clients included; the
    // engine's build runs in the Docker daemon): on a loaded machine wall time mostly measures waiting.
    const node = ['node', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF, '--cpu-prof-interval', process.env.BENCH_CPU_PROF_INTERVAL ?? '1000'] : []), cli, name, ...args, '--json'];
    const { stdout, stderr } = await run('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'stage', ...node], { cwd: repo, env, maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - started;
    const out = JSON.parse(stdout);
    out.requests = stderr.match(/(\d+) registry request\(s\)/)?.[1];
    out.cpuMs = childCpuMs(stderr);
    out.buildMs = Number(stderr.match(/build\(s\) and push\(es\) in ([\d.]+) s/)?.[1] ?? 0) * 1000;
    out.registryRequests = registry.requests().slice(logged);
    out.registryCpuMs = registry.cpuMs() - registryCpu;
    if (process.env.BENCH_DEBUG) writeFileSync(join(dir, `${name}.log`), stderr);
    const next = join(dir, `plan-${name}.json`);
    writeFileSync(next, JSON.stringify(out.plan));
    planFile = next;
    return { ms, out, planBytes: Buffer.byteLength(JSON.stringify(out.plan)) };
  };
  const detect = await stage('detect-changes', []);
  const compute = await stage('compute-version', ['--plan', planFile, '--write']);
  const build = await stage("build-tag-push", [...(process.env.BENCH_DEBUG ? ["--debug"] : []), '--plan', planFile, '--network', 'none']);
  const chart = await stage('helm-sync', ['--plan', planFile, '--push', `oci://${registry.host}/charts`]);
  const release = await stage('release', ['--plan', planFile]);
  const loggedBeforeRerun = registry.requests().length;
  const started = performance.now();
  const again = JSON.parse((await run('node', [cli, 'pipeline', '--release', '--write', '--stage-inputs', `helm-sync: {push: "oci://${registry.host}/charts"}`, '--json'], { cwd: repo, env, maxBuffer: 256 * 1024 * 1024 })).stdout);
  const againMs = performance.now() - started;
  const rerunRequests = registry.requests().slice(loggedBeforeRerun);
  registry.stop();

  const unchanged = names.filter(n => !build.out.built.includes(n));
  const retag = describeCounts(perService(build.out.registryRequests, names), unchanged);
  const rerun = describeCounts(perService(rerunRequests, names), names);
  const withoutBuildMs = build.ms - build.out.buildMs;

  const fmt = ms => `${(ms / 1000).toFixed(2)} s`.padStart(8);
  console.log(`pipeline, ${size} services, 1 changed (previous release seeded by registry API in ${fmt(seedMs).trim()})`);
  console.log(`  detect-changes   ${fmt(detect.ms)}  changed: ${detect.out.changed.join(', ')}`);
  console.log(`  compute-version  ${fmt(compute.ms)}  version ${compute.out.version}, plan ${(compute.planBytes / 1024).toFixed(0)} KiB`);
  console.log(`  build-tag-push   ${fmt(build.ms)}  built ${build.out.built.length}, retagged ${build.out.retagged.length}, ${build.out.requests} registry requests`);
  console.log(`  helm-sync        ${fmt(chart.ms)}  chart ${chart.out.charts[0].version} ${chart.out.charts[0].pushed}, ${chart.out['changed-files'].length} files`);
  console.log(`  release          ${fmt(release.ms)}  tags ${release.out.tags.join(', ')}`);
  console.log(`  total            ${fmt(detect.ms + compute.ms + build.ms + chart.ms + release.ms)}`);
  console.log(`  re-run, nothing changed (imgver pipeline): ${fmt(againMs).trim()}, built ${again['build-built'].length}, released ${again['release-tags'].length}`);
  const verdict = ok => (ok ? 'ok' : 'OVER');
  console.log(`  registry requests per unchanged service, retag:  max ${retag.max} (${retag.methods}), mean ${retag.mean.toFixed(2)}; target ≤ ${RETAG_BUDGET}: ${verdict(retag.max <= RETAG_BUDGET)}`);
  console.log(`  registry requests per service, re-run:           max ${rerun.max}${rerun.max ? ` (${rerun.methods})` : ''}, mean ${rerun.mean.toFixed(2)}; target ≤ ${RERUN_BUDGET}: ${verdict(rerun.max <= RERUN_BUDGET)}`);
  const perServiceMs = withoutBuildMs / unchanged.length;
  const cpuPerServiceMs = build.out.cpuMs / unchanged.length;
  console.log(
    `  build-tag-push without its build (${fmt(build.out.buildMs).trim()}): ${fmt(withoutBuildMs).trim()} wall, ${fmt(build.out.cpuMs).trim()} CPU; per unchanged service ${perServiceMs.toFixed(1)} ms wall, ${cpuPerServiceMs.toFixed(2)} ms CPU`
  );
  // The registry's own CPU time while the stage ran (the engine's push of the one build included): what it takes to
  // answer bounds how fast the stage can go on a machine with few cores.
  const registryCpuMs = build.out.registryCpuMs;
  console.log(
    `  registry's CPU during build-tag-push: ${fmt(registryCpuMs).trim()}, ${(registryCpuMs / build.out.registryRequests.length).toFixed(2)} ms per request (${build.out.registryRequests.length} logged)`
  );
  return { size, withoutBuildMs, perServiceMs, cpuMs: build.out.cpuMs, cpuPerServiceMs };
}

const results = [];
for (const size of SIZES) results.push(await scenario(size));
if (results.length > 1) {
  const [small, large] = [results[0], results[results.length - 1]];
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
  const verdict = (a, b) => (a / b <= TIME_RATIO_BUDGET ? 'ok' : 'OVER');
  console.log(`build-tag-push without its build, ${large.size} vs ${small.size} services (target ≤ ${TIME_RATIO_BUDGET}×):`);
  console.log(`  whole stage: ${ratio(large.withoutBuildMs, small.withoutBuildMs)} wall (${verdict(large.withoutBuildMs, small.withoutBuildMs)}), ${ratio(large.cpuMs, small.cpuMs)} CPU (${verdict(large.cpuMs, small.cpuMs)})`);
  console.log(
    `  per unchanged service: ${ratio(large.perServiceMs, small.perServiceMs)} wall (${verdict(large.perServiceMs, small.perServiceMs)}), ${ratio(large.cpuPerServiceMs, small.cpuPerServiceMs)} CPU (${verdict(large.cpuPerServiceMs, small.cpuPerServiceMs)})`
  );
}
