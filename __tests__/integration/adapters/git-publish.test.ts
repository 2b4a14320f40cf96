import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git } from '../../../src/adapters/git.js';
import { publishRelease, reserveVersion, type OnConflict } from '../../../src/adapters/git-publish.js';
import { TestRepo } from '../../helpers/repo.js';

/** A bare origin holding VERSION 1.0.0 on main, with a reflog of every ref update (to prove nothing was forced). */
function origin(): string {
  const seed = TestRepo.create();
  seed.commit('init', { VERSION: '1.0.0\n' });
  const bare = seed.withBareOrigin();
  execFileSync('git', ['config', 'core.logAllRefUpdates', 'always'], { cwd: bare });
  return bare;
}

/** Each racer commits as its own author: identical commits made in the same second would be one and the same object. */
let racerCount = 0;
function clone(bare: string): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-racer-'));
  execFileSync('git', ['clone', '-q', `file://${bare}`, dir]);
  const repo = new TestRepo(dir);
  repo.git('config', 'user.email', 'racer@imgver.local');
  repo.git('config', 'user.name', `racer ${++racerCount}`);
  return repo;
}

/** A release as compute-version's write-back makes it: VERSION bumped from the tip (or kept, without recompute). */
function release(repo: TestRepo, onConflict: OnConflict, log: string[]) {
  let fixed: string | undefined;
  return publishRelease(new Git(repo.dir), {
    remote: 'origin',
    branch: 'main',
    onConflict,
    maxAttempts: 12,
    log: m => log.push(m),
    prepare: async () => {
      const current = readFileSync(join(repo.dir, 'VERSION'), 'utf8').trim();
      const [major, minor, patch] = current.split('.').map(Number);
      const next = onConflict === 'recompute' || !fixed ? `${major}.${minor}.${patch + 1}` : fixed;
      fixed ??= next;
      writeFileSync(join(repo.dir, 'VERSION'), `${next}\n`);
      return { files: ['VERSION'], message: `chore(release): v${next} [skip ci]`, tags: [{ name: `v${next}`, message: `Release ${next}` }], moving: [{ name: `v${major}` }] };
    }
  });
}

const bareGit = (bare: string, ...args: string[]) => execFileSync('git', args, { cwd: bare, encoding: 'utf8' }).trim();

