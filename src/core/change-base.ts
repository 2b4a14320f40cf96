import { releaseTagFormat, type Config, type ServiceConfig } from './config.js';
import { refBranch, refTag, shortSha, type RunContext } from './context.js';
import { UserError } from './errors.js';
import type { FilterSpec } from './changes.js';

/**
 * Where detect-changes' diff starts, per event (dorny/paths-filter's rules, plus release tags): the decisions are
 * made here; what they need from the repository comes through BaseLookup (adapters/base-finder.ts), which fetches
 * what a shallow clone lacks.
 */

/** What a filter is: a service (gets an image and a matrix entry), a lib, or an inline filter of that name. */
export interface Unit {
  spec: FilterSpec;
  service?: ServiceConfig;
}

/** Where the diff starts for a unit, and why. */
export interface BaseDecision {
  base?: string;
  head: string;
  why: string;
  /** Everything counts as changed (first release, --all, or a base we must not guess). */
  all?: boolean;
  /** Not part of this run (a per-service tag push releases one service). */
  skip?: boolean;
  warning?: string;
  /** Not checked yet: the diff is tried directly, and a failure falls back to the careful path. */
  optimistic?: boolean;
  /** Staged and unstaged changes against head (HEAD): base HEAD. */
  worktree?: boolean;
}

/** The inputs the base depends on. */
export interface BaseRequest {
  base?: string;
  head?: string;
  all: boolean;
  tagFormat?: string;
}

/** The parts of an event's payload the base is read from. */
export interface BasePayload {
  before?: string;
  after?: string;
  pull_request?: { base?: { sha?: string; ref?: string }; head?: { sha?: string } };
  merge_group?: { base_sha?: string; head_sha?: string };
}

export const ZERO_SHA = /^0+$/;

/** A series of release tags: per service (per-service scheme) or one for every unit. */
export interface Series {
  format: { parse(tag: string): string | undefined; glob: string; format: string };
  units?: string[];
}

/** What deciding the base asks of the repository (adapters/base-finder.ts). */
export interface BaseLookup {
  requireRepository(): Promise<void>;
  /** HEAD of the checkout. */
  head(): Promise<string>;
  /** The full ref name a name stands for (refs/heads/main), undefined for a commit. */
  symbolicFullName(name: string): Promise<string | undefined>;
  /** A commit this clone has, without fetching. */
  localCommit(rev: string): Promise<string | undefined>;
  /** A commit, fetched when the clone lacks it; undefined when it cannot be had. */
  commit(rev: string, what: string, fetchRef?: string): Promise<string | undefined>;
  /** As commit, an error naming what is missing when it cannot be had. */
  requireCommit(rev: string, what: string, fetchRef?: string): Promise<string>;
  /** The merge-base, deepening a shallow clone until it is in view. */
  mergeBase(a: string, b: string, what: string): Promise<string>;
  /** The merge-base with the default branch (everything counts on its tip). */
  againstDefaultBranch(head: string, why: string): Promise<BaseDecision>;
  /** The highest release tag of a series below `below` (or overall) reachable from head, with its commit. */
  previousReleaseTag(series: Series, below: string | undefined, head: string): Promise<{ tag: string; sha: string } | undefined>;
}

/**
 * The common push: both commits are usually in the clone, so the diff is tried straight away (one git call); when it
 * fails, decideBases' careful path finds out why and fetches what is missing.
 */
export function pushShortcut(context: RunContext, request: BaseRequest): { base: string; head: string } | undefined {
  const before = (context.payload as BasePayload).before;
  if (context.eventName !== 'push' || !before || ZERO_SHA.test(before) || ZERO_SHA.test(context.sha)) return undefined;
  if (request.all || request.base || request.head || refTag(context.ref) !== undefined) return undefined;
  return { base: before, head: context.sha };
}

/** The head of the diff: the head input, a pull request's or merge group's head, else the run's commit. */
export function headRevision(context: RunContext, request: BaseRequest): string {
  const payload = context.payload as BasePayload;
  const event = context.eventName;
  return (
    request.head ??
    (/^pull_request/.test(event) ? payload.pull_request?.head?.sha : undefined) ??
    (event === 'merge_group' ? payload.merge_group?.head_sha : undefined) ??
    context.sha
  );
}

