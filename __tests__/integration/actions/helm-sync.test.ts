import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PlanChart } from '../../../src/core/plan.js';
import { runComposite } from '../../helpers/composite.js';
import { chartFiles, helmBinary, helmEnv } from '../../helpers/helm.js';
import { skopeoRawDigest, startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { TestRepo } from '../../helpers/repo.js';
import { captureLog, runAction } from '../../helpers/run-action.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const sh = promisify(execFile);

function prefixed(prefix: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`${prefix}/${path}`, text]));
}

function planFor(version: string, bump = 'minor'): string {
  return JSON.stringify({
    schema: 1,
    services: [
      {
        name: 'api',
        image: 'ghcr.io/acme/api',
        version,
        bump,
        digest: DIGEST,
        tags: [`ghcr.io/acme/api:${version}`, 'ghcr.io/acme/api:latest', `ghcr.io/acme/api:sha-1234567`]
      }
    ]
  });
}

const charts = (outputs: Record<string, string>) => JSON.parse(outputs.charts) as PlanChart[];

describe('helm-sync (real helm, real registry on 127.0.0.1)', () => {
  let registry: TestRegistry;
  const env = helmEnv({ SOURCE_DATE_EPOCH: '1767225600' });

  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  function shopRepo(): TestRepo {
    const repo = TestRepo.create();
    repo.commit('chart', {
      'imgver.yaml': `charts:\n  - path: deploy/shop\n    images:\n      api: image\n    push: oci://${registry.host}/charts\n`,
      ...prefixed('deploy/shop', chartFiles('shop'))
    });
    return repo;
  }

  it('sets version and appVersion, writes tag and digest, lints, packages and pushes; helm pull gives the same archive', async () => {
    const repo = shopRepo();
    const log = captureLog();
    const { outputs, summary } = await runAction('helm-sync', { plan: planFor('1.4.0') }, { cwd: repo.dir, env, log });
    const [chart] = charts(outputs);
    expect(chart).toMatchObject({ path: 'deploy/shop', name: 'shop', version: '1.4.0', appVersion: '1.4.0', ref: `oci://${registry.host}/charts/shop:1.4.0`, pushed: 'pushed' });
    expect(JSON.parse(outputs['changed-files'])).toEqual(['deploy/shop/Chart.yaml', 'deploy/shop/values.yaml']);
    expect(readFileSync(join(repo.dir, 'deploy/shop/Chart.yaml'), 'utf8')).toContain('version: 1.4.0\nappVersion: "1.4.0"\n');
    expect(readFileSync(join(repo.dir, 'deploy/shop/values.yaml'), 'utf8')).toBe(
      `# shop values\nimage:\n  repository: ghcr.io/acme/shop\n  # the tag CI writes\n  tag: "1.4.0"\n  digest: "${DIGEST}"\nreplicas: 1\n`
    );
    expect(await skopeoRawDigest(registry.host, 'charts/shop', '1.4.0')).toBe(chart.digest);
    const pulled = mkdtempSync(join(tmpdir(), 'imgver-pulled-'));
    await sh(helmBinary(), ['pull', `oci://${registry.host}/charts/shop`, '--version', '1.4.0', '--plain-http', '--destination', pulled], { env });
    expect(readFileSync(join(pulled, 'shop-1.4.0.tgz')).equals(readFileSync(chart.package!))).toBe(true);
    expect(JSON.parse(outputs.plan).charts).toEqual(charts(outputs));
    expect(summary).toContain(`| shop (deploy/shop) | 1.4.0 | 1.4.0 | pushed: oci://${registry.host}/charts/shop:1.4.0 |`);

    // A re-run: nothing to write, the same archive digest, nothing pushed.
    const again = await runAction('helm-sync', { plan: planFor('1.4.0') }, { cwd: repo.dir, env });
    const [second] = charts(again.outputs);
    expect(second).toMatchObject({ pushed: 'exists', digest: chart.digest, archiveDigest: chart.archiveDigest });
    expect(JSON.parse(again.outputs['changed-files'])).toEqual([]);
  });

  it('refuses to overwrite a released chart version with other content, restores the files, and replaces it with force', async () => {
    const repo = shopRepo();
    await runAction('helm-sync', { plan: planFor('2.0.0') }, { cwd: repo.dir, env });
    // Same version, other content: a template changed and the values are rolled back.
    repo.commit('change the chart without a new version', {
      ...prefixed('deploy/shop', { ...chartFiles('shop'), 'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n' })
    });
    const before = readFileSync(join(repo.dir, 'deploy/shop/Chart.yaml'), 'utf8');
    await expect(runAction('helm-sync', { plan: planFor('2.0.0') }, { cwd: repo.dir, env })).rejects.toThrow(
      new RegExp(`Chart version ${registry.host}/charts/shop:2\\.0\\.0 \\(sha256:[0-9a-f]{64}\\) already exists with other content; a released chart version is not overwritten\\. Release a new version, or set force: true`)
    );
    expect(readFileSync(join(repo.dir, 'deploy/shop/Chart.yaml'), 'utf8')).toBe(before);
    const forced = await runAction('helm-sync', { plan: planFor('2.0.0'), force: 'true' }, { cwd: repo.dir, env });
    expect(charts(forced.outputs)[0].pushed).toBe('pushed');
    expect(await skopeoRawDigest(registry.host, 'charts/shop', '2.0.0')).toBe(charts(forced.outputs)[0].digest);
  });

  it("stops on a lint failure with the chart's message, restoring every file", async () => {
    const repo = shopRepo();
    repo.commit('break', { 'deploy/shop/templates/broken.yaml': "{{ .Values.nothing.here }}\n" });
    const before = readFileSync(join(repo.dir, 'deploy/shop/values.yaml'), 'utf8');
    await expect(runAction('helm-sync', { plan: planFor('1.5.0') }, { cwd: repo.dir, env })).rejects.toThrow(
      /Chart deploy\/shop: helm lint --strict failed \(exit 1\):\n {2}\[ERROR\] templates\/: .*nil pointer evaluating interface \{\}\.here/
    );
    expect(readFileSync(join(repo.dir, 'deploy/shop/values.yaml'), 'utf8')).toBe(before);
  });

  it('a pushed tag v1.2.3 on a chart-only repository: chart 1.2.3, appVersion "1.2.3", image tag v1.2.3 by marker', async () => {
    const repo = TestRepo.create();
    const values = '# app\nimage:\n  repository: ghcr.io/acme/app\n  tag: latest # imgver: app\n';
    repo.commit('chart', { ...prefixed('chart', chartFiles('app', { values })) });
    const { outputs } = await runAction('helm-sync', { charts: 'chart', ref: 'refs/tags/v1.2.3', push: `oci://${registry.host}/charts` }, { cwd: repo.dir, env });
    expect(charts(outputs)[0]).toMatchObject({ name: 'app', version: '1.2.3', appVersion: '1.2.3', pushed: 'pushed' });
    expect(readFileSync(join(repo.dir, 'chart/values.yaml'), 'utf8')).toBe(values.replace('tag: latest', 'tag: v1.2.3'));
    expect(readFileSync(join(repo.dir, 'chart/Chart.yaml'), 'utf8')).toContain('version: 1.2.3\nappVersion: "1.2.3"');
    const custom = TestRepo.create();
    custom.commit('chart', { ...prefixed('chart', chartFiles('app', { values })) });
    const plain = await runAction('helm-sync', { charts: 'chart', ref: 'refs/tags/1.2.4', 'image-tag': '{{version}}', 'write-only': 'true' }, { cwd: custom.dir, env });
    expect(charts(plain.outputs)[0]).toMatchObject({ version: '1.2.4', package: '', pushed: 'none' });
    expect(readFileSync(join(custom.dir, 'chart/values.yaml'), 'utf8')).toContain('tag: 1.2.4 # imgver: app');
  });

  it('write-only from a plan needs no git repository and no ref: nothing it writes reads them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-helm-nogit-'));
    const values = 'image:\n  repository: ghcr.io/acme/api\n  tag: "0.1.0"\n';
    for (const [path, text] of Object.entries({ 'imgver.yaml': 'charts:\n  - path: deploy/shop\n    images:\n      api: image\n', ...prefixed('deploy/shop', chartFiles('shop', { values })) })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { outputs } = await runAction('helm-sync', { plan: planFor('2.1.0'), 'write-only': 'true' }, { cwd: dir, env });
    expect(charts(outputs)[0]).toMatchObject({ name: 'shop', version: '2.1.0', appVersion: '2.1.0', pushed: 'none' });
    expect(readFileSync(join(dir, 'deploy/shop/values.yaml'), 'utf8')).toContain('tag: "2.1.0"');
  });

  it.each([
    ['refs/tags/release-7', /Tag release-7 is not a release tag: expected v1\.2\.3 or 1\.2\.3 \(tag format v\{\{version\}\}, a SemVer version/],
    ['refs/heads/main', /helm-sync needs a version: give the plan input \(from compute-version\), the version input, or run on a pushed tag \(v1\.2\.3\); refs\/heads\/main is not a tag/]
  ])('[%#] without a version: %s is refused with the form expected', async (ref, message) => {
    const repo = TestRepo.create();
    repo.commit('chart', prefixed('chart', chartFiles('app')));
    await expect(runAction('helm-sync', { charts: 'chart', ref }, { cwd: repo.dir, env })).rejects.toThrow(message);
  });

  it('dry-run prints a unified diff of every file and writes nothing', async () => {
    const repo = shopRepo();
    const log = captureLog();
    const { outputs } = await runAction('helm-sync', { plan: planFor('3.0.0'), 'dry-run': 'true' }, { cwd: repo.dir, env, log });
    expect(JSON.parse(outputs['changed-files'])).toEqual(['deploy/shop/Chart.yaml', 'deploy/shop/values.yaml']);
    const text = log.lines.join('\n');
    expect(text).toContain('--- a/deploy/shop/Chart.yaml\n+++ b/deploy/shop/Chart.yaml');
    expect(text).toContain('-version: 0.1.0\n-appVersion: "0.0.1"\n+version: 3.0.0\n+appVersion: "3.0.0"');
    expect(text).toContain('-  tag: "0.0.1"\n-  digest: ""\n+  tag: "3.0.0"');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('keeps an umbrella chart and its local subchart in step; the subchart is versioned apart (version: bump)', async () => {
    const repo = TestRepo.create();
    repo.commit('charts', {
      'imgver.yaml': 'charts:\n  - path: charts/shop\n  - path: charts/api\n    version: bump\n    images:\n      api: image\n',
      ...prefixed('charts/api', chartFiles('api', { version: '0.3.0' })),
      ...prefixed('charts/shop', chartFiles('shop', { dependencies: 'dependencies:\n  - name: api\n    version: 0.3.0\n    repository: file://../api\n' }))
    });
    const packageDir = join(repo.dir, 'out');
    mkdirSync(packageDir);
    const { outputs } = await runAction('helm-sync', { plan: planFor('1.4.0'), 'package-dir': 'out' }, { cwd: repo.dir, env });
    const [api, shop] = charts(outputs);
    expect(api).toMatchObject({ path: 'charts/api', version: '0.4.0', appVersion: '1.4.0' });
    expect(shop).toMatchObject({ path: 'charts/shop', version: '1.4.0', appVersion: '1.4.0', package: join(packageDir, 'shop-1.4.0.tgz') });
    expect(readFileSync(join(repo.dir, 'charts/shop/Chart.yaml'), 'utf8')).toContain('  - name: api\n    version: 0.4.0\n    repository: file://../api');
    const { stdout } = await sh('tar', ['tzf', shop.package!]);
    expect(stdout).toContain('shop/charts/api/Chart.yaml');
    expect(JSON.parse(outputs['changed-files'])).toEqual(['charts/api/Chart.yaml', 'charts/api/values.yaml', 'charts/shop/Chart.yaml', 'charts/shop/Chart.lock']);
    // A re-run does not bump the subchart again.
    const again = await runAction('helm-sync', { plan: planFor('1.4.0'), 'package-dir': 'out' }, { cwd: repo.dir, env });
    expect(charts(again.outputs)[0].version).toBe('0.4.0');
    expect(charts(again.outputs)[1].archiveDigest).toBe(shop.archiveDigest);
  });

  it('pushes to a registry that needs a login: credentials from the inputs reach the push, masked, never printed', async () => {
    const secured = await startRegistry({ htpasswd: { username: 'ci', password: 's3cret-pw' } });
    try {
      const repo = TestRepo.create();
      repo.commit('chart', prefixed('chart', chartFiles('locked')));
      const log = captureLog();
      const masked: string[] = [];
      log.mask = secret => void masked.push(secret);
      const { outputs } = await runAction(
        'helm-sync',
        { charts: 'chart', version: '1.0.0', push: `oci://${secured.host}/charts`, username: 'ci', password: 's3cret-pw' },
        { cwd: repo.dir, env, log }
      );
      expect(charts(outputs)[0].pushed).toBe('pushed');
      expect(masked).toContain('s3cret-pw');
      expect(log.lines.join('\n')).not.toContain('s3cret-pw');
      expect(await skopeoRawDigest(secured.host, 'charts/locked', '1.0.0', 'ci:s3cret-pw')).toBe(charts(outputs)[0].digest);
      // Without credentials the registry is read before anything is pushed, and the files go back as they were.
      const before = readFileSync(join(repo.dir, 'chart/Chart.yaml'), 'utf8');
      await expect(
        runAction('helm-sync', { charts: 'chart', version: '1.0.1', push: `oci://${secured.host}/charts` }, { cwd: repo.dir, env })
      ).rejects.toThrow(`Registry ${secured.host} needs credentials: run docker login ${secured.host}, or give the username and password inputs`);
      expect(readFileSync(join(repo.dir, 'chart/Chart.yaml'), 'utf8')).toBe(before);
    } finally {
      await secured.stop();
    }
  });

  it('the composite wrapper runs as the runner runs it (inputs via env, outputs from GITHUB_OUTPUT)', () => {
    const repo = shopRepo();
    const { outputs, summary } = runComposite(join(root, 'actions/helm-sync/action.yml'), { plan: planFor('1.6.0') }, {
      cwd: repo.dir,
      env: { ...(env as Record<string, string>), GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: repo.git('rev-parse', 'HEAD') }
    });
    expect(charts(outputs)[0]).toMatchObject({ version: '1.6.0', pushed: 'pushed' });
    expect(JSON.parse(outputs['changed-files'])).toEqual(['deploy/shop/Chart.yaml', 'deploy/shop/values.yaml']);
    expect(JSON.parse(outputs.plan).charts[0].digest).toMatch(/^sha256:/);
    expect(summary).toContain('### imgver helm-sync');
  });
});
