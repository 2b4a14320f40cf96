import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRepo } from '../../helpers/repo.js';
import { captureLog, runAction } from '../../helpers/run-action.js';

const CONFIG = `image: ghcr.io/acme/{{service}}
services:
  api:
    depends-on: [common]
  web:
    paths: ['web/**', '!**/*.md']
  worker:
libs:
  common:
    paths: ['libs/common/**']
`;

const INITIAL = { 'imgver.yaml': CONFIG, 'api/a': '1', 'web/w': '1', 'worker/k': '1', 'libs/common/c': '1', 'docs/d.md': '1' };

const repos: TestRepo[] = [];
afterAll(() => repos.forEach(r => r.remove()));

function repo(): TestRepo {
  const r = TestRepo.create();
  repos.push(r);
  return r;
}

function track(dir: string): string {
  repos.push(new TestRepo(dir));
  return dir;
}

/** The environment of a GitHub runner for an event, with its payload written to GITHUB_EVENT_PATH. */
function runnerEnv(event: string, ref: string, sha: string, payload: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const dir = track(mkdtempSync(join(tmpdir(), 'imgver-event-')));
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify({ repository: { name: 'app', full_name: 'acme/app', default_branch: 'main' }, ...payload }));
  return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: event, GITHUB_REF: ref, GITHUB_SHA: sha, GITHUB_EVENT_PATH: path, GITHUB_REPOSITORY: 'acme/app', RUNNER_TEMP: dir };
}

async function detect(cwd: string, inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  const log = captureLog();
  const { outputs, summary } = await runAction('detect-changes', inputs, { cwd, env, log });
  return { outputs, summary, log: log.lines, changed: JSON.parse(outputs.changed) as string[] };
}

/** A clone as actions/checkout makes it: depth 1, no tags, of one ref. */
function checkout(origin: string, ref: string, depth = 1): TestRepo {
  const dir = track(mkdtempSync(join(tmpdir(), 'imgver-checkout-')));
  execFileSync('git', ['init', '-q', dir]);
  const clone = new TestRepo(dir);
  clone.git('remote', 'add', 'origin', `file://${origin}`);
  clone.git('fetch', '-q', '--no-tags', `--depth=${depth}`, 'origin', ref);
  clone.git('checkout', '-q', '--detach', 'FETCH_HEAD');
  return clone;
}