/** The release tag series of the units: one (unified scheme) or one per service. */
export async function tagSeries(config: Config, tagFormat: string | undefined, units: Unit[]): Promise<Series[]> {
  const { compileTagFormat } = await import('./version-tag.js');
  const scheme = config.version.scheme;
  if (scheme === 'unified') return [{ format: compileTagFormat(releaseTagFormat(config, scheme, tagFormat)) }];
  return units
    .filter(u => u.service)
    .map(u => ({ format: compileTagFormat(releaseTagFormat(config, scheme, tagFormat, u.service), u.spec.name), units: [u.spec.name] }));
}

/**
 * The newest tag of a series below `below` (any, without it): releases only, unless `below` is a prerelease itself.
 */
export async function newestTagBelow(tags: string[], series: Series, below: string | undefined): Promise<string | undefined> {
  const semver = (await import('./semver.js')).default;
  const { previousRelease, tagsOfFormat } = await import('./version-tag.js');
  // Below a prerelease, earlier prereleases of the series count too.
  return previousRelease(tagsOfFormat(tags, series.format), below, { prereleases: below !== undefined && semver.prerelease(below) !== null })?.tag;
}

/** The key of a decision's diff: decisions with one key share one git call. */
export function diffKey(decision: BaseDecision): string {
  return decision.all ? `all:${decision.head}` : decision.worktree ? `worktree:${decision.head}` : `${decision.base}..${decision.head}`;
}

