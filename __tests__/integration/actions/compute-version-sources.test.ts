import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors.js';
import { TestRepo } from '../../helpers/repo.js';
import { runAction } from '../../helpers/run-action.js';

const repos: TestRepo[] = [];
const repo = () => {
  const r = TestRepo.create();
  repos.push(r);
  return r;
};
afterEach(() => repos.splice(0).forEach(r => r.remove()));

const CONFIG = 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\n';

describe('version source git-tag (real git)', () => {
  it('bumps from the highest reachable tag by the commits touching the paths', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG, 'api/main.go': '1', 'web/index.html': '1' });
    r.tag('v1.2.0').tag('v1.1.9');
    const decider = r.commit('feat(api): new endpoint', { 'api/main.go': '2' });
    r.commit('docs: readme [major]', { 'README.md': 'outside every service' });
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.3.0', previous: '1.2.0', bump: 'minor', release: 'true', 'bump-commit': decider });
    const plan = JSON.parse(outputs.plan);
    expect(plan.services.map((s: { name: string; changed: boolean }) => [s.name, s.changed])).toEqual([
      ['api', true],
      ['web', false]
    ]);
    expect(outputs.tags.split('\n')).toEqual(['ghcr.io/acme/api:1.3.0', 'ghcr.io/acme/api:latest', 'ghcr.io/acme/web:1.3.0', 'ghcr.io/acme/web:latest']);
  });

  it('releases nothing when no commit touched the paths', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG, 'api/a': '1' });
    r.tag('v2.0.0');
    r.commit('fix: docs only', { 'docs/x.md': 'x' });
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '2.0.0', release: 'false', bump: 'none', changed: '[]' });
  });

  it('per-service: each service its own tag line and commits', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'version: {scheme: per-service}\n' + CONFIG, 'api/a': '1', 'web/w': '1' });
    r.tag('api/v1.0.0').tag('web/v3.4.0');
    r.commit('fix(web): bug', { 'web/w': '2' });
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(JSON.parse(outputs.versions)).toEqual({ api: '1.0.0', web: '3.4.1' });
    expect(JSON.parse(outputs.changed)).toEqual(['web']);
    expect(outputs.tags).toBe('ghcr.io/acme/web:3.4.1\nghcr.io/acme/web:latest');
  });

  it('a rename counts for the old and the new path', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'version: {scheme: per-service}\n' + CONFIG, 'api/a': 'same content\n'.repeat(20), 'web/w': '1' });
    r.tag('api/v1.0.0').tag('web/v1.0.0');
    r.git('mv', 'api/a', 'web/a');
    r.commit('feat: move a from api to web');
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(JSON.parse(outputs.versions)).toEqual({ api: '1.1.0', web: '1.1.0' });
  });

  it('prerelease branch map and counter', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'prerelease: {branches: {"release/*": rc}}\n' + CONFIG, 'api/a': '1' });
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'release/1.1');
    r.commit('feat: x', { 'api/a': '2' });
    r.tag('v1.1.0-rc.0');
    r.commit('fix: y', { 'api/a': '3' });
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.1.0-rc.1', prerelease: 'true', release: 'true' });
    expect(outputs['tag-names']).toBe('1.1.0-rc.1');
  });

  it('pull request builds get a preview version', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG, 'api/a': '1' });
    r.tag('v1.0.0');
    const sha = r.commit('feat: x', { 'api/a': '2' });
    const { outputs } = await runAction('compute-version', { event: 'pull_request', ref: 'refs/pull/42/merge' }, { cwd: r.dir });
    // A sha of digits only would be a SemVer number, which cannot start with 0: it gets a 'g' prefix.
    const shaId = /^\d+$/.test(sha.slice(0, 7)) ? `g${sha.slice(0, 7)}` : sha.slice(0, 7);
    expect(outputs.version).toBe(`1.1.0-pr.42.${shaId}`);
    expect(outputs.release).toBe('false');
    expect(outputs['tag-names']).toBe(`1.1.0-pr.42.${shaId}\npr-42`);
  });

  it('deepens a --depth 1 clone without tags instead of restarting at 0.0.x', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG, 'api/a': '1' });
    r.tag('v5.1.0');
    r.commit('fix: x', { 'api/a': '2' });
    r.commit('fix: y', { 'api/a': '3' });
    const origin = r.withBareOrigin();
    const clone = TestRepo.shallowClone(origin);
    repos.push(clone, new TestRepo(origin));
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('true');
    expect(clone.git('tag', '--list')).toBe('');
    const { outputs } = await runAction('compute-version', {}, { cwd: clone.dir });
    expect(outputs).toMatchObject({ version: '5.1.1', previous: '5.1.0' });
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('false');
  });

  it('a shallow clone with no origin is a clear error', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG, 'api/a': '1' });
    r.commit('fix: x', { 'api/a': '2' });
    const origin = r.withBareOrigin();
    const clone = TestRepo.shallowClone(origin);
    repos.push(clone, new TestRepo(origin));
    clone.git('remote', 'remove', 'origin');
    await expect(runAction('compute-version', {}, { cwd: clone.dir })).rejects.toThrow(/shallow clone without an origin/);
  });

  it('lists version-like tags that do not match the format', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG, 'api/a': '1' });
    r.tag('release-1.2.3').tag('1.2.4');
    await expect(runAction('compute-version', {}, { cwd: r.dir })).rejects.toThrow(
      /No tag reachable from HEAD matches the tag format "v\{\{version\}\}", but these version-like tags exist: 1.2.4, release-1.2.3/
    );
  });

  it('first release when the repository has no tag at all', async () => {
    const r = repo();
    r.commit('feat: init', { 'imgver.yaml': CONFIG, 'api/a': '1' });
    const { outputs } = await runAction('compute-version', {}, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '0.1.0', previous: '', release: 'true' });
  });
});

