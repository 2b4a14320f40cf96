import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRepo } from '../../helpers/repo.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { versionOfBranch } from '../../../src/core/version-line.js';

const repos: TestRepo[] = [];
const repo = () => {
  const r = TestRepo.create();
  repos.push(r);
  return r;
};
afterEach(() => repos.splice(0).forEach(r => r.remove()));

/** A repository with releases and commits, and neither an image nor a service anywhere. */
function released(): TestRepo {
  const r = repo();
  r.commit('init', { 'src/main.go': '1' });
  r.tag('v1.2.0');
  r.commit('feat: a new flag', { 'src/main.go': '2' });
  r.commit('docs: readme', { 'README.md': 'x' });
  return r;
}

describe('version-only mode: no images input and no services (the whole repository is one unit)', () => {
  it('computes version, previous, bump and release, with bare tags', async () => {
    const r = released();
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.3.0', previous: '1.2.0', bump: 'minor', release: 'true', tags: '1.3.0\nlatest', 'tag-names': '1.3.0\nlatest' });
    const plan = JSON.parse(outputs.plan);
    expect(plan.services).toHaveLength(1);
    expect(plan.services[0]).toMatchObject({ image: '', version: '1.3.0', releaseTag: 'v1.3.0', changed: true });
  });

  it('takes tag rules as metadata-action does with an empty images input (bare tags)', async () => {
    const r = released();
    const { outputs } = await runAction('compute-version', { tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}', flavor: 'latest=true' }, { cwd: r.dir });
    expect(outputs.tags.split('\n')).toEqual(['1.3.0', '1.3', 'latest']);
  });

  it('with a config file that has no services (bump rules only)', async () => {
    const r = released();
    r.commit('chore: config', { 'imgver.yaml': 'version:\n  tag-format: "{{version}}"\nbump:\n  default: none\n' });
    r.tag('1.2.1');
    r.commit('fix: a bug', { 'src/main.go': '3' });
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.2.2', previous: '1.2.1', bump: 'patch', release: 'true' });
  });

  it('nothing new since the last release: no release, the current version', async () => {
    const r = repo();
    r.commit('init', { 'a.txt': '1' });
    r.tag('v0.4.0');
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '0.4.0', release: 'false', bump: 'none' });
  });

  it('writes the version file back and rotates the changelog', async () => {
    const r = repo();
    r.commit('init', {
      'imgver.yaml': 'version:\n  source: file\n  file: VERSION\n  file-mode: bump\n',
      VERSION: '2.0.0\n',
      'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n- A fix.\n'
    });
    r.commit('fix: x', { 'lib/x.ts': '1' });
    const { outputs } = await runAction('compute-version', { write: 'true' }, { cwd: r.dir });
    expect(outputs.version).toBe('2.0.1');
    expect(JSON.parse(outputs['written-files'])).toEqual(['VERSION', 'CHANGELOG.md']);
    expect(readFileSync(join(r.dir, 'VERSION'), 'utf8')).toBe('2.0.1\n');
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toContain('## [2.0.1]');
  });

  it('release tags and pushes the version; reserve pushes the tag before anything is built', async () => {
    const r = released();
    const bare = r.withBareOrigin();
    const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: r.git('rev-parse', 'HEAD'), GITHUB_REPOSITORY: 'acme/tool' };
    const released1 = await runAction('release', {}, { cwd: r.dir, env });
    expect(JSON.parse(released1.outputs.tags)).toEqual(['v1.3.0']);
    expect(execFileSync('git', ['tag', '--list'], { cwd: bare, encoding: 'utf8' })).toContain('v1.3.0');

    r.commit('fix: y', { 'src/main.go': '4' });
    r.git('push', '-q', 'origin', 'HEAD:main');
    const env2 = { ...env, GITHUB_SHA: r.git('rev-parse', 'HEAD') };
    const reserved = await runAction('compute-version', { reserve: 'true' }, { cwd: r.dir, env: env2 });
    expect(reserved.outputs.version).toBe('1.3.1');
    expect(execFileSync('git', ['tag', '--list'], { cwd: bare, encoding: 'utf8' })).toContain('v1.3.1');
  });

  it('pipeline: versions and releases the repository, with nothing to build', async () => {
    const r = released();
    r.withBareOrigin();
    const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: r.git('rev-parse', 'HEAD'), GITHUB_REPOSITORY: 'acme/tool' };
    const { outputs } = await runAction('pipeline', { release: 'true', 'dry-run': 'true' }, { cwd: r.dir, env });
    expect(outputs['version-version']).toBe('1.3.0');
    expect(JSON.parse(outputs['release-tags'])).toEqual(['v1.3.0']);
  });

  it('an empty repository (no commit yet) gives the initial version, not a git error', async () => {
    const r = repo();
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '0.0.0', release: 'false', previous: '', bump: 'none' });
  });
});

