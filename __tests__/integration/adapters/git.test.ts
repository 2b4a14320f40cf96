/** The Git adapter against real repositories: what one call answers for a run whose HEAD stays put. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git } from '../../../src/adapters/git.js';
import { TestRepo } from '../../helpers/repo.js';

describe('Git with a fixed HEAD: the repository check answers what HEAD is too', () => {
  const removals: (() => void)[] = [];
  afterAll(() => removals.forEach(remove => remove()));

  const withCommit = () => {
    const repo = TestRepo.create();
    repo.commit('init', { 'a/b': 'x' });
    removals.push(() => repo.remove());
    return { dir: repo.dir, head: repo.git('rev-parse', 'HEAD') };
  };
  const unborn = () => {
    const repo = TestRepo.create();
    removals.push(() => repo.remove());
    return { dir: repo.dir, head: undefined };
  };
  const subdirectory = () => {
    const { dir, head } = withCommit();
    mkdirSync(join(dir, 'a', 'c'), { recursive: true });
    return { dir: join(dir, 'a', 'c'), head };
  };
  const notRepository = () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-not-repo-'));
    removals.push(() => rmSync(dir, { recursive: true, force: true }));
    return { dir, head: undefined };
  };

  it.each([
    ['a repository with a commit', withCommit, true],
    ['a repository without a commit yet', unborn, true],
    ['a subdirectory of a repository', subdirectory, true],
    ['a directory outside any repository', notRepository, false],
    ['a directory that does not exist', () => ({ dir: join(tmpdir(), 'imgver-no-such-dir', 'x'), head: undefined }), false]
  ])('[%#] %s', async (_, make, repository) => {
    const { dir, head } = make();
    const calls: string[][] = [];
    const git = new Git(dir, { fixedHead: true, trace: args => calls.push(args) });
    expect(await git.isRepository()).toBe(repository);
    // The same answers as a Git without a fixed HEAD, which asks git twice.
    const plain = new Git(dir);
    expect(await plain.isRepository()).toBe(repository);
    if (!repository) return;
    expect(await git.resolveCommit('HEAD')).toBe(head);
    expect(await git.resolveCommit('HEAD')).toBe(await plain.resolveCommit('HEAD'));
    expect(calls).toHaveLength(1);
  });
});
