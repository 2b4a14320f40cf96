import { shortSha, type RunContext } from '../core/context.js';
import { newestTagBelow, type BaseDecision, type BaseLookup, type Series } from '../core/change-base.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Git } from './git.js';

/**
 * What detect-changes' base decisions ask of the repository (core/change-base.ts BaseLookup), fetching just what a
 * shallow clone lacks: single commits at depth 1 for a two-point diff, history deepened by doubling steps for a
 * merge-base. Never a silent wrong answer: a base that cannot be reached is an error that names it.
 */
export class BaseFinder implements BaseLookup {
  private shallow?: boolean;
  private remote?: string | null;

  constructor(
    private readonly git: Git,
    private readonly log: Logger,
    private readonly context: RunContext,
    /** Blob-less fetches on a runner; locally imgver does not turn the user's clone into a partial clone. */
    private readonly blobless: boolean
  ) {}

  requireRepository(): Promise<void> {
    return this.git.requireRepository('detect-changes');
  }

  head(): Promise<string> {
    return this.git.head();
  }

  symbolicFullName(name: string): Promise<string | undefined> {
    return this.git.symbolicFullName(name);
  }

  localCommit(rev: string): Promise<string | undefined> {
    return this.git.resolveCommit(rev);
  }

  async isShallow(): Promise<boolean> {
    this.shallow ??= await this.git.isShallow();
    return this.shallow;
  }

  async hasOrigin(): Promise<boolean> {
    return (await this.origin()) !== undefined;
  }

  private async origin(): Promise<string | undefined> {
    if (this.remote === undefined) this.remote = (await this.git.remoteUrl('origin')) ?? null;
    return this.remote ?? undefined;
  }

  /** A commit by SHA or ref, fetched (at depth 1 in a shallow clone) when this clone lacks it. */
  async commit(rev: string, what: string, fetchRef = rev): Promise<string | undefined> {
    const local = await this.git.resolveCommit(rev);
    if (local) return local;
    if (!(await this.origin())) return undefined;
    const fetched = await this.git.fetchCommit('origin', fetchRef, { shallow: await this.isShallow(), blobless: this.blobless });
    this.log.debug(`fetch ${what} ${fetchRef}: ${fetched.ok ? 'ok' : fetched.stderr}`);
    if (!fetched.ok) return undefined;
    return (await this.git.resolveCommit(rev)) ?? (await this.git.resolveCommit('FETCH_HEAD'));
  }

  async requireCommit(rev: string, what: string, fetchRef = rev): Promise<string> {
    const sha = await this.commit(rev, what, fetchRef);
    if (!sha) {
      const origin = await this.origin();
      throw new UserError(
        `Cannot reach the ${what} ${rev}: it is not in this clone${origin ? ' and could not be fetched from origin' : ', which has no origin to fetch it from'}. Check the ref, or check out with fetch-depth: 0`,
        { input: what === 'base' || what === 'head' ? what : undefined }
      );
    }
    return sha;
  }

  /** The default branch's tip, as origin has it. */
  async defaultBranchTip(): Promise<string> {
    const branch = this.context.defaultBranch;
    if (!branch) {
      throw new UserError('Cannot tell the default branch to compare with: set the default-branch input (or origin/HEAD locally)', {
        input: 'default-branch'
      });
    }
    const remoteRef = `refs/remotes/origin/${branch}`;
    const sha =
      (await this.git.resolveCommit(remoteRef)) ??
      (await this.commit(remoteRef, 'default branch', `+refs/heads/${branch}:${remoteRef}`)) ??
      (await this.git.resolveCommit(`refs/heads/${branch}`));
    if (!sha) throw new UserError(`Cannot reach the default branch ${branch}: not in this clone and not fetchable from origin`, { input: 'default-branch' });
    return sha;
  }

  /** merge-base, deepening a shallow clone (blob-less, doubling) until the common ancestor is in view. */
  async mergeBase(a: string, b: string, what: string): Promise<string> {
    let depth = 64;
    for (;;) {
      const base = await this.git.mergeBase(a, b);
      if (base) return base;
      if (!(await this.isShallow())) {
        throw new UserError(`${what}: ${shortSha(a)} and ${shortSha(b)} have no common history, so there is no base to compare with; set the base input`);
      }
      if (!(await this.origin())) throw new UserError(`${what}: this shallow clone has no origin to deepen from; check out with fetch-depth: 0`);
      const unshallow = depth > 4096;
      this.log.info(`Shallow clone: ${unshallow ? 'fetching the full history' : `deepening by ${depth} commits`} to find the merge-base of ${shortSha(a)} and ${shortSha(b)}`);
      const fetched = await this.git.deepen('origin', [a, b], { by: depth, unshallow, blobless: this.blobless });
      if (!fetched.ok) throw new UserError(`${what}: could not deepen the clone from origin (${fetched.stderr}); check out with fetch-depth: 0`);
      if (unshallow) this.shallow = false;
      depth *= 2;
    }
  }

  /** On the default branch there is nothing to merge into, so a branch-relative base would be empty: build everything. */
  async againstDefaultBranch(head: string, why: string): Promise<BaseDecision> {
    const tip = await this.defaultBranchTip();
    const base = await this.mergeBase(tip, head, why);
    if (base === head) return { head, all: true, why: `${why}; HEAD is the default branch's tip, so everything counts` };
    return { base, head, why: `${why}: merge-base with ${this.context.defaultBranch}` };
  }

  /** The highest release tag of a series below `below` (or overall), with its commit. */
  async previousReleaseTag(series: Series, below: string | undefined, head: string): Promise<{ tag: string; sha: string } | undefined> {
    let tags = await this.git.mergedTags(head, series.format.glob).catch(() => [] as string[]);
    if ((tags.length === 0 || (await this.isShallow())) && (await this.hasOrigin())) {
      // A shallow checkout has the pushed tag at most: ask origin for the list without fetching anything.
      const remote = await this.git.remoteTags('origin', series.format.glob);
      if (remote) tags = [...new Set([...tags, ...remote])];
    }
    const best = await newestTagBelow(tags, series, below);
    if (!best) return undefined;
    const sha = await this.requireCommit(`refs/tags/${best}`, `previous release tag`, `+refs/tags/${best}:refs/tags/${best}`);
    return { tag: best, sha };
  }
}