describe('detect-changes: the base on push', () => {
  it('compares with the payload before: only what the push brought', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    const before = r.commit('api', { 'api/a': '2' });
    const after = r.commit('web', { 'web/w': '2', 'web/README.md': 'x' });
    const { outputs, changed, summary } = await detect(r.dir, {}, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(changed).toEqual(['web']);
    expect(outputs).toMatchObject({ base: before, head: after, any: 'true', count: '1', api: 'false', web: 'true', worker: 'false', common: 'false' });
    expect(JSON.parse(outputs.files)).toEqual({ api: [], web: ['web/w'], worker: [], common: [] });
    expect(JSON.parse(outputs.matrix)).toEqual({ include: [{ service: 'web', image: 'ghcr.io/acme/web', context: 'web', dockerfile: 'web/Dockerfile' }] });
    expect(summary).toContain('| web | ✅ yes | web/w | 1 |');
    expect(summary).toContain('| api | no | no matching change | 0 |');
  });

  it('a change in a lib marks its dependents, with the reason', async () => {
    const r = repo();
    const before = r.commit('init', INITIAL);
    const after = r.commit('lib', { 'libs/common/c': '2' });
    const { outputs, changed } = await detect(r.dir, {}, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(changed).toEqual(['api']);
    expect(JSON.parse(outputs.services)).toEqual({ api: true, web: false, worker: false, common: true });
    const api = JSON.parse(outputs.plan).services[0];
    expect(api).toMatchObject({ name: 'api', changed: true, reason: 'depends on common', files: [] });
  });

  it('a rename counts for the service it left and the one it joined', async () => {
    const r = repo();
    const before = r.commit('init', INITIAL);
    r.git('mv', 'api/a', 'worker/a');
    const after = r.commit('move');
    const { outputs, changed } = await detect(r.dir, {}, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(changed).toEqual(['api', 'worker']);
    // Each service lists the path it matched: the one the file left, the one it joined.
    expect(JSON.parse(outputs.files)).toMatchObject({ api: ['api/a'], worker: ['worker/a'] });
  });

  it('change types: a service that counts only added files', async () => {
    const r = repo();
    r.commit('init', { ...INITIAL, 'imgver.yaml': 'services:\n  migrations:\n    paths: [db/**]\n    change-types: [added]\n', 'db/001.sql': '1' });
    const before = r.git('rev-parse', 'HEAD');
    const edited = r.commit('edit', { 'db/001.sql': '2' });
    expect((await detect(r.dir, {}, runnerEnv('push', 'refs/heads/main', edited, { before, after: edited }))).changed).toEqual([]);
    const added = r.commit('add', { 'db/002.sql': '1' });
    expect((await detect(r.dir, {}, runnerEnv('push', 'refs/heads/main', added, { before: edited, after: added }))).changed).toEqual(['migrations']);
  });

  it('a new branch (before all zeros) compares with its merge-base with the default branch, fetched into a depth-1 checkout', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    for (let i = 0; i < 5; i++) r.commit(`main ${i}`, { 'worker/k': String(i) });
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('f1', { 'api/a': 'f1' });
    r.commit('f2', { 'docs/d.md': 'f2' });
    const head = r.commit('f3', { 'docs/d.md': 'f3' });
    r.git('checkout', '-q', 'main');
    r.commit('main moves on', { 'web/w': 'later' });
    const origin = track(r.withBareOrigin());
    r.git('push', '-q', 'origin', 'main', 'feature');
    const clone = checkout(origin, 'refs/heads/feature');
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('true');
    const { outputs, changed, log } = await detect(clone.dir, {}, runnerEnv('push', 'refs/heads/feature', head, { before: '0'.repeat(40), after: head }));
    expect(changed).toEqual(['api']);
    expect(outputs.base).toBe(r.git('rev-parse', 'main~1'));
    expect(log.join('\n')).toMatch(/new branch feature: merge-base with main/);
    expect(log.join('\n')).toMatch(/Shallow clone: deepening by 64 commits/);
  });

  it('a force-push whose before is gone falls back to the merge-base with the default branch, with a warning', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.git('checkout', '-q', '-b', 'feature');
    const head = r.commit('f', { 'web/w': 'f' });
    const origin = track(r.withBareOrigin());
    r.git('push', '-q', 'origin', 'main', 'feature');
    const clone = checkout(origin, 'refs/heads/feature');
    const gone = 'deadbeef'.repeat(5);
    const { changed, log } = await detect(clone.dir, {}, runnerEnv('push', 'refs/heads/feature', head, { before: gone, after: head, forced: true }));
    expect(changed).toEqual(['web']);
    expect(log.join('\n')).toMatch(/warning: the pushed-over commit deadbee is gone \(force-push\): merge-base with main\. Comparing with the default branch instead/);
  });

  it('a push whose before is only on origin fetches that one commit into a depth-1 checkout', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    for (let i = 0; i < 3; i++) r.commit(`c${i}`, { 'worker/k': String(i) });
    const before = r.git('rev-parse', 'HEAD');
    const after = r.commit('api', { 'api/a': 'x' });
    const origin = track(r.withBareOrigin());
    r.git('push', '-q', 'origin', 'main');
    const clone = checkout(origin, 'refs/heads/main');
    const { outputs, changed } = await detect(clone.dir, {}, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(changed).toEqual(['api']);
    expect(outputs.base).toBe(before);
  });
});