/** The base of each unit's diff (by unit name), for the event of the run. `optimistic`: a push may take the shortcut. */
export async function decideBases(args: {
  lookup: BaseLookup;
  context: RunContext;
  request: BaseRequest;
  config: Config;
  units: Unit[];
  optimistic: boolean;
}): Promise<Map<string, BaseDecision>> {
  const { lookup, context, request, config, units } = args;
  const payload = context.payload as BasePayload;
  const event = context.eventName;
  const everyone = (decision: BaseDecision) => new Map(units.map(u => [u.spec.name, decision]));

  if (!args.optimistic) await lookup.requireRepository();
  const headRev = headRevision(context, request);
  if (ZERO_SHA.test(headRev)) return everyone({ head: headRev, skip: true, why: 'the branch was deleted: nothing to build' });
  const shortcut = args.optimistic ? pushShortcut(context, request) : undefined;
  if (shortcut) return everyone({ ...shortcut, why: `push: since ${shortSha(shortcut.base)}`, optimistic: true });
  const before = payload.before;
  if (request.base === 'HEAD') {
    // dorny/paths-filter's local changes, on any event: what is staged or unstaged in the checkout.
    if (args.optimistic) await lookup.requireRepository();
    const head = await lookup.head();
    const warning = request.head ? `The head input (${request.head}) is not used when base is HEAD: the checkout's staged and unstaged changes are compared with HEAD` : undefined;
    return everyone({ base: head, head, worktree: true, why: 'base HEAD: staged and unstaged changes', warning });
  }
  const head = await lookup.requireCommit(headRev, 'head');

  if (request.all) return everyone({ head, all: true, why: 'all: true' });

  // paths-filter's base naming the branch a push went to means that push: the payload's before, below.
  const pushedBranch = event === 'push' && before !== undefined ? refBranch(context.ref) : undefined;
  if (request.base && (pushedBranch === undefined || request.base.replace(/^refs\/heads\//, '') !== pushedBranch)) {
    // A branch however it is spelt (main, refs/heads/main, heads/main, origin/main): its merge-base with head, origin's
    // copy of a local branch first. A branch only origin has is no local ref, so origin is asked for any other name.
    const full = await lookup.symbolicFullName(request.base);
    const local = full?.startsWith('refs/heads/') ? full.slice('refs/heads/'.length) : undefined;
    const plainName = /^(?!.*\.\.)\w[\w./-]*$/.test(request.base); // not HEAD~1, main^, a:b
    const onOrigin = local !== undefined || (full === undefined && plainName) ? `refs/remotes/origin/${local ?? request.base}` : undefined;
    const branchRef = onOrigin && (await lookup.localCommit(onOrigin)) ? onOrigin : full && /^refs\/(heads|remotes)\//.test(full) ? full : undefined;
    if (branchRef) {
      const base = await lookup.mergeBase(branchRef, head, `base ${request.base}`);
      return everyone({ base, head, why: `input base=${request.base} (a branch: its merge-base with head)` });
    }
    const base = await lookup.requireCommit(request.base, 'base');
    return everyone({ base, head, why: `input base=${request.base}` });
  }

  if (/^pull_request/.test(event)) {
    const baseSha = payload.pull_request?.base?.sha;
    if (!baseSha) throw new UserError(`Event ${event} without pull_request.base.sha in its payload: set the base input`, { input: 'base' });
    const tip = await lookup.requireCommit(baseSha, 'pull request base');
    const base = await lookup.mergeBase(tip, head, 'pull request');
    return everyone({ base, head, why: `pull request: merge-base of ${payload.pull_request?.base?.ref ?? 'the base'} and the head` });
  }

  if (event === 'merge_group') {
    const baseSha = payload.merge_group?.base_sha;
    if (!baseSha) throw new UserError('Event merge_group without merge_group.base_sha in its payload: set the base input', { input: 'base' });
    return everyone({ base: await lookup.requireCommit(baseSha, 'merge group base'), head, why: 'merge group: its base_sha' });
  }

  const tag = refTag(context.ref);
  if (tag !== undefined) return tagPushBases({ lookup, config, request, units, tag, head });

  if (event === 'push' && before !== undefined) {
    const branch = refBranch(context.ref);
    if (ZERO_SHA.test(before)) return everyone(await lookup.againstDefaultBranch(head, `new branch ${branch ?? context.ref}`));
    const base = await lookup.commit(before, 'push before');
    if (!base) {
      const decision = await lookup.againstDefaultBranch(head, `the pushed-over commit ${shortSha(before)} is gone (force-push)`);
      return everyone({
        ...decision,
        warning: `${decision.why}. Comparing with the default branch instead, which may mark more services changed than the push did`
      });
    }
    return everyone({ base, head, why: `push: since ${shortSha(before)}` });
  }

  // workflow_dispatch, schedule, the local CLI: the last release, else what this branch adds to the default branch.
  const series = await tagSeries(config, request.tagFormat, units);
  const decisions = new Map<string, BaseDecision>();
  for (const s of series) {
    const previous = await lookup.previousReleaseTag(s, undefined, head);
    if (!previous) continue;
    const decision = { base: previous.sha, head, why: `since the last release ${previous.tag}` };
    for (const unit of units) if (!s.units || s.units.includes(unit.spec.name)) decisions.set(unit.spec.name, decision);
  }
  // Per service, libs have no release of their own: they count against each dependent's base.
  const needBase = units.filter(u => !decisions.has(u.spec.name) && (u.service || series.every(s => !s.units)));
  if (needBase.length > 0) {
    // Locally the context reads the default branch from origin/HEAD already.
    const fallback = context.defaultBranch
      ? await lookup.againstDefaultBranch(head, 'no release tag yet')
      : { head, all: true, why: 'no release tag and no default branch: everything counts' };
    for (const unit of needBase) decisions.set(unit.spec.name, fallback);
  }
  return decisions;
}

/** A release tag push: the changes since the release before it in its series; other services of the run are skipped. */
async function tagPushBases(args: { lookup: BaseLookup; config: Config; request: BaseRequest; units: Unit[]; tag: string; head: string }): Promise<Map<string, BaseDecision>> {
  const { lookup, units, tag, head } = args;
  const allSeries = await tagSeries(args.config, args.request.tagFormat, units);
  const series = allSeries.find(s => s.format.parse(tag) !== undefined);
  if (!series) {
    throw new UserError(`Tag ${tag} matches no release tag format (${[...new Set(allSeries.map(s => s.format.format))].join(', ')}): set tag-format, or the base input`, {
      input: 'tag-format'
    });
  }
  const previous = await lookup.previousReleaseTag(series, series.format.parse(tag), head);
  const decision: BaseDecision = previous
    ? { base: previous.sha, head, why: `tag ${tag}: changes since ${previous.tag}` }
    : { head, all: true, why: `tag ${tag} is the first release of its series: everything counts` };
  const decisions = new Map(units.map(u => [u.spec.name, decision]));
  if (series.units) {
    for (const unit of units) {
      if (series.units.includes(unit.spec.name)) continue;
      if (unit.service) decisions.set(unit.spec.name, { head, skip: true, why: `tag ${tag} releases ${series.units.join(', ')} only` });
      else decisions.delete(unit.spec.name);
    }
  }
  return decisions;
}
