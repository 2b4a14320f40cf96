import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COMMIT_MESSAGE } from '../../../src/core/release.js';
import { releaseSpec } from '../../../src/actions/stage-specs.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { runComposite } from '../../helpers/composite.js';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestRepo } from '../../helpers/repo.js';
import { chartFiles } from '../../helpers/helm.js';

const CONFIG = 'image: registry.local/acme/{{service}}\nversion:\n  source: file\n  file: VERSION\n  file-mode: bump\nservices:\n  api:\n';
const CHANGELOG = '# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- The login loop.\n\n## [1.0.0] - 2026-01-01\n\n- First.\n';

/** A bare origin whose main holds the config, VERSION 1.0.0 and the given commits after it, with a reflog of every ref update. */
function origin(files: Record<string, string> = {}, commits = 0): { bare: string; shas: string[] } {
  const seed = TestRepo.create();
  seed.commit('init', { 'imgver.yaml': CONFIG, VERSION: '1.0.0\n', 'api/main.go': 'package main\n', ...files });
  const shas = Array.from({ length: commits }, (_, i) => seed.commit(`fix(api): change ${i + 1}`, { [`api/change-${i + 1}.go`]: `// ${i + 1}\n` }));
  const bare = seed.withBareOrigin();
  execFileSync('git', ['config', 'core.logAllRefUpdates', 'always'], { cwd: bare });
  return { bare, shas };
}

/** A clone checked out at a commit of main, as actions/checkout leaves a push run (each racer commits as its own author). */
let cloneCount = 0;
function checkout(bare: string, sha?: string): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-release-'));
  execFileSync('git', ['clone', '-q', `file://${bare}`, dir]);
  const repo = new TestRepo(dir);
  repo.git('config', 'user.email', 'ci@imgver.local');
  repo.git('config', 'user.name', `ci run ${++cloneCount}`);
  if (sha) repo.git('checkout', '-q', '-B', 'main', sha);
  return repo;
}

const bareGit = (bare: string, ...args: string[]) => execFileSync('git', args, { cwd: bare, encoding: 'utf8' }).trim();
const env = (repo: TestRepo) => ({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: repo.git('rev-parse', 'HEAD'), GITHUB_REPOSITORY: 'acme/shop' });

async function computeThenRelease(repo: TestRepo, compute: Record<string, string>, release: Record<string, string>, log = captureLog()) {
  const computed = await runAction('compute-version', { write: 'true', ...compute }, { cwd: repo.dir, env: env(repo), log });
  return runAction('release', { plan: computed.outputs.plan, ...release }, { cwd: repo.dir, env: env(repo), log });
}

/** main only ever moved forward, and each release tag was written once: nothing was force-pushed. */
function expectNothingForced(bare: string, tags: string[]): void {
  const reflog = bareGit(bare, 'reflog', 'show', '--format=%H', 'refs/heads/main').split('\n').reverse();
  for (let i = 1; i < reflog.length; i++) {
    expect(() => execFileSync('git', ['merge-base', '--is-ancestor', reflog[i - 1], reflog[i]], { cwd: bare })).not.toThrow();
  }
  for (const tag of tags) expect(bareGit(bare, 'reflog', 'show', `refs/tags/${tag}`).split('\n')).toHaveLength(1);
}

const EIGHT = ['v1.0.1', 'v1.0.2', 'v1.0.3', 'v1.0.4', 'v1.0.5', 'v1.0.6', 'v1.0.7', 'v1.0.8'];

afterEach(() => {
  nock.cleanAll();
});

