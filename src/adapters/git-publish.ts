import { backoffDelay, PUSH_BACKOFF, RESERVE_BACKOFF, type Backoff } from '../core/backoff.js';
import { UserError } from '../core/errors.js';
import type { Git } from './git.js';
import { retrying } from './retry.js';
import { shortSha } from '../core/context.js';

/** What one attempt commits and tags, prepared on the branch tip it starts from. */
export interface ReleaseCommit {
  /** Files to stage (written by the prepare step); none: the tags go on the tip itself. */
  files: string[];
  message: string;
  /** Annotated release tags: never moved once pushed. */
  tags: { name: string; message: string }[];
  /** Tags that follow the latest release (v1, v1.2): the only ones ever force-pushed. Target: the release commit, unless given. */
  moving?: { name: string; target?: string }[];
}

export type OnConflict = 'fail' | 'recompute';

export interface PublishOptions {
  remote: string;
  /** The branch the release commit goes on; none (a tag push): only tags are pushed, nothing is committed. */
  branch?: string;
  onConflict: OnConflict;
  maxAttempts: number;
  /**
   * Writes the release files on the current tip and says what to commit and tag. Called once per attempt, after the
   * tip moved (the versions are then computed again from the new tip when onConflict is recompute).
   */
  prepare: (attempt: number) => Promise<ReleaseCommit>;
  log: (message: string) => void;
  /** The wait between attempts (default: PUSH_BACKOFF). */
  backoff?: Backoff;
  /** Each retry also fetches every tag (forced), in the same fetch as the branch: prepare computes from them. */
  fetchTags?: boolean;
}

export interface PublishResult {
  commit: string;
  tags: string[];
  attempts: number;
  /** The release was already published by an earlier run of the same commit: nothing was pushed. */
  alreadyPublished: boolean;
}

const BOT = ['-c', 'user.name=github-actions[bot]', '-c', 'user.email=41898282+github-actions[bot]@users.noreply.github.com'];

/** The commit a remote tag points at, peeled; undefined when the remote has no such tag. */
export async function remoteTagCommit(git: Git, remote: string, tag: string): Promise<string | undefined> {
  const out = await git.tryRun(['ls-remote', '--tags', remote, `refs/tags/${tag}`, `refs/tags/${tag}^{}`]);
  if (!out) return undefined;
  const lines = out.trim().split('\n').filter(Boolean).map(line => line.split(/\s+/));
  return (lines.find(([, ref]) => ref.endsWith('^{}')) ?? lines[0])?.[0];
}

async function identityArgs(git: Git): Promise<string[]> {
  const name = await git.tryRun(['config', 'user.name']);
  return name?.trim() ? [] : BOT;
}

/**
 * Commits the release files, tags the commit and pushes branch and tags in one `git push --atomic`: either all of
 * it lands or none. When the push is refused because the branch moved, the release is made again on the new tip,
 * after a jittered wait, with the run's own unpushed commits rebased onto it (never dropped: when they do not apply,
 * the run stops with them checked out), bounded by maxAttempts. A release tag that exists on another commit is a
 * race lost to another run: with onConflict fail it stops, naming both commits; with recompute the next attempt
 * computes the versions again.
 * Release tags are never force-pushed; only the moving tags are.
 */
