import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { seedImage, skopeoDigest, startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { runComposite } from '../../helpers/composite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');

let registry: TestRegistry;
/** Digests of the seeded images: api 1.62, 1.63, 1.64 (= latest) and a hotfix; web 2.0.0 and 2.1.0 (= latest). */
const d: Record<string, string> = {};

beforeAll(async () => {
  registry = await startRegistry();
  for (const version of ['1.62', '1.63', '1.64', 'hotfix-7']) d[`api:${version}`] = (await seedImage(registry.url, 'acme/api', version, `api ${version}`)).digest;
  await seedImage(registry.url, 'acme/api', 'latest', 'api 1.64');
  for (const version of ['2.0.0', '2.1.0']) d[`web:${version}`] = (await seedImage(registry.url, 'acme/web', version, `web ${version}`)).digest;
  await seedImage(registry.url, 'acme/web', 'latest', 'web 2.1.0');
  await seedImage(registry.url, 'acme/web', 'not-a-release', 'web 2.1.0');
}, 60_000);
afterAll(() => registry?.stop());

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-deploy-'));
  writeFileSync(join(dir, 'imgver.yaml'), `image: ${registry.host}/acme/{{service}}\nservices:\n  api: {}\n  web: {}\n`);
  return dir;
}

const manifest = (dir: string, path = 'version-manifest.yaml') => parse(readFileSync(join(dir, path), 'utf8'));
const manifestCmd = (dir: string, command: string, inputs: Record<string, string> = {}, log = captureLog(), now?: Date) =>
  runAction('deploy-manifest', { command, ...inputs }, { cwd: dir, env: {}, log, now });

