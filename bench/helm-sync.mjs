#!/usr/bin/env node
// helm-sync on a chart that deploys 100 services: a 1,000-line values file full of comments, with a tag and a digest
// per service. Prints the wall time of the file edits alone (write-only), of a run that finds everything in step,
// and of a full release (helm lint --strict, package, push to a real registry on 127.0.0.1) and its re-run, plus how
// many lines of the values file changed (2 a service, nothing else). Each figure is the median of BENCH_ROUNDS rounds
// (default 3), every round running helm-sync and plain helm one after the other on a new version; wall and CPU time
// (user + system, of the processes started) are both printed, since the machine may be shared. BENCH_BASELINE=<cli.js>
// measures another build of imgver (e.g. the previous release) in the same rounds, for a before/after table.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const SERVICES = Number(process.env.SERVICES ?? 100);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const helm = process.env.IMGVER_HELM ?? new URL('../.tools/helm', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'imgver-bench-helm-'));
const env = { ...process.env, NODE_EXTRA_CA_CERTS: undefined, IMGVER_HELM: helm, HELM_CACHE_HOME: join(dir, 'h/cache'), HELM_CONFIG_HOME: join(dir, 'h/config'), HELM_DATA_HOME: join(dir, 'h/data'), DOCKER_CONFIG: join(dir, 'docker'), SOURCE_DATE_EPOCH: '1767225600' };

const names = Array.from({ length: SERVICES }, (_, i) => `svc${String(i + 1).padStart(3, '0')}`);
const values = [
  '# Values of a chart that deploys every service of the monorepo.',
  '# Generated for the benchmark: comments, blank lines and quotes everywhere.',
  '',
  'global:',
  '  pullPolicy: IfNotPresent # keep',
  '',
  'image:',
  ...names.flatMap(name => [
    `  # ${name}: owned by team ${name.slice(-1)}`,
    `  ${name}:`,
    `    repository: "ghcr.io/acme/${name}"`,
    `    tag: "0.9.0"   # written by CI`,
    `    digest: ''`,
    `    pullPolicy: Always`,
    `    env: {LOG: info, PORT: "8080"}`,
    `    note: |`,
    `      multi-line text for ${name}`,
    ''
  ])
].join('\n');
const chart = join(dir, 'repo/deploy/all');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: all\nversion: 0.1.0\nappVersion: "0.9.0"\n');
writeFileSync(join(chart, 'values.yaml'), values);
writeFileSync(
  join(chart, 'templates/configmap.yaml'),
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-images\ndata:\n{{- range $name, $image := .Values.image }}\n  {{ $name }}: "{{ $image.repository }}:{{ $image.tag }}@{{ $image.digest }}"\n{{- end }}\n'
);
const repo = join(dir, 'repo');
writeFileSync(join(repo, 'imgver.yaml'), `charts:\n  - path: deploy/all\n    images:\n${names.map(n => `      ${n}: image.${n}`).join('\n')}\n`);
const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
git('init', '-q', '-b', 'main');
git('-c', 'user.email=b@imgver.local', '-c', 'user.name=bench', 'commit', '-q', '--allow-empty', '-m', 'init');
const digest = i => `sha256:${i.toString(16).padStart(64, '0')}`;
const planOf = version => JSON.stringify({
  schema: 1,
  services: names.map((name, i) => ({ name, image: `ghcr.io/acme/${name}`, version, digest: digest(i + 1), tags: [`ghcr.io/acme/${name}:${version}`, `ghcr.io/acme/${name}:latest`] }))
});
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const chartYaml = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
const reset = () => {
  writeFileSync(join(chart, 'Chart.yaml'), chartYaml);
  writeFileSync(join(chart, 'values.yaml'), values);
};