describe('detect-changes: pull requests and merge queues', () => {
  it('pull_request: merge-base of base and head, so what the base branch did since is not counted', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.git('checkout', '-q', '-b', 'feature');
    const head = r.commit('feature', { 'api/a': 'pr' });
    r.git('checkout', '-q', 'main');
    const baseTip = r.commit('main', { 'web/w': 'main' });
    const origin = track(r.withBareOrigin());
    r.git('push', '-q', 'origin', 'main', 'feature');
    const clone = checkout(origin, 'refs/heads/feature');
    const payload = { number: 7, pull_request: { number: 7, base: { ref: 'main', sha: baseTip }, head: { ref: 'feature', sha: head } } };
    const { outputs, changed } = await detect(clone.dir, {}, runnerEnv('pull_request', 'refs/pull/7/merge', head, payload));
    expect(changed).toEqual(['api']);
    expect(outputs.base).toBe(r.git('rev-parse', 'main~1'));
    expect(outputs.head).toBe(head);
  });

  it('pull_request_target reads the same payload', async () => {
    const r = repo();
    const base = r.commit('init', INITIAL);
    r.git('checkout', '-q', '-b', 'feature');
    const head = r.commit('feature', { 'worker/k': 'pr' });
    const payload = { pull_request: { base: { ref: 'main', sha: base }, head: { sha: head } } };
    expect((await detect(r.dir, {}, runnerEnv('pull_request_target', 'refs/heads/main', base, payload))).changed).toEqual(['worker']);
  });

  it('merge_group: base_sha and head_sha of the payload', async () => {
    const r = repo();
    const base = r.commit('init', INITIAL);
    r.commit('a', { 'api/a': 'q' });
    const head = r.commit('b', { 'web/w': 'q' });
    const payload = { merge_group: { base_sha: base, head_sha: head, head_ref: 'refs/heads/gh-readonly-queue/main/pr-1' } };
    const { outputs, changed } = await detect(r.dir, {}, runnerEnv('merge_group', 'refs/heads/gh-readonly-queue/main/pr-1', head, payload));
    expect(changed).toEqual(['api', 'web']);
    expect(outputs).toMatchObject({ base, head });
  });
});

describe('detect-changes: tags and releases', () => {
  it('a tag push compares with the previous release of the series, skipping prereleases, from a depth-1 checkout', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.tag('v1.0.0');
    r.commit('api', { 'api/a': '2' });
    r.tag('v1.1.0-rc.1');
    r.commit('web', { 'web/w': '2' });
    const head = r.git('rev-parse', 'HEAD');
    r.tag('v1.1.0');
    const origin = track(r.withBareOrigin());
    const clone = checkout(origin, 'refs/tags/v1.1.0');
    const { outputs, changed, log } = await detect(clone.dir, {}, runnerEnv('push', 'refs/tags/v1.1.0', head, { before: '0'.repeat(40), after: head }));
    expect(changed).toEqual(['api', 'web']);
    expect(outputs.base).toBe(r.git('rev-parse', 'v1.0.0^{commit}'));
    expect(log.join('\n')).toMatch(/tag v1.1.0: changes since v1.0.0/);
  });

  it('a prerelease tag compares with the previous tag, prereleases included', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.tag('v1.0.0');
    r.commit('api', { 'api/a': '2' });
    r.tag('v1.1.0-rc.1');
    const head = r.commit('web', { 'web/w': '2' });
    r.tag('v1.1.0-rc.2');
    expect((await detect(r.dir, {}, runnerEnv('push', 'refs/tags/v1.1.0-rc.2', head))).changed).toEqual(['web']);
  });

  it('the first release tag counts everything', async () => {
    const r = repo();
    const head = r.commit('init', INITIAL);
    r.tag('v0.1.0');
    const { outputs, changed } = await detect(r.dir, {}, runnerEnv('push', 'refs/tags/v0.1.0', head));
    expect(changed).toEqual(['api', 'web', 'worker']);
    expect(outputs.base).toBe('');
  });

  it('per-service tags: the pushed tag releases its service only, compared with its previous tag', async () => {
    const r = repo();
    r.commit('init', { ...INITIAL, 'imgver.yaml': CONFIG.replace('image:', 'version:\n  scheme: per-service\nimage:') });
    r.tag('api/v1.0.0').tag('web/v2.0.0');
    r.commit('both', { 'api/a': '2', 'web/w': '2' });
    const head = r.git('rev-parse', 'HEAD');
    r.tag('api/v1.0.1');
    const { outputs, changed, summary } = await detect(r.dir, {}, runnerEnv('push', 'refs/tags/api/v1.0.1', head));
    expect(changed).toEqual(['api']);
    expect(outputs.web).toBe('false');
    expect(summary).toContain('| web | no | tag api/v1.0.1 releases api only | 0 |');
  });

  it('a tag of no known format is a clear error', async () => {
    const r = repo();
    const head = r.commit('init', INITIAL);
    r.tag('release-5');
    await expect(detect(r.dir, {}, runnerEnv('push', 'refs/tags/release-5', head))).rejects.toThrow(/Tag release-5 matches no release tag format \(v\{\{version\}\}\)/);
  });
});