export async function publishRelease(git: Git, options: PublishOptions): Promise<PublishResult> {
  const { remote, branch } = options;
  const identity = await identityArgs(git);
  /** The run's own tip: its commits, before any release commit. Rebased, never dropped, when the branch moves. */
  let own = (await git.run(['rev-parse', 'HEAD'])).trim();
  let started = Date.now();
  const attemptOnce = async (attempt: number): Promise<PublishResult> => {
    started = Date.now();
    if (attempt > 1 && branch) {
      const tags = options.fetchTags ? ['+refs/tags/*:refs/tags/*'] : [];
      await git.run(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`, ...tags]);
      own = await rebaseOwnCommits(git, identity, own, remote, branch);
    }
    const release = await options.prepare(attempt);
    const head = (await git.run(['rev-parse', 'HEAD'])).trim();

    // A re-run of a release that already landed: every tag is on the remote at this very commit.
    const existing = await Promise.all(release.tags.map(async tag => ({ tag: tag.name, commit: await remoteTagCommit(git, remote, tag.name) })));
    if (release.tags.length > 0 && existing.every(e => e.commit === head)) {
      options.log(`${release.tags.map(t => t.name).join(', ')} already on ${shortSha(head)}: nothing to push`);
      return { commit: head, tags: release.tags.map(t => t.name), attempts: attempt, alreadyPublished: true };
    }
    const taken = existing.filter(e => e.commit && e.commit !== head);
    // A re-run of the workflow on the same commit: its earlier run put the release commit, tagged, right on top of it.
    if (attempt === 1 && release.tags.length > 0 && taken.length === existing.length && new Set(taken.map(t => t.commit)).size === 1) {
      const earlier = taken[0].commit!;
      const tag = taken[0].tag;
      await git.attempt(['fetch', '--quiet', '--no-tags', remote, `+refs/tags/${tag}:refs/tags/${tag}`]);
      if ((await git.tryRun(['rev-parse', '--verify', '--quiet', `${earlier}^`]))?.trim() === head) {
        options.log(`${release.tags.map(t => t.name).join(', ')} already released by an earlier run of ${shortSha(head)} (release commit ${shortSha(earlier)}): nothing to push`);
        return { commit: earlier, tags: release.tags.map(t => t.name), attempts: attempt, alreadyPublished: true };
      }
    }
    if (taken.length > 0) {
      const list = taken.map(t => `${t.tag} (on ${shortSha(t.commit!)})`).join(', ');
      if (options.onConflict === 'fail') {
        throw new UserError(
          `Release ${list} already exists, but this run releases from ${shortSha(head)}: another run released this version first. Re-run to compute the next version, or set on-conflict: recompute`,
          { input: 'on-conflict' }
        );
      }
      options.log(`attempt ${attempt}: ${list} taken by another run; computing again from the new tip`);
      throw new LostRace();
    }

    let commit = head;
    if (release.files.length > 0 && branch) {
      await git.run(['add', '--', ...release.files]);
      const staged = await git.attempt(['diff', '--cached', '--quiet']);
      if (staged.code !== 0) {
        await git.run([...identity, 'commit', '--quiet', '--no-verify', '-m', release.message]);
        commit = (await git.run(['rev-parse', 'HEAD'])).trim();
      }
    }
    for (const tag of release.tags) {
      await git.attempt(['tag', '-d', tag.name]);
      await git.run([...identity, 'tag', '-a', tag.name, '-m', tag.message, commit]);
    }
    const moving = release.moving ?? [];
    for (const tag of moving) await git.run(['tag', '-f', tag.name, tag.target ?? commit]);

    const refspecs = [
      ...(branch ? [`${commit}:refs/heads/${branch}`] : []),
      ...release.tags.map(t => `refs/tags/${t.name}:refs/tags/${t.name}`),
      ...moving.map(t => `+refs/tags/${t.name}:refs/tags/${t.name}`)
    ];
    if (refspecs.length === 0) return { commit, tags: [], attempts: attempt, alreadyPublished: false };
    const push = await git.attempt(['push', '--atomic', '--porcelain', remote, ...refspecs]);
    if (push.code === 0) {
      if (branch && !(await isAncestor(git, own, commit))) {
        throw new Error(`release commit ${shortSha(commit)} does not hold the run's own commits (${shortSha(own)})`);
      }
      options.log(`pushed ${branch ? `${shortSha(commit)} to ${branch}` : 'tags'} with ${[...release.tags.map(t => t.name), ...moving.map(t => t.name)].join(', ') || 'no tags'}`);
      return { commit, tags: release.tags.map(t => t.name), attempts: attempt, alreadyPublished: false };
    }
    const output = `${push.stdout}\n${push.stderr}`;
    if (!/\[rejected\]|\[remote rejected\]|atomic|fetch first|non-fast-forward|already exists|stale info/i.test(output)) {
      throw new UserError(`git push to ${remote} failed: ${push.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    if (!branch) throw new UserError(`git push of ${release.tags.map(t => t.name).join(', ')} to ${remote} was refused: ${push.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    options.log(`attempt ${attempt}: the push was refused (${branch} moved or a tag was taken); trying again on the new tip`);
    for (const tag of release.tags) await git.attempt(['tag', '-d', tag.name]);
    throw new LostRace();
  };
  try {
    return await retrying(attemptOnce, {
      attempts: options.maxAttempts,
      // Without a branch there is no new tip to try again on.
      retryable: error => error instanceof LostRace && branch !== undefined,
      delay: (_error, attempt) => backoffDelay(attempt + 1, options.backoff ?? PUSH_BACKOFF, Date.now() - started)
    });
  } catch (error) {
    if (!(error instanceof LostRace)) throw error;
  }
  // The unpushed release commit goes; the run's own commits stay checked out, to be released by the next run.
  if (branch) await git.run(['reset', '--quiet', '--hard', own]);
  const mine = branch ? await ownCommitCount(git, `refs/remotes/${remote}/${branch}`, own) : 0;
  const kept = mine > 0 ? ` This run's own ${mine === 1 ? 'commit is' : `${mine} commits are`} kept, checked out at ${shortSha(own)}: not on ${remote}/${branch} yet.` : '';
  throw new UserError(`Release not pushed after ${options.maxAttempts} attempts: ${branch ?? 'the remote'} kept moving.${kept} Try again, or raise max-attempts`, { input: 'max-attempts' });
}

/** An attempt lost a race to another run (a refused push, a taken tag): the next attempt starts from what it pushed. */
class LostRace extends Error {
  constructor() {
    super('lost a race to another run');
  }
}

async function isAncestor(git: Git, ancestor: string, commit: string): Promise<boolean> {
  return (await git.attempt(['merge-base', '--is-ancestor', ancestor, commit])).code === 0;
}

async function ownCommitCount(git: Git, upstream: string, own: string): Promise<number> {
  return Number((await git.run(['rev-list', '--count', `${upstream}..${own}`])).trim());
}

/**
 * After the branch moved: the previous attempt's release commit and files are dropped, and the run's own commits
 * (those of `own` the new tip does not hold) are replayed onto the tip. Returns the new own tip. When they do not
 * apply cleanly, nothing is forced: they stay checked out as they were, and the error says how to go on.
 */
async function rebaseOwnCommits(git: Git, identity: string[], own: string, remote: string, branch: string): Promise<string> {
  const upstream = `refs/remotes/${remote}/${branch}`;
  await git.run(['reset', '--quiet', '--hard', own]);
  const mine = await ownCommitCount(git, upstream, own);
  if (mine === 0) {
    await git.run(['reset', '--quiet', '--hard', upstream]);
    return (await git.run(['rev-parse', 'HEAD'])).trim();
  }
  const rebase = await git.attempt([...identity, '-c', 'rebase.autoStash=false', '-c', 'rebase.updateRefs=false', 'rebase', '--quiet', '--no-verify', upstream]);
  if (rebase.code !== 0) {
    await git.attempt(['rebase', '--abort']);
    await git.run(['reset', '--quiet', '--hard', own]);
    const detail = `${rebase.stdout}\n${rebase.stderr}`.split('\n').find(line => /^CONFLICT/.test(line.trim()))?.trim();
    throw new UserError(
      `${branch} moved on ${remote}, and this run's own ${mine === 1 ? 'commit does' : `${mine} commits do`} not rebase onto it${detail ? ` (${detail})` : ''}. ` +
        `Nothing was pushed; ${mine === 1 ? 'it is' : 'they are'} kept, checked out at ${shortSha(own)}. Rebase onto ${remote}/${branch} (git pull --rebase ${remote} ${branch}), resolve, and release again`,
      { input: 'branch' }
    );
  }
  return (await git.run(['rev-parse', 'HEAD'])).trim();
}

export interface ReserveOptions {
  remote: string;
  /** The commit the version is for (the one that will be built). */
  commit: string;
  maxAttempts: number;
  /** The tag to try: the next version after every tag the remote holds (fetched again before each retry). */
  candidate: (attempt: number) => Promise<{ tag: string; message: string }>;
  log: (message: string) => void;
  /** The wait between attempts (default: RESERVE_BACKOFF). */
  backoff?: Backoff;
}

/**
 * Owns a version before anything is built: pushes its release tag first. Pushing a new tag without force is an
 * atomic compare-and-set on the remote (it fails when the tag exists), so of several runs racing for one version
 * exactly one gets it; the others fetch the tags and try the next version. A tag already on this very commit is a
 * re-run's own reservation.
 */
export async function reserveVersion(git: Git, options: ReserveOptions): Promise<{ tag: string; attempts: number; reused: boolean }> {
  const identity = await identityArgs(git);
  let started = Date.now();
  let lastLocal: string | undefined;
  const attemptOnce = async (attempt: number): Promise<{ tag: string; attempts: number; reused: boolean }> => {
    started = Date.now();
    if (attempt > 1) {
      await git.run(['fetch', '--quiet', '--force', options.remote, '+refs/tags/*:refs/tags/*']);
    }
    const { tag, message } = await options.candidate(attempt);
    // After a fetch of every tag, the local tag says what the remote holds: no round trip needed.
    const holder = attempt === 1 ? await remoteTagCommit(git, options.remote, tag) : (await git.tryRun(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]))?.trim();
    if (holder === options.commit) {
      options.log(`${tag} is already reserved for ${shortSha(options.commit)}`);
      return { tag, attempts: attempt, reused: true };
    }
    if (!holder) {
      await git.run([...identity, 'tag', '-f', '-a', tag, '-m', message, options.commit]);
      const push = await git.attempt(['push', '--porcelain', options.remote, `refs/tags/${tag}:refs/tags/${tag}`]);
      if (push.code === 0) {
        options.log(`reserved ${tag} for ${shortSha(options.commit)}`);
        return { tag, attempts: attempt, reused: false };
      }
      // The local tag is left to the next fetch (forced), or removed below when this was the last attempt.
      lastLocal = tag;
      if (!/\[rejected\]|\[remote rejected\]|already exists/i.test(`${push.stdout}\n${push.stderr}`)) {
        await git.attempt(['tag', '-d', tag]);
        throw new UserError(`git push of tag ${tag} to ${options.remote} failed: ${push.stderr.trim().split('\n').slice(-2).join(' | ')}`);
      }
    }
    options.log(`attempt ${attempt}: ${tag} was taken by another run; trying the next version`);
    throw new LostRace();
  };
  try {
    return await retrying(attemptOnce, {
      attempts: options.maxAttempts,
      retryable: error => error instanceof LostRace,
      delay: (_error, attempt) => backoffDelay(attempt + 1, options.backoff ?? RESERVE_BACKOFF, Date.now() - started)
    });
  } catch (error) {
    if (!(error instanceof LostRace)) throw error;
  }
  if (lastLocal) await git.attempt(['tag', '-d', lastLocal]);
  throw new UserError(`No version reserved after ${options.maxAttempts} attempts: other runs kept taking them. Try again, or raise max-attempts`, { input: 'max-attempts' });
}