/** CPU time (user + system, ms) of the child processes waited for so far: /proc/self/stat's cutime and cstime. */
const childCpu = () => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
};
const figures = new Map();
const record = (label, ms, cpu) => figures.set(label, [...(figures.get(label) ?? []), { ms, cpu }]);
const measure = (label, run) => {
  const cpu = childCpu();
  const start = process.hrtime.bigint();
  run();
  record(label, Number(process.hrtime.bigint() - start) / 1e6, childCpu() - cpu);
};
const median = list => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const figure = label => ({ ms: median(figures.get(label).map(f => f.ms)), cpu: median(figures.get(label).map(f => f.cpu)) });
const print = label => {
  const { ms, cpu } = figure(label);
  console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms  (CPU ${cpu.toFixed(0).padStart(4)} ms)`);
};
const baseline = process.env.BENCH_BASELINE;
const BEFORE = ' (baseline)';
const run = (entry, version, args) =>
  execFileSync(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), entry, 'helm-sync', '--plan', planOf(version), ...args], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
/** This build, then (with BENCH_BASELINE) the baseline on the same files; `prepare` puts the files back before each. */
const sync = (label, version, args, prepare = () => {}) => {
  prepare();
  measure(label, () => run(cli, version, args));
  if (baseline) {
    prepare();
    measure(label + BEFORE, () => run(baseline, version, args));
  }
};
const printBoth = label => {
  print(label);
  if (baseline) print(label + BEFORE);
};

console.log(`helm-sync, one chart deploying ${SERVICES} services (values.yaml: ${values.split('\n').length} lines), median of ${ROUNDS} rounds`);
const WRITE_ONLY = 'write-only: Chart.yaml and values.yaml edited';
const WRITE_AGAIN = 'write-only again: everything already in step';
let changed;
for (let round = 0; round < ROUNDS; round++) {
  sync(WRITE_ONLY, `1.0.${round}`, ['--write-only'], reset);
  const after = readFileSync(join(chart, 'values.yaml'), 'utf8');
  changed = values.split('\n').filter((line, i) => line !== after.split('\n')[i]).length;
  sync(WRITE_AGAIN, `1.0.${round}`, ['--write-only']);
  measure('node -e 0 (the floor of any Node program)', () => execFileSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' }));
}
printBoth(WRITE_ONLY);
console.log(`${'values.yaml lines changed (expected 2 a service)'.padEnd(58)} ${String(changed).padStart(6)}`);
printBoth(WRITE_AGAIN);
print('node -e 0 (the floor of any Node program)');

if (!existsSync(helm)) {
  console.log(`(no helm at ${helm}: run scripts/setup-test-env.sh for the lint/package/push figures)`);
  process.exit(0);
}
const port = await new Promise(resolve => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = server.address();
    server.close(() => resolve(p));
  });
});
writeFileSync(join(dir, 'registry.yml'), `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${join(dir, 'data')}}}\nhttp: {addr: "127.0.0.1:${port}"}\n`);
const registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' });
try {
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('curl', ['-fs', `http://127.0.0.1:${port}/v2/`], { stdio: 'ignore' });
      break;
    } catch {
      await new Promise(r => setTimeout(r, 50));
    }
  }
  const push = ['--push', `oci://127.0.0.1:${port}/charts`, '--package-dir', 'out'];
  const RELEASE = 'release: lint --strict, package, push';
  const RERUN = 're-run: same archive digest, nothing pushed';
  const PLAIN = 'plain helm: lint --strict && package && push';
  const h = (...args) => execFileSync(helm, args, { cwd: repo, env, stdio: 'ignore' });
  for (let round = 0; round < ROUNDS; round++) {
    // The baseline pushes another version, so that each of the two makes a real push.
    reset();
    measure(RELEASE, () => run(cli, `2.0.${round}`, push));
    measure(RERUN, () => run(cli, `2.0.${round}`, push));
    if (baseline) {
      reset();
      measure(RELEASE + BEFORE, () => run(baseline, `3.0.${round}`, push));
      measure(RERUN + BEFORE, () => run(baseline, `3.0.${round}`, push));
    }
    // The floor: plain helm doing the same three steps on the same chart (a new version, so the push is real).
    writeFileSync(join(chart, 'Chart.yaml'), readFileSync(join(chart, 'Chart.yaml'), 'utf8').replace(/^version: .*$/m, `version: 9.9.${round}`));
    measure(PLAIN, () => {
      h('lint', '--strict', chart);
      h('package', chart, '--destination', join(dir, 'plain'));
      h('push', join(dir, 'plain', `all-9.9.${round}.tgz`), `oci://127.0.0.1:${port}/charts`, '--plain-http');
    });
  }
  for (const label of [RELEASE, RERUN]) printBoth(label);
  print(PLAIN);
  const plain = figure(PLAIN);
  const ratio = (label, target) => {
    const { ms, cpu } = figure(label);
    console.log(`${`ratio ${label.split(':')[0]}${label.endsWith(BEFORE) ? BEFORE : ''} / plain helm (target <= ${target}x)`.padEnd(58)} ${(ms / plain.ms).toFixed(2).padStart(6)}x  (CPU ${(cpu / plain.cpu).toFixed(2)}x)`);
  };
  ratio(RELEASE, 1.3);
  ratio(WRITE_ONLY, 0.3);
  if (baseline) {
    ratio(RELEASE + BEFORE, 1.3);
    ratio(WRITE_ONLY + BEFORE, 0.3);
  }
} finally {
  registry.kill();
}
