import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/core/errors.js';
import { TestRepo } from '../../helpers/repo.js';
import { runAction } from '../../helpers/run-action.js';

const repo = TestRepo.create();
const sha = repo.commit('init', { Dockerfile: 'FROM scratch\n' });
const outside = mkdtempSync(join(tmpdir(), 'imgver-no-repo-'));
afterAll(() => {
  repo.remove();
  rmSync(outside, { recursive: true, force: true });
});

function runner(payload: unknown, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const path = join(mkdtempSync(join(tmpdir(), 'imgver-event-')), 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_PATH: path, ...env };
}

const repository = { name: 'app', full_name: 'acme/app', default_branch: 'main', html_url: 'https://github.com/acme/app' };

describe("compute-version in docker/metadata-action's mode (real git)", () => {
  it('without an image (version-source metadata): bare tag names, as metadata-action with an empty images input', async () => {
    const env = runner({ repository }, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha });
    const { outputs } = await runAction('compute-version', { 'version-source': 'metadata', tags: 'type=ref,event=branch\ntype=sha' }, { cwd: repo.dir, env });
    expect(outputs.tags.split('\n')).toEqual(['main', `sha-${sha.slice(0, 7)}`]);
    expect(outputs.version).toBe('main');
    expect(JSON.parse(outputs.json)['tag-names']).toEqual(['main', `sha-${sha.slice(0, 7)}`]);
  });

  it('a run with no ref and no event, outside any repository: empty outputs, not an error', async () => {
    const { outputs } = await runAction('compute-version', { images: 'user/app', tags: 'type=sha\ntype=raw,{{branch}}' }, { cwd: outside, env: {} });
    expect(outputs.version).toBe('');
    expect(outputs.tags).toBe('');
    expect(outputs.labels).toContain('org.opencontainers.image.revision=\n');
  });

  it('SOURCE_DATE_EPOCH is the instant of {{date}} and of the created label', async () => {
    const env = runner({ repository }, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha, SOURCE_DATE_EPOCH: '1578616200' });
    const { outputs } = await runAction('compute-version', { images: 'user/app', tags: "type=raw,value={{date 'YYYYMMDD-HHmm'}}" }, { cwd: repo.dir, env });
    expect(outputs.tags).toBe('user/app:20200110-0030');
    expect(outputs.labels).toContain('org.opencontainers.image.created=2020-01-10T00:30:00.000Z');
  });

  it('pull_request_target: the pull request of the payload, not the base branch', async () => {
    const payload = { number: 15, pull_request: { number: 15, head: { ref: 'feature', sha: 'b'.repeat(40) }, base: { ref: 'main' } }, repository };
    const env = runner(payload, { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha });
    const tags = 'type=ref,event=pr\ntype=ref,event=branch\ntype=raw,value=base-{{base_ref}}\ntype=raw,value=default,enable={{is_default_branch}}';
    const { outputs } = await runAction('compute-version', { images: 'user/app', tags }, { cwd: repo.dir, env });
    expect(outputs.tags.split('\n')).toEqual(['user/app:pr-15', 'user/app:base-main']);
  });

  it('quoted rule fields are read by csv-parse; a broken one is one clean error naming the rule', async () => {
    const env = runner({ repository }, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/release12', GITHUB_SHA: sha });
    const { outputs } = await runAction('compute-version', { images: 'user/app', tags: 'type=match,"pattern=^release\\d{1,2}"' }, { cwd: repo.dir, env });
    expect(outputs.tags.split('\n')).toEqual(['user/app:release12', 'user/app:latest']);
    const broken = runAction('compute-version', { images: 'user/app', tags: 'type=match,pattern="a' }, { cwd: repo.dir, env });
    await expect(broken).rejects.toThrow(UserError);
    await expect(broken).rejects.toThrow(/^Cannot read tag rule "type=match,pattern="a": .*\(expected comma-separated fields/);
  });

  it('SOURCE_DATE_EPOCH also dates the version-file fields and the changelog imgver writes', async () => {
    const r = TestRepo.create();
    try {
      const config = [
        'version: {source: file, file: "version.json#version", file-mode: bump, file-fields: {built: "{{date \'YYYY-MM-DDTHH:mm:ss[Z]\'}}"}}',
        'image: ghcr.io/acme/{{service}}',
        'services: {api: {}}'
      ].join('\n');
      r.commit('init', { 'imgver.yaml': config, 'version.json': '{"version": "1.0.0"}\n', 'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n- x\n', 'api/a': '1' });
      r.commit('fix(api): y', { 'api/a': '2' });
      await runAction('compute-version', { write: 'true' }, { cwd: r.dir, env: { SOURCE_DATE_EPOCH: '1578616200' } });
      expect(JSON.parse(readFileSync(join(r.dir, 'version.json'), 'utf8'))).toEqual({ version: '1.0.1', built: '2020-01-10T00:30:00Z' });
      expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toContain('## [1.0.1] - 2020-01-10\n');
    } finally {
      r.remove();
    }
  });
});
