/** build-tag-push against a real Docker engine (Debian's docker.io, /usr/bin/docker) and a real registry on 127.0.0.1. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Plan, PlanService } from '../../../src/core/plan.js';
import { buildInvocation, type BuildRequest } from '../../../src/adapters/docker.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { runComposite } from '../../helpers/composite.js';
import { skopeoDigest, TAG_NOT_FOUND, startProxy, startRegistry, type TestProxy, type TestRegistry } from '../../helpers/registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVICES = ['api', 'web', 'worker'];

function workspace(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-btp-'));
  for (const name of SERVICES) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    writeFileSync(join(dir, name, 'app.txt'), `${name} v1\n`);
  }
  const env = { ...process.env, IMGVER_DOCKER: '/usr/bin/docker', DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'imgver-dockercfg-')) };
  return { dir, env };
}

function plan(host: string, version: string, previous: string | undefined, changed: string[], revision: string): Plan {
  const services: PlanService[] = SERVICES.map(name => ({
    name,
    image: `${host}/demo/${name}`,
    context: name,
    dockerfile: `${name}/Dockerfile`,
    changed: changed.includes(name),
    version,
    previous,
    tags: [`${host}/demo/${name}:${version}`, `${host}/demo/${name}:latest`],
    labels: { 'org.opencontainers.image.revision': revision, 'org.opencontainers.image.version': version }
  }));
  return { schema: 1, services };
}

describe('build-tag-push (real Docker engine, real registry behind a counting proxy)', () => {
  let registry: TestRegistry;
  let proxy: TestProxy;
  let ws: { dir: string; env: NodeJS.ProcessEnv };
  let log = captureLog();
  const run = (inputs: Record<string, string>) => runAction('build-tag-push', inputs, { cwd: ws.dir, env: ws.env, log });
  const writes = () => proxy.requests.filter(r => r.method === 'PUT' && r.path.includes('/manifests/')).length;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.url);
    ws = workspace();
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.stop();
  });

  it('a first release builds and pushes every service with all its tags; digests match skopeo', async () => {
    const result = await run({ plan: JSON.stringify(plan(proxy.host, '1.0.0', undefined, SERVICES, 'c0ffee1')) });
    expect(JSON.parse(result.outputs.built)).toEqual(SERVICES);
    const digests = JSON.parse(result.outputs.digests) as Record<string, string>;
    for (const name of SERVICES) {
      expect(await skopeoDigest(registry.host, `demo/${name}`, '1.0.0')).toBe(digests[name]);
      expect(await skopeoDigest(registry.host, `demo/${name}`, 'latest')).toBe(digests[name]);
    }
    expect(JSON.parse(result.outputs.images).api).toBe(`${proxy.host}/demo/api@${digests.api}`);
    expect(result.summary).toContain('| api | built |');
  });

  it('the next release builds only the changed service and retags the others with zero blob uploads', async () => {
    writeFileSync(join(ws.dir, 'api/app.txt'), 'api v2\n');
    log = captureLog();
    const before = { web: await skopeoDigest(registry.host, 'demo/web', '1.0.0'), api: await skopeoDigest(registry.host, 'demo/api', '1.0.0') };
    const uploadsBefore = proxy.blobUploads();
    const result = await run({ plan: JSON.stringify(plan(proxy.host, '1.1.0', '1.0.0', ['api'], 'c0ffee2')) });
    expect(JSON.parse(result.outputs.built)).toEqual(['api']);
    expect(JSON.parse(result.outputs.retagged)).toEqual(['web', 'worker']);
    // api's new layer and config are the only blobs that moved.
    expect(proxy.blobUploads() - uploadsBefore).toBe(2);
    expect(await skopeoDigest(registry.host, 'demo/web', '1.1.0')).toBe(before.web);
    expect(await skopeoDigest(registry.host, 'demo/web', 'latest')).toBe(before.web);
    const api = await skopeoDigest(registry.host, 'demo/api', '1.1.0');
    expect(api).not.toBe(before.api);
    expect(JSON.parse(result.outputs.digests)).toEqual({ api, web: before.web, worker: expect.stringMatching(/^sha256:/) });
    const updated = JSON.parse(result.outputs.plan) as Plan;
    // latest is a floating tag: written without reading it first (a PUT costs what a read would), before the version tag.
    expect(updated.services.find(s => s.name === 'web')).toMatchObject({ action: 'retagged', digest: before.web, pushed: [`${proxy.host}/demo/web:latest`, `${proxy.host}/demo/web:1.1.0`] });
    expect(log.lines).toContain(`${proxy.host}/demo/web:latest → ${before.web} (set)`);
  });

  it('a re-run of the same release writes nothing, builds nothing and succeeds with the same digests', async () => {
    const writesBefore = writes();
    const uploadsBefore = proxy.blobUploads();
    const result = await run({ plan: JSON.stringify(plan(proxy.host, '1.1.0', '1.0.0', ['api'], 'c0ffee2')) });
    expect(JSON.parse(result.outputs.built)).toEqual([]);
    expect(JSON.parse(result.outputs.retagged)).toEqual(SERVICES);
    expect(writes()).toBe(writesBefore);
    expect(proxy.blobUploads()).toBe(uploadsBefore);
    expect(result.summary).toContain('| api | retagged (re-run) |');
  });

  it('refuses to overwrite a released version built from another commit, before building or pushing anything', async () => {
    writeFileSync(join(ws.dir, 'web/app.txt'), 'web v2\n');
    const writesBefore = writes();
    await expect(run({ plan: JSON.stringify(plan(proxy.host, '1.1.0', '1.0.0', ['api', 'web'], 'deadbee')) })).rejects.toThrow(
      `${proxy.host}/demo/api:1.1.0 → sha256:`
    );
    expect(writes()).toBe(writesBefore);
    await expect(run({ plan: JSON.stringify(plan(proxy.host, '1.1.0', '1.0.0', ['api', 'web'], 'deadbee')) })).rejects.toThrow(
      /already hold another image, and a released version is never overwritten:\n.*demo\/api:1\.1\.0 → sha256:[a-f0-9]{64} \(built from c0ffee2; this run builds deadbee\)\n[\s\S]*Release a new version, or set force: true/
    );
  });

  it('force rebuilds and moves a released version tag; unchanged: latest retags what latest holds', async () => {
    const p = plan(proxy.host, '1.1.0', '1.0.0', ['web'], 'deadbee');
    p.services = p.services.filter(s => s.name === 'web');
    const forced = await run({ plan: JSON.stringify(p), force: 'true' });
    expect(JSON.parse(forced.outputs.built)).toEqual(['web']);
    const web = await skopeoDigest(registry.host, 'demo/web', '1.1.0');
    expect(JSON.parse(forced.outputs.digests).web).toBe(web);
    const latest = await run({ plan: JSON.stringify(plan(proxy.host, '1.1.1', '1.1.0', [], 'deadbee')), unchanged: 'latest' });
    expect(JSON.parse(latest.outputs.retagged)).toEqual(SERVICES);
    expect(await skopeoDigest(registry.host, 'demo/web', '1.1.1')).toBe(web);
  });

  it('dry-run prints the builds and registry writes and changes nothing', async () => {
    log = captureLog();
    const writesBefore = writes();
    const result = await run({ plan: JSON.stringify(plan(proxy.host, '1.2.0', '1.1.0', ['worker'], 'c0ffee4')), 'dry-run': 'true' });
    expect(writes()).toBe(writesBefore);
    expect(log.lines.some(l => l.startsWith('would run: docker build --tag') && l.includes(`${proxy.host}/demo/worker:1.2.0`))).toBe(true);
    expect(log.lines).toContainEqual(expect.stringMatching(new RegExp(`^would PUT manifest ${proxy.host}/demo/api:1\\.2\\.0 → sha256:`)));
    expect(JSON.parse(result.outputs.built)).toEqual(['worker']);
    expect(result.summary).toContain('(dry run)');
    log = captureLog();
  });

  it('unchanged: skip leaves services alone but still reports their digests', async () => {
    const result = await run({ plan: JSON.stringify(plan(proxy.host, '1.1.0', '1.0.0', [], 'c0ffee2')), unchanged: 'skip' });
    expect(JSON.parse(result.outputs.skipped)).toEqual(SERVICES);
    expect(Object.keys(JSON.parse(result.outputs.digests))).toEqual(SERVICES);
  });

  it('a failed build stops the run before any unchanged service gets the new tags (builds go first)', async () => {
    writeFileSync(join(ws.dir, 'worker', 'Dockerfile'), 'FROM scratch\nCOPY missing.txt /missing.txt\n');
    try {
      await expect(run({ plan: JSON.stringify(plan(proxy.host, '8.0.0', '1.0.0', ['worker'], 'c0ffee8')) })).rejects.toThrow(/worker/);
      await expect(skopeoDigest(registry.host, 'demo/api', '8.0.0')).rejects.toThrow(TAG_NOT_FOUND);
      await expect(skopeoDigest(registry.host, 'demo/web', '8.0.0')).rejects.toThrow(TAG_NOT_FOUND);
    } finally {
      writeFileSync(join(ws.dir, 'worker', 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    }
  });

  it.each([
    [{ platforms: 'linux/amd64,linux/arm64', builder: 'docker' }, 'needs docker buildx, which this machine lacks'],
    [{ unchanged: 'rebuild' }, "Input 'unchanged' is set to invalid value 'rebuild': expected one of retag, skip, latest"],
    [{ cache: 'gha', builder: 'docker' }, "Input 'cache' is gha, which needs docker buildx"],
    [{ secrets: 'no-equals-sign' }, "Input 'secrets': \"no-equals-sign\" is not id=value"]
  ])('[%#] bad input %o is a clear error', async (inputs, message) => {
    await expect(run({ plan: JSON.stringify(plan(proxy.host, '9.0.0', '1.1.0', ['api'], 'c0ffee9')), ...inputs })).rejects.toThrow(message);
  });
});

describe('build command lines', () => {
  const request: BuildRequest = {
    service: 'api',
    context: 'api',
    dockerfile: 'api/Dockerfile',
    tags: ['r/api:1.0.0', 'r/api:latest'],
    labels: { a: '1' },
    annotations: { 'org.opencontainers.image.version': '1.0.0' },
    platforms: ['linux/amd64', 'linux/arm64'],
    buildArgs: ['X=1'],
    secrets: [{ id: 'npm', value: 'hunter2' }, { id: 'ssh', src: '/tmp/key' }],
    cacheFrom: ['type=gha,scope=api'],
    cacheTo: ['type=gha,mode=max,scope=api'],
    provenance: false,
    push: true
  };

  it.each([
    [
      'buildx',
      [
        'buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--tag', 'r/api:1.0.0', '--tag', 'r/api:latest', '--label', 'a=1',
        '--annotation', 'org.opencontainers.image.version=1.0.0', '--build-arg', 'X=1', '--secret', 'id=npm,env=IMGVER_SECRET_0',
        '--secret', 'id=ssh,src=/tmp/key', '--cache-from', 'type=gha,scope=api', '--cache-to', 'type=gha,mode=max,scope=api',
        '--provenance=false', '--push', '--metadata-file', '/m.json', '--file', 'api/Dockerfile', 'api'
      ]
    ],
    [
      'docker',
      [
        'build', '--platform', 'linux/amd64,linux/arm64', '--tag', 'r/api:1.0.0', '--tag', 'r/api:latest', '--label', 'a=1', '--build-arg', 'X=1',
        '--secret', 'id=npm,env=IMGVER_SECRET_0', '--secret', 'id=ssh,src=/tmp/key', '--cache-from', 'type=gha,scope=api',
        '--file', 'api/Dockerfile', 'api'
      ]
    ]
  ] as const)('[%#] %s: secrets by environment name only, never their values', (builder, args) => {
    const invocation = buildInvocation(request, builder, '/m.json');
    expect(invocation.args).toEqual(args);
    expect(invocation.args.join(' ')).not.toContain('hunter2');
    expect(invocation.env).toEqual({ IMGVER_SECRET_0: 'hunter2' });
  });
});

describe('actions/build-tag-push/action.yml run as the runner runs it', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry.stop());

  it('builds one image from tags and labels, masks the password and sets digest', async () => {
    const { dir, env } = workspace();
    const { outputs, stdout } = runComposite(
      join(root, 'actions/build-tag-push/action.yml'),
      { tags: `${registry.host}/solo/app:2.0.0\n${registry.host}/solo/app:latest`, labels: 'org.opencontainers.image.revision=abc1234', context: 'api', password: 'pa55' },
      { cwd: dir, env: { ...env, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'a'.repeat(40) } }
    );
    expect(outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(JSON.parse(outputs.built)).toEqual(['app']);
    expect(stdout).toContain('::add-mask::pa55');
    expect(await skopeoDigest(registry.host, 'solo/app', '2.0.0')).toBe(outputs.digest);
  });
});