describe('version source ref', () => {
  it('needs no checkout: the version comes from the tag', async () => {
    const dir = join(TestRepo.create().dir, 'not-a-checkout');
    const { outputs } = await runAction(
      'compute-version',
      { images: 'ghcr.io/acme/app', 'version-source': 'ref', ref: 'refs/tags/v1.2.3', sha: 'a'.repeat(40), tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha' },
      { cwd: dir }
    );
    expect(outputs.version).toBe('1.2.3');
    expect(outputs['tag-names'].split('\n')).toEqual(['1.2.3', '1.2', 'sha-aaaaaaa', 'latest']);
  });

  it.each([
    ['refs/tags/release1', /Tag "release1" is not a release version: expected v\{\{version\}\} with a SemVer version, e.g. v1.2.3/],
    ['refs/tags/v1.2', /Tag "v1.2" is not a release version/]
  ])('[%#] %s is a clear error', async (ref, message) => {
    await expect(
      runAction('compute-version', { images: 'app', 'version-source': 'ref', ref, sha: 'b'.repeat(40) }, { cwd: '/nonexistent' })
    ).rejects.toThrow(message);
  });

  it('per-service tags release only their service', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'version: {source: ref, scheme: per-service}\n' + CONFIG });
    const { outputs } = await runAction('compute-version', { ref: 'refs/tags/api/v2.1.0' }, { cwd: r.dir });
    expect(JSON.parse(outputs.versions)).toEqual({ api: '2.1.0', web: '' });
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
  });
});

describe('version source file', () => {
  it('exact: releases the version the human wrote, once', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'version: {source: file, file: VERSION}\n' + CONFIG, VERSION: '4.20.5\n', 'api/a': '1' });
    let { outputs } = await runAction('compute-version', { flavor: 'latest=false', tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{version}},suffix=-{{service}}' }, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '4.20.5', release: 'true' });
    expect(outputs['tag-names']).toBe('4.20.5\n4.20.5-api\n4.20.5-web');
    r.tag('v4.20.5');
    ({ outputs } = await runAction('compute-version', {}, { cwd: r.dir }));
    expect(outputs).toMatchObject({ version: '4.20.5', release: 'false' });
  });

  it('bump: writes the file back with fields and rotates the changelog', async () => {
    const r = repo();
    const config = [
      'version:',
      '  source: file',
      '  file: assets/version.json#version',
      '  file-mode: bump',
      '  file-fields:',
      "    build_date: \"{{date 'YYYY-MM-DDTHH:mm:ss[Z]'}}\"",
      '    git_commit: "{{sha7}}"',
      CONFIG
    ].join('\n');
    r.commit('init', {
      'imgver.yaml': config,
      'assets/version.json': '{\n  "version": "1.4.2"\n}\n',
      'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n- thing\n',
      'api/a': '1'
    });
    const sha = r.commit('feat(api): y', { 'api/a': '2' });
    const { outputs } = await runAction('compute-version', { write: 'true' }, { cwd: r.dir });
    expect(outputs).toMatchObject({ version: '1.5.0', previous: '1.4.2', release: 'true' });
    expect(JSON.parse(outputs['written-files'])).toEqual(['assets/version.json', 'CHANGELOG.md']);
    expect(JSON.parse(readFileSync(join(r.dir, 'assets/version.json'), 'utf8'))).toEqual({
      version: '1.5.0',
      build_date: '2026-11-22T10:00:00Z',
      git_commit: sha.slice(0, 7)
    });
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toBe('# Changelog\n\n## [Unreleased]\n\n## [1.5.0] - 2026-11-22\n\n- thing\n');
  });

  it('a broken version file names file and line, and nothing is written', async () => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': 'version: {source: file, file: VERSION}\n' + CONFIG, VERSION: '\nnot-a-version\n' });
    const error = await runAction('compute-version', { write: 'true' }, { cwd: r.dir }).catch(e => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/VERSION:2: "not-a-version" is not a version/);
    expect(r.git('status', '--porcelain')).toBe('');
  });
});

describe('input errors', () => {
  it.each<[Record<string, string>, RegExp]>([
    [{ bump: 'huge' }, /Input 'bump' is set to invalid value 'huge'/],
    [{ 'version-source': 'ecr' }, /Input 'version-source' is set to invalid value 'ecr'/],
    [{ service: 'nope' }, /Input 'service' is set to 'nope', which is not a service of imgver.yaml \(api, web\)/],
    [{ config: 'missing.yaml' }, /Config file missing.yaml not found/],
    [{ plan: '{"schema": 2, "services": []}' }, /Input 'plan' has plan schema 2/],
    [{ write: 'perhaps' }, /Input 'write' is set to invalid value 'perhaps'/],
    [{ images: 'Bad Image!' }, /Image "Bad Image!" in input 'images' is not a valid image name/]
  ])('[%#] %p', async (inputs, message) => {
    const r = repo();
    r.commit('init', { 'imgver.yaml': CONFIG });
    await expect(runAction('compute-version', inputs, { cwd: r.dir })).rejects.toThrow(message);
  });
});