describe('detect-changes: dispatch, schedule and the local CLI', () => {
  it('workflow_dispatch compares with the last release tag', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.commit('api', { 'api/a': '2' });
    r.tag('v1.0.0');
    const head = r.commit('worker', { 'worker/k': '2' });
    const { changed, outputs } = await detect(r.dir, {}, runnerEnv('workflow_dispatch', 'refs/heads/main', head));
    expect(changed).toEqual(['worker']);
    expect(outputs.base).toBe(r.git('rev-parse', 'v1.0.0'));
  });

  it('schedule with per-service tags: each service since its own last release', async () => {
    const r = repo();
    r.commit('init', { ...INITIAL, 'imgver.yaml': CONFIG.replace('image:', 'version:\n  scheme: per-service\nimage:') });
    r.tag('web/v1.0.0');
    r.commit('api+web', { 'api/a': '2', 'web/w': '2' });
    r.tag('api/v1.0.0');
    const head = r.commit('worker', { 'worker/k': '2' });
    r.tag('worker/v3.0.0');
    const { changed, outputs } = await detect(r.dir, { 'default-branch': 'main' }, runnerEnv('schedule', 'refs/heads/main', head));
    expect(changed).toEqual(['web']);
    expect(outputs.base).toBe('');
  });

  it('locally without tags: the merge-base with the default branch', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('x', { 'web/w': 'x' });
    const { changed } = await detect(r.dir, { 'default-branch': 'main' });
    expect(changed).toEqual(['web']);
  });

  it('locally on the default branch without tags, everything counts', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.commit('x', { 'web/w': 'x' });
    const { changed, log } = await detect(r.dir, { 'default-branch': 'main' });
    expect(changed).toEqual(['api', 'web', 'worker']);
    expect(log.join('\n')).toMatch(/everything counts/);
  });

  it('the base input: a commit, a tag or a branch (its merge-base)', async () => {
    const r = repo();
    const first = r.commit('init', INITIAL);
    r.tag('t1');
    r.commit('api', { 'api/a': '2' });
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('web', { 'web/w': '2' });
    expect((await detect(r.dir, { base: first })).changed).toEqual(['api', 'web']);
    expect((await detect(r.dir, { base: 't1' })).changed).toEqual(['api', 'web']);
    expect((await detect(r.dir, { base: 'main' })).changed).toEqual(['web']);
    expect((await detect(r.dir, { base: first, head: 'main' })).changed).toEqual(['api']);
  });

  it('a base tag that only origin has is fetched into a depth-1 checkout', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    r.tag('t1');
    r.commit('api', { 'api/a': '2' });
    const origin = track(r.withBareOrigin());
    r.git('push', '-q', 'origin', 'main', 't1');
    const clone = checkout(origin, 'refs/heads/main');
    const { changed, outputs } = await detect(clone.dir, { base: 't1' });
    expect(changed).toEqual(['api']);
    expect(outputs.base).toBe(r.git('rev-parse', 't1^{commit}'));
  });

  it('all: true marks everything changed', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    const head = r.commit('x', { 'docs/d.md': 'x' });
    const { changed } = await detect(r.dir, { all: 'true' }, runnerEnv('push', 'refs/heads/main', head, { before: head, after: head }));
    expect(changed).toEqual(['api', 'web', 'worker']);
  });
});

