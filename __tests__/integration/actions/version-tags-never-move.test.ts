/**
 * A version tag never moves: build-tag-push reads every version tag of every image of every service before it writes
 * anything, and one conflict anywhere stops the run with all of them listed. Real Docker engine (/usr/bin/docker),
 * real registry on 127.0.0.1 behind a counting proxy; the foreign images are seeded straight into the registry.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Plan, PlanService } from '../../../src/core/plan.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { seedImage, skopeoDigest, TAG_NOT_FOUND, startProxy, startRegistry, type TestProxy, type TestRegistry } from '../../helpers/registry.js';

function workspace(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-vtag-'));
  for (const name of ['api', 'web']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    writeFileSync(join(dir, name, 'app.txt'), `${name} ${dir}\n`);
  }
  return { dir, env: { ...process.env, IMGVER_DOCKER: '/usr/bin/docker', DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'imgver-dockercfg-')) } };
}

function service(host: string, repo: string, name: string, version: string, previous: string | undefined, changed: boolean, extraTags: string[] = []): PlanService {
  const image = `${host}/${repo}/${name}`;
  return {
    name,
    image,
    context: name,
    dockerfile: `${name}/Dockerfile`,
    changed,
    version,
    previous,
    tags: [`${image}:${version}`, `${image}:${version}-${name}`, `${image}:${version.split('.').slice(0, 2).join('.')}`, `${image}:latest`, ...extraTags],
    labels: { 'org.opencontainers.image.revision': 'c0ffee1234', 'org.opencontainers.image.version': version }
  };
}

describe('build-tag-push never moves a version tag (real Docker engine, real registry)', () => {
  let registry: TestRegistry;
  let proxy: TestProxy;
  let ws: { dir: string; env: NodeJS.ProcessEnv };
  const run = (inputs: Record<string, string>, log = captureLog()) => runAction('build-tag-push', inputs, { cwd: ws.dir, env: ws.env, log });
  const writes = () => proxy.requests.filter(r => ['PUT', 'POST', 'PATCH', 'DELETE'].includes(r.method)).length;
  let foreign: string;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.url);
    ws = workspace();
    foreign = (await seedImage(registry.url, 'seed/foreign', 'x', 'a foreign image')).digest;
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.stop();
  });

  it('a suffix version tag (0.1.0-api) on another image stops the run before anything is written', async () => {
    await seedImage(registry.url, 'suffix/api', '0.1.0-api', 'someone else');
    const before = writes();
    const plan: Plan = { schema: 1, services: [service(proxy.host, 'suffix', 'api', '0.1.0', undefined, true)] };
    await expect(run({ plan: JSON.stringify(plan) })).rejects.toThrow(new RegExp(`${proxy.host}/suffix/api:0\\.1\\.0-api → sha256:`));
    expect(writes()).toBe(before);
    await expect(skopeoDigest(registry.host, 'suffix/api', '0.1.0')).rejects.toThrow(TAG_NOT_FOUND);
  });

  it("a mirror image's version tag on another image stops the run before anything is written", async () => {
    await seedImage(registry.url, 'mirror/api', '0.1.0', 'the mirror holds another build');
    const before = writes();
    const plan: Plan = { schema: 1, services: [service(proxy.host, 'main1', 'api', '0.1.0', undefined, true, [`${proxy.host}/mirror/api:0.1.0`, `${proxy.host}/mirror/api:latest`])] };
    await expect(run({ plan: JSON.stringify(plan) })).rejects.toThrow(`${proxy.host}/mirror/api:0.1.0 → sha256:`);
    expect(writes()).toBe(before);
    await expect(skopeoDigest(registry.host, 'main1/api', '0.1.0')).rejects.toThrow(TAG_NOT_FOUND);
  });

  it('every conflict of every service is listed in one error, and no service is built or retagged', async () => {
    await seedImage(registry.url, 'many/api', '0.3.0-api', 'api conflict');
    await seedImage(registry.url, 'many-mirror/api', '0.3.0', 'mirror conflict');
    const previousWeb = await seedImage(registry.url, 'many/web', '0.2.0', 'web 0.2.0');
    await seedImage(registry.url, 'many/web', '0.3.0-web', 'web conflict');
    const before = writes();
    const plan: Plan = {
      schema: 1,
      services: [service(proxy.host, 'many', 'api', '0.3.0', '0.2.0', true, [`${proxy.host}/many-mirror/api:0.3.0`]), service(proxy.host, 'many', 'web', '0.3.0', '0.2.0', false)]
    };
    const error = await run({ plan: JSON.stringify(plan) }).then(
      () => undefined,
      (e: Error) => e
    );
    expect(error?.message).toContain(`${proxy.host}/many/api:0.3.0-api → sha256:`);
    expect(error?.message).toContain(`${proxy.host}/many-mirror/api:0.3.0 → sha256:`);
    expect(error?.message).toContain(`${proxy.host}/many/web:0.3.0-web → sha256:`);
    expect(writes()).toBe(before);
    await expect(skopeoDigest(registry.host, 'many/web', '0.3.0')).rejects.toThrow(TAG_NOT_FOUND);
    expect(await skopeoDigest(registry.host, 'many/web', '0.2.0')).toBe(previousWeb.digest);
  });

  it("an unchanged service's new version tag on a foreign image is a conflict: it is not adopted and latest does not move", async () => {
    const previous = await seedImage(registry.url, 'adopt/web', '0.1.0', 'web 0.1.0');
    await seedImage(registry.url, 'adopt/web', 'latest', 'web 0.1.0');
    await seedImage(registry.url, 'adopt/web', '0.2.0', 'not web at all');
    const before = writes();
    const plan: Plan = { schema: 1, services: [service(proxy.host, 'adopt', 'web', '0.2.0', '0.1.0', false)] };
    await expect(run({ plan: JSON.stringify(plan) })).rejects.toThrow(`${proxy.host}/adopt/web:0.2.0 → sha256:`);
    expect(writes()).toBe(before);
    expect(await skopeoDigest(registry.host, 'adopt/web', 'latest')).toBe(previous.digest);
    await expect(skopeoDigest(registry.host, 'adopt/web', '0.2')).rejects.toThrow(TAG_NOT_FOUND);
  });

  it('an unchanged service re-run (its new version tag already on the previous release) is a no-op', async () => {
    const previous = await seedImage(registry.url, 'again/web', '0.1.0', 'web again');
    const plan: Plan = { schema: 1, services: [service(proxy.host, 'again', 'web', '0.2.0', '0.1.0', false)] };
    const first = await run({ plan: JSON.stringify(plan) });
    expect(JSON.parse(first.outputs.retagged)).toEqual(['web']);
    const before = writes();
    const second = await run({ plan: JSON.stringify(plan) });
    expect(JSON.parse(second.outputs.digests)).toEqual({ web: previous.digest });
    expect(writes()).toBe(before);
  });

  it('force moves the conflicting version tags (and says so)', async () => {
    const previous = await seedImage(registry.url, 'forced/web', '0.1.0', 'web forced');
    await seedImage(registry.url, 'forced/web', '0.2.0-web', 'squatter');
    const plan: Plan = { schema: 1, services: [service(proxy.host, 'forced', 'web', '0.2.0', '0.1.0', false)] };
    const result = await run({ plan: JSON.stringify(plan), force: 'true' });
    expect(JSON.parse(result.outputs.retagged)).toEqual(['web']);
    expect(await skopeoDigest(registry.host, 'forced/web', '0.2.0-web')).toBe(previous.digest);
    expect(foreign).toMatch(/^sha256:/);
  });

  it.each([
    ['with a revision label', 'org.opencontainers.image.revision=abc1234'],
    ['without labels', '']
  ])('a tags-only build (no plan) re-run with identical inputs is a no-op (%s)', async (_name, labels) => {
    const repo = `solo${labels ? 'l' : 'n'}/app`;
    const inputs = { tags: `${proxy.host}/${repo}:2.0.0\n${proxy.host}/${repo}:2.0\n${proxy.host}/${repo}:latest`, labels, context: 'api' };
    const first = await run(inputs);
    expect(JSON.parse(first.outputs.built)).toEqual(['app']);
    const before = writes();
    const second = await run(inputs);
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(JSON.parse(second.outputs.built)).toEqual([]);
    expect(writes()).toBe(before);
  });

  it('a tags-only build whose version tag holds another image is still a conflict', async () => {
    await seedImage(registry.url, 'solo-other/app', '2.0.0', 'someone else');
    await expect(run({ tags: `${proxy.host}/solo-other/app:2.0.0`, context: 'api' })).rejects.toThrow(`${proxy.host}/solo-other/app:2.0.0 → sha256:`);
  });
});
