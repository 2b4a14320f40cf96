#!/usr/bin/env node
// k8s-sync over the manifests of 200 services: a directory per service (a Deployment with an initContainer, its
// Service and a CronJob, comments and anchors, in one multi-document file) and one kustomize overlay with an images:
// entry per service. Times `imgver k8s-sync` (the CLI, as a workflow step runs it) with one service changed, then
// all of them, then a re-run that finds everything in step, and prints the time per manifest file read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const SERVICES = Number(process.env.SERVICES ?? 200);
const RUNS = Number(process.env.RUNS ?? 3);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'imgver-bench-k8s-'));
const names = Array.from({ length: SERVICES }, (_, i) => `svc${String(i + 1).padStart(3, '0')}`);
const digest = (i, salt) => `sha256:${(i * 7 + salt).toString(16).padStart(64, '0')}`;

const manifest = name => `# ${name}: owned by team ${name.slice(-1)}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: &labels
    app.kubernetes.io/name: ${name}   # selector
    app.kubernetes.io/part-of: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels: *labels
    spec:
      initContainers:
        - name: migrate
          image: "ghcr.io/acme/${name}:1.0.0"
          args: [migrate]
      containers:
        - name: ${name}
          image: ghcr.io/acme/${name}:1.0.0   # the service
          env:
            - {name: LOG_FORMAT, value: json}
        - name: proxy
          image: docker.io/library/nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - port: 80
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}-nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: ghcr.io/acme/${name}:1.0.0
`;

const repo = join(dir, 'repo');
for (const name of names) {
  mkdirSync(join(repo, 'deploy/k8s/base', name), { recursive: true });
  writeFileSync(join(repo, 'deploy/k8s/base', name, 'workloads.yaml'), manifest(name));
}
mkdirSync(join(repo, 'deploy/k8s/overlays/prod'), { recursive: true });
writeFileSync(
  join(repo, 'deploy/k8s/overlays/prod/kustomization.yaml'),
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${names.map(n => `  - ../../base/${n}`).join('\n')}\nimages:\n${names
    .map(n => `  - name: ghcr.io/acme/${n}   # ${n}\n    newTag: "1.0.0"\n    digest: ${digest(0, 0)}`)
    .join('\n')}\n`
);
writeFileSync(join(repo, 'imgver.yaml'), `image: ghcr.io/acme/{{service}}\nservices:\n${names.map(n => `  ${n}: {}`).join('\n')}\ndeploy:\n  kubernetes: [deploy/k8s]\n`);
const files = SERVICES + 1;
const original = new Map([...names.map(n => `deploy/k8s/base/${n}/workloads.yaml`), 'deploy/k8s/overlays/prod/kustomization.yaml'].map(f => [f, readFileSync(join(repo, f), 'utf8')]));
const restore = () => {
  for (const [file, text] of original) writeFileSync(join(repo, file), text);
};

const planFile = (changed, version) => {
  const path = join(dir, `plan-${changed.length}-${version}.json`);
  const services = names.map((name, i) =>
    changed.includes(name)
      ? { name, image: `ghcr.io/acme/${name}`, version, release: true, digest: digest(i + 1, 1), tags: [`ghcr.io/acme/${name}:${version}`], action: 'built' }
      : { name, image: `ghcr.io/acme/${name}`, release: false }
  );
  writeFileSync(path, JSON.stringify({ schema: 1, services }));
  return path;
};

const run = plan => {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [cli, 'k8s-sync', '--plan', plan, '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, outputs: JSON.parse(out.toString()) };
};

const median = list => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const report = (label, plan, reset) => {
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    if (reset) restore();
    last = run(plan);
    times.push(last.ms);
  }
  const changedFiles = last.outputs['changed-files'].length;
  console.log(
    `${label.padEnd(44)} ${median(times).toFixed(0).padStart(6)} ms   ${(median(times) / files).toFixed(2).padStart(6)} ms/file   ${String(changedFiles).padStart(4)} files changed, ${String(last.outputs.changes.length).padStart(5)} edits`
  );
};

console.log(`imgver k8s-sync, ${SERVICES} services: ${SERVICES} manifest files (3 documents each) and one overlay with ${SERVICES} images entries (median of ${RUNS})`);
report('floor: a plan with no new image (start-up, config)', planFile([], '1.1.0'), true);
report('one service changed', planFile([names[Math.floor(SERVICES / 2)]], '1.1.0'), true);
const all = planFile(names, '1.1.0');
report('all services changed', all, true);
report('all again: everything already in step', all, false);
const bytes = [...original.keys()].reduce((sum, f) => sum + readFileSync(join(repo, f)).length, 0);
console.log(`(${(bytes / 1024).toFixed(0)} KiB of manifests after the run; node start-up alone is in every figure)`);
