import { describe, expect, it } from '@jest/globals';
import { decideBases, diffKey, headRevision, newestTagBelow, pushShortcut, type BaseDecision, type BaseLookup, type Unit } from '../../../src/core/change-base.js';
import { emptyConfig } from '../../../src/core/config.js';
import type { RunContext } from '../../../src/core/context.js';
import { compileTagFormat } from '../../../src/core/version-tag.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const ZERO = '0'.repeat(40);

const context = (eventName: string, ref: string, payload: Record<string, unknown> = {}, extra: Partial<RunContext> = {}): RunContext => ({
  eventName,
  ref,
  sha: HEAD,
  repo: {},
  payload,
  now: new Date('2026-01-01T00:00:00Z'),
  defaultBranch: 'main',
  ...extra
});
const request = (extra: Partial<{ base: string; head: string; all: boolean; tagFormat: string }> = {}) => ({ all: false, ...extra });
const units: Unit[] = [{ spec: { name: 'api', rules: [{ pattern: 'api/**' }], dependsOn: [] }, service: { name: 'api', image: 'api', context: 'api', dockerfile: 'api/Dockerfile', paths: ['api/**'], dependsOn: [] } }];

/** A repository as a table: commits it has, merge-bases, tags; every commit asked for is there unless `missing`. */
function fakeLookup(repo: { missing?: string[]; mergeBase?: string; tags?: string[]; refs?: Record<string, string> } = {}): BaseLookup & { asked: string[] } {
  const asked: string[] = [];
  const has = (rev: string) => (repo.missing?.includes(rev) ? undefined : rev);
  return {
    asked,
    requireRepository: async () => undefined,
    head: async () => HEAD,
    symbolicFullName: async name => repo.refs?.[name],
    localCommit: async rev => (rev.startsWith('refs/remotes/') ? undefined : has(rev)),
    commit: async rev => has(rev),
    requireCommit: async (rev, what) => {
      asked.push(`${what} ${rev}`);
      const sha = has(rev);
      if (!sha) throw new Error(`Cannot reach the ${what} ${rev}`);
      return sha;
    },
    mergeBase: async (a, b, what) => {
      asked.push(`merge-base ${what}`);
      return repo.mergeBase ?? A;
    },
    againstDefaultBranch: async (head, why): Promise<BaseDecision> => ({ base: repo.mergeBase ?? A, head, why: `${why}: merge-base with main` }),
    previousReleaseTag: async (series, below) => {
      const tag = await newestTagBelow(repo.tags ?? [], series, below);
      return tag ? { tag, sha: B } : undefined;
    }
  };
}

