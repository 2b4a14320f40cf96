#!/usr/bin/env node
// A 20-service release where 2 services changed, published by imgver build-tag-push (build the 2, retag the 18 by
// registry API), side by side with rebuilding and pushing all 20, in the same run, against a real Docker engine and a
// real registry on 127.0.0.1. Prints both wall times and the blob uploads the registry saw (from its access log).
// Each image has a 2 MiB layer of its own, so pushing it is real work; BuildKit's cache makes the rebuild of an
// unchanged service cheap here, so the "rebuild all" figure is its best case.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const SERVICES = Number(process.env.SERVICES ?? 20);
const CHANGED = 2;
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'imgver-bench-btp-'));
const docker = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const env = { ...process.env, IMGVER_DOCKER: docker, DOCKER_CONFIG: join(dir, 'docker-config') };

const port = await new Promise(resolve => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const host = `127.0.0.1:${port}`;
const logFile = join(dir, 'registry.log');
writeFileSync(join(dir, 'registry.yml'), `version: 0.1\nlog: {level: info}\nstorage: {filesystem: {rootdirectory: ${join(dir, 'data')}}}\nhttp: {addr: "${host}"}\n`);
// The log goes to a file, not a pipe: the CLI runs synchronously and a full pipe would stall the registry.
const registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: ['ignore', 'ignore', openSync(logFile, 'w')] });
for (let i = 0; i < 100; i++) {
  try {
    await fetch(`http://${host}/v2/`);
    break;
  } catch {
    await new Promise(r => setTimeout(r, 50));
  }
}
// A finished blob upload is the PUT that closes an upload session (POST opens it, PATCH sends the bytes).
const uploads = () => (readFileSync(logFile, 'utf8').match(/http\.request\.method=PUT [^\n]*http\.request\.uri="?\/v2\/[^ ]*\/blobs\/uploads\//g) ?? []).length;

const names = Array.from({ length: SERVICES }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);
for (const name of names) {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'Dockerfile'), 'FROM scratch\nCOPY blob.bin /blob.bin\nCOPY app.txt /app.txt\n');
  writeFileSync(join(dir, name, 'blob.bin'), randomBytes(2 * 1024 * 1024));
  writeFileSync(join(dir, name, 'app.txt'), `${name} 1\n`);
}

function plan(version, previous, changed) {
  return JSON.stringify({
    schema: 1,
    services: names.map(name => ({
      name,
      image: `${host}/bench/${name}`,
      context: name,
      dockerfile: `${name}/Dockerfile`,
      changed: changed.includes(name),
      version,
      previous,
      tags: [`${host}/bench/${name}:${version}`, `${host}/bench/${name}:latest`],
      labels: { 'org.opencontainers.image.revision': `rev-${version}`, 'org.opencontainers.image.version': version }
    }))
  });
}

function publish(planText) {
  const before = uploads();
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [cli, 'build-tag-push', '--plan', planText, '--json'], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, result: JSON.parse(out), before };
}

try {
  publish(plan('1.0.0', undefined, names));
  const changed = names.slice(0, CHANGED);
  for (const name of changed) writeFileSync(join(dir, name, 'app.txt'), `${name} 2\n`);
  await new Promise(r => setTimeout(r, 200));
  const imgver = publish(plan('1.1.0', '1.0.0', changed));
  await new Promise(r => setTimeout(r, 200));
  const imgverUploads = uploads() - imgver.before;
  for (const name of changed) writeFileSync(join(dir, name, 'app.txt'), `${name} 3\n`);
  const all = publish(plan('1.2.0', '1.1.0', names));
  await new Promise(r => setTimeout(r, 200));
  const allUploads = uploads() - all.before;
  console.log(`build-tag-push, ${SERVICES} services, ${CHANGED} changed (Docker engine ${execFileSync(docker, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim()}, builder: docker build + push)`);
  console.log(`  imgver (build ${imgver.result.built.length}, retag ${imgver.result.retagged.length}): ${(imgver.ms / 1000).toFixed(2)} s, ${imgverUploads} blob uploads`);
  console.log(`  rebuild and push all ${all.result.built.length}:       ${(all.ms / 1000).toFixed(2)} s, ${allUploads} blob uploads`);
  console.log(`  speed-up: ${(all.ms / imgver.ms).toFixed(1)}x`);
} finally {
  registry.kill();
}
