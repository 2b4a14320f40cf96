/**
 * The whole pipeline on the bundled example monorepo (examples/monorepo: api, web, worker, a shared lib, a chart),
 * end to end against a real Docker engine (/usr/bin/docker), a real registry on 127.0.0.1 (behind a counting proxy),
 * real helm and real git (a bare origin).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { helmEnv } from '../../helpers/helm.js';
import { skopeoDigest, startProxy, startRegistry, type TestProxy, type TestRegistry } from '../../helpers/registry.js';
import { TestRepo } from '../../helpers/repo.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { runComposite } from '../../helpers/composite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('the pipeline end to end on the bundled example (Docker engine, registry, helm, git)', () => {
  let registry: TestRegistry;
  let proxy: TestProxy;
  let repo: TestRepo;
  let bare: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.url);
    const dir = mkdtempSync(join(tmpdir(), 'imgver-e2e-'));
    cpSync(join(root, 'examples/monorepo'), dir, { recursive: true });
    for (const file of ['imgver.yaml', 'deploy/chart/values.yaml', ...['api', 'web', 'worker'].map(s => `deploy/k8s/base/${s}.yaml`), 'deploy/k8s/overlays/prod/kustomization.yaml', 'deploy/k8s/overlays/staging/kustomization.yaml']) {
      writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replaceAll('localhost:5000', proxy.host));
    }
    repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'e2e@imgver.local');
    repo.git('config', 'user.name', 'e2e');
    repo.commit('feat: first version of api, web and worker');
    bare = repo.withBareOrigin();
    repo.git('push', '-q', '-u', 'origin', 'main');
    env = helmEnv({ IMGVER_DOCKER: '/usr/bin/docker', SOURCE_DATE_EPOCH: '1767225600' });
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const pipeline = (log = captureLog()) =>
    runAction(
      'pipeline',
      { release: 'true', write: 'true', 'stage-inputs': `helm-sync:\n  push: oci://${proxy.host}/charts\nbuild-tag-push:\n  network: none\n` },
      { cwd: repo.dir, env, log }
    );
  const writes = () => proxy.requests.filter(r => r.method === 'PUT' && r.path.includes('/manifests/')).length;
  /** Blob uploads into the image repositories (example/*), apart from the chart's (charts/*). */
  const imageUploads = () => proxy.requests.filter(r => r.method === 'POST' && /^\/v2\/example\/[^/]+\/blobs\/uploads\/$/.test(r.path.split('?')[0])).length;

  it('first release: every service built, the chart released, the tag pushed', async () => {
    const { outputs } = await pipeline();
    expect(JSON.parse(outputs.stages)).toEqual(['detect-changes', 'compute-version', 'build-tag-push', 'helm-sync', 'k8s-sync', 'release']);
    expect(outputs['version-version']).toBe('0.1.0');
    expect(JSON.parse(outputs['build-built'])).toEqual(['api', 'web', 'worker']);
    expect(JSON.parse(outputs['helm-charts'])[0]).toMatchObject({ name: 'example', version: '0.1.0', pushed: 'pushed' });
    expect(JSON.parse(outputs['release-tags'])).toEqual(['v0.1.0']);
    expect(execFileSync('git', ['rev-list', '-n', '1', 'v0.1.0'], { cwd: bare, encoding: 'utf8' }).trim()).toBe(outputs['release-commit']);
  }, 180_000);

  it('one service changed: only it is built, the others retagged, the chart points at the new digests, v0.2.0 released', async () => {
    repo.commit('feat(api): the orders endpoint', { 'services/api/main.txt': 'api v2\n' });
    const uploadsBefore = imageUploads();
    const { outputs } = await pipeline();
    expect(JSON.parse(outputs['detect-changed'])).toEqual(['api']);
    expect(outputs['version-version']).toBe('0.2.0');
    expect(JSON.parse(outputs['build-built'])).toEqual(['api']);
    expect(JSON.parse(outputs['build-retagged'])).toEqual(['web', 'worker']);
    // The changed service's layer and config only.
    expect(imageUploads() - uploadsBefore).toBe(2);
    const digests = JSON.parse(outputs['build-digests']) as Record<string, string>;
    for (const service of ['api', 'web', 'worker']) expect(await skopeoDigest(proxy.host, `example/${service}`, '0.2.0')).toBe(digests[service]);
    const values = parse(execFileSync('git', ['show', 'v0.2.0:deploy/chart/values.yaml'], { cwd: bare, encoding: 'utf8' }));
    for (const service of ['api', 'web', 'worker']) expect(values.image[service]).toMatchObject({ tag: '0.2.0', digest: digests[service] });
    // The Kubernetes manifests and overlays follow: kustomize images entries and container images pinned by digest.
    const prod = parse(execFileSync('git', ['show', 'v0.2.0:deploy/k8s/overlays/prod/kustomization.yaml'], { cwd: bare, encoding: 'utf8' }));
    expect(prod.images).toEqual(['api', 'web', 'worker'].map(service => ({ name: `${proxy.host}/example/${service}`, newTag: '0.2.0', digest: digests[service] })));
    expect(execFileSync('git', ['show', 'v0.2.0:deploy/k8s/base/api.yaml'], { cwd: bare, encoding: 'utf8' })).toContain(`image: ${proxy.host}/example/api:0.2.0@${digests.api}\n`);
    expect(JSON.parse(outputs['helm-charts'])[0]).toMatchObject({ version: '0.2.0', appVersion: '0.2.0', pushed: 'pushed' });
    expect(JSON.parse(outputs['release-tags'])).toEqual(['v0.2.0']);
    // SOURCE_DATE_EPOCH (2026-01-01) dates the changelog, as every date imgver writes.
    expect(execFileSync('git', ['show', 'v0.2.0:CHANGELOG.md'], { cwd: bare, encoding: 'utf8' })).toContain('## [0.2.0] - 2026-01-01\n');
  }, 180_000);

  it('a second run with nothing changed does nothing: no build, no registry write, no commit, no tag', async () => {
    const writesBefore = writes();
    const uploadsBefore = proxy.blobUploads();
    const refsBefore = execFileSync('git', ['for-each-ref'], { cwd: bare, encoding: 'utf8' });
    const { outputs } = await pipeline();
    expect(JSON.parse(outputs['detect-changed'])).toEqual([]);
    expect(outputs['version-release']).toBe('false');
    expect(JSON.parse(outputs['build-built'])).toEqual([]);
    expect(writes() - writesBefore).toBe(0);
    expect(proxy.blobUploads() - uploadsBefore).toBe(0);
    expect(JSON.parse(outputs['release-tags'])).toEqual([]);
    expect(execFileSync('git', ['for-each-ref'], { cwd: bare, encoding: 'utf8' })).toBe(refsBefore);
  }, 180_000);
});