describe('detect-changes: inline filters, big diffs, errors', () => {
  it('reads dorny/paths-filter filters; config services of the same name keep their image', async () => {
    const r = repo();
    const before = r.commit('init', INITIAL);
    const after = r.commit('x', { 'libs/common/c': '3', 'docs/d.md': '2' });
    const filters = ['shared: &shared', '  - libs/**', 'api:', '  - *shared', '  - api/**', 'docs:', '  - modified: docs/**'].join('\n');
    const { outputs, changed } = await detect(r.dir, { filters }, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(changed).toEqual(['shared', 'api', 'docs']);
    const matrix = JSON.parse(outputs.matrix).include;
    expect(matrix.map((m: { service: string; image: string }) => `${m.service}=${m.image}`)).toEqual([
      'shared=ghcr.io/acme/shared',
      'api=ghcr.io/acme/api',
      'docs=ghcr.io/acme/docs'
    ]);
  });

  it('the filters input may name a YAML file', async () => {
    const r = repo();
    const before = r.commit('init', { ...INITIAL, '.github/filters.yml': 'w:\n  - web/**\n' });
    const after = r.commit('x', { 'web/w': '3' });
    expect((await detect(r.dir, { filters: '.github/filters.yml' }, runnerEnv('push', 'refs/heads/main', after, { before, after }))).changed).toEqual([
      'w'
    ]);
  });

  it('cuts long file lists and writes the full list to files-path', async () => {
    const r = repo();
    const before = r.commit('init', INITIAL);
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`api/gen/${i}`, String(i)]));
    const after = r.commit('many', files);
    const { outputs } = await detect(r.dir, { 'max-files': '10' }, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(JSON.parse(outputs.files).api).toHaveLength(10);
    expect(outputs['files-path']).not.toBe('');
    expect(JSON.parse(readFileSync(outputs['files-path'], 'utf8')).api).toHaveLength(30);
  });

  it('outside a runner (no RUNNER_TEMP) leaves no file behind: the full lists are the list-files outputs', async () => {
    const r = repo();
    const before = r.commit('init', INITIAL);
    const after = r.commit('many', Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`api/gen/${i}`, String(i)])));
    const env = { ...runnerEnv('push', 'refs/heads/main', after, { before, after }), RUNNER_TEMP: '' };
    const temp = () => readdirSync(tmpdir()).filter(name => name.startsWith('imgver-changes-')).length;
    const leftBefore = temp();
    const { outputs } = await detect(r.dir, { 'max-files': '10', 'list-files': 'json' }, env);
    expect(outputs['files-path']).toBe('');
    expect(JSON.parse(outputs.api_files)).toHaveLength(30);
    expect(temp()).toBe(leftBefore);
  });

  it.each([
    ['an unknown depends-on', 'services:\n  api:\n    depends-on: [common, nope]\nlibs:\n  common:\n    paths: [libs/**]\n', /imgver.yaml:3: services.api.depends-on.1: depends on "nope", which is neither a service nor a lib/],
    ['a cycle', 'services:\n  api:\n    depends-on: [web]\n  web:\n    depends-on: [api]\n', /imgver.yaml:3: services.api.depends-on.0: dependency cycle: api → web → api/],
    ['an invalid glob', "services:\n  api:\n    paths:\n      - api/**\n      - '/web/**'\n", /imgver.yaml:5: services.api.paths.1: glob "\/web\/\*\*" starts with '\/'/],
    ['a lib without paths', 'libs:\n  common: {}\nservices:\n  api:\n', /imgver.yaml:2: libs.common: must have required property 'paths'/],
    ['an unknown change type', 'services:\n  api:\n    change-types: [changed]\n', /imgver.yaml:3: services.api.change-types.0: expected one of "added", "modified", "deleted", "renamed"/]
  ])('[%#] %s in imgver.yaml names the file and line', async (_, config, message) => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': config, 'api/a': '1' });
    await expect(detect(r.dir)).rejects.toThrow(message);
  });

  it('an unreachable base is an error naming it', async () => {
    const r = repo();
    r.commit('init', INITIAL);
    await expect(detect(r.dir, { base: 'no-such-ref' })).rejects.toThrow(/Cannot reach the base no-such-ref: it is not in this clone, which has no origin to fetch it from/);
  });

  it('a repository owned by another user: trusted on a runner with -c safe.directory, a clear error elsewhere; no git config written', async () => {
    const r = repo();
    const before = r.commit('init', INITIAL);
    const after = r.commit('x', { 'api/a': 'x' });
    execFileSync('chown', ['-R', '12345:12345', r.dir]);
    const globalConfig = join(track(mkdtempSync(join(tmpdir(), 'imgver-home-'))), 'gitconfig');
    const env = { ...runnerEnv('push', 'refs/heads/main', after, { before, after }), GIT_CONFIG_GLOBAL: globalConfig };
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      expect((await detect(r.dir, {}, env)).changed).toEqual(['api']);
      await expect(detect(r.dir, { base: before })).rejects.toThrow(/owned by another user \(dubious ownership\).*safe.directory/);
      expect(() => readFileSync(globalConfig)).toThrow(/ENOENT/);
      expect(readFileSync(join(r.dir, '.git/config'), 'utf8')).not.toMatch(/safe/);
    } finally {
      delete process.env.GIT_CONFIG_GLOBAL;
      execFileSync('chown', ['-R', `${process.getuid!()}:${process.getgid!()}`, r.dir]);
    }
  });
});