describe('release (real git: a bare origin and clones)', () => {
  it('commits the version file and the rotated changelog, tags, moves v1 and v1.0, and a re-run pushes nothing', async () => {
    const { bare } = origin({ 'CHANGELOG.md': CHANGELOG }, 1);
    const repo = checkout(bare);
    const log = captureLog();
    const { outputs, summary } = await computeThenRelease(repo, {}, { 'moving-tags': 'true' }, log);
    expect(JSON.parse(outputs.tags)).toEqual(['v1.0.1']);
    expect(bareGit(bare, 'log', '-1', '--format=%s', 'main')).toBe('chore(release): v1.0.1 [skip ci]');
    expect(bareGit(bare, 'rev-parse', 'main')).toBe(outputs.commit);
    expect(bareGit(bare, 'show', 'main:VERSION')).toBe('1.0.1');
    expect(bareGit(bare, 'show', 'main:CHANGELOG.md')).toContain('## [Unreleased]\n\n## [1.0.1] - 2026-11-22\n\n### Fixed');
    expect(bareGit(bare, 'cat-file', '-t', 'v1.0.1')).toBe('tag');
    expect(bareGit(bare, 'rev-list', '-n', '1', 'v1.0.1')).toBe(outputs.commit);
    for (const moving of ['v1', 'v1.0']) expect(bareGit(bare, 'rev-list', '-n', '1', moving)).toBe(outputs.commit);
    expect(JSON.parse(outputs.plan).release).toMatchObject({ commit: outputs.commit, branch: 'main', tags: ['v1.0.1'], moving: ['v1', 'v1.0'] });
    expect(summary).toContain('| <code>v1.0.1</code> | api |');

    const again = await runAction('release', { plan: outputs.plan, 'moving-tags': 'true' }, { cwd: repo.dir, env: env(repo), log });
    expect(again.outputs.commit).toBe(outputs.commit);
    expect(again.summary).toContain('Already published by an earlier run');
    expect(bareGit(bare, 'rev-list', '--count', 'main')).toBe('3');

    // The whole workflow re-run on the commit it released: the release commit on top of it is found, nothing pushed.
    const rerun = checkout(bare, bareGit(bare, 'rev-parse', 'main~1'));
    const replay = await computeThenRelease(rerun, {}, { 'moving-tags': 'true' });
    expect(replay.outputs.commit).toBe(outputs.commit);
    expect(JSON.parse(replay.outputs.tags)).toEqual(['v1.0.1']);
    expect(bareGit(bare, 'rev-list', '--count', 'main')).toBe('3');
  });

  it('8 runs racing on one branch with on-conflict recompute: 8 distinct versions, no duplicate tag, no lost commit, nothing forced', async () => {
    const { bare, shas } = origin({}, 8);
    const racers = shas.map(sha => checkout(bare, sha));
    const results = await Promise.all(
      racers.map(repo => computeThenRelease(repo, { bump: 'patch' }, { 'on-conflict': 'recompute', 'max-attempts': '20' }))
    );
    const tags = results.flatMap(r => JSON.parse(r.outputs.tags) as string[]).sort();
    expect(tags).toEqual(EIGHT);
    expect(bareGit(bare, 'tag', '--list', 'v*').split('\n').sort()).toEqual(EIGHT);
    expect(bareGit(bare, 'show', 'main:VERSION')).toBe('1.0.8');
    // Every run's commit and every release commit is on main, one line of history; each tag on its own release commit.
    const history = bareGit(bare, 'rev-list', '--first-parent', 'main').split('\n');
    expect(history).toHaveLength(1 + 8 + 8);
    for (const sha of shas) expect(history).toContain(sha);
    for (const result of results) {
      const [tag] = JSON.parse(result.outputs.tags) as string[];
      expect(bareGit(bare, 'rev-list', '-n', '1', tag)).toBe(result.outputs.commit);
      expect(bareGit(bare, 'show', `${tag}:VERSION`)).toBe(tag.slice(1));
    }
    expectNothingForced(bare, tags);
  });

  it('8 runs racing with reserve: true: each built commit owns a distinct version before the build, and the version file only moves forward', async () => {
    const { bare, shas } = origin({}, 8);
    const racers = shas.map(sha => checkout(bare, sha));
    const results = await Promise.all(racers.map(repo => computeThenRelease(repo, { bump: 'patch', reserve: 'true' }, { 'max-attempts': '20', 'moving-tags': 'true' })));
    const tags = results.map(r => (JSON.parse(r.outputs.tags) as string[])[0]);
    expect([...tags].sort()).toEqual(EIGHT);
    // Each tag is on the commit its run built (that is what the images were made from), not on a release commit.
    tags.forEach((tag, i) => expect(bareGit(bare, 'rev-list', '-n', '1', tag)).toBe(shas[i]));
    const history = bareGit(bare, 'rev-list', '--first-parent', 'main').split('\n');
    for (const sha of shas) expect(history).toContain(sha);
    expect(bareGit(bare, 'show', 'main:VERSION')).toBe('1.0.8');
    const versions = bareGit(bare, 'log', '--first-parent', '--format=%H', 'main').split('\n').map(sha => bareGit(bare, 'show', `${sha}:VERSION`));
    // Newest first: never an older version after a newer one.
    expect([...versions].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))).toEqual(versions);
    expectNothingForced(bare, tags);
  });

  it('with on-conflict fail, the run that lost the race stops and names both commits; nothing of it is pushed', async () => {
    const { bare, shas } = origin({}, 2);
    const [early, late] = [checkout(bare, shas[0]), checkout(bare, shas[1])];
    await computeThenRelease(late, {}, {});
    const winner = bareGit(bare, 'rev-list', '-n', '1', 'v1.0.1');
    await expect(computeThenRelease(early, {}, {})).rejects.toThrow(
      new RegExp(`Release v1\\.0\\.1 \\(on ${winner.slice(0, 7)}\\) already exists, but this run releases from [0-9a-f]{7}: another run released this version first`)
    );
    expect(bareGit(bare, 'rev-parse', 'main')).toBe(winner);
    expect(bareGit(bare, 'tag', '--list')).toBe('v1.0.1');
  });

  it('with on-conflict recompute and bump auto, a run whose commit the other release already holds releases nothing more', async () => {
    const { bare, shas } = origin({}, 2);
    const [early, late] = [checkout(bare, shas[0]), checkout(bare, shas[1])];
    await computeThenRelease(late, {}, {});
    const log = captureLog();
    const { outputs } = await computeThenRelease(early, {}, { 'on-conflict': 'recompute' }, log);
    expect(JSON.parse(outputs.tags)).toEqual([]);
    expect(log.lines).toContain('Nothing left to release: the release on the new tip of main already holds these commits');
    expect(bareGit(bare, 'tag', '--list')).toBe('v1.0.1');
    expect(bareGit(bare, 'rev-list', '--count', 'main')).toBe('4');
  });

  it('recompute redoes helm-sync\'s chart edits on the new tip: the chart committed names the recomputed version', async () => {
    const chart = Object.fromEntries(Object.entries(chartFiles('shop')).map(([path, text]) => [`deploy/shop/${path}`, text]));
    const config = `${CONFIG}charts:\n  - path: deploy/shop\n    images:\n      api: image\n`;
    const { bare, shas } = origin({ ...chart, 'imgver.yaml': config }, 2);
    const [early, late] = [checkout(bare, shas[0]), checkout(bare, shas[1])];
    const releaseWithChart = async (repo: TestRepo) => {
      const computed = await runAction('compute-version', { write: 'true', bump: 'patch' }, { cwd: repo.dir, env: env(repo) });
      const synced = await runAction('helm-sync', { plan: computed.outputs.plan, 'write-only': 'true' }, { cwd: repo.dir, env: env(repo) });
      expect(JSON.parse(synced.outputs.plan).written).toEqual(['VERSION', 'deploy/shop/Chart.yaml', 'deploy/shop/values.yaml']);
      return runAction('release', { plan: synced.outputs.plan, 'on-conflict': 'recompute' }, { cwd: repo.dir, env: env(repo) });
    };
    await releaseWithChart(late);
    const { outputs } = await releaseWithChart(early);
    expect(JSON.parse(outputs.tags)).toEqual(['v1.0.2']);
    expect(bareGit(bare, 'show', 'v1.0.2:VERSION')).toBe('1.0.2');
    expect(bareGit(bare, 'show', 'v1.0.2:deploy/shop/Chart.yaml')).toContain('appVersion: "1.0.2"');
    expect(bareGit(bare, 'show', 'v1.0.2:deploy/shop/values.yaml')).toContain('tag: "1.0.2"');
    expect(JSON.parse(outputs.plan).charts[0]).toMatchObject({ appVersion: '1.0.2' });
  });

  it('a shallow clone (actions/checkout\'s default) releases the right next version, not a restart at 0.0.x', async () => {
    const seed = TestRepo.create();
    seed.commit('init', { 'imgver.yaml': 'image: registry.local/acme/{{service}}\nservices:\n  api:\n' });
    seed.tag('v2.3.4');
    seed.commit('feat(api): y', { 'api/y': '1' });
    const bare = seed.withBareOrigin();
    seed.git('push', '-q', 'origin', '--tags');
    const shallow = TestRepo.shallowClone(bare);
    const { outputs } = await computeThenRelease(shallow, {}, {});
    expect(JSON.parse(outputs.tags)).toEqual(['v2.4.0']);
    expect(bareGit(bare, 'rev-list', '-n', '1', 'v2.4.0')).toBe(bareGit(bare, 'rev-parse', 'main'));
  });

  it('dry-run shows the commit, files, tags and moving tags, and changes nothing', async () => {
    const { bare } = origin({ 'CHANGELOG.md': CHANGELOG }, 1);
    const repo = checkout(bare);
    const log = captureLog();
    const before = bareGit(bare, 'rev-parse', 'main');
    const { outputs } = await computeThenRelease(repo, {}, { 'dry-run': 'true', 'moving-tags': 'true', 'github-release': 'true' }, log);
    expect(JSON.parse(outputs.tags)).toEqual(['v1.0.1']);
    expect(outputs.commit).toBe('');
    const text = log.lines.join('\n');
    expect(text).toContain('Would commit on');
    expect(text).toContain('"chore(release): v1.0.1 [skip ci]"');
    expect(text).toMatch(/VERSION\s+\| 2 \+-/);
    expect(text).toContain('Annotated tags: v1.0.1');
    expect(text).toContain('Moving tags (force-pushed): v1, v1.0');
    expect(text).toContain('GitHub Releases: v1.0.1');
    expect(bareGit(bare, 'rev-parse', 'main')).toBe(before);
    expect(bareGit(bare, 'tag', '--list')).toBe('');
    expect(repo.git('tag', '--list')).toBe('');
  });

  it('refuses a release whose tag, version file and chart disagree, listing every mismatch', async () => {
    const { bare } = origin({}, 1);
    const repo = checkout(bare);
    const computed = await runAction('compute-version', { write: 'true' }, { cwd: repo.dir, env: env(repo) });
    repo.write('VERSION', '1.0.0\n');
    const plan = { ...JSON.parse(computed.outputs.plan), charts: [{ path: 'deploy/chart', name: 'shop', version: '0.3.0', appVersion: '1.0.2' }] };
    await expect(runAction('release', { plan: JSON.stringify(plan) }, { cwd: repo.dir, env: env(repo) })).rejects.toThrow(
      'Release v1.0.1 is version 1.0.1, but version file VERSION says 1.0.0, deploy/chart/Chart.yaml appVersion says 1.0.2: they must agree'
    );
    const renamed = { ...JSON.parse(computed.outputs.plan), services: [{ ...JSON.parse(computed.outputs.plan).services[0], releaseTag: 'release-1.0.1' }] };
    repo.write('VERSION', '1.0.1\n');
    await expect(runAction('release', { plan: JSON.stringify(renamed) }, { cwd: repo.dir, env: env(repo) })).rejects.toThrow(
      'Release tag release-1.0.1 of api does not match the tag format v{{version}} for version 1.0.1 (expected v1.0.1)'
    );
    await expect(runAction('release', { 'on-conflict': 'retry' }, { cwd: repo.dir, env: env(repo) })).rejects.toThrow(
      "Input 'on-conflict' is set to invalid value 'retry': expected one of fail, recompute"
    );
    await expect(runAction('release', { 'max-attempts': '0' }, { cwd: repo.dir, env: env(repo) })).rejects.toThrow("Input 'max-attempts' is set to invalid value '0'");
    await expect(runAction('release', { plan: 'missing-plan.json' }, { cwd: repo.dir, env: env(repo) })).rejects.toThrow(
      "Input 'plan' is neither a JSON plan nor a readable plan file: missing-plan.json (ENOENT)"
    );
    expect(bareGit(bare, 'tag', '--list')).toBe('');
  });

  it('publishes a GitHub Release with the changelog section as notes (GitHub REST API mocked with nock: recorded payloads)', async () => {
    const { bare } = origin({ 'CHANGELOG.md': CHANGELOG }, 1);
    const repo = checkout(bare);
    const released = JSON.parse(readFileSync(join(new URL('.', import.meta.url).pathname, '../../fixtures/github/release-v1.2.3.json'), 'utf8'));
    const API = 'https://api.github.com';
    nock(API).get('/repos/acme/shop/releases/tags/v1.0.1').reply(404, { message: 'Not Found' });
    nock(API).get('/repos/acme/shop/releases').query({ per_page: '100' }).reply(200, []);
    let body = '';
    nock(API)
      .post('/repos/acme/shop/releases', request => {
        body = request.body;
        return request.tag_name === 'v1.0.1' && request.prerelease === false;
      })
      .reply(201, { ...released, tag_name: 'v1.0.1', html_url: 'https://github.com/acme/shop/releases/tag/v1.0.1' });
    const { outputs } = await computeThenRelease(repo, {}, { 'github-release': 'true', token: 'ghs_test' });
    expect(nock.isDone()).toBe(true);
    expect(body).toBe('### Fixed\n\n- The login loop.');
    expect(JSON.parse(outputs['release-urls'])).toEqual({ 'v1.0.1': 'https://github.com/acme/shop/releases/tag/v1.0.1' });
  });

  it('a tag push (the tag-triggered flow) pushes nothing and only publishes the release, with notes from the commits (GitHub REST API mocked with nock)', async () => {
    const seed = TestRepo.create();
    seed.commit('init', { 'imgver.yaml': 'image: registry.local/acme/{{service}}\nservices:\n  api:\n' });
    seed.tag('v1.1.0');
    seed.commit('feat(api): search');
    seed.commit('fix(api): paging');
    seed.git('tag', '-a', 'v1.2.0', '-m', 'v1.2.0');
    const bare = seed.withBareOrigin();
    seed.git('push', '-q', 'origin', '--tags');
    const repo = checkout(bare);
    repo.git('checkout', '-q', 'v1.2.0');
    const tagEnv = { ...env(repo), GITHUB_REF: 'refs/tags/v1.2.0' };
    const computed = await runAction('compute-version', { 'version-source': 'ref' }, { cwd: repo.dir, env: tagEnv });
    let body = '';
    nock('https://api.github.com').get('/repos/acme/shop/releases/tags/v1.2.0').reply(404, { message: 'Not Found' });
    nock('https://api.github.com').get('/repos/acme/shop/releases').query({ per_page: '100' }).reply(200, []);
    nock('https://api.github.com')
      .post('/repos/acme/shop/releases', request => ((body = request.body), true))
      .reply(201, { id: 1, html_url: 'https://github.com/acme/shop/releases/tag/v1.2.0', tag_name: 'v1.2.0' });
    const before = bareGit(bare, 'for-each-ref');
    const { outputs } = await runAction('release', { plan: computed.outputs.plan, 'github-release': 'true' }, { cwd: repo.dir, env: { ...tagEnv, GITHUB_TOKEN: 'ghs_env' } });
    expect(bareGit(bare, 'for-each-ref')).toBe(before);
    expect(outputs.commit).toBe(repo.git('rev-parse', 'HEAD'));
    expect(body).toMatch(/^### Features\n\n- feat\(api\): search \([0-9a-f]{7}\)\n\n### Bug fixes\n\n- fix\(api\): paging \([0-9a-f]{7}\)$/);
  });

  it('reserve: true with git tags: the tag is on origin before the build, and a re-run of the commit keeps its version', async () => {
    const seed = TestRepo.create();
    seed.commit('init', { 'imgver.yaml': 'image: registry.local/acme/{{service}}\nservices:\n  api:\n' });
    seed.tag('v1.0.0');
    const built = seed.commit('fix(api): x', { 'api/x': '1' });
    const bare = seed.withBareOrigin();
    seed.git('push', '-q', 'origin', '--tags');
    const first = checkout(bare);
    const reserved = await runAction('compute-version', { reserve: 'true' }, { cwd: first.dir, env: env(first) });
    expect(JSON.parse(reserved.outputs.plan).services[0]).toMatchObject({ version: '1.0.1', releaseTag: 'v1.0.1', reserved: true });
    expect(bareGit(bare, 'rev-list', '-n', '1', 'v1.0.1')).toBe(built);
    const rerun = checkout(bare);
    const again = await runAction('compute-version', { reserve: 'true' }, { cwd: rerun.dir, env: env(rerun) });
    expect(JSON.parse(again.outputs.plan).services[0]).toMatchObject({ version: '1.0.1', release: true, reserved: true });
    // release pushes no tag of its own: v1.0.1 stays on the built commit, written once.
    const { outputs } = await runAction('release', { plan: again.outputs.plan }, { cwd: rerun.dir, env: env(rerun) });
    expect(JSON.parse(outputs.tags)).toEqual(['v1.0.1']);
    expect(bareGit(bare, 'rev-list', '-n', '1', 'v1.0.1')).toBe(built);
    expectNothingForced(bare, []);
  });

  it('actions/release/action.yml run as the runner runs it: pushes the release, maps the outputs, writes the summary', async () => {
    const { bare } = origin({}, 1);
    const repo = checkout(bare);
    const computed = await runAction('compute-version', { write: 'true' }, { cwd: repo.dir, env: env(repo) });
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    const { outputs, summary } = runComposite(join(root, 'actions/release/action.yml'), { plan: computed.outputs.plan, 'commit-message': 'release {{versions}}' }, {
      cwd: repo.dir,
      env: { ...env(repo), GITHUB_TOKEN: 'ghs_unused' }
    });
    expect(JSON.parse(outputs.tags)).toEqual(['v1.0.1']);
    expect(bareGit(bare, 'log', '-1', '--format=%H %s', 'main')).toBe(`${outputs.commit} release v1.0.1`);
    expect(summary).toContain('### imgver release');
  });

  it('the commit-message default in action.yml is the one the code falls back to', () => {
    expect(releaseSpec.inputs['commit-message'].default).toBe(DEFAULT_COMMIT_MESSAGE);
  });
});