describe('action.yml (the root action: the pipeline) run as the runner runs it', () => {
  it('a dry run of every stage but the build: outputs of each stage under its prefix, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-root-'));
    cpSync(join(root, 'examples/monorepo'), dir, { recursive: true });
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'e2e@imgver.local');
    repo.git('config', 'user.name', 'e2e');
    repo.commit('feat: first version');
    repo.withBareOrigin();
    const { outputs, summary } = runComposite(join(root, 'action.yml'), { 'build-tag-push': 'false', release: 'true', 'dry-run': 'true' }, { cwd: dir, env: { ...helmEnv(), GITHUB_TOKEN: 'unused' } });
    expect(JSON.parse(outputs.stages)).toEqual(['detect-changes', 'compute-version', 'helm-sync', 'k8s-sync', 'release']);
    expect(outputs['version-version']).toBe('0.1.0');
    expect(outputs['build-built']).toBe('');
    expect(JSON.parse(outputs['helm-changed-files'])).toEqual(['deploy/chart/Chart.yaml', 'deploy/chart/values.yaml']);
    expect(JSON.parse(outputs['k8s-changed-files'])).toContain('deploy/k8s/overlays/prod/kustomization.yaml');
    expect(JSON.parse(outputs['release-tags'])).toEqual(['v0.1.0']);
    expect(summary).toContain('### imgver release (dry run)');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('tag', '--list')).toBe('');
  });

  it('stage-inputs are checked: an unknown stage or input is named', async () => {
    await expect(runAction('pipeline', { 'stage-inputs': 'build: {platforms: x}' }, { cwd: tmpdir() })).rejects.toThrow(
      `Input 'stage-inputs' names "build", which is not a stage (detect-changes, compute-version, build-tag-push, helm-sync, k8s-sync, release)`
    );
    await expect(runAction('pipeline', { 'stage-inputs': 'build-tag-push: {platform: x}' }, { cwd: tmpdir() })).rejects.toThrow(
      `Input 'stage-inputs': build-tag-push has no input "platform" (see imgver build-tag-push --help)`
    );
  });
});
