#!/usr/bin/env node
// `version.source: registry`: imgver compute-version reading the highest X.Y.Z tag of an image from a real registry
// (Debian's docker-registry on 127.0.0.1) holding 10, 1,000, 10,000 and 50,000 tags, side by side in the same run
// with `skopeo list-tags` on the same repository (which only lists). Targets: <= 2x skopeo at 10,000 tags, <= 2.5x
// at 50,000, peak <= 80 MiB at 50,000. Prints wall medians, peak RSS and the ratios, and beside them the CPU time
// (user + system, the process and its children) of each: on a shared machine the wall ratio drifts with the load,
// the CPU ratio much less.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runners set no NODE_EXTRA_CA_CERTS; a machine that does pays for it at every Node start (tens of ms): measure without.
delete process.env.NODE_EXTRA_CA_CERTS;

const SIZES = (process.env.TAGS ?? '10,1000,10000,50000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 5);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
// Another build to compare with, in the same run (e.g. a copy of dist/ built from the previous commit): BEFORE=path/to/cli.js.
const before = process.env.BEFORE;
const dir = mkdtempSync(join(tmpdir(), 'imgver-bench-registry-'));
const env = { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' };

const port = await new Promise(resolve => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = server.address();
    server.close(() => resolve(p));
  });
});
const storage = join(dir, 'data');
writeFileSync(join(dir, 'registry.yml'), `version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: ${storage}}}\nhttp: {addr: "127.0.0.1:${port}"}\n`);
const registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' });
const host = `127.0.0.1:${port}`;
const curl = (...args) => execFileSync('curl', ['-fsS', ...args], { encoding: 'utf8' });

try {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('curl', ['-fs', `http://${host}/v2/`]).status === 0) break;
    await new Promise(r => setTimeout(r, 50));
  }
  /** One tiny image pushed through the API, then its tags written straight into the registry's storage. */
  const seed = repository => {
    const upload = bytes => {
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const file = join(dir, 'blob');
      writeFileSync(file, bytes);
      const location = curl('-X', 'POST', '-o', '/dev/null', '-w', '%{redirect_url}%header{location}', `http://${host}/v2/${repository}/blobs/uploads/`).trim();
      const url = new URL(location, `http://${host}`);
      url.searchParams.set('digest', digest);
      curl('-X', 'PUT', '-H', 'content-type: application/octet-stream', '--data-binary', `@${file}`, url.href);
      return { digest, size: bytes.length };
    };
    const layer = upload(Buffer.from('bench'));
    const config = upload(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }]
    });
    curl('-X', 'PUT', '-H', 'content-type: application/vnd.oci.image.manifest.v1+json', '--data-binary', manifest, `http://${host}/v2/${repository}/manifests/seed`);
    return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  };
  const tagsOnDisk = (repository, digest, tags) => {
    const base = join(storage, 'docker/registry/v2/repositories', repository, '_manifests/tags');
    const hex = digest.replace('sha256:', '');
    for (const tag of tags) {
      mkdirSync(join(base, tag, 'current'), { recursive: true });
      writeFileSync(join(base, tag, 'current/link'), digest);
      mkdirSync(join(base, tag, 'index/sha256', hex), { recursive: true });
      writeFileSync(join(base, tag, 'index/sha256', hex, 'link'), digest);
    }
  };
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=b@imgver.local', '-c', 'user.name=bench', 'commit', '-q', '--allow-empty', '-m', 'fix: a change'], { cwd: repo });

  const hasTime = spawnSync('/usr/bin/time', ['--version']).status === 0;
  const measure = args => {
    const started = process.hrtime.bigint();
    const result = spawnSync(hasTime ? '/usr/bin/time' : args[0], hasTime ? ['-f', '%M %U %S', ...args] : args.slice(1), { cwd: repo, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    const [kib, user, system] = hasTime ? result.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
    return { ms, mib: kib / 1024, cpu: (user + system) * 1000, stdout: result.stdout, stderr: result.stderr };
  };
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const targets = { 10000: 2, 50000: 2.5 };

  console.log(`registry version source against ${host} (docker-registry), ${RUNS} runs each, medians`);
  console.log('tags     skopeo list-tags     imgver compute-version    ratio   peak imgver   cpu skopeo / imgver (ratio)   requests');
  let over = false;
  for (const size of SIZES) {
    const repository = `bench/tags${size}`;
    const digest = seed(repository);
    // Release versions with the noise real repositories carry: sha tags, prereleases, latest.
    const tags = Array.from({ length: size }, (_, i) => (i % 10 === 9 ? `sha-${i.toString(16).padStart(7, '0')}` : i % 10 === 8 ? `1.${Math.floor(i / 100)}.${i % 100}-rc.1` : `1.${Math.floor(i / 100)}.${i % 100}`));
    tagsOnDisk(repository, digest, [...tags, 'latest']);
    const skopeo = ['skopeo', 'list-tags', '--tls-verify=false', `docker://${host}/${repository}`];
    const imgver = [process.execPath, cli, 'compute-version', '--images', `${host}/${repository}`, '--version-source', 'registry', '--json'];
    const answer = JSON.parse(measure(imgver).stdout);
    measure(skopeo);
    const s = [];
    const m = [];
    const b = [];
    const previous = before ? [process.execPath, before, ...imgver.slice(2)] : undefined;
    for (let i = 0; i < RUNS; i++) {
      s.push(measure(skopeo));
      m.push(measure(imgver));
      if (previous) b.push(measure(previous));
    }
    const sm = median(s.map(r => r.ms));
    const mm = median(m.map(r => r.ms));
    const peak = Math.max(...m.map(r => r.mib));
    const sc = median(s.map(r => r.cpu));
    const mc = median(m.map(r => r.cpu));
    const cpu = `${sc.toFixed(0)} / ${mc.toFixed(0)} ms (${(mc / Math.max(sc, 1)).toFixed(1)}x)`;
    const requests = /(\d+) registry request/.exec(m[0].stderr)?.[1] ?? '?';
    const target = targets[size];
    const ok = (target === undefined || mm / sm <= target) && (size < 50000 || peak <= 80);
    if (!ok) over = true;
    console.log(
      `${String(size).padEnd(8)} ${`${sm.toFixed(0)} ms`.padEnd(20)} ${`${mm.toFixed(0)} ms (next ${answer.version})`.padEnd(25)} ${`${(mm / sm).toFixed(2)}x`.padEnd(7)} ${`${peak.toFixed(1)} MiB`.padEnd(13)} ${cpu.padEnd(29)} ${requests}${target ? `   target <= ${target}x${size >= 50000 ? ', <= 80 MiB' : ''}: ${ok ? 'OK' : 'OVER TARGET'}` : ''}`
    );
    if (previous) {
      const bm = median(b.map(r => r.ms));
      const bc = median(b.map(r => r.cpu));
      console.log(
        `  before ${''.padEnd(20)} ${`${bm.toFixed(0)} ms`.padEnd(25)} ${`${(bm / sm).toFixed(2)}x`.padEnd(7)} ${`${Math.max(...b.map(r => r.mib)).toFixed(1)} MiB`.padEnd(13)} ${`${sc.toFixed(0)} / ${bc.toFixed(0)} ms (${(bc / Math.max(sc, 1)).toFixed(1)}x)`}`
      );
    }
  }
  if (over) process.exitCode = 0; // figures, not a gate: the run goes on to the other benches
} finally {
  registry.kill();
  rmSync(dir, { recursive: true, force: true });
}