describe('absolute path inputs', () => {
  it('--config /abs/path/imgver.yaml is read where it is, not under the working directory', async () => {
    const r = released();
    const dir = mkdtempSync(join(tmpdir(), 'imgver-config-'));
    const config = join(dir, 'imgver.yaml');
    writeFileSync(config, 'version:\n  tag-format: "release-{{version}}"\n');
    r.git('tag', 'release-1.2.0', 'v1.2.0');
    const { outputs } = await runAction('compute-version', { config }, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.3.0', previous: '1.2.0' });
    expect(JSON.parse(outputs.plan).services[0].releaseTag).toBe('release-1.3.0');
  });

  it('an absolute version-file is read and written where it is', async () => {
    const r = released();
    writeFileSync(join(r.dir, 'VERSION'), '3.1.0\n');
    const { outputs } = await runAction('compute-version', { 'version-source': 'file', 'version-file': join(r.dir, 'VERSION') }, { cwd: r.dir });
    expect(outputs.version).toBe('3.1.0');
  });
});

describe('next-version semantics (real git)', () => {
  it('a BREAKING CHANGE footer right under the subject (no blank line) is breaking', async () => {
    const r = repo();
    r.commit('init');
    r.tag('v1.2.3');
    r.commit('my commit message\nBREAKING CHANGE:\nthis is a breaking change');
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '2.0.0', bump: 'major' });
  });

  it("a tag suffixed with another line's namespace is not a pending prerelease", async () => {
    const r = repo();
    r.commit('init');
    r.tag('0.0.1');
    r.commit('second');
    r.tag('0.1.0-subproject');
    r.git('tag', '0.1.0-sub.project');
    r.commit('third');
    const tagFormat = '{{version}}';
    expect((await runAction('compute-version', { 'tag-format': tagFormat }, { cwd: r.dir })).outputs.version).toBe('0.0.2');
    expect((await runAction('compute-version', { 'tag-format': '{{version}}-subproject' }, { cwd: r.dir })).outputs.version).toBe('0.1.1');
  });

  it('a prerelease tag on HEAD does not stop a release when prereleases are off', async () => {
    const r = repo();
    r.commit('init');
    r.tag('v0.1.0');
    r.commit('fix: x');
    r.tag('v1.0.0-rc1');
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.0.0', release: 'true' });
  });

  it('previous on a tagged HEAD is the release before that tag', async () => {
    const r = repo();
    r.commit('init');
    r.tag('v2.0.1');
    r.commit('second');
    r.tag('v2.0.2');
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '2.0.2', previous: '2.0.1', release: 'false' });
  });

  it('version from-branch: release/v3 counts only 3.x tags', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'version:\n  from-branch: true\n' });
    r.git('checkout', '-q', '-b', 'release/v3');
    r.tag('v3.0.0');
    r.commit('third');
    r.tag('v4.0.0');
    r.commit('fourth');
    expect((await runAction('compute-version', {}, { cwd: r.dir })).outputs.version).toBe('3.0.1');
  });
});

describe('a service that can never release', () => {
  it('warns when its default paths name a directory that does not exist', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'services:\n  app: {}\n', 'main.go': '1' });
    const log = captureLog();
    await runAction('compute-version', {}, { cwd: r.dir, log });
    expect(log.lines.join('\n')).toMatch(/warning: service app: there is no app\/ directory, so its default paths \(app\/\*\*\) match no commit/);
  });
});

describe('only another line has tags', () => {
  it('a namespaced tag alone is no format mismatch: the line makes its first release', async () => {
    const r = repo();
    r.commit('init');
    r.tag('0.1.0-subproject');
    r.commit('fix: x');
    const { outputs } = await runAction('compute-version', { 'tag-format': '{{version}}' }, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '0.0.1', release: 'true' });
  });
});

describe('versionOfBranch', () => {
  it.each<[string, string | undefined]>([
    ['release/v3', '3.0.0'],
    ['release/v3.2', '3.2.0'],
    ['3.2.x', '3.2.0'],
    ['v10', '10.0.0'],
    ['feature/JIRA-123', undefined],
    ['main', undefined]
  ])('[%#] %s', (branch, base) => expect(versionOfBranch(branch)?.base).toBe(base));
});