describe('detect-changes: the base of the diff per event (core/change-base.ts)', () => {
  it.each([
    ['a push from a known commit', context('push', 'refs/heads/main', { before: A }), request(), { base: A, head: HEAD, why: `push: since ${A.slice(0, 7)}` }],
    ['a push whose before is gone (force-push)', context('push', 'refs/heads/main', { before: B }), request(), { base: A, head: HEAD }, { missing: [B] }],
    ['a new branch', context('push', 'refs/heads/topic', { before: ZERO }), request(), { base: A, head: HEAD, why: 'new branch topic: merge-base with main' }],
    ['a deleted branch', context('push', 'refs/heads/topic', { before: A }, { sha: ZERO }), request(), { head: ZERO, skip: true }],
    ['a pull request', context('pull_request', 'refs/pull/1/merge', { pull_request: { base: { sha: B, ref: 'main' }, head: { sha: HEAD } } }), request(), { base: A, head: HEAD }],
    ['a merge group', context('merge_group', 'refs/heads/gh-readonly-queue/main/x', { merge_group: { base_sha: B, head_sha: HEAD } }), request(), { base: B, head: HEAD }],
    ['all: true', context('push', 'refs/heads/main', { before: A }), request({ all: true }), { head: HEAD, all: true, why: 'all: true' }],
    ['base HEAD: the checkout', context('push', 'refs/heads/main'), request({ base: 'HEAD' }), { base: HEAD, head: HEAD, worktree: true }],
    ['base a commit', context('workflow_dispatch', 'refs/heads/main'), request({ base: B }), { base: B, head: HEAD, why: `input base=${B}` }],
    ['base a branch: its merge-base', context('workflow_dispatch', 'refs/heads/topic'), request({ base: 'main' }), { base: A, head: HEAD }, { refs: { main: 'refs/heads/main' } }],
    ['a release tag after another', context('push', 'refs/tags/v1.2.0'), request(), { base: B, head: HEAD, why: 'tag v1.2.0: changes since v1.1.0' }, { tags: ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0'] }],
    ['the first release tag', context('push', 'refs/tags/v1.0.0'), request(), { head: HEAD, all: true }, { tags: ['v1.0.0'] }],
    ['a dispatch after a release', context('workflow_dispatch', 'refs/heads/main'), request(), { base: B, head: HEAD, why: 'since the last release v2.0.0' }, { tags: ['v2.0.0', 'v2.1.0-rc.1'] }],
    ['a dispatch with no release yet', context('workflow_dispatch', 'refs/heads/main'), request(), { base: A, head: HEAD, why: 'no release tag yet: merge-base with main' }]
  ])('%s', async (_what, ctx, req, expected, repo: Parameters<typeof fakeLookup>[0] = {}) => {
    const decisions = await decideBases({ lookup: fakeLookup(repo), context: ctx, request: req, config: emptyConfig(), units, optimistic: false });
    expect(decisions.get('api')).toMatchObject(expected);
  });

  it('a pull request without a base in its payload is an error naming the input', async () => {
    const ctx = context('pull_request', 'refs/pull/1/merge', { pull_request: {} });
    await expect(decideBases({ lookup: fakeLookup(), context: ctx, request: request(), config: emptyConfig(), units, optimistic: false })).rejects.toThrow(
      'without pull_request.base.sha in its payload: set the base input'
    );
  });

  it('a tag of no release series is an error naming tag-format', async () => {
    await expect(decideBases({ lookup: fakeLookup(), context: context('push', 'refs/tags/nightly'), request: request(), config: emptyConfig(), units, optimistic: false })).rejects.toThrow(
      'Tag nightly matches no release tag format'
    );
  });

  it.each([
    ['a push with a before', context('push', 'refs/heads/main', { before: A }), request(), { base: A, head: HEAD }],
    ['a push of a new branch', context('push', 'refs/heads/main', { before: ZERO }), request(), undefined],
    ['a tag push', context('push', 'refs/tags/v1.0.0', { before: A }), request(), undefined],
    ['a pull request', context('pull_request', 'refs/pull/1/merge', { before: A }), request(), undefined],
    ['a push with a base input', context('push', 'refs/heads/main', { before: A }), request({ base: 'main' }), undefined],
    ['a push with all', context('push', 'refs/heads/main', { before: A }), request({ all: true }), undefined]
  ])('the push shortcut: %s', (_what, ctx, req, expected) => {
    expect(pushShortcut(ctx, req)).toEqual(expected);
  });

  it.each([
    ['the head input', context('pull_request', 'r', { pull_request: { head: { sha: B } } }), request({ head: A }), A],
    ["a pull request's head", context('pull_request_target', 'r', { pull_request: { head: { sha: B } } }), request(), B],
    ["a merge group's head", context('merge_group', 'r', { merge_group: { head_sha: B } }), request(), B],
    ["the run's commit", context('push', 'r'), request(), HEAD]
  ])('the head: %s', (_what, ctx, req, expected) => {
    expect(headRevision(ctx, req)).toBe(expected);
  });

  it.each([
    [['v1.0.0', 'v1.2.0', 'v1.10.0'], undefined, 'v1.10.0'],
    [['v1.0.0', 'v1.2.0', 'v1.10.0'], '1.10.0', 'v1.2.0'],
    [['v1.0.0', 'v1.1.0-rc.1'], '1.1.0', 'v1.0.0'],
    [['v1.0.0', 'v1.1.0-rc.1'], '1.1.0-rc.2', 'v1.1.0-rc.1'],
    [['api-v1.0.0', 'v2.0.0'], undefined, 'v2.0.0'],
    [[], undefined, undefined]
  ])('the newest tag of %j below %s: %s', async (tags, below, expected) => {
    expect(await newestTagBelow(tags, { format: compileTagFormat('v{{version}}') }, below)).toBe(expected);
  });

  it.each([
    [{ head: HEAD, all: true, why: '' }, `all:${HEAD}`],
    [{ head: HEAD, worktree: true, base: HEAD, why: '' }, `worktree:${HEAD}`],
    [{ head: HEAD, base: A, why: '' }, `${A}..${HEAD}`]
  ])('diff key of %j', (decision, key) => {
    expect(diffKey(decision)).toBe(key);
  });
});
