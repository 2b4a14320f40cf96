import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TestRepo } from '../../helpers/repo.js';
import { captureLog, runAction } from '../../helpers/run-action.js';

const FIXTURES = join(new URL('.', import.meta.url).pathname, '../../fixtures');
const WEB = `sha256:${'a'.repeat(64)}`;
const WORKER = `sha256:${'b'.repeat(64)}`;
const PROD_WEB = `sha256:${'2'.repeat(64)}`;
const CONFIG = 'services:\n  web: {image: ghcr.io/acme/web}\n  worker: {image: ghcr.io/acme/worker}\ndeploy:\n  kubernetes:\n    - deploy/k8s   # base and overlays\n';

/** The fixture manifests (a kustomize base and two overlays) under a prefix. */
function manifests(prefix: string): Record<string, string> {
  const root = join(FIXTURES, 'k8s');
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[`${prefix}/${relative(root, path)}`] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}

function plan(web = '4.20.5', webDigest = WEB): string {
  const service = (name: string, version: string, digest: string, action: string) => ({
    name,
    image: `ghcr.io/acme/${name}`,
    version,
    release: true,
    tags: [`ghcr.io/acme/${name}:${version}`, `ghcr.io/acme/${name}:latest`],
    digest,
    action
  });
  return JSON.stringify({ schema: 1, services: [service('web', web, webDigest, 'built'), service('worker', '1.9.0', WORKER, 'retagged')] });
}

function shop(): TestRepo {
  const repo = TestRepo.create();
  repo.commit('feat: the shop', { 'imgver.yaml': CONFIG, ...manifests('deploy/k8s') });
  return repo;
}

const FILES = ['deploy/k8s/base/jobs.yaml', 'deploy/k8s/base/web.yaml', 'deploy/k8s/overlays/prod/kustomization.yaml', 'deploy/k8s/overlays/staging/kustomization.yaml'];
const text = (repo: TestRepo, file: string) => readFileSync(join(repo.dir, file), 'utf8');