describe('detect-changes → compute-version', () => {
  it('the plan carries what changed; a commit to a lib bumps the services that depend on it (per-service)', async () => {
    const r = repo();
    r.commit('init', { ...INITIAL, 'imgver.yaml': CONFIG.replace('image:', 'version:\n  scheme: per-service\nimage:') });
    r.tag('api/v1.0.0').tag('web/v1.0.0').tag('worker/v1.0.0');
    r.commit('feat(common): shared helper', { 'libs/common/c': '2' });
    const { outputs } = await detect(r.dir, { 'default-branch': 'main' });
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    const versions = await runAction('compute-version', { plan: outputs.plan }, { cwd: r.dir });
    expect(JSON.parse(versions.outputs.versions)).toEqual({ api: '1.1.0', web: '1.0.0', worker: '1.0.0' });
    expect(JSON.parse(versions.outputs.changed)).toEqual(['api']);
  });
});

describe('detect-changes: dorny/paths-filter parity', () => {
  const FILTERS = "src: 'src/**'\ndocs: 'docs/**'\n";

  it('base HEAD: the staged and unstaged changes of the checkout, not untracked files; a head input is not used, with a warning', async () => {
    const r = repo();
    const head = r.commit('init', { 'src/a.ts': '1', 'docs/d.md': '1', 'web/w': '1' });
    r.write('src/staged.ts', 'new');
    r.git('add', 'src/staged.ts');
    r.write('docs/d.md', 'edited');
    r.write('web/untracked', 'x');
    const { outputs, log } = await detect(r.dir, { filters: FILTERS, base: 'HEAD', head: 'main', 'list-files': 'json' });
    expect(JSON.parse(outputs.changes)).toEqual(['src', 'docs']);
    expect(outputs.src_files).toBe('["src/staged.ts"]');
    expect(outputs.docs_files).toBe('["docs/d.md"]');
    expect(outputs.base).toBe(head);
    expect(log.join('\n')).toMatch(/head input \(main\) is not used when base is HEAD/);
  });

  it('<name>_count always, <name>_files in the list-files format with every file (not cut at max-files), changes, counts and listed-files', async () => {
    const r = repo();
    const before = r.commit('init', { 'src/a.ts': '1', 'ci/x': '1' });
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/gen ${String(i).padStart(2, '0')}.ts`, String(i)]));
    const after = r.commit('many', { ...files, 'docs/it\'s.md': 'x' });
    const env = runnerEnv('push', 'refs/heads/main', after, { before, after });
    const none = (await detect(r.dir, { filters: FILTERS + "ci: 'ci/**'\n", 'max-files': '5' }, env)).outputs;
    expect([none.src_count, none.docs_count, none.ci_count, none.src_files]).toEqual(['12', '1', '0', undefined]);
    expect(JSON.parse(none.counts)).toEqual({ src: 12, docs: 1, ci: 0 });
    expect(JSON.parse(none.changes)).toEqual(['src', 'docs']);
    expect(none['listed-files']).toBeUndefined();
    const shell = (await detect(r.dir, { filters: FILTERS, 'max-files': '5', 'list-files': 'SHELL' }, env)).outputs;
    expect(shell.src_files.split("' '")).toHaveLength(12);
    expect(shell.src_files.startsWith("'src/gen 00.ts' 'src/gen 01.ts'")).toBe(true);
    expect(shell.docs_files).toBe('"docs/it\'s.md"');
    expect(JSON.parse(shell['listed-files'])).toEqual({ src: shell.src_files, docs: shell.docs_files });
  });

  it('predicate-quantifier every: a file counts only when every rule holds (the peer README example)', async () => {
    const r = repo();
    const before = r.commit('init', { 'seed': '1' });
    const after = r.commit('c', { 'pkg/a/b/c/x.ts': '1', 'pkg/a/b/c/x.md': '1', 'pkg/a/b/c/p.jpeg': '1', 'pkg/z/y.ts': '1' });
    const filters = "backend:\n  - 'pkg/a/b/c/**'\n  - '!**/*.jpeg'\n  - '!**/*.md'\n";
    const env = runnerEnv('push', 'refs/heads/main', after, { before, after });
    const { outputs } = await detect(r.dir, { filters, 'predicate-quantifier': 'every', 'list-files': 'csv' }, env);
    expect([outputs.backend, outputs.backend_count, outputs.backend_files]).toEqual(['true', '1', 'pkg/a/b/c/x.ts']);
  });

  it('filters as the path of a file of any name (one line without a colon); a directory is a clear error', async () => {
    const r = repo();
    const before = r.commit('init', { 'seed': '1', '.github/paths': "web: 'web/**'\n" });
    const after = r.commit('c', { 'web/w': '1' });
    const env = runnerEnv('push', 'refs/heads/main', after, { before, after });
    expect((await detect(r.dir, { filters: '.github/paths' }, env)).outputs.web).toBe('true');
    await expect(detect(r.dir, { filters: '.github' }, env)).rejects.toThrow(/Input 'filters' names \.github, which is not a file/);
  });

  it('a filter named changes keeps its own true/false output, as in the peer', async () => {
    const r = repo();
    const before = r.commit('init', { 'seed': '1' });
    const after = r.commit('c', { 'CHANGELOG.md': '1' });
    const { outputs } = await detect(r.dir, { filters: "changes: 'CHANGELOG.md'\n" }, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect(outputs.changes).toBe('true');
    expect(outputs.changes_count).toBe('1');
  });

  it('base naming the branch a push went to compares with the push before, as the peer does', async () => {
    const r = repo();
    r.commit('init', { 'seed': '1' });
    const before = r.commit('earlier', { 'a.txt': '1' });
    const after = r.commit('pushed', { 'b.txt': '1' });
    const { outputs } = await detect(r.dir, { filters: "all: '**'\n", base: 'main', 'list-files': 'json' }, runnerEnv('push', 'refs/heads/main', after, { before, after }));
    expect([outputs.base, outputs.all_files]).toEqual([before, '["b.txt"]']);
  });

  it.each(['refs/heads/main', 'heads/main', 'main'])('base %s is the branch: its merge-base with head', async base => {
    const r = repo();
    r.commit('init', { 'seed': '1', 'main.txt': '1' });
    r.git('checkout', '-q', '-b', 'feature');
    r.commit('f', { 'feature.txt': '1' });
    r.git('checkout', '-q', 'main');
    r.commit('main moves on', { 'main.txt': '2' });
    r.git('checkout', '-q', 'feature');
    const { outputs } = await detect(r.dir, { filters: "all: '**'\n", base, 'list-files': 'json' });
    expect(outputs.all_files).toBe('["feature.txt"]');
  });

  it.each([
    ['list-files', { 'list-files': 'xml' }, /Input 'list-files' is set to invalid value 'xml': expected one of none, csv, json, shell, escape/],
    ['predicate-quantifier', { 'predicate-quantifier': 'all' }, /Input 'predicate-quantifier' is set to invalid value 'all': expected one of some, every/],
    ['an unclosed extglob group', { filters: "web:\n  - 'web/**'\n  - '!(**/*.md'\n" }, /Input 'filters' line 3: filter "web": glob "!\(\*\*\/\*\.md" has an unclosed extglob group '!\(': expected '\)' to close it/],
    ['an empty change type', { filters: "web:\n  - '|': 'web/**'\n" }, /Input 'filters' line 2: filter "web": "\|" names no change type: expected added, modified, deleted, renamed/]
  ])('[%#] %s: a clear error naming the input and what was expected', async (_, inputs, message) => {
    const r = repo();
    r.commit('init', INITIAL);
    await expect(detect(r.dir, { filters: "api: 'api/**'\n", ...inputs })).rejects.toThrow(message);
  });
});