describe('publishRelease (real git: a bare origin, racing clones)', () => {
  it('8 releases racing on one branch with on-conflict recompute: 8 distinct versions, no duplicate tag, no lost commit, nothing forced', async () => {
    const bare = origin();
    const racers = Array.from({ length: 8 }, () => clone(bare));
    const logs = racers.map(() => [] as string[]);
    const results = await Promise.all(racers.map((repo, i) => release(repo, 'recompute', logs[i])));

    const tags = results.flatMap(r => r.tags).sort();
    expect(tags).toEqual(['v1.0.1', 'v1.0.2', 'v1.0.3', 'v1.0.4', 'v1.0.5', 'v1.0.6', 'v1.0.7', 'v1.0.8']);
    // Every release commit is on main, in one line of history, each tag on its own commit.
    const history = bareGit(bare, 'log', '--format=%H %s', 'main').split('\n');
    expect(history).toHaveLength(9);
    for (const result of results) {
      expect(history.some(line => line.startsWith(result.commit))).toBe(true);
      expect(bareGit(bare, 'rev-list', '-n', '1', result.tags[0])).toBe(result.commit);
    }
    expect(bareGit(bare, 'show', 'main:VERSION')).toBe('1.0.8');
    // main only ever moved forward: each reflog entry is an ancestor of the next.
    const reflog = bareGit(bare, 'reflog', 'show', '--format=%H', 'refs/heads/main').split('\n').reverse();
    for (let i = 1; i < reflog.length; i++) {
      expect(() => execFileSync('git', ['merge-base', '--is-ancestor', reflog[i - 1], reflog[i]], { cwd: bare })).not.toThrow();
    }
    // Release tags were created once each; only the moving tag v1 was updated more than once.
    for (const tag of tags) expect(bareGit(bare, 'reflog', 'show', `refs/tags/${tag}`).split('\n')).toHaveLength(1);
    expect(bareGit(bare, 'rev-list', '-n', '1', 'v1')).toBe(bareGit(bare, 'rev-parse', 'main'));
    expect(Math.max(...results.map(r => r.attempts))).toBeGreaterThan(1);
  });

  it('with on-conflict fail, the run that lost the race (from another commit) stops, naming both commits', async () => {
    const bare = origin();
    const [first, second] = [clone(bare), clone(bare)];
    second.commit('fix: its own change', { 'fix.txt': 'x\n' });
    await release(first, 'fail', []);
    const winner = bareGit(bare, 'rev-list', '-n', '1', 'v1.0.1');
    await expect(release(second, 'fail', [])).rejects.toThrow(
      new RegExp(`Release v1\\.0\\.1 \\(on ${winner.slice(0, 7)}\\) already exists, but this run releases from [0-9a-f]{7}: another run released this version first`)
    );
    expect(bareGit(bare, 'tag', '--list').split('\n')).toEqual(['v1', 'v1.0.1']);
  });

  it('a branch that moved without a release is rebased on: same version, one more attempt', async () => {
    const bare = origin();
    const releaser = clone(bare);
    const other = clone(bare);
    other.commit('docs: unrelated', { 'README.md': 'hello\n' });
    other.git('push', '-q', 'origin', 'main');
    const log: string[] = [];
    const result = await release(releaser, 'fail', log);
    expect(result).toMatchObject({ tags: ['v1.0.1'], attempts: 2, alreadyPublished: false });
    expect(bareGit(bare, 'log', '--format=%s', 'main').split('\n')).toEqual(['chore(release): v1.0.1 [skip ci]', 'docs: unrelated', 'init']);
    // Running the same release again finds it published.
    const again = await publishRelease(new Git(releaser.dir), {
      remote: 'origin', branch: 'main', onConflict: 'fail', maxAttempts: 1, log: () => undefined,
      prepare: async () => ({ files: [], message: '', tags: [{ name: 'v1.0.1', message: 'Release 1.0.1' }] })
    });
    expect(again).toMatchObject({ alreadyPublished: true, commit: result.commit });
  });

  it("the run's own unpushed commit is rebased onto a moved branch, never dropped; the previous attempt's release commit is", async () => {
    const bare = origin();
    const releaser = clone(bare);
    releaser.commit('fix: mine', { 'mine.txt': 'mine\n' });
    const other = clone(bare);
    other.commit('docs: theirs', { 'theirs.txt': 'theirs\n' });
    other.git('push', '-q', 'origin', 'main');
    const result = await release(releaser, 'recompute', []);
    expect(result).toMatchObject({ tags: ['v1.0.1'], attempts: 2 });
    expect(bareGit(bare, 'log', '--format=%s', 'main').split('\n')).toEqual(['chore(release): v1.0.1 [skip ci]', 'fix: mine', 'docs: theirs', 'init']);
    expect(releaser.git('rev-parse', 'HEAD')).toBe(bareGit(bare, 'rev-parse', 'main'));
  });

  it("own commits that conflict with the moved branch: the run stops, says how to go on, keeps them checked out, pushes nothing", async () => {
    const bare = origin();
    const releaser = clone(bare);
    const mine = releaser.commit('fix: mine', { 'shared.txt': 'mine\n' });
    const other = clone(bare);
    other.commit('fix: theirs', { 'shared.txt': 'theirs\n' });
    other.git('push', '-q', 'origin', 'main');
    const before = bareGit(bare, 'rev-parse', 'main');
    await expect(release(releaser, 'recompute', [])).rejects.toThrow(
      new RegExp(`^main moved on origin, and this run's own commit does not rebase onto it \\(CONFLICT \\(add/add\\): .*shared\\.txt.*\\)\\. Nothing was pushed; it is kept, checked out at ${mine.slice(0, 7)}\\. Rebase onto origin/main \\(git pull --rebase origin main\\), resolve, and release again$`)
    );
    expect(releaser.git('rev-parse', 'HEAD')).toBe(mine);
    expect(releaser.git('status', '--porcelain')).toBe('');
    expect(bareGit(bare, 'rev-parse', 'main')).toBe(before);
    expect(bareGit(bare, 'tag', '--list')).toBe('');
  });

  it('a run that runs out of attempts exits with an error and keeps its own commit checked out, without the unpushed release commit', async () => {
    const bare = origin();
    const releaser = clone(bare);
    const mine = releaser.commit('fix: mine', { 'mine.txt': 'mine\n' });
    const other = clone(bare);
    let n = 0;
    const error = await publishRelease(new Git(releaser.dir), {
      remote: 'origin', branch: 'main', onConflict: 'recompute', maxAttempts: 3, log: () => undefined, backoff: { baseMs: 1, capMs: 1 },
      prepare: async () => {
        // Another run pushes between every prepare and push.
        other.git('pull', '-q', '--rebase', 'origin', 'main');
        other.commit(`docs: theirs ${++n}`, { [`theirs-${n}.txt`]: `${n}\n` });
        other.git('push', '-q', 'origin', 'main');
        writeFileSync(join(releaser.dir, 'VERSION'), '1.0.1\n');
        return { files: ['VERSION'], message: 'chore(release): v1.0.1', tags: [{ name: 'v1.0.1', message: 'Release 1.0.1' }] };
      }
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Release not pushed after 3 attempts: main kept moving\. This run's own commit is kept, checked out at [0-9a-f]{7}: not on origin\/main yet\. Try again, or raise max-attempts$/);
    expect(releaser.git('log', '-1', '--format=%s')).toBe('fix: mine');
    expect(releaser.git('show', 'HEAD:mine.txt')).toBe('mine');
    expect(releaser.git('rev-parse', 'HEAD')).not.toBe(mine);
    expect(bareGit(bare, 'log', '--format=%s', 'main')).not.toContain('fix: mine');
  });

  it('8 runs reserving versions in parallel (reserve: true): each commit owns a distinct version, and a re-run keeps its own', async () => {
    const bare = origin();
    const racers = Array.from({ length: 8 }, (_, i) => {
      const repo = clone(bare);
      repo.commit(`feat: change ${i}`, { [`change-${i}.txt`]: `${i}\n` });
      return repo;
    });
    const reserve = (repo: TestRepo) =>
      reserveVersion(new Git(repo.dir), {
        remote: 'origin',
        commit: repo.git('rev-parse', 'HEAD'),
        maxAttempts: 12,
        log: () => undefined,
        candidate: async () => {
          const taken = repo.git('tag', '--list', 'v*').split('\n').filter(Boolean).map(t => Number(t.split('.')[2]));
          const next = `v1.0.${Math.max(0, ...taken) + 1}`;
          return { tag: next, message: `Reserved ${next}` };
        }
      });
    const results = await Promise.all(racers.map(reserve));
    expect(results.map(r => r.tag).sort()).toEqual(['v1.0.1', 'v1.0.2', 'v1.0.3', 'v1.0.4', 'v1.0.5', 'v1.0.6', 'v1.0.7', 'v1.0.8']);
    racers.forEach((repo, i) => expect(bareGit(bare, 'rev-list', '-n', '1', results[i].tag)).toBe(repo.git('rev-parse', 'HEAD')));
    for (const result of results) expect(bareGit(bare, 'reflog', 'show', `refs/tags/${result.tag}`).split('\n')).toHaveLength(1);
    // A re-run of the first racer finds its own reservation (the tag fetched, so the candidate is taken: it is ours).
    racers[0].git('fetch', '-q', 'origin', '+refs/tags/*:refs/tags/*');
    const again = await reserveVersion(new Git(racers[0].dir), {
      remote: 'origin', commit: racers[0].git('rev-parse', 'HEAD'), maxAttempts: 1, log: () => undefined,
      candidate: async () => ({ tag: results[0].tag, message: '' })
    });
    expect(again).toMatchObject({ tag: results[0].tag, reused: true });
  });
});
