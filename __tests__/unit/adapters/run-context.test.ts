import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveContext, runInstant } from '../../../src/adapters/run-context.js';

const dir = mkdtempSync(join(tmpdir(), 'imgver-context-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function eventFile(name: string, payload: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

const WALL = new Date('2026-05-01T12:00:00Z');
const prPayload = { number: 15, pull_request: { number: 15, head: { ref: 'test-pr', sha: '3370e228f2209994d57af4427fe64e71bb79ac96' }, base: { ref: 'master' } }, repository: { default_branch: 'master' } };

describe('run context (docker/metadata-action parity)', () => {
  it.each<[string, NodeJS.ProcessEnv, { ref: string; sha: string; branch?: string }]>([
    [
      'pull_request_target: the ref is the pull request, not the base branch',
      { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/master', GITHUB_SHA: '266574110acf203503badf966df2ea24b5d732d7' },
      { ref: 'refs/pull/15/merge', sha: '266574110acf203503badf966df2ea24b5d732d7', branch: 'test-pr' }
    ],
    [
      'pull_request_target with DOCKER_METADATA_PR_HEAD_SHA: the head commit',
      { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/master', GITHUB_SHA: '2665741', DOCKER_METADATA_PR_HEAD_SHA: 'true' },
      { ref: 'refs/pull/15/merge', sha: '3370e228f2209994d57af4427fe64e71bb79ac96', branch: 'test-pr' }
    ],
    [
      'pull_request with DOCKER_METADATA_PR_HEAD_SHA: the head commit',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/15/merge', GITHUB_SHA: 'a9c8c58', DOCKER_METADATA_PR_HEAD_SHA: 'true' },
      { ref: 'refs/pull/15/merge', sha: '3370e228f2209994d57af4427fe64e71bb79ac96', branch: 'test-pr' }
    ],
    [
      'pull_request without it: the merge commit',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/15/merge', GITHUB_SHA: 'a9c8c58' },
      { ref: 'refs/pull/15/merge', sha: 'a9c8c58', branch: 'test-pr' }
    ]
  ])('%s', async (_name, env, expected) => {
    const context = await resolveContext({
      env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_PATH: eventFile('pr.json', prPayload), ...env },
      overrides: {},
      now: WALL,
      git: async () => undefined
    });
    expect({ ref: context.ref, sha: context.sha, branch: context.branch }).toEqual(expected);
  });

  it('a run with no ref anywhere: an empty ref in metadata-action mode, an error otherwise', async () => {
    const options = { env: { GITHUB_ACTIONS: 'true' }, overrides: {}, now: WALL, git: async () => undefined };
    const context = await resolveContext({ ...options, optionalRef: true });
    expect({ ref: context.ref, sha: context.sha }).toEqual({ ref: '', sha: '' });
    await expect(resolveContext(options)).rejects.toThrow(/Cannot tell which ref this run is for/);
  });

  it('the commit date is the pushed commit’s own (commits[] by id, else head_commit when it is that commit)', async () => {
    const payload = {
      commits: [{ id: 'aaa', timestamp: '2022-04-19T11:27:24+02:00' }],
      head_commit: { id: 'bbb', timestamp: '2023-01-01T00:00:00Z' }
    };
    const at = async (sha: string) =>
      (await resolveContext({ env: { GITHUB_ACTIONS: 'true', GITHUB_REF: 'refs/heads/dev', GITHUB_SHA: sha, GITHUB_EVENT_PATH: eventFile('push.json', payload) }, overrides: {}, now: WALL, git: async () => undefined }))
        .commitDate?.toISOString();
    expect(await at('aaa')).toBe('2022-04-19T09:27:24.000Z');
    expect(await at('bbb')).toBe('2023-01-01T00:00:00.000Z');
    expect(await at('ccc')).toBeUndefined();
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  it.each<[string | undefined, string]>([
    [undefined, WALL.toISOString()],
    ['', WALL.toISOString()],
    ['1578616200', '2020-01-10T00:30:00.000Z'],
    [' 0 ', '1970-01-01T00:00:00.000Z']
  ])('%j → %s', (epoch, expected) => {
    expect(runInstant({ SOURCE_DATE_EPOCH: epoch }, WALL).toISOString()).toBe(expected);
  });

  it('names the variable and what was expected when it is not a number of seconds', () => {
    expect(() => runInstant({ SOURCE_DATE_EPOCH: 'yesterday' }, WALL)).toThrow(/^SOURCE_DATE_EPOCH is "yesterday": expected seconds since 1970/);
  });

  it('is the instant every date of the run is written from', async () => {
    const context = await resolveContext({ env: { SOURCE_DATE_EPOCH: '1578616200' }, overrides: { ref: 'main', sha: 'abc'.padEnd(40, '0') }, now: WALL, git: async () => undefined });
    expect(context.now.toISOString()).toBe('2020-01-10T00:30:00.000Z');
  });
});

describe('DOCKER_METADATA_SHORT_SHA_LENGTH', () => {
  const at = (length: string | undefined) =>
    resolveContext({ env: { DOCKER_METADATA_SHORT_SHA_LENGTH: length }, overrides: { ref: 'main', sha: 'abc'.padEnd(40, '0') }, now: WALL, git: async () => undefined });
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['12', 12],
    [' 40 ', 40]
  ])('%j → %j', async (length, expected) => {
    expect((await at(length)).shortShaLength).toBe(expected);
  });
  it('names the variable and what was expected', async () => {
    await expect(at('long')).rejects.toThrow(/^DOCKER_METADATA_SHORT_SHA_LENGTH is "long": expected a number of characters/);
  });
});
