/** imgver manifest init and pull-latest without a manifest, against a real registry on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { seedImage, startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { captureLog, runAction } from '../../helpers/run-action.js';

let registry: TestRegistry;
const d: Record<string, string> = {};

beforeAll(async () => {
  registry = await startRegistry();
  for (const version of ['1.63', '1.64']) d[`api:${version}`] = (await seedImage(registry.url, 'acme/api', version, `api ${version}`)).digest;
  await seedImage(registry.url, 'acme/api', 'latest', 'api 1.64');
  d['web:2.1.0'] = (await seedImage(registry.url, 'acme/web', '2.1.0', 'web 2.1.0')).digest;
  await seedImage(registry.url, 'acme/web', 'latest', 'web 2.1.0');
  // worker: latest with no release tag sharing it.
  d['worker:latest'] = (await seedImage(registry.url, 'acme/worker', 'latest', 'worker nightly')).digest;
}, 60_000);
afterAll(() => registry?.stop());

function workspace(services = ['api', 'web']): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-init-'));
  writeFileSync(join(dir, 'imgver.yaml'), `image: ${registry.host}/acme/{{service}}\nservices:\n${services.map(s => `  ${s}: {}\n`).join('')}`);
  return dir;
}

const manifest = (dir: string, path = 'deploy/prod/version-manifest.yaml') => parse(readFileSync(join(dir, path), 'utf8'));
const manifestCmd = (dir: string, command: string, inputs: Record<string, string> = {}, log = captureLog()) =>
  runAction('deploy-manifest', { command, environment: 'prod', ...inputs }, { cwd: dir, env: {}, log });

describe('manifest init: the migration to a version manifest', () => {
  it('one entry per service of imgver.yaml, latest resolved to its release tag and digest; versions.env written', async () => {
    const dir = workspace();
    const log = captureLog();
    const { outputs } = await manifestCmd(dir, 'init', {}, log);
    expect(JSON.parse(outputs.changed)).toEqual(['api', 'web']);
    const written = manifest(dir);
    expect(written.environment).toBe('prod');
    expect(written.services.api).toMatchObject({ image: `${registry.host}/acme/api`, current_tag: '1.64', image_digest: d['api:1.64'], custom: false, history: [] });
    expect(written.services.web).toMatchObject({ current_tag: '2.1.0', image_digest: d['web:2.1.0'] });
    expect(readFileSync(join(dir, 'deploy/prod/versions.env'), 'utf8')).toContain(`API_TAG=1.64`);
    expect(log.lines).toContain(`api: latest is 1.64 (${d['api:1.64'].slice(0, 19)}…), added`);
  });

  it('--service starts the manifest with that service only; a second init adds the rest and leaves existing entries alone', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'init', { service: 'web' });
    expect(Object.keys(manifest(dir).services)).toEqual(['web']);
    await manifestCmd(dir, 'update', { service: 'web', tag: '2.1.0' });
    const log = captureLog();
    const { outputs } = await manifestCmd(dir, 'init', {}, log);
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    expect(Object.keys(manifest(dir).services).sort()).toEqual(['api', 'web']);
    expect(log.lines).toContain('web: already in the manifest (2.1.0), left as it is');
  });

  it('a latest that no release tag shares is recorded as latest, with a warning', async () => {
    const dir = workspace(['worker']);
    const log = captureLog();
    await manifestCmd(dir, 'init', {}, log);
    expect(manifest(dir).services.worker).toMatchObject({ current_tag: 'latest', image_digest: d['worker:latest'] });
    expect(log.lines.some(l => l.startsWith('warning: worker: no release tag shares latest'))).toBe(true);
  });

  it('a service with no image in the registry is a clear error, and nothing is written', async () => {
    const dir = workspace(['ghost']);
    await expect(manifestCmd(dir, 'init')).rejects.toThrow(`No service could start the manifest: ${registry.host}/acme/ghost:latest do not exist in the registry`);
    expect(existsSync(join(dir, 'deploy/prod/version-manifest.yaml'))).toBe(false);
  });

  it('a --service the config does not know is a clear error naming the config', async () => {
    const dir = workspace();
    await expect(manifestCmd(dir, 'init', { service: 'billing' })).rejects.toThrow('Service billing is neither in the manifest nor in imgver.yaml');
  });

  it('dry-run shows what init would add and writes nothing', async () => {
    const dir = workspace();
    const { outputs } = await manifestCmd(dir, 'init', { 'dry-run': 'true' });
    expect(JSON.parse(outputs.changed)).toEqual(['api', 'web']);
    expect(existsSync(join(dir, 'deploy/prod/version-manifest.yaml'))).toBe(false);
  });
});

describe('manifest pull-latest with or without a manifest', () => {
  it('without a manifest it starts one, saying so, with the same entries init makes', async () => {
    const dir = workspace();
    const log = captureLog();
    const { outputs } = await manifestCmd(dir, 'pull-latest', {}, log);
    expect(JSON.parse(outputs.changed)).toEqual(['api', 'web']);
    expect(log.lines).toContain("deploy/prod/version-manifest.yaml does not exist yet: starting it (as imgver manifest init) with each service's latest release");
    expect(manifest(dir).services.api).toMatchObject({ current_tag: '1.64', image_digest: d['api:1.64'] });
    // With the manifest there, pull-latest is the usual update: nothing moved, nothing changes.
    const again = await manifestCmd(dir, 'pull-latest');
    expect(JSON.parse(again.outputs.changed)).toEqual([]);
  });

  it('with a manifest it moves entries to latest, as before', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.63' });
    const { outputs } = await manifestCmd(dir, 'pull-latest');
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    expect(manifest(dir).services.api.current_tag).toBe('1.64');
    expect(manifest(dir).services.api.history.map((h: { tag: string }) => h.tag)).toEqual(['1.63']);
  });
});
