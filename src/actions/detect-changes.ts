import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileFilters,
  dependencyClosure,
  matchChanges,
  needsGlobEngine,
  QUANTIFIERS,
  type ChangeReason,
  type FileChange,
  type FilterSpec,
  type Quantifier
} from '../core/changes.js';
import { loadPathGlobEngine } from '../core/glob-engine.js';
import { formatFileList, LIST_FORMATS, type ListFormat } from '../core/list-files.js';
import { normalizeConfig, releaseTagFormat, type Config, type ServiceConfig } from '../core/config.js';
import { refBranch, refTag, shortSha, type RunContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { PLAN_SCHEMA, type Plan, type PlanService } from '../core/plan.js';
import { Git } from '../adapters/git.js';
import { workingDirectoryOf, resolveInside } from '../adapters/files.js';
import { resolveContext } from '../adapters/run-context.js';
import { commonInputs, inputValue, numberInput, oneOfInput, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import { loadConfig } from './config-loader.js';
import type { ActionResult, ActionRun } from './types.js';
import { detectChangesSpec } from './specs.js';
import { markdownTable, type Cell } from '../core/markdown.js';

export interface DetectChangesInputs extends CommonInputs {
  filters?: string;
  base?: string;
  head?: string;
  all: boolean;
  maxFiles: number;
  matrixSize: number;
  tagFormat?: string;
  listFiles: ListFormat;
  predicateQuantifier: Quantifier;
}

export function getInputs(raw: RawInputs, given: Set<string> = new Set()): DetectChangesInputs {
  const str = (name: string) => inputValue(raw, name);
  return {
    ...commonInputs(raw, given),
    filters: str('filters') ? raw.filters : undefined,
    base: str('base'),
    head: str('head'),
    all: parseBoolean(raw.all ?? '', 'all'),
    maxFiles: numberInput(raw, 'max-files', 100),
    matrixSize: numberInput(raw, 'matrix-size', 256, { max: 256 }),
    tagFormat: str('tag-format'),
    listFiles: oneOfInput(raw, 'list-files', LIST_FORMATS, 'none', { lowerCase: true }),
    predicateQuantifier: oneOfInput(raw, 'predicate-quantifier', QUANTIFIERS, 'some')
  };
}

/** What a filter is: a service (gets an image and a matrix entry), a lib, or an inline filter of that name. */
interface Unit {
  spec: FilterSpec;
  service?: ServiceConfig;
}

/** Where the diff starts for a unit, and why. */
interface BaseDecision {
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

const ZERO_SHA = /^0+$/;

type Payload = {
  before?: string;
  after?: string;
  pull_request?: { base?: { sha?: string; ref?: string }; head?: { sha?: string } };
  merge_group?: { base_sha?: string; head_sha?: string };
};

/**
 * Finds the base of the diff per event, fetching just what a shallow clone lacks: single commits at depth 1 for a
 * two-point diff, history deepened by doubling steps for a merge-base. Never a silent wrong answer: a base that
 * cannot be reached is an error that names it.
 */
class BaseFinder {
  private shallow?: boolean;
  private remote?: string | null;

  constructor(
    private readonly git: Git,
    private readonly run: ActionRun,
    private readonly context: RunContext,
    private readonly onRunner: boolean
  ) {}

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

  /** Blob-less fetches on a runner; locally imgver does not turn the user's clone into a partial clone. */
  private filterArgs(): string[] {
    return this.onRunner ? ['--filter=blob:none'] : [];
  }

  /** A commit by SHA or ref, fetched (at depth 1 in a shallow clone) when this clone lacks it. */
  async commit(rev: string, what: string, fetchRef = rev): Promise<string | undefined> {
    const local = await this.git.resolveCommit(rev);
    if (local) return local;
    if (!(await this.origin())) return undefined;
    const depth = (await this.isShallow()) ? ['--depth=1'] : [];
    const fetched = await this.git.tryFetch([...depth, ...this.filterArgs(), 'origin', fetchRef]);
    this.run.log.debug(`fetch ${what} ${fetchRef}: ${fetched.ok ? 'ok' : fetched.stderr}`);
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
      this.run.log.info(`Shallow clone: ${unshallow ? 'fetching the full history' : `deepening by ${depth} commits`} to find the merge-base of ${shortSha(a)} and ${shortSha(b)}`);
      const fetched = await this.git.tryFetch([unshallow ? '--unshallow' : `--deepen=${depth}`, ...this.filterArgs(), 'origin', a, b]);
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
}

/** Tag series for tag pushes and releases: per service (per-service scheme) or one. */
interface Series {
  format: { parse(tag: string): string | undefined; glob: string; format: string };
  units?: string[];
}

async function tagSeries(config: Config, inputs: DetectChangesInputs, units: Unit[]): Promise<Series[]> {
  const { compileTagFormat } = await import('../core/version.js');
  const scheme = config.version.scheme;
  if (scheme === 'unified') return [{ format: compileTagFormat(releaseTagFormat(config, scheme, inputs.tagFormat)) }];
  return units
    .filter(u => u.service)
    .map(u => ({ format: compileTagFormat(releaseTagFormat(config, scheme, inputs.tagFormat, u.service), u.spec.name), units: [u.spec.name] }));
}

/** The highest release tag of a series below `below` (or overall), with its commit. */
async function previousReleaseTag(git: Git, finder: BaseFinder, series: Series, below: string | undefined, head: string): Promise<{ tag: string; sha: string } | undefined> {
  const semver = (await import('../core/semver.js')).default;
  const { previousRelease, tagsOfFormat } = await import('../core/version-tag.js');
  let tags = await git.mergedTags(head, series.format.glob).catch(() => [] as string[]);
  if ((tags.length === 0 || (await finder.isShallow())) && (await finder.hasOrigin())) {
    // A shallow checkout has the pushed tag at most: ask origin for the list without fetching anything.
    const remote = await git.tryRun(['ls-remote', '--tags', '--refs', 'origin', `refs/tags/${series.format.glob}`]);
    if (remote) tags = [...new Set([...tags, ...remote.split('\n').filter(Boolean).map(line => line.split('\t')[1].replace(/^refs\/tags\//, ''))])];
  }
  // Below a prerelease, earlier prereleases of the series count too.
  const best = previousRelease(tagsOfFormat(tags, series.format), below, { prereleases: below !== undefined && semver.prerelease(below) !== null });
  if (!best) return undefined;
  const sha = await finder.requireCommit(`refs/tags/${best.tag}`, `previous release tag`, `+refs/tags/${best.tag}:refs/tags/${best.tag}`);
  return { tag: best.tag, sha };
}

/**
 * The common push: both commits are usually in the clone, so the diff is tried straight away (one git call); when it
 * fails, decideBases' careful path finds out why and fetches what is missing.
 */
function pushShortcut(context: RunContext, inputs: DetectChangesInputs): { base: string; head: string } | undefined {
  const before = (context.payload as Payload).before;
  if (context.eventName !== 'push' || !before || ZERO_SHA.test(before) || ZERO_SHA.test(context.sha)) return undefined;
  if (inputs.all || inputs.base || inputs.head || refTag(context.ref) !== undefined) return undefined;
  return { base: before, head: context.sha };
}

async function decideBases(args: {
  git: Git;
  finder: BaseFinder;
  context: RunContext;
  inputs: DetectChangesInputs;
  config: Config;
  units: Unit[];
  optimistic: boolean;
}): Promise<Map<string, BaseDecision>> {
  const { git, finder, context, inputs, config, units } = args;
  const payload = context.payload as Payload;
  const event = context.eventName;
  const everyone = (decision: BaseDecision) => new Map(units.map(u => [u.spec.name, decision]));

  if (!args.optimistic) await git.requireRepository('detect-changes');
  const headRev = inputs.head ?? (/^pull_request/.test(event) ? payload.pull_request?.head?.sha : undefined) ?? (event === 'merge_group' ? payload.merge_group?.head_sha : undefined) ?? context.sha;
  if (ZERO_SHA.test(headRev)) return everyone({ head: headRev, skip: true, why: 'the branch was deleted: nothing to build' });
  const shortcut = args.optimistic ? pushShortcut(context, inputs) : undefined;
  if (shortcut) return everyone({ ...shortcut, why: `push: since ${shortSha(shortcut.base)}`, optimistic: true });
  const before = payload.before;
  if (inputs.base === 'HEAD') {
    // dorny/paths-filter's local changes, on any event: what is staged or unstaged in the checkout.
    if (args.optimistic) await git.requireRepository('detect-changes');
    const head = await git.head();
    const warning = inputs.head ? `The head input (${inputs.head}) is not used when base is HEAD: the checkout's staged and unstaged changes are compared with HEAD` : undefined;
    return everyone({ base: head, head, worktree: true, why: 'base HEAD: staged and unstaged changes', warning });
  }
  const head = await finder.requireCommit(headRev, 'head');

  if (inputs.all) return everyone({ head, all: true, why: 'all: true' });

  // paths-filter's base naming the branch a push went to means that push: the payload's before, below.
  const pushedBranch = event === 'push' && before !== undefined ? refBranch(context.ref) : undefined;
  if (inputs.base && (pushedBranch === undefined || inputs.base.replace(/^refs\/heads\//, '') !== pushedBranch)) {
    // A branch however it is spelt (main, refs/heads/main, heads/main, origin/main): its merge-base with head, origin's
    // copy of a local branch first. A branch only origin has is no local ref, so origin is asked for any other name.
    const full = await git.symbolicFullName(inputs.base);
    const local = full?.startsWith('refs/heads/') ? full.slice('refs/heads/'.length) : undefined;
    const plainName = /^(?!.*\.\.)\w[\w./-]*$/.test(inputs.base); // not HEAD~1, main^, a:b
    const onOrigin = local !== undefined || (full === undefined && plainName) ? `refs/remotes/origin/${local ?? inputs.base}` : undefined;
    const branchRef =
      onOrigin && (await git.resolveCommit(onOrigin)) ? onOrigin : full && /^refs\/(heads|remotes)\//.test(full) ? full : undefined;
    if (branchRef) {
      const base = await finder.mergeBase(branchRef, head, `base ${inputs.base}`);
      return everyone({ base, head, why: `input base=${inputs.base} (a branch: its merge-base with head)` });
    }
    const base = await finder.requireCommit(inputs.base, 'base');
    return everyone({ base, head, why: `input base=${inputs.base}` });
  }

  if (/^pull_request/.test(event)) {
    const baseSha = payload.pull_request?.base?.sha;
    if (!baseSha) throw new UserError(`Event ${event} without pull_request.base.sha in its payload: set the base input`, { input: 'base' });
    const tip = await finder.requireCommit(baseSha, 'pull request base');
    const base = await finder.mergeBase(tip, head, 'pull request');
    return everyone({ base, head, why: `pull request: merge-base of ${payload.pull_request?.base?.ref ?? 'the base'} and the head` });
  }

  if (event === 'merge_group') {
    const baseSha = payload.merge_group?.base_sha;
    if (!baseSha) throw new UserError('Event merge_group without merge_group.base_sha in its payload: set the base input', { input: 'base' });
    return everyone({ base: await finder.requireCommit(baseSha, 'merge group base'), head, why: 'merge group: its base_sha' });
  }

  const tag = refTag(context.ref);
  if (tag !== undefined) {
    const allSeries = await tagSeries(config, inputs, units);
    const series = allSeries.find(s => s.format.parse(tag) !== undefined);
    if (!series) {
      throw new UserError(`Tag ${tag} matches no release tag format (${[...new Set(allSeries.map(s => s.format.format))].join(', ')}): set tag-format, or the base input`, {
        input: 'tag-format'
      });
    }
    const previous = await previousReleaseTag(git, finder, series, series.format.parse(tag), head);
    const decision: BaseDecision = previous
      ? { base: previous.sha, head, why: `tag ${tag}: changes since ${previous.tag}` }
      : { head, all: true, why: `tag ${tag} is the first release of its series: everything counts` };
    const decisions = everyone(decision);
    if (series.units) {
      for (const unit of units) {
        if (series.units.includes(unit.spec.name)) continue;
        if (unit.service) decisions.set(unit.spec.name, { head, skip: true, why: `tag ${tag} releases ${series.units.join(', ')} only` });
        else decisions.delete(unit.spec.name);
      }
    }
    return decisions;
  }

  if (event === 'push' && before !== undefined) {
    const branch = refBranch(context.ref);
    if (ZERO_SHA.test(before)) return everyone(await finder.againstDefaultBranch(head, `new branch ${branch ?? context.ref}`));
    const base = await finder.commit(before, 'push before');
    if (!base) {
      const decision = await finder.againstDefaultBranch(head, `the pushed-over commit ${shortSha(before)} is gone (force-push)`);
      return everyone({
        ...decision,
        warning: `${decision.why}. Comparing with the default branch instead, which may mark more services changed than the push did`
      });
    }
    return everyone({ base, head, why: `push: since ${shortSha(before)}` });
  }

  // workflow_dispatch, schedule, the local CLI: the last release, else what this branch adds to the default branch.
  const series = await tagSeries(config, inputs, units);
  const decisions = new Map<string, BaseDecision>();
  for (const s of series) {
    const previous = await previousReleaseTag(git, finder, s, undefined, head);
    if (!previous) continue;
    const decision = { base: previous.sha, head, why: `since the last release ${previous.tag}` };
    for (const unit of units) if (!s.units || s.units.includes(unit.spec.name)) decisions.set(unit.spec.name, decision);
  }
  // Per service, libs have no release of their own: they count against each dependent's base.
  const needBase = units.filter(u => !decisions.has(u.spec.name) && (u.service || series.every(s => !s.units)));
  if (needBase.length > 0) {
    // Locally the context reads the default branch from origin/HEAD already.
    const fallback = context.defaultBranch
      ? await finder.againstDefaultBranch(head, 'no release tag yet')
        : { head, all: true, why: 'no release tag and no default branch: everything counts' };
    for (const unit of needBase) decisions.set(unit.spec.name, fallback);
  }
  return decisions;
}

async function readFilters(inputs: DetectChangesInputs, cwd: string): Promise<FilterSpec[] | undefined> {
  if (inputs.filters === undefined) return undefined;
  let text = inputs.filters;
  const single = text.trim();
  // As paths-filter reads it: one line without a ':' is the path of a file holding the filters (any name).
  if (!single.includes('\n') && !single.includes(':')) {
    const path = resolveInside(cwd, single, 'filters');
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile()) text = readFileSync(path, 'utf8');
    else if (stat) throw new UserError(`Input 'filters' names ${single}, which is not a file (in ${cwd})`, { input: 'filters' });
    else if (/\.ya?ml$/.test(single)) throw new UserError(`Input 'filters' names the file ${single}, which does not exist (in ${cwd})`, { input: 'filters' });
  }
  const { parseFiltersInput } = await import('../core/filters-input.js');
  return parseFiltersInput(text);
}

function buildUnits(config: Config, inline: FilterSpec[] | undefined): Unit[] {
  const fromConfig: Unit[] = [
    ...config.services.map(service => ({
      service,
      spec: { name: service.name, rules: service.paths.map(pattern => ({ pattern })), types: service.changeTypes, dependsOn: service.dependsOn }
    })),
    ...config.libs.map(lib => ({ spec: { name: lib.name, rules: lib.paths.map(pattern => ({ pattern })), types: lib.changeTypes, dependsOn: lib.dependsOn } }))
  ];
  if (!inline) return fromConfig;
  // Inline filters replace the paths of a service or lib of the same name; other names are services of their own.
  const known = new Map(fromConfig.map(u => [u.spec.name, u]));
  const units = inline.map((spec): Unit => {
    const existing = known.get(spec.name);
    if (existing) return { service: existing.service, spec: { ...spec, dependsOn: existing.spec.dependsOn } };
    const service = normalizeConfig({ image: config.imageTemplate, services: { [spec.name]: {} } }).services[0];
    return { service, spec };
  });
  const inlineNames = new Set(inline.map(s => s.name));
  // Libs a service depends on stay, so depends-on keeps working with inline filters.
  for (const unit of fromConfig) if (!inlineNames.has(unit.spec.name) && !unit.service) units.push(unit);
  // The config's graph is checked already; dropping edges to services the filters left out cannot add a cycle.
  const names = new Set(units.map(u => u.spec.name));
  for (const unit of units) unit.spec.dependsOn = unit.spec.dependsOn.filter(d => names.has(d));
  return units;
}

export interface MatrixEntry {
  service: string;
  image: string;
  context: string;
  dockerfile: string;
  [extra: string]: unknown;
}

function withoutCoreKeys(extra: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extra ?? {}).filter(([key]) => !['service', 'image', 'context', 'dockerfile'].includes(key)));
}

export function chunkMatrix(entries: MatrixEntry[], size: number): { include: MatrixEntry[] }[] {
  const chunks: { include: MatrixEntry[] }[] = [];
  for (let i = 0; i < entries.length; i += size) chunks.push({ include: entries.slice(i, i + size) });
  return chunks.length > 0 ? chunks : [{ include: [] }];
}

function reasonText(reason: ChangeReason, decision: BaseDecision): string {
  if (decision.skip || decision.all) return decision.why;
  if (reason.files.length > 0) {
    const shown = reason.files.slice(0, 3).map(f => f.path);
    return `${shown.join(', ')}${reason.files.length > 3 ? `, … (${reason.files.length} files)` : ''}`;
  }
  if (reason.via) return `depends on ${reason.via.join(' → ')}`;
  return 'no matching change';
}

const FIXED_OUTPUTS = new Set(Object.keys(detectChangesSpec.outputs));

export async function run(runCtx: ActionRun): Promise<ActionResult> {
  const { log, env } = runCtx;
  const inputs = getInputs(runCtx.inputs, runCtx.given);
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  const onRunner = env.GITHUB_ACTIONS === 'true';
  let gitCalls = 0;
  const git = new Git(cwd, {
    trustCheckout: onRunner,
    trace: (argv, ms, code) => {
      gitCalls++;
      log.debug(`git ${argv.join(' ')} → ${code} (${ms} ms)`);
    }
  });
  const context = await resolveContext({ env, overrides: inputs.overrides, now: runCtx.now, git: async () => git });
  // A push's diff needs no config: git runs it while the config is read.
  const shortcut = pushShortcut(context, inputs);
  const earlyDiff = shortcut ? git.tryDiff(shortcut.base, shortcut.head) : undefined;
  earlyDiff?.catch(() => undefined);
  const config = await loadConfig(cwd, inputs.config, inputs.configGiven);
  const units = buildUnits(config, await readFilters(inputs, cwd));
  if (units.length === 0) {
    throw new UserError(`Nothing to detect: list services in ${inputs.config} (services: {api: {}, web: {}}) or give the filters input`, { input: 'filters' });
  }
  const finder = new BaseFinder(git, runCtx, context, onRunner);

  const patterns = units.flatMap(u => u.spec.rules.map(r => r.pattern));
  const engine = needsGlobEngine(patterns) ? await loadPathGlobEngine() : undefined;
  if (inputs.predicateQuantifier === 'every') for (const unit of units) unit.spec.quantifier = 'every';
  const filters = compileFilters(
    units.map(u => u.spec),
    engine
  );

  let decisions = await decideBases({ git, finder, context, inputs, config, units, optimistic: true });
  let optimisticChanges: FileChange[] | undefined;
  const first = decisions.values().next().value;
  if (first?.optimistic) {
    // The optimistic decision is the push shortcut, whose diff was started early.
    optimisticChanges = await (earlyDiff ?? git.tryDiff(first.base!, first.head));
    if (!optimisticChanges) decisions = await decideBases({ git, finder, context, inputs, config, units, optimistic: false });
  }
  // One diff per distinct base (per-service release tags may give several), and the dependency closure within it:
  // a service counts its dependencies' changes since its own base.
  const diffs = new Map<string, FileChange[]>();
  const closures = new Map<BaseDecision, Map<string, ChangeReason>>();
  for (const decision of new Set(decisions.values())) {
    if (decision.skip) continue;
    if (decision.warning) log.warning(decision.warning);
    const key = decision.all ? `all:${decision.head}` : decision.worktree ? `worktree:${decision.head}` : `${decision.base}..${decision.head}`;
    let changes = diffs.get(key);
    if (!changes) {
      changes =
        decision.optimistic && optimisticChanges
          ? optimisticChanges
          : decision.all
            ? await git.listFiles(decision.head)
            : decision.worktree
              ? await git.diffWorktree()
              : await git.diff(decision.base!, decision.head);
      diffs.set(key, changes);
    }
    closures.set(
      decision,
      dependencyClosure(
        units.map(u => u.spec),
        matchChanges(filters, changes)
      )
    );
  }
  const unchanged: ChangeReason = { changed: false, files: [] };
  const outcome = new Map<string, { reason: ChangeReason; decision: BaseDecision }>();
  for (const unit of units) {
    const name = unit.spec.name;
    const decision = decisions.get(name);
    if (decision?.skip) outcome.set(name, { reason: unchanged, decision });
    else if (decision) outcome.set(name, { reason: closures.get(decision)!.get(name)!, decision });
    else {
      // A lib with no release of its own (per-service scheme): changed when it changed since any dependent's base.
      const found = [...closures].find(([, closure]) => closure.get(name)!.changed) ?? [...closures][0];
      outcome.set(name, found ? { reason: found[1].get(name)!, decision: found[0] } : { reason: unchanged, decision: { head: '', skip: true, why: 'no service of this run depends on it' } });
    }
  }

  const firstDecision = [...decisions.values()].find(d => !d.skip) ?? [...decisions.values()][0];
  const distinctBases = new Set([...decisions.values()].filter(d => !d.skip).map(d => d.base ?? ''));
  const base = distinctBases.size === 1 ? [...distinctBases][0] : '';
  log.info(`Base ${base ? shortSha(base) : distinctBases.size > 1 ? '(per service)' : '(none)'} → head ${shortSha(firstDecision.head)}: ${firstDecision.why}`);
  for (const [key, changes] of diffs) {
    const what = key.startsWith('all:') ? 'All files' : key.startsWith('worktree:') ? 'Staged and unstaged changes' : `Diff ${key.split('..').map(s => shortSha(s)).join('..')}`;
    log.info(`${what}: ${changes.length} file(s)`);
  }

  // Outputs.
  const changed = (name: string) => outcome.get(name)!.reason.changed;
  const changedNames = units.filter(u => u.service && changed(u.spec.name)).map(u => u.spec.name);
  const services: PlanService[] = [];
  const matrixEntries: MatrixEntry[] = [];
  const filesOut: Record<string, string[]> = {};
  const filesFull: Record<string, string[]> = {};
  let truncated = false;
  const rows: Cell[][] = [];
  const unchangedNames: string[] = [];
  for (const unit of units) {
    const { reason, decision } = outcome.get(unit.spec.name)!;
    const paths = reason.files.map(f => f.path);
    filesFull[unit.spec.name] = paths;
    filesOut[unit.spec.name] = paths.slice(0, inputs.maxFiles);
    if (paths.length > inputs.maxFiles) truncated = true;
    const why = reason.changed ? reasonText(reason, decision) : decision.skip ? decision.why : 'no matching change';
    rows.push([`${unit.spec.name}${unit.service ? '' : ' (lib)'}`, reason.changed ? '✅ yes' : 'no', why, String(paths.length)]);
    // Quiet logs: changed ones at info, a skipped one at debug, the rest in one debug line after the loop.
    if (reason.changed) log.info(`${unit.spec.name}: changed (${why})`);
    else if (decision.skip) log.debug(`${unit.spec.name}: unchanged (${why})`);
    else unchangedNames.push(unit.spec.name);
    if (!unit.service) continue;
    const s = unit.service;
    services.push({
      name: s.name,
      image: s.image,
      context: s.context,
      dockerfile: s.dockerfile,
      changed: reason.changed,
      files: paths.slice(0, inputs.maxFiles),
      reason: why
    });
    if (reason.changed) matrixEntries.push({ service: s.name, image: s.image, context: s.context, dockerfile: s.dockerfile, ...withoutCoreKeys(s.matrix) });
  }

  if (unchangedNames.length > 0) log.debug(`No matching change: ${unchangedNames.join(', ')}`);
  let filesPath = '';
  if (truncated && env.RUNNER_TEMP) {
    // On a runner the full lists go to a file in its temp dir, which the runner removes after the job.
    filesPath = join(mkdtempSync(join(env.RUNNER_TEMP, 'imgver-changes-')), 'files.json');
    writeFileSync(filesPath, JSON.stringify(filesFull));
    log.info(`More than ${inputs.maxFiles} files for some filters: the outputs list the first ${inputs.maxFiles}; all are in ${filesPath}`);
  } else if (truncated) {
    // Elsewhere nothing would remove such a file: the full lists are the <filter>_files outputs (list-files).
    log.info(`More than ${inputs.maxFiles} files for some filters: the outputs list the first ${inputs.maxFiles}; --list-files json gives every file in <filter>_files`);
  }
  const matrices = chunkMatrix(matrixEntries, inputs.matrixSize);
  if (matrices.length > 1) {
    log.warning(`${matrixEntries.length} changed services is over ${inputs.matrixSize} jobs per matrix: matrix holds the first ${inputs.matrixSize}; use the matrices output (${matrices.length} chunks) for the rest`);
  }
  const plan: Plan = {
    schema: PLAN_SCHEMA,
    ref: context.ref,
    sha: context.sha,
    base: base || undefined,
    head: firstDecision.head,
    services
  };
  const outputs: Record<string, string> = {
    changed: JSON.stringify(changedNames),
    any: String(changedNames.length > 0),
    count: String(changedNames.length),
    services: JSON.stringify(Object.fromEntries(units.map(u => [u.spec.name, changed(u.spec.name)]))),
    base,
    head: firstDecision.head,
    matrix: JSON.stringify(matrices[0]),
    matrices: JSON.stringify(matrices),
    files: JSON.stringify(filesOut),
    'files-path': filesPath,
    plan: JSON.stringify(plan)
  };
  // dorny/paths-filter's outputs: changes (unless a filter takes that name), and per filter <name>, <name>_count and,
  // with list-files, <name>_files (every matching file, not cut at max-files).
  const changesOwner = units.some(u => u.spec.name === 'changes');
  if (changesOwner) log.info('A filter is named changes: the changes output is its true/false, not the list of filters that changed');
  else outputs.changes = JSON.stringify(units.filter(u => changed(u.spec.name)).map(u => u.spec.name));
  outputs.counts = JSON.stringify(Object.fromEntries(units.map(u => [u.spec.name, filesFull[u.spec.name].length])));
  if (inputs.listFiles !== 'none') {
    outputs['listed-files'] = JSON.stringify(Object.fromEntries(units.map(u => [u.spec.name, formatFileList(filesFull[u.spec.name], inputs.listFiles)])));
  }
  for (const unit of units) {
    const name = unit.spec.name;
    if (FIXED_OUTPUTS.has(name) && !(name === 'changes' && changesOwner)) {
      log.warning(`Filter "${name}" has the name of an output, so it has no output of its own: read it from the services output`);
    } else outputs[name] = String(changed(name));
    outputs[`${name}_count`] = String(filesFull[name].length);
    if (inputs.listFiles !== 'none') outputs[`${name}_files`] = formatFileList(filesFull[name], inputs.listFiles);
  }
  log.debug(`${gitCalls} git calls`);
  const summary = [
    `### imgver detect-changes: ${changedNames.length} of ${units.length} changed`,
    '',
    `Base ${base ? `\`${shortSha(base)}\`` : '—'} → head \`${shortSha(firstDecision.head)}\`: ${firstDecision.why}`,
    '',
    markdownTable(['Service', 'Changed', 'Why', 'Files'], rows)
  ].join('\n');
  return { outputs, summary };
}
