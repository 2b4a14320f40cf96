/**
 * build-tag-push with a Docker client that has no buildx plugin (a Docker 23+ client, /usr/local/bin/docker here,
 * against the real engine): the build falls back to the classic builder with a warning, as `docker build` does.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { skopeoDigest, TAG_NOT_FOUND, startRegistry, type TestRegistry } from '../../helpers/registry.js';

const CLIENT = '/usr/local/bin/docker';

function hasBuildx(): boolean {
  try {
    execFileSync(CLIENT, ['buildx', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const usable = existsSync(CLIENT) && !hasBuildx();
const maybe = usable ? describe : describe.skip;

maybe('build-tag-push with a client without buildx (classic builder fallback, real engine, real registry)', () => {
  let registry: TestRegistry;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const plan = (version: string, extra: Partial<Plan['services'][number]> = {}): string =>
    JSON.stringify({
      schema: 1,
      services: [
        {
          name: 'api',
          image: `${registry.host}/classic/api`,
          context: 'api',
          dockerfile: 'api/Dockerfile',
          changed: true,
          version,
          tags: [`${registry.host}/classic/api:${version}`, `${registry.host}/classic/api:latest`],
          labels: { 'org.opencontainers.image.revision': `rev-${version}` },
          ...extra
        }
      ]
    } satisfies Plan);

  beforeAll(async () => {
    registry = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'imgver-classic-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    writeFileSync(join(dir, 'api', 'app.txt'), 'api v1\n');
    env = { ...process.env, IMGVER_DOCKER: CLIENT, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'imgver-dockercfg-')) };
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('builds with the classic builder, warns once, pushes every tag; the digest matches skopeo', async () => {
    const log = captureLog();
    const result = await runAction('build-tag-push', { plan: plan('1.0.0'), platforms: 'linux/amd64' }, { cwd: dir, env, log });
    expect(JSON.parse(result.outputs.built)).toEqual(['api']);
    const warnings = log.lines.filter(l => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('has no buildx plugin');
    expect(warnings[0]).toContain('classic builder');
    const digest = JSON.parse(result.outputs.digests).api as string;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await skopeoDigest(registry.host, 'classic/api', '1.0.0')).toBe(digest);
    expect(await skopeoDigest(registry.host, 'classic/api', 'latest')).toBe(digest);
  });

  it('several platforms stay a clear error naming buildx, before anything is built', async () => {
    await expect(runAction('build-tag-push', { plan: plan('2.0.0'), platforms: 'linux/amd64,linux/arm64' }, { cwd: dir, env })).rejects.toThrow(
      'needs docker buildx, which this machine lacks'
    );
    await expect(skopeoDigest(registry.host, 'classic/api', '2.0.0')).rejects.toThrow(TAG_NOT_FOUND);
  });

  it('build secrets, which need BuildKit, are a clear error naming the input', async () => {
    await expect(runAction('build-tag-push', { plan: plan('3.0.0'), secrets: 'npm=s3cret' }, { cwd: dir, env })).rejects.toThrow(
      /build secrets \(npm\) need BuildKit.*no buildx plugin/
    );
  });
});