describe('deploy-manifest against a real registry on 127.0.0.1', () => {
  it('update records tag and digest from the registry, keeps the history, writes versions.env and backs up first', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.62' }, captureLog(), new Date('2026-11-20T10:00:00Z'));
    const { outputs } = await manifestCmd(dir, 'update', { service: 'api', tag: '1.63' }, captureLog(), new Date('2026-11-21T10:00:00Z'));
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    expect(manifest(dir).services.api).toEqual({
      image: `${registry.host}/acme/api`,
      current_tag: '1.63',
      image_digest: d['api:1.63'],
      updated_at: '2026-11-21T10:00:00.000Z',
      custom: false,
      history: [{ tag: '1.62', digest: d['api:1.62'], time: '2026-11-20T10:00:00.000Z' }]
    });
    expect(readFileSync(join(dir, 'versions.env'), 'utf8')).toContain(`API_IMAGE=${registry.host}/acme/api:1.63@${d['api:1.63']}\nAPI_TAG=1.63\n`);
    expect(outputs.backup).toBe('.version-backups/version-manifest.yaml.20261121T100000Z');
    expect(parse(readFileSync(join(dir, outputs.backup), 'utf8')).services.api.current_tag).toBe('1.62');
    // The same tag again changes nothing and makes no backup.
    const again = await manifestCmd(dir, 'update', { service: 'api', tag: '1.63' });
    expect(JSON.parse(again.outputs.changed)).toEqual([]);
    expect(readdirSync(join(dir, '.version-backups'))).toHaveLength(1);
    await expect(manifestCmd(dir, 'update', { service: 'api', tag: '9.9.9' })).rejects.toThrow(`${registry.host}/acme/api:9.9.9 does not exist in the registry`);
  });

  it('history keeps the last N versions (history input)', async () => {
    const dir = workspace();
    for (const tag of ['1.62', '1.63', '1.64', 'hotfix-7', '1.62']) await manifestCmd(dir, 'update', { service: 'api', tag, history: '3' });
    expect(manifest(dir).services.api.history.map((h: { tag: string }) => h.tag)).toEqual(['hotfix-7', '1.64', '1.63']);
    const { outputs } = await manifestCmd(dir, 'history', { service: 'api' });
    expect(JSON.parse(outputs.report).api.map((e: { tag: string }) => e.tag)).toEqual(['1.62', 'hotfix-7', '1.64', '1.63']);
  });

  it('pull-latest resolves latest to the release tag sharing its digest (latest → 1.64), and resolve fills in entries that say latest', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.62' });
    await manifestCmd(dir, 'update', { service: 'web', tag: '2.0.0' });
    const log = captureLog();
    const { outputs } = await manifestCmd(dir, 'pull-latest', {}, log);
    expect(JSON.parse(outputs.changed)).toEqual(['api', 'web']);
    expect(manifest(dir).services.api).toMatchObject({ current_tag: '1.64', image_digest: d['api:1.64'] });
    expect(manifest(dir).services.web).toMatchObject({ current_tag: '2.1.0', image_digest: d['web:2.1.0'] });
    expect(log.lines).toContain(`api: latest is 1.64 (${d['api:1.64'].slice(0, 19)}…), was 1.62`);

    const floating = workspace();
    writeFileSync(
      join(floating, 'version-manifest.yaml'),
      `services:\n  api:\n    image: ${registry.host}/acme/api\n    current_tag: latest\n  web:\n    image: ${registry.host}/acme/web\n    current_tag: not-a-release\n`
    );
    const resolved = await manifestCmd(floating, 'resolve');
    expect(JSON.parse(resolved.outputs.changed)).toEqual(['api', 'web']);
    expect(manifest(floating).services.api).toMatchObject({ current_tag: '1.64', image_digest: d['api:1.64'], history: [] });
    expect(manifest(floating).services.web).toMatchObject({ current_tag: '2.1.0', image_digest: d['web:2.1.0'] });
  });

  it('rollback: a service to its previous version, to a given tag, and --all; a rollback is never rolled back to', async () => {
    const dir = workspace();
    for (const tag of ['1.62', '1.63', '1.64']) await manifestCmd(dir, 'update', { service: 'api', tag });
    for (const tag of ['2.0.0', '2.1.0']) await manifestCmd(dir, 'update', { service: 'web', tag });
    await manifestCmd(dir, 'rollback', { service: 'api' });
    expect(manifest(dir).services.api).toMatchObject({ current_tag: '1.63', image_digest: d['api:1.63'] });
    expect(manifest(dir).services.api.history[0]).toMatchObject({ tag: '1.64', reason: 'rollback' });
    // The next rollback goes further back, skipping the version rolled back from.
    await manifestCmd(dir, 'rollback', { service: 'api' });
    expect(manifest(dir).services.api.current_tag).toBe('1.62');
    // --to a tag outside the history: its digest comes from the registry.
    await manifestCmd(dir, 'rollback', { service: 'api', to: 'hotfix-7' });
    expect(manifest(dir).services.api).toMatchObject({ current_tag: 'hotfix-7', image_digest: d['api:hotfix-7'] });
    const all = await manifestCmd(dir, 'rollback', { all: 'true' });
    expect(JSON.parse(all.outputs.changed)).toEqual(['api', 'web']);
    expect(manifest(dir).services.web.current_tag).toBe('2.0.0');
    await expect(manifestCmd(dir, 'rollback', {})).rejects.toThrow('rollback needs --service S (optionally --to TAG) or --all');
    await expect(manifestCmd(dir, 'rollback', { service: 'db' })).rejects.toThrow('Service db is not in the manifest (it has api, web)');
  });

  it('set records a custom hotfix tag; status and check-updates report', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.62' });
    await manifestCmd(dir, 'update', { service: 'web', tag: '2.0.0' });
    await manifestCmd(dir, 'set', { service: 'web', tag: 'not-a-release' });
    expect(manifest(dir).services.web).toMatchObject({ current_tag: 'not-a-release', custom: true });
    const status = await manifestCmd(dir, 'status');
    expect(JSON.parse(status.outputs.report)).toEqual([
      expect.objectContaining({ service: 'api', tag: '1.62', custom: false }),
      expect.objectContaining({ service: 'web', tag: 'not-a-release', custom: true })
    ]);
    await manifestCmd(dir, 'rollback', { service: 'web' });
    const updates = await manifestCmd(dir, 'check-updates');
    expect(JSON.parse(updates.outputs.report)).toEqual({ api: ['1.64', '1.63'], web: ['2.1.0'] });
  });

  it('promote staging → prod copies the versions and, with retag, points prod at the promoted digests by registry API', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { environment: 'staging', service: 'api', tag: '1.64' });
    await manifestCmd(dir, 'update', { environment: 'staging', service: 'web', tag: '2.1.0' });
    await manifestCmd(dir, 'update', { environment: 'prod', service: 'api', tag: '1.62' });
    const { outputs } = await manifestCmd(dir, 'promote', { from: 'staging', to: 'prod', retag: 'true', service: 'api' });
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    expect(outputs['manifest-file']).toBe('deploy/prod/version-manifest.yaml');
    const prod = manifest(dir, 'deploy/prod/version-manifest.yaml');
    expect(prod.environment).toBe('prod');
    expect(prod.services.api).toMatchObject({ current_tag: '1.64', image_digest: d['api:1.64'], history: [{ tag: '1.62' }] });
    expect(prod.services.web).toBeUndefined();
    expect(await skopeoDigest(registry.host, 'acme/api', 'prod')).toBe(d['api:1.64']);
    expect(readFileSync(join(dir, 'deploy/prod/versions.env'), 'utf8')).toContain('API_TAG=1.64');
    // A tenant's floating tag, all services; a dry run moves nothing.
    await manifestCmd(dir, 'promote', { from: 'staging', to: 'deploy/acme/version-manifest.yaml', retag: 'true', 'floating-tag': 'beta-{{environment}}', 'dry-run': 'true' });
    expect(existsSync(join(dir, 'deploy/acme/version-manifest.yaml'))).toBe(false);
    await manifestCmd(dir, 'promote', { from: 'staging', to: 'deploy/acme/version-manifest.yaml', retag: 'true', 'floating-tag': 'beta-{{environment}}' });
    expect(await skopeoDigest(registry.host, 'acme/web', 'beta-acme')).toBe(d['web:2.1.0']);
    expect(await skopeoDigest(registry.host, 'acme/api', 'beta-acme')).toBe(d['api:1.64']);
  });

  it('update from build-tag-push’s plan records each pushed service’s version tag and digest', async () => {
    const dir = workspace();
    const plan = {
      schema: 1,
      services: [
        { name: 'api', image: `${registry.host}/acme/api`, version: '1.63', release: true, tags: [`${registry.host}/acme/api:1.63`, `${registry.host}/acme/api:latest`], digest: d['api:1.63'] },
        { name: 'web', image: `${registry.host}/acme/web`, version: '2.0.0', release: false, tags: [] }
      ]
    };
    const { outputs } = await manifestCmd(dir, 'update', { plan: JSON.stringify(plan), environment: 'prod' });
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    expect(manifest(dir, 'deploy/prod/version-manifest.yaml').services.api).toMatchObject({ current_tag: '1.63', image_digest: d['api:1.63'] });
  });

  it('a corrupted manifest is an error naming the file, the line and the newest backup to restore', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.62' }, captureLog(), new Date('2026-11-20T10:00:00Z'));
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.63' }, captureLog(), new Date('2026-11-21T10:00:00Z'));
    writeFileSync(join(dir, 'version-manifest.yaml'), 'services:\n  api:\n    image: x\n    current_tag: [1\n');
    await expect(manifestCmd(dir, 'status')).rejects.toThrow(
      /^version-manifest\.yaml:5 is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]; the newest backup is \.version-backups\/version-manifest\.yaml\.20261121T100000Z: restore it with cp /
    );
    writeFileSync(join(dir, 'version-manifest.yaml'), 'services:\n  api:\n    image: x\n    current_tag: "1"\n    image_digest: sha256:abc\n');
    await expect(manifestCmd(dir, 'status')).rejects.toThrow('version-manifest.yaml:5: services.api.image_digest is "sha256:abc": expected sha256:<64 hex>');
  });

  it('a process killed in the middle of writing the manifest leaves the old one whole (the test kills it)', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'api', tag: '1.62' });
    const before = readFileSync(join(dir, 'version-manifest.yaml'), 'utf8');
    const child = spawn('node', [cli, 'manifest', 'update', '--service', 'api', '--tag', '1.63'], {
      cwd: dir,
      env: { ...process.env, IMGVER_TEST_SLOW_WRITE_MS: '5000' },
      stdio: ['ignore', 'ignore', 'pipe']
    });
    // Killed once its temporary file is half written.
    const temp = await new Promise<string>((resolveTemp, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const found = readdirSync(dir).find(name => name.startsWith('.version-manifest.yaml.imgver-'));
        if (found) {
          clearInterval(poll);
          resolveTemp(found);
        } else if (Date.now() - started > 20_000) {
          clearInterval(poll);
          reject(new Error('no temporary file appeared'));
        }
      }, 20);
    });
    child.kill('SIGKILL');
    await new Promise(r => child.once('exit', r));
    expect(readFileSync(join(dir, temp), 'utf8').length).toBeLessThan(before.length + 200);
    expect(readFileSync(join(dir, 'version-manifest.yaml'), 'utf8')).toBe(before);
    const { outputs } = await manifestCmd(dir, 'status');
    expect(JSON.parse(outputs.report)[0]).toMatchObject({ service: 'api', tag: '1.62' });
  }, 30_000);

  it('verify polls a version endpoint until it reports the expected version; a mismatch after the timeout fails', async () => {
    let hits = 0;
    const server: Server = createServer((request, response) => {
      hits++;
      if (request.url === '/text') response.end(hits > 2 ? 'v1.64\n' : '1.63\n');
      else response.setHeader('content-type', 'application/json').end(JSON.stringify({ version: hits > 2 ? '1.64' : '1.63' }));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const dir = workspace();
      const { outputs } = await manifestCmd(dir, 'verify', { url: `http://127.0.0.1:${port}/version`, expect: 'v1.64', interval: '0.05', timeout: '10' });
      expect(JSON.parse(outputs.report)).toMatchObject({ version: '1.64', polls: 3, verified: true });
      hits = 0;
      const text = await manifestCmd(dir, 'verify', { url: `http://127.0.0.1:${port}/text`, expect: '1.64', interval: '0.05', timeout: '10' });
      expect(JSON.parse(text.outputs.report)).toMatchObject({ version: 'v1.64', verified: true });
      await expect(manifestCmd(dir, 'verify', { url: `http://127.0.0.1:${port}/version`, expect: '1.65', interval: '0.05', timeout: '0.2' })).rejects.toThrow(
        /^http:\/\/127\.0\.0\.1:\d+\/version reports 1\.64 after 0\.2 s \(\d+ polls\), expected 1\.65$/
      );
    } finally {
      await new Promise(r => server.close(r));
    }
  });

  it('actions/deploy-manifest/action.yml run as the runner runs it: rollback, outputs and summary', async () => {
    const dir = workspace();
    for (const tag of ['2.0.0', '2.1.0']) await manifestCmd(dir, 'update', { service: 'web', tag, environment: 'prod' });
    const { outputs, summary } = runComposite(join(root, 'actions/deploy-manifest/action.yml'), { command: 'rollback', environment: 'prod', service: 'web' }, { cwd: dir });
    expect(JSON.parse(outputs.changed)).toEqual(['web']);
    expect(outputs['manifest-file']).toBe('deploy/prod/version-manifest.yaml');
    expect(summary).toContain('| web | 2.0.0 (was 2.1.0) |');
  });

  it('imgver manifest <command> on the CLI: status as JSON; a bad command names the input and the choices', async () => {
    const dir = workspace();
    await manifestCmd(dir, 'update', { service: 'web', tag: '2.0.0' });
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>(resolveRun => {
        const child = spawn('node', [cli, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', c => (stdout += c));
        child.stderr.on('data', c => (stderr += c));
        child.on('exit', code => resolveRun({ code, stdout, stderr }));
      });
    const status = await run('manifest', 'status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).report).toEqual([expect.objectContaining({ service: 'web', tag: '2.0.0' })]);
    const bad = await run('manifest', 'rollout');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Input 'command' is set to invalid value 'rollout': expected one of update, set, pull-latest");
  });
});