describe('k8s-sync (real git, real files)', () => {
  it('updates every manifest and overlay from the plan, adds them to the written files, and a re-run writes nothing', async () => {
    const repo = shop();
    const log = captureLog();
    const { outputs } = await runAction('k8s-sync', { plan: plan() }, { cwd: repo.dir, log });
    expect(JSON.parse(outputs['changed-files'])).toEqual(FILES);
    expect(JSON.parse(outputs.plan).written).toEqual(FILES);
    expect(JSON.parse(outputs.images)).toEqual({ web: `ghcr.io/acme/web:4.20.5@${WEB}`, worker: `ghcr.io/acme/worker:1.9.0@${WORKER}` });
    expect(text(repo, 'deploy/k8s/base/web.yaml')).toContain(`image: ghcr.io/acme/web:4.20.5@${WEB}   # the storefront\n`);
    expect(text(repo, 'deploy/k8s/overlays/prod/kustomization.yaml')).toContain(`newTag: '4.20.5'\n    digest: ${WEB}\n`);
    expect(log.lines).toContain(`  deploy/k8s/base/web.yaml:43 Deployment/web containers[0] image: ghcr.io/acme/web:4.20.4 → ghcr.io/acme/web:4.20.5@${WEB}`);
    expect(JSON.parse(outputs.changes)).toHaveLength(16);
    const again = await runAction('k8s-sync', { plan: plan() }, { cwd: repo.dir });
    expect(JSON.parse(again.outputs['changed-files'])).toEqual([]);
    expect(repo.git('diff', '--name-only').split('\n')).toEqual(FILES);
  });

  it('dry-run prints the diff and writes nothing', async () => {
    const repo = shop();
    const log = captureLog();
    const { outputs } = await runAction('k8s-sync', { plan: plan(), 'dry-run': 'true' }, { cwd: repo.dir, log });
    expect(JSON.parse(outputs['changed-files'])).toEqual(FILES);
    expect(log.lines.join('\n')).toContain(`-          image: ghcr.io/acme/web:4.20.4   # the storefront\n+          image: ghcr.io/acme/web:4.20.5@${WEB}   # the storefront`);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('--rollback --service web restores each file as the repository had it (reference, digest, annotation); --to goes forward again', async () => {
    const repo = shop();
    const original = manifests('deploy/k8s');
    await runAction('k8s-sync', { plan: plan() }, { cwd: repo.dir });
    repo.commit('chore(release): 4.20.5');
    const released = Object.fromEntries(FILES.map(f => [f, text(repo, f)]));
    const { outputs } = await runAction('k8s-sync', { rollback: 'true', service: 'web' }, { cwd: repo.dir });
    expect(JSON.parse(outputs['changed-files'])).toEqual(['deploy/k8s/base/web.yaml', 'deploy/k8s/overlays/prod/kustomization.yaml', 'deploy/k8s/overlays/staging/kustomization.yaml']);
    // Overlays: web as before the release (prod pinned to its old digest again; staging had none); worker stays.
    expect(text(repo, 'deploy/k8s/overlays/prod/kustomization.yaml')).toBe(
      released['deploy/k8s/overlays/prod/kustomization.yaml'].replace(`newTag: '4.20.5'\n    digest: ${WEB}`, `newTag: '4.20.4'\n    digest: ${PROD_WEB}`)
    );
    expect(original['deploy/k8s/overlays/prod/kustomization.yaml']).toContain(`newTag: '4.20.4'\n    digest: ${PROD_WEB}`);
    expect(text(repo, 'deploy/k8s/overlays/staging/kustomization.yaml')).toBe(released['deploy/k8s/overlays/staging/kustomization.yaml'].replace('newTag: 4.20.5', 'newTag: 4.20.4').replace(`    digest: ${WEB}\n`, ''));
    // The base: the old reference, the annotation says the version that runs; the worker is untouched.
    expect(text(repo, 'deploy/k8s/base/web.yaml')).toBe(released['deploy/k8s/base/web.yaml'].replaceAll(`4.20.5@${WEB}`, '4.20.4').replaceAll('imgver.dev/web.version: 4.20.5', 'imgver.dev/web.version: 4.20.4'));
    expect(text(repo, 'deploy/k8s/base/jobs.yaml')).toBe(released['deploy/k8s/base/jobs.yaml']);
    repo.commit('revert: web 4.20.4');
    await runAction('k8s-sync', { rollback: 'true', service: 'web', to: '4.20.5' }, { cwd: repo.dir });
    for (const file of FILES) expect(text(repo, file)).toBe(released[file]);
  });

  it('--rollback with a version manifest takes the previous tag and digest from its history', async () => {
    const repo = shop();
    await runAction('k8s-sync', { plan: plan() }, { cwd: repo.dir });
    const OLD = `sha256:${'c'.repeat(64)}`;
    repo.write(
      'deploy/prod/version-manifest.yaml',
      `environment: prod\nservices:\n  web:\n    image: ghcr.io/acme/web\n    current_tag: 4.20.5\n    image_digest: ${WEB}\n    updated_at: "2026-11-22T10:00:00Z"\n    custom: false\n    history:\n      - {tag: 4.20.4, digest: "${OLD}", time: "2026-11-20T10:00:00Z"}\n`
    );
    const log = captureLog();
    await runAction('k8s-sync', { rollback: 'true', service: 'web', environment: 'prod' }, { cwd: repo.dir, log });
    expect(log.lines).toContain(`web: rolling back to 4.20.4 (${OLD.slice(0, 19)}…) from deploy/prod/version-manifest.yaml`);
    expect(text(repo, 'deploy/k8s/base/web.yaml')).toContain(`image: ghcr.io/acme/web:4.20.4@${OLD}   # the storefront`);
    expect(text(repo, 'deploy/k8s/overlays/staging/kustomization.yaml')).toContain(`newTag: 4.20.4          # set by imgver k8s-sync\n    digest: ${OLD}\n`);
    await expect(runAction('k8s-sync', { rollback: 'true', service: 'web', environment: 'prod', to: '4.19.0' }, { cwd: repo.dir })).rejects.toThrow(
      'Service web has no 4.19.0 in the history of deploy/prod/version-manifest.yaml (4.20.4)'
    );
  });

  describe('bad input: a clean error naming file and line, nothing written', () => {
    it.each([
      ['a config path outside the working directory', { 'imgver.yaml': CONFIG.replace('    - deploy/k8s   # base and overlays\n', '    - deploy/k8s\n    - ../gitops/prod\n') }, {}, /^imgver.yaml:7: deploy.kubernetes.1: "..\/gitops\/prod" is outside the working directory/],
      ['a paths input outside the working directory', {}, { paths: 'deploy/k8s\n/etc/kubernetes' }, /^Input 'paths': "\/etc\/kubernetes" is outside the working directory/],
      ['a manifest that is not YAML among good ones', { 'deploy/k8s/base/broken.yaml': 'kind: Deployment\nspec: [\n  image: ghcr.io/acme/web:4.20.4\n' }, {}, /^deploy\/k8s\/base\/broken.yaml line 4: not valid YAML/],
      [
        'a kustomization with two entries for one image',
        { 'deploy/k8s/overlays/staging/kustomization.yaml': manifests('x')['x/overlays/staging/kustomization.yaml'] + '  - name: ghcr.io/acme/web\n    newTag: 4.0.0\n' },
        {},
        /^deploy\/k8s\/overlays\/staging\/kustomization.yaml line 11: images\[2\] is a second entry for ghcr.io\/acme\/web \(the first is at line 7\)/
      ]
    ])('%s', async (_name, files, inputs, message) => {
      const repo = shop();
      repo.commit('change', files);
      await expect(runAction('k8s-sync', { plan: plan(), ...inputs }, { cwd: repo.dir })).rejects.toThrow(message);
      expect(repo.git('status', '--porcelain')).toBe('');
    });

    it('a symbolic link that leads outside the working directory', async () => {
      const repo = shop();
      const outside = mkdtempSync(join(tmpdir(), 'imgver-outside-'));
      writeFileSync(join(outside, 'secret.yaml'), 'kind: Pod\n');
      symlinkSync(join(outside, 'secret.yaml'), join(repo.dir, 'deploy/k8s/base/linked.yaml'));
      await expect(runAction('k8s-sync', { plan: plan() }, { cwd: repo.dir })).rejects.toThrow(
        /^imgver.yaml:6: deploy.kubernetes\[0\]: "deploy\/k8s" matches deploy\/k8s\/base\/linked.yaml, which leads outside the working directory/
      );
      expect(repo.git('status', '--porcelain')).toBe('?? deploy/k8s/base/linked.yaml');
    });
  });
});

const API = 'https://api.github.com';
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'github', name), 'utf8'));
/** A JSON reply in ASCII (\u escapes): nock counts a reply's length in characters, and the pull request bodies hold '→'. */
const bytes = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

describe('k8s-sync to a deploy repository: a branch there and a pull request (GitHub REST API mocked with nock: recorded payloads; real git for the branch)', () => {
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  function setup() {
    const server = mkdtempSync(join(tmpdir(), 'imgver-github-'));
    const gitops = TestRepo.create();
    gitops.commit('the shop in prod and staging', manifests('deploy/k8s'));
    mkdirSync(join(server, 'acme'));
    execFileSync('git', ['clone', '-q', '--bare', gitops.dir, join(server, 'acme/gitops.git')]);
    const source = TestRepo.create();
    source.commit('feat: the shop', { 'imgver.yaml': CONFIG });
    const env = { GITHUB_SERVER_URL: `file://${server}`, GITHUB_API_URL: API, GITHUB_TOKEN: 'ghs_test' };
    const remote = (...args: string[]) => execFileSync('git', ['--git-dir', join(server, 'acme/gitops.git'), ...args], { encoding: 'utf8' }).trim();
    return { source, env, remote };
  }
  const BRANCH = 'imgver/k8s-sync/web-worker';
  const listOpen = (reply: unknown[]) =>
    nock(API).get('/repos/acme/gitops/pulls').query({ head: `acme:${BRANCH}`, state: 'open', per_page: '10' }).reply(200, bytes(reply), JSON_TYPE);

  it('commits on a branch of the deploy repository and opens a pull request listing service, old → new version and digest; a re-run changes nothing', async () => {
    const { source, env, remote } = setup();
    let sent: { title: string; body: string; head: string; base: string } | undefined;
    nock(API).get('/repos/acme/gitops').reply(200, fixture('repository-gitops.json'));
    listOpen([]);
    nock(API)
      .post('/repos/acme/gitops/pulls', body => {
        sent = body;
        return true;
      })
      .reply(201, bytes(fixture('pull-request-created.json')), JSON_TYPE);
    const first = await runAction('k8s-sync', { plan: plan(), 'deploy-repository': 'acme/gitops' }, { cwd: source.dir, env });
    expect(first.outputs['pull-request']).toBe('https://github.com/acme/gitops/pull/42');
    expect(sent).toMatchObject({ head: BRANCH, base: 'main', title: 'Deploy web 4.20.5, worker 1.9.0' });
    expect(sent!.body).toContain(`| web | 4.20.4 → 4.20.5 | \`4.20.5\` | \`${WEB}\` |`);
    expect(sent!.body).toContain(`| worker | 1.8.0 → 1.9.0 | \`1.9.0\` | \`${WORKER}\` |`);
    // The branch holds the change on top of main; main and this repository are untouched.
    const head = remote('rev-parse', `refs/heads/${BRANCH}`);
    expect(remote('rev-parse', `${BRANCH}^`)).toBe(remote('rev-parse', 'refs/heads/main'));
    expect(remote('show', `${BRANCH}:deploy/k8s/overlays/prod/kustomization.yaml`)).toContain(`newTag: '4.20.5'\n    digest: ${WEB}\n`);
    expect(remote('diff', '--name-only', 'main', BRANCH).split('\n')).toEqual(FILES);
    expect(JSON.parse(first.outputs.plan).written).toBeUndefined();
    expect(source.git('status', '--porcelain')).toBe('');

    // The same release again: the branch already holds it, the pull request already says it.
    nock(API).get('/repos/acme/gitops').reply(200, fixture('repository-gitops.json'));
    listOpen([{ ...fixture('pull-request-created.json'), body: sent!.body }]);
    const log = captureLog();
    const again = await runAction('k8s-sync', { plan: plan(), 'deploy-repository': 'acme/gitops' }, { cwd: source.dir, env, log });
    expect(again.outputs['pull-request']).toBe('https://github.com/acme/gitops/pull/42');
    expect(log.lines).toContain(`${BRANCH} of acme/gitops already holds this change: nothing pushed`);
    expect(log.lines).toContain('Pull request #42 unchanged: https://github.com/acme/gitops/pull/42');
    expect(remote('rev-parse', `refs/heads/${BRANCH}`)).toBe(head);
  });

  it('a pull request already open for the services is updated (branch moved, title and body brought up to date)', async () => {
    const { source, env, remote } = setup();
    listOpen([]);
    nock(API).post('/repos/acme/gitops/pulls').reply(201, fixture('pull-request-created.json'));
    await runAction('k8s-sync', { plan: plan(), 'deploy-repository': 'acme/gitops', 'deploy-branch': 'main' }, { cwd: source.dir, env });
    const before = remote('rev-parse', `refs/heads/${BRANCH}`);

    let patched: { title: string; body: string } | undefined;
    listOpen([fixture('pull-request-created.json')]);
    nock(API)
      .patch('/repos/acme/gitops/pulls/42', body => {
        patched = body;
        return true;
      })
      .reply(200, bytes(fixture('pull-request-created.json')), JSON_TYPE);
    const { outputs } = await runAction('k8s-sync', { plan: plan('4.20.6', `sha256:${'d'.repeat(64)}`), 'deploy-repository': 'acme/gitops', 'deploy-branch': 'main' }, { cwd: source.dir, env });
    expect(outputs['pull-request-number']).toBe('42');
    expect(patched!.title).toBe('Deploy web 4.20.6, worker 1.9.0');
    expect(patched!.body).toContain(`| web | 4.20.4 → 4.20.6 | \`4.20.6\` | \`sha256:${'d'.repeat(64)}\` |`);
    expect(remote('rev-parse', `refs/heads/${BRANCH}`)).not.toBe(before);
    expect(remote('rev-parse', `${BRANCH}^`)).toBe(remote('rev-parse', 'refs/heads/main'));
    expect(remote('show', `${BRANCH}:deploy/k8s/base/web.yaml`)).toContain('imgver.dev/web.version: 4.20.6');
  });

  it('a 422 "pull request already exists" on create (another run opened it meanwhile) is answered by updating that one', async () => {
    const { source, env } = setup();
    nock(API).get('/repos/acme/gitops').reply(200, fixture('repository-gitops.json'));
    listOpen([]);
    nock(API).post('/repos/acme/gitops/pulls').reply(422, fixture('pull-request-422-exists.json'));
    listOpen([{ ...fixture('pull-request-created.json'), body: 'written by the other run' }]);
    nock(API).patch('/repos/acme/gitops/pulls/42').reply(200, fixture('pull-request-created.json'));
    const log = captureLog();
    await runAction('k8s-sync', { plan: plan(), 'deploy-repository': 'acme/gitops' }, { cwd: source.dir, env, log });
    expect(log.lines).toContain('Pull request #42 updated: https://github.com/acme/gitops/pull/42');
  });

  it('--rollback in the deploy repository: its git history gives the previous image, on a branch of its own with a pull request', async () => {
    const { source, env, remote } = setup();
    // The deploy repository's main has 4.20.5 merged (the pull request of the release).
    nock(API).get('/repos/acme/gitops').reply(200, fixture('repository-gitops.json'));
    listOpen([]);
    nock(API).post('/repos/acme/gitops/pulls').reply(201, fixture('pull-request-created.json'));
    await runAction('k8s-sync', { plan: plan(), 'deploy-repository': 'acme/gitops' }, { cwd: source.dir, env });
    remote('update-ref', 'refs/heads/main', `refs/heads/${BRANCH}`);

    let sent: { title: string; body: string; head: string } | undefined;
    nock(API).get('/repos/acme/gitops').reply(200, fixture('repository-gitops.json'));
    nock(API).get('/repos/acme/gitops/pulls').query({ head: 'acme:imgver/rollback/web', state: 'open', per_page: '10' }).reply(200, []);
    nock(API)
      .post('/repos/acme/gitops/pulls', body => {
        sent = body;
        return true;
      })
      .reply(201, bytes({ ...fixture('pull-request-created.json'), number: 43, html_url: 'https://github.com/acme/gitops/pull/43' }), JSON_TYPE);
    const { outputs } = await runAction('k8s-sync', { rollback: 'true', service: 'web', 'deploy-repository': 'acme/gitops' }, { cwd: source.dir, env });
    expect(outputs['pull-request']).toBe('https://github.com/acme/gitops/pull/43');
    expect(sent).toMatchObject({ head: 'imgver/rollback/web', title: 'Roll back web 4.20.4' });
    expect(sent!.body).toContain('| web | 4.20.5 → 4.20.4 |');
    expect(remote('show', 'imgver/rollback/web:deploy/k8s/overlays/prod/kustomization.yaml')).toContain(`newTag: '4.20.4'\n    digest: ${PROD_WEB}\n`);
    expect(remote('show', 'imgver/rollback/web:deploy/k8s/base/web.yaml')).toContain('image: ghcr.io/acme/web:4.20.4   # the storefront');
  });

  it('names the permissions a 404 on the deploy repository needs', async () => {
    const { source, env } = setup();
    nock(API).get('/repos/acme/gitops').reply(404, fixture('not-found.json'));
    await expect(runAction('k8s-sync', { plan: plan(), 'deploy-repository': 'acme/gitops' }, { cwd: source.dir, env })).rejects.toThrow(
      /GitHub API error 404 reading acme\/gitops: the token needs contents: write and pull-requests: write on the deploy repository/
    );
  });
});
