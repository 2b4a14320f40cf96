import { basename, resolve } from 'node:path';
import semver from '../core/semver.js';
import { BumpDetector, bumpEachCommit, maxLevel, parseBumpInput, type BumpDecision, type BumpLevel } from '../core/bump.js';
import { releaseTagFormat, type Config, type Scheme, type ServiceConfig, type VersionSource } from '../core/config.js';
import { refTag, shortSha, type RunContext } from '../core/context.js';
import { formatDate, dateHelper } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import { needsGlobEngine, pathMatcher } from '../core/changes.js';
import { isBranchGlob, loadGlobEngine, loadPathGlobEngine, type GlobEngine, type PathGlobEngine } from '../core/glob-engine.js';
import { annotationLines, computeLabels, labelLines } from '../core/labels.js';
import { emptyPlan, upsertService, withWritten, type Plan, type PlanService } from '../core/plan.js';
import { parseAttributes, prepareRuleLines, splitLines } from '../core/rule-lines.js';
import { checkImageName, computeTags, IMGVER_DEFAULT_TAGS, METADATA_ACTION_DEFAULT_TAGS } from '../core/tag-rules.js';
import { renderTemplate, type TemplateVars } from '../core/template.js';
import {
  compileTagFormat,
  coreOf,
  isLinePrerelease,
  dockerSafeVersion,
  nextVersion,
  parseVersion,
  prereleaseForBranch,
  previewVersion,
  versionLikeTags,
  type PrereleaseSpec,
  type TagFormat
} from '../core/version.js';
import { Git, type CommitWithFiles } from '../adapters/git.js';
import { pathExists, readTextIfExists, writeFilesAtomically, type FileWrite, workingDirectoryOf, resolveInside } from '../adapters/files.js';
import { previewSha, resolveContext } from '../adapters/run-context.js';
import type { ActionResult, ActionRun } from './types.js';
import { loadConfig } from './config-loader.js';
import { commonInputs, inputValue, numberInput, parseBoolean, type CommonInputs, type RawInputs, planInput } from './inputs.js';
import { markdownTable, type Cell } from '../core/markdown.js';

export interface ComputeVersionInputs extends CommonInputs {
  images: string[];
  service?: string;
  plan?: Plan;
  /** `metadata`: docker/metadata-action's mode (tags from the ref and event, no version computed). */
  versionSource?: VersionSource | 'metadata';
  tagFormat?: string;
  versionFile?: string;
  bump: BumpLevel | 'auto';
  prerelease?: string;
  tags?: string[];
  flavor?: string[];
  labels?: string[];
  annotations?: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  write: boolean;
  reserve: boolean;
  /** How many versions reserve: true tries before giving up. */
  maxAttempts: number;
}

const SOURCES: (VersionSource | 'metadata')[] = ['ref', 'git-tag', 'file', 'registry', 'metadata'];

/** Every input parsed once, here; nothing else reads raw inputs. */
export function getInputs(raw: RawInputs, given: Set<string> = new Set()): ComputeVersionInputs {
  const str = (name: string) => inputValue(raw, name);
  const list = (name: string) => (raw[name] !== undefined && raw[name]!.trim() !== '' ? splitLines(raw[name]) : undefined);
  const source = str('version-source');
  if (source && !SOURCES.includes(source as VersionSource | 'metadata')) {
    throw new UserError(`Input 'version-source' is set to invalid value '${source}': expected ${SOURCES.join(', ')}`, {
      input: 'version-source'
    });
  }
  const sep = (name: string) => raw[name] ?? '\n';
  return {
    ...commonInputs(raw, given),
    images: list('images') ?? [],
    service: str('service'),
    plan: planInput(raw),
    versionSource: source as VersionSource | 'metadata' | undefined,
    tagFormat: str('tag-format'),
    versionFile: str('version-file'),
    bump: parseBumpInput(raw.bump ?? ''),
    prerelease: str('prerelease'),
    tags: list('tags'),
    flavor: list('flavor'),
    labels: list('labels'),
    annotations: list('annotations'),
    sepTags: sep('sep-tags'),
    sepLabels: sep('sep-labels'),
    sepAnnotations: sep('sep-annotations'),
    // A dry run computes and prints, and changes nothing: no write-back, no reserved tag.
    write: parseBoolean(raw.write ?? '', 'write') && !parseBoolean(raw['dry-run'] ?? '', 'dry-run'),
    reserve: parseBoolean(raw.reserve ?? '', 'reserve') && !parseBoolean(raw['dry-run'] ?? '', 'dry-run'),
    maxAttempts: numberInput(raw, 'max-attempts', 10, { max: 50 })
  };
}

/**
 * metadata-action's images input: `name` or `name=…,enable=…` a line; a single line of bare names is a list of
 * names (`ghcr.io/a/app,docker.io/a/app`), as there.
 */
export function parseImages(lines: string[]): string[] {
  const images: string[] = [];
  if (lines.length === 1) {
    const fields = parseAttributes(lines[0], 'image');
    if (fields.length > 1 && fields.every(field => field.key === undefined && !field.value.includes('='))) {
      return fields.map(field => checkImageName(field.value, "input 'images'"));
    }
  }
  for (const line of lines) {
    let name = '';
    let enable = true;
    for (const { key, value } of parseAttributes(line, 'image')) {
      if (key === undefined || key === 'name') name = value;
      else if (key === 'enable') {
        if (!['true', 'false'].includes(value)) throw new UserError(`Invalid enable attribute value: ${line}`, { input: 'images' });
        enable = value === 'true';
      } else throw new UserError(`Unknown image attribute: ${line} (expected name= and enable=)`, { input: 'images' });
    }
    if (!name) throw new UserError(`Image name attribute empty: ${line}`, { input: 'images' });
    if (enable) images.push(checkImageName(name, "input 'images'"));
  }
  return images;
}

/** One version line: the unified one, or one per service. */
interface VersionLine {
  name: string;
  format: TagFormat;
  paths: string[];
  services: ServiceConfig[];
  versionFile?: string;
}

interface LineResult {
  version?: string;
  previous?: string;
  release: boolean;
  prerelease: boolean;
  raw?: string;
  decision?: BumpDecision;
  releaseTag?: string;
  why: string;
  /** Files touched by the commits counted, for telling which services of a unified line changed. */
  files?: string[];
  /** The same bump taken over more versions: the next free version when another run took this one (reserve). */
  after?: (taken: string[]) => string;
  /** The release tag is pushed already (reserve: true). */
  reserved?: boolean;
  /**
   * On a commit that carries its release tag: the release before it, for the `previous` output. The plan's previous
   * stays the line's highest version (build-tag-push reads an unchanged service's previous as the version it retags).
   */
  releaseBefore?: string;
}

class Versioner {
  private gitInstance?: Git;
  /** Checked once per run: a repository is shallow or not for every version line. */
  private shallow?: boolean;
  private historyEnsured = false;
  private detector?: BumpDetector;
  gitCalls = 0;
  /** Set by the run when some path or branch pattern is a real glob. */
  globEngine?: GlobEngine;
  pathGlobEngine?: PathGlobEngine;

  constructor(
    private readonly run: ActionRun,
    private readonly cwd: string,
    private readonly config: Config,
    private readonly inputs: ComputeVersionInputs,
    private readonly context: RunContext
  ) {}

  async git(why: string): Promise<Git> {
    const git = await this.gitIfRepository();
    if (!git) await new Git(this.cwd).requireRepository(why);
    return git!;
  }

  private async gitIfRepository(): Promise<Git | undefined> {
    if (!this.gitInstance) {
      const git = new Git(this.cwd, {
        trace: (args, ms, code) => {
          this.gitCalls++;
          this.run.log.debug(`git ${args.join(' ')} → ${code} (${ms} ms)`);
        }
      });
      if (!(await git.isRepository())) return undefined;
      this.gitInstance = git;
    }
    return this.gitInstance;
  }

  /** Never a silent restart at 0.0.x: a shallow clone is unshallowed, a tag-less one fetches tags, before we trust "no tags". */
  async ensureHistory(git: Git, missingTags: boolean): Promise<boolean> {
    if (this.historyEnsured) return false;
    this.shallow ??= await git.isShallow();
    const shallow = this.shallow;
    if (!shallow && !missingTags) return false;
    this.historyEnsured = true;
    const remote = await git.remoteUrl('origin');
    if (!remote) {
      if (shallow) throw new UserError(`${this.cwd} is a shallow clone without an origin to deepen from: clone it with full history (fetch-depth: 0)`);
      return false;
    }
    this.run.log.info(shallow ? 'Shallow clone: fetching history and tags (commits and trees only)' : 'No release tag here: fetching tags from origin');
    await git.fetchHistoryAndTags('origin', shallow);
    return true;
  }

  prereleaseSpec(): PrereleaseSpec | undefined {
    const { prerelease } = this.config;
    const numbering = prerelease.numbering;
    const keepLabel = prerelease.keepLabel;
    const input = this.inputs.prerelease;
    if (input !== undefined) {
      if (input === 'false') return undefined;
      return { id: input === 'true' ? prerelease.id : input, numbering, keepLabel };
    }
    if (prerelease.enabled) return { id: renderTemplate(prerelease.id, { branch: this.context.branch ?? '' }), numbering, keepLabel };
    const id = prereleaseForBranch({
      branches: prerelease.branches,
      branch: this.context.branch,
      defaultBranch: this.context.defaultBranch,
      engine: this.globEngine
    });
    return id ? { id, numbering, keepLabel } : undefined;
  }

  /** The prerelease ids this line may use: a tag with another suffix is another line's namespace (isLinePrerelease). */
  private prereleaseIds(): string[] {
    const { prerelease } = this.config;
    const ids = [prerelease.id, ...Object.values(prerelease.branches).filter((v): v is string => typeof v === 'string'), this.inputs.prerelease ?? ''];
    const active = this.prereleaseSpec()?.id;
    return [...ids.filter(id => id && !id.includes('{{')), ...(active ? [active] : [])];
  }

  private async commitsSince(git: Git, since: string | undefined, paths: string[]): Promise<CommitWithFiles[]> {
    const range = since ? `${since}..HEAD` : 'HEAD';
    const commits = await git.commits(range);
    // The whole repository: every commit counts, an empty one (git commit --allow-empty) too.
    if (paths.length === 1 && paths[0] === '**') return commits;
    return commits.filter(commit => commit.files.some(file => matchesPaths(file, paths, this.pathGlobEngine)));
  }

  async fromRef(line: VersionLine): Promise<LineResult> {
    const tag = refTag(this.context.ref);
    if (tag === undefined) return { release: false, prerelease: false, why: `${this.context.ref} is not a tag` };
    const version = line.format.parse(tag);
    if (!version) return { release: false, prerelease: false, why: `tag ${tag} is not ${line.format.format}` };
    const pre = semver.prerelease(version) !== null;
    return { version, raw: tag, release: true, prerelease: pre, releaseTag: tag, why: `tag ${tag}` };
  }

  async fromGitTags(line: VersionLine): Promise<LineResult> {
    const git = await this.git('version source git-tag');
    if (!(await git.resolveCommit('HEAD'))) {
      // A repository without a commit yet: no tag, no commit, so the initial version and nothing to release.
      return this.bumpLine(line, [], [], 0, 'in an empty repository (no commit yet)');
    }
    await this.ensureHistory(git, false);
    const ids = this.prereleaseIds();
    const branchVersion = this.config.version.fromBranch ? versionOfBranch(this.context.branch) : undefined;
    const read = async () => {
      const tags = await git.mergedTags('HEAD', line.format.glob);
      return tags
        .map(tag => ({ tag, version: line.format.parse(tag) }))
        .filter((t): t is { tag: string; version: string } => !!t.version && isLinePrerelease(t.version, ids))
        .filter(t => !branchVersion || withinBranchVersion(t.version, branchVersion));
    };
    let found = await read();
    if (found.length === 0 && (await this.ensureHistory(git, true))) found = await read();
    if (this.inputs.reserve) {
      const onHead = new Set((await git.tryRun(['tag', '--points-at', 'HEAD']))?.split('\n').filter(Boolean) ?? []);
      const own = semver.rsort(found.filter(f => onHead.has(f.tag)).map(f => f.version))[0];
      if (own) {
        const tag = line.format.render(own);
        return { version: own, raw: tag, release: true, prerelease: semver.prerelease(own) !== null, releaseTag: tag, reserved: true, why: `${tag} is on this commit (reserved by an earlier run)` };
      }
    }
    if (found.length === 0 && branchVersion) {
      this.run.log.info(`${line.name}: no release tag of ${branchVersion.text} yet; branch ${this.context.branch} starts at ${branchVersion.base}`);
    } else if (found.length === 0) {
      // Tags of this format left out on purpose (another line's namespace, another branch's major) are no mismatch.
      const leftOut = (tag: string) => {
        const version = line.format.parse(tag);
        return version !== undefined && (!isLinePrerelease(version, ids) || (branchVersion !== undefined && !withinBranchVersion(version, branchVersion)));
      };
      const lookalikes = versionLikeTags(await git.allTags()).filter(tag => !leftOut(tag));
      if (lookalikes.length > 0) {
        throw new UserError(
          `No tag reachable from HEAD matches the tag format "${line.format.format}"${line.services.length === 1 && line.name !== 'unified' ? ` of service ${line.name}` : ''}, but these version-like tags exist: ${lookalikes.slice(0, 10).join(', ')}${lookalikes.length > 10 ? ', …' : ''}. Set version.tag-format to match them (or tag-format input)`
        );
      }
      this.run.log.info(`${line.name}: no release tag yet (${line.format.format}); the first release bumps ${this.config.version.initial}`);
    }
    const byVersion = new Map(found.map(f => [f.version, f.tag]));
    const known = found.map(f => f.version);
    // version from-branch: a branch release/v3.2 without a 3.2 tag yet starts from 3.2.0 (no tag: every commit counts).
    if (branchVersion && found.length === 0) known.push(branchVersion.base);
    const lastRelease = semver.rsort(known.filter(v => semver.prerelease(v) === null))[0];
    const highest = semver.rsort([...known])[0];
    const commits = await this.commitsSince(git, lastRelease ? byVersion.get(lastRelease) : undefined, line.paths);
    let fresh = commits;
    // A prerelease tag on the newest commits stops another prerelease of nothing new; with prereleases off it stops nothing.
    if (highest && highest !== lastRelease && this.prereleaseSpec()) {
      const sinceHighest = new Set((await this.commitsSince(git, byVersion.get(highest), line.paths)).map(c => c.sha));
      fresh = commits.filter(c => sinceHighest.has(c.sha));
    }
    const result = this.bumpLine(line, known, commits, fresh.length, lastRelease ? `since ${byVersion.get(lastRelease)}` : 'since the first commit');
    // On a commit that is the release (its tag is here), previous is the release before it.
    if (!result.release && result.version && !result.prerelease && byVersion.has(result.version)) {
      const onHead = (await git.tryRun(['tag', '--points-at', 'HEAD']))?.split('\n') ?? [];
      if (onHead.includes(byVersion.get(result.version)!)) {
        result.releaseBefore = semver.rsort(known.filter(v => semver.prerelease(v) === null && semver.lt(v, result.version!)))[0] ?? '';
      }
    }
    return result;
  }

  /**
   * The highest X.Y.Z tag of the line's images in their registries is the last release (latest, sha and prerelease
   * tags ignored); the commits since its git tag (when there is one), else the pushed commit, decide the bump.
   */
  async fromRegistry(line: VersionLine): Promise<LineResult> {
    // The repository's side does not depend on the registry's: git starts while the tags are listed.
    const headReady = this.gitIfRepository().then(async git => (git && (await git.resolveCommit('HEAD')) ? git : undefined));
    headReady.catch(() => undefined); // awaited below; a registry failure first must not leave it unhandled
    const { parseImageRef } = await import('../core/image-ref.js');
    const { Registries, resolveLatest, registryReleases } = await import('../adapters/registry/index.js');
    const registries = new Registries({ env: this.run.env, log: { debug: m => this.run.log.debug(m), warning: m => this.run.log.warning(m) } });
    let highest: string | undefined;
    for (const service of line.services) {
      const ref = parseImageRef(service.image);
      const registry = await registries.for(ref);
      const before = registry.requests;
      const found = registryReleases(await registry.listTags(ref.repository), line.format);
      if (found.highest && (!highest || semver.gt(found.highest, highest))) highest = found.highest;
      this.run.log.info(`${service.name}: ${found.tags} tag(s) in ${ref.name}, ${found.releases} release version(s), ${registry.requests - before} registry request(s)`);
      const latest = await resolveLatest(registry, ref.repository, found.top);
      if (latest?.tag) this.run.log.info(`${service.name}: latest is ${latest.tag} (${latest.digest.slice(0, 19)}…)`);
      else if (latest) this.run.log.info(`${service.name}: latest (${latest.digest.slice(0, 19)}…) carries no release version tag`);
    }
    // Registry versions are releases only, so the next version depends on the highest alone.
    const known = highest ? [highest] : [];
    const git = await headReady;
    let commits: CommitWithFiles[] = [];
    let since = 'in the pushed commit';
    if (git) {
      const releaseTag = known[0] ? line.format.render(known[0]) : undefined;
      if (releaseTag && (await git.tagCommit(releaseTag))) {
        commits = await this.commitsSince(git, releaseTag, line.paths);
        since = `since ${releaseTag}`;
      } else {
        commits = await git.commits('-1');
      }
    }
    // Every run is a release with this source: a push to the branch publishes the next version.
    return this.bumpLine(line, known, commits, Math.max(1, commits.length), known[0] ? `${since} (registry has ${known[0]})` : `${since} (registry has no release yet)`);
  }

  async fromFile(line: VersionLine): Promise<LineResult> {
    const specText = line.versionFile;
    if (!specText) {
      throw new UserError(`Version source file needs a version file: set version.file in ${this.config.file ?? 'imgver.yaml'} or the version-file input`, {
        input: 'version-file'
      });
    }
    const { parseVersionFileSpec, readVersionFile } = await import('../core/version-file.js');
    const spec = parseVersionFileSpec(specText);
    const text = await readTextIfExists(resolveInside(this.cwd, spec.path, { name: `Version file ${spec.path} (version.file or the version-file input)`, input: 'version-file' }, 'file'));
    if (text === undefined) throw new UserError(`Version file ${spec.path} does not exist (in ${this.cwd})`, { file: spec.path });
    const fileVersion = readVersionFile(spec, text);
    if (this.config.version.fileMode === 'exact') {
      const releaseTag = line.format.render(fileVersion);
      let already = false;
      const git = await this.gitIfRepository();
      if (git) already = (await git.tagCommit(releaseTag)) !== undefined;
      return {
        version: fileVersion,
        raw: releaseTag,
        release: !already,
        prerelease: semver.prerelease(fileVersion) !== null,
        releaseTag,
        why: already ? `${spec.path} says ${fileVersion}, already tagged ${releaseTag}` : `${spec.path} says ${fileVersion}`
      };
    }
    const git = await this.git('version-file mode bump');
    await this.ensureHistory(git, false);
    const base = await git.lastCommitTouching(spec.path);
    const commits = (await this.commitsSince(git, base, line.paths)).filter(c => !c.files.includes(spec.path) || c.sha !== base);
    return this.bumpLine(line, [fileVersion], commits, commits.length, `since ${spec.path} last changed`);
  }

  private bumpLine(line: VersionLine, known: string[], commits: CommitWithFiles[], freshCommits: number, since: string): LineResult {
    const { config, inputs, context } = this;
    this.detector ??= new BumpDetector(config.bump);
    const lastRelease = semver.rsort(known.filter(v => semver.prerelease(v) === null))[0];
    let decision: BumpDecision;
    let reached: string | undefined;
    if (inputs.bump !== 'auto') {
      decision = { level: inputs.bump, reason: `input bump=${inputs.bump}`, commits: commits.length };
    } else {
      decision = this.detector.decide(commits, lastRelease ?? config.version.initial);
      if (config.bump.eachCommit && !decision.releaseAs) {
        const stepped = bumpEachCommit(this.detector, config.bump, commits, lastRelease ?? (parseVersion(config.version.initial) ?? '0.0.0'));
        reached = stepped.level === 'none' ? undefined : stepped.version;
        decision = { ...decision, level: stepped.level, commit: stepped.commit, reason: stepped.level === 'none' ? 'no commit bumps' : `each commit bumps (${commits.length} commit(s))` };
      }
      // Nothing new since the last tag of the line (a prerelease, say): nothing to release.
      if (freshCommits === 0 && decision.level !== 'none' && !config.bump.withoutCommits) {
        decision = { ...decision, level: 'none', reason: 'no new commits since the last tag' };
      }
    }
    const isPreview = context.prNumber !== undefined && /^pull_request/.test(context.eventName);
    const prerelease = isPreview ? undefined : this.prereleaseSpec();
    const build = config.version.build ? renderTemplate(config.version.build, this.baseVars()) : undefined;
    const versionAfter = (taken: string[]) =>
      nextVersion({
        known: [...known, ...taken],
        bump: isPreview && decision.level === 'none' ? 'patch' : decision.level,
        releaseAs: taken.length > 0 ? undefined : decision.releaseAs,
        prerelease,
        aware: config.prerelease.aware,
        initial: config.version.initial,
        build,
        reached: taken.length > 0 ? undefined : reached
      });
    const next = versionAfter([]);
    if (isPreview) {
      const version = previewVersion(coreOf(next.version), context.prNumber!, shortSha(previewSha(context)));
      return {
        version,
        raw: version,
        previous: next.previous,
        release: false,
        prerelease: true,
        decision,
        why: `pull request #${context.prNumber} preview`,
        files: commits.flatMap(c => c.files)
      };
    }
    const why = next.release
      ? `${decision.level}: ${decision.reason}${decision.commit ? ` (${decision.commit.slice(0, 7)})` : ''}; ${commits.length} commit(s) ${since}`
      : decision.reason;
    return {
      files: commits.flatMap(c => c.files),
      version: next.version,
      raw: line.format.render(next.version),
      previous: next.previous,
      release: next.release,
      prerelease: next.release && next.prerelease,
      releaseTag: next.release ? line.format.render(next.version) : undefined,
      decision,
      why,
      after: taken => versionAfter(taken).version
    };
  }

  baseVars(): TemplateVars {
    const { context } = this;
    return {
      sha7: shortSha(context.sha),
      branch: context.branch ?? '',
      run_number: context.runNumber ?? '0',
      date: dateHelper(context.now, 'date')
    };
  }

  async compute(source: VersionSource, line: VersionLine): Promise<LineResult> {
    switch (source) {
      case 'ref':
        return this.fromRef(line);
      case 'git-tag':
        return this.fromGitTags(line);
      case 'file':
        return this.fromFile(line);
      case 'registry':
        return this.fromRegistry(line);
    }
  }
}

/**
 * The version a branch is named after, its last segment (`release/v3`, `release/v3.2`, `3.2.x`): semantic-version's
 * version_from_branch, which also takes trailing digits of any name (`JIRA-123`); imgver does not.
 */
export function versionOfBranch(branch: string | undefined): { major: number; minor?: number; base: string; text: string } | undefined {
  const m = branch?.match(/(?:^|\/)v?(\d+)(?:\.(\d+))?(?:\.x)?$/);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? undefined : Number(m[2]);
  return { major, minor, base: `${major}.${minor ?? 0}.0`, text: minor === undefined ? `${major}.x` : `${major}.${minor}.x` };
}

function withinBranchVersion(version: string, branch: { major: number; minor?: number }): boolean {
  const v = semver.parse(version)!;
  return v.major === branch.major && (branch.minor === undefined || v.minor === branch.minor);
}

/** Whether the service itself changed: in a unified line, only services whose paths the commits touched. */
function serviceChanged(service: ServiceConfig, result: LineResult, engine: PathGlobEngine | undefined): boolean {
  if (!result.release && !(result.prerelease && result.version)) return false;
  if (!result.files) return true;
  return result.files.some(file => matchesPaths(file, service.paths, engine));
}

/**
 * A service's paths and those of everything it depends on (transitively): a commit to a lib it is built from bumps it.
 * Each unit's own globs keep their order (its negations stay its own), so the lists are joined, not merged.
 */
export function pathsWithDependencies(config: Config, service: ServiceConfig): string[] {
  const units = new Map<string, { paths: string[]; dependsOn: string[] }>([...config.libs, ...config.services].map(u => [u.name, u]));
  const seen = new Set<string>([service.name]);
  const queue = [...service.dependsOn];
  const extra: string[][] = [];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const unit = units.get(name);
    if (!unit) continue;
    extra.push(unit.paths);
    queue.push(...unit.dependsOn);
  }
  return extra.length === 0 ? service.paths : [service.paths, ...extra].flatMap(p => p);
}

const matchers = new WeakMap<string[], (path: string) => boolean>();

/** Globs in order, gitignore-style: a later `!pattern` excludes what an earlier one included. */
export function matchesPaths(file: string, paths: string[], engine: PathGlobEngine | undefined): boolean {
  let matcher = matchers.get(paths);
  if (!matcher) matchers.set(paths, (matcher = pathMatcher(paths, engine)));
  return matcher(file);
}

/** How the release step runs compute-version again on a new tip. */
export interface ComputeOptions {
  /** Keep these versions (version line → version) and only write them back: the release is rebased, not recomputed. */
  fixed?: Record<string, string>;
  /** Version files never move back: a tip that holds a higher version keeps it (releases landing out of order). */
  forwardOnly?: boolean;
}

/** compute-version's inputs the release step replays; plan, write and reserve are its own. */
const NOT_REPLAYED = new Set(['plan', 'write', 'reserve', 'dry-run', 'max-attempts', 'working-directory']);

export async function run(runCtx: ActionRun, options: ComputeOptions = {}): Promise<ActionResult> {
  const { log } = runCtx;
  const inputs = getInputs(runCtx.inputs, runCtx.given);
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  await prepareRuleLines([...inputs.images, ...(inputs.tags ?? []), ...(inputs.flavor ?? [])]);
  const images = parseImages(inputs.images);
  // With only images (metadata-action's mode) no config, no git and no checkout are needed.
  const config = await loadConfig(cwd, inputs.config, inputs.configGiven);
  await prepareRuleLines([...(config.tags ?? []), ...(config.flavor ?? []), ...config.services.flatMap(s => [...(s.tags ?? []), ...(s.flavor ?? [])])]);

  let services: ServiceConfig[];
  // docker/metadata-action's mode without an image: bare tag names, as metadata-action gives with an empty images input.
  const imageless = images.length === 0 && inputs.versionSource === 'metadata' && config.services.length === 0;
  if (imageless) {
    services = [{ name: inputs.service ?? 'image', image: '', context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] }];
  } else if (images.length > 0) {
    const name = inputs.service ?? images[0].split('/').pop()!.replace(/[^a-z0-9._-]/g, '-');
    services = [{ name, image: images[0], context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] }];
  } else {
    services = config.services;
    if (services.length === 0) {
      // Version-only: no image and no service, so the repository is one unit (every path counts) with bare tags.
      services = [repositoryUnit(cwd, inputs.service)];
    } else if (inputs.service) {
      const picked = services.find(s => s.name === inputs.service);
      if (!picked) {
        throw new UserError(`Input 'service' is set to '${inputs.service}', which is not a service of ${inputs.config} (${services.map(s => s.name).join(', ')})`, {
          input: 'service'
        });
      }
      services = [picked];
    }
  }
  for (const s of services) if (s.image !== '') checkImageName(s.image, `service ${s.name}`);
  // A service whose default paths name a directory that is not there matches no commit: it would never release.
  for (const s of images.length > 0 ? [] : config.services) {
    if (s.context !== '.' && s.paths.length === 1 && s.paths[0] === `${s.context}/**` && !pathExists(resolve(cwd, s.context))) {
      log.warning(
        `service ${s.name}: there is no ${s.context}/ directory, so its default paths (${s.context}/**) match no commit and it never releases; set its paths (paths: ["**"] for the whole repository), or leave services out to version the repository as one unit`
      );
    }
  }
  const singleImage = images.length > 0 || imageless;
  const source: VersionSource | 'metadata' = inputs.versionSource ?? config.version.source ?? (singleImage ? 'metadata' : 'git-tag');
  const scheme = singleImage ? 'unified' : config.version.scheme;

  const context = await resolveContext({
    env: runCtx.env,
    overrides: inputs.overrides,
    now: runCtx.now,
    git: async () => {
      const git = new Git(cwd);
      return (await git.isRepository()) ? git : undefined;
    },
    optionalRef: source === 'metadata'
  });
  log.debug(`context: ${JSON.stringify({ ...context, payload: undefined })}`);

  const versioner = new Versioner(runCtx, cwd, config, inputs, context);
  const lines: VersionLine[] =
    scheme === 'unified'
      ? [
          {
            name: 'unified',
            format: lineTagFormat(config, scheme, inputs.tagFormat),
            paths: config.version.triggerPaths ?? (config.services.length > 0 ? [...config.services, ...config.libs].flatMap(s => s.paths) : ['**']),
            services,
            versionFile: lineVersionFile(config, scheme, inputs.versionFile)
          }
        ]
      : services.map(s => ({
          name: s.name,
          format: lineTagFormat(config, scheme, inputs.tagFormat, s),
          paths: pathsWithDependencies(config, s),
          services: [s],
          versionFile: lineVersionFile(config, scheme, inputs.versionFile, s)
        }));

  const globs = [...lines.flatMap(line => line.paths), ...services.flatMap(service => service.paths)];
  if (needsGlobEngine(globs)) versioner.pathGlobEngine = await loadPathGlobEngine();
  if (Object.keys(config.prerelease.branches).some(isBranchGlob)) versioner.globEngine = await loadGlobEngine();

  const results = new Map<string, LineResult>();
  await log.group(`Versions (${source}, ${scheme})`, async () => {
    for (const line of lines) {
      const result: LineResult =
        source === 'metadata'
          ? { release: false, prerelease: false, why: 'tags from the ref (docker/metadata-action mode)' }
          : options.fixed
            ? fixedResult(line, options.fixed[line.name])
            : await versioner.compute(source, line);
      for (const s of line.services) results.set(s.name, result);
      log.info(`${line.name}: ${result.previous ?? '—'} → ${result.version ?? '—'} ${result.release ? '(release)' : '(no release)'}: ${result.why}`);
    }
    if (source === 'ref' && refTag(context.ref) !== undefined && ![...results.values()].some(r => r.version)) {
      const tag = refTag(context.ref)!;
      const forms = lines.map(l => l.format.format).filter((f, i, all) => all.indexOf(f) === i);
      throw new UserError(
        `Tag "${tag}" is not a release version: expected ${forms.join(' or ')} with a SemVer version, e.g. ${lines[0].format.render('1.2.3')}`,
        { input: 'ref' }
      );
    }
    if (versioner.gitCalls > 0) log.debug(`${versioner.gitCalls} git calls`);
  });
  if (inputs.reserve && !options.fixed) {
    if (source === 'ref' || source === 'metadata') log.info(`reserve: the version comes from the pushed tag (${source}); nothing to reserve`);
    else await reserveReleaseTags({ run: runCtx, git: await versioner.git('reserve: true'), context, lines, results, maxAttempts: inputs.maxAttempts });
  }

  // Tags and labels, per service.
  const annotationLevels = (runCtx.env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest').split(',').map(l => l.trim()).filter(Boolean);
  let plan: Plan = inputs.plan ?? emptyPlan();
  plan = { ...plan, ref: context.ref, sha: context.sha };
  const perService: Record<string, { tags: string[]; tagNames: string[]; labels: Record<string, string>; annotations: Record<string, string>; main?: string }> = {};
  for (const service of services) {
    const result = results.get(service.name)!;
    const fromPlan = inputs.plan?.services.find(s => s.name === service.name);
    const computed = result.version ? { version: result.version, raw: result.raw ?? result.version } : undefined;
    const parsed = result.version ? semver.parse(result.version) : null;
    const vars: TemplateVars = {
      ...versioner.baseVars(),
      service: service.name,
      version: result.version ? dockerSafeVersion(result.version) : '',
      major: parsed?.major,
      minor: parsed?.minor,
      patch: parsed?.patch
    };
    const rules = inputs.tags ?? service.tags ?? config.tags ?? (source === 'metadata' ? METADATA_ACTION_DEFAULT_TAGS : IMGVER_DEFAULT_TAGS);
    const serviceImages = singleImage ? images : service.image === '' ? [] : [service.image];
    const noVersion = source !== 'metadata' && !computed;
    const tagResult = noVersion
      ? { main: undefined, tags: [], tagNames: [], warnings: [] as string[] }
      : computeTags({
          rules,
          flavor: inputs.flavor ?? service.flavor ?? config.flavor,
          images: serviceImages,
          context,
          computed,
          service: service.name,
          vars
        });
    for (const warning of tagResult.warnings) log.warning(warning);
    const labelVars = { ...vars, version: tagResult.main ?? vars.version };
    const labelVersion = singleImage && source === 'metadata' ? tagResult.main : (result.version ?? tagResult.main);
    const title = singleImage ? undefined : service.name;
    const configSource = (key: string) => ({ name: `${key} in ${config.file ?? 'imgver.yaml'}`, file: config.file });
    const labels = computeLabels({
      context,
      title,
      version: labelVersion,
      extra: inputs.labels ?? service.labels ?? config.labels,
      vars: labelVars,
      source: inputs.labels ? { name: "Input 'labels'", input: 'labels' } : configSource(service.labels ? `services.${service.name}.labels` : 'labels')
    });
    const annotations = computeLabels({
      context,
      title,
      version: labelVersion,
      extra: inputs.annotations ?? service.annotations ?? config.annotations,
      vars: labelVars,
      annotations: true,
      source: inputs.annotations ? { name: "Input 'annotations'", input: 'annotations' } : configSource(service.annotations ? `services.${service.name}.annotations` : 'annotations')
    });
    perService[service.name] = { tags: tagResult.tags, tagNames: tagResult.tagNames, labels, annotations, main: tagResult.main };
    const entry: PlanService = {
      name: service.name,
      image: service.image,
      context: service.context,
      dockerfile: service.dockerfile,
      changed: fromPlan?.changed ?? serviceChanged(service, result, versioner.pathGlobEngine),
      version: result.version,
      previous: result.previous,
      release: result.release,
      bump: result.decision?.level ?? 'none',
      bumpReason: result.why,
      bumpCommit: result.decision?.commit,
      prerelease: result.prerelease,
      releaseTag: result.releaseTag,
      reserved: result.reserved,
      tags: tagResult.tags,
      labels,
      annotations
    };
    // A service detect-changes found unchanged keeps its version: nothing of it is released.
    if (fromPlan?.changed === false && entry.release && scheme === 'per-service') {
      Object.assign(entry, { release: false, version: result.previous, bump: 'none', bumpReason: 'unchanged (plan input)', releaseTag: undefined });
    }
    plan = upsertService(plan, entry);
  }

  // Write-back: every file computed in memory first, then written atomically.
  const writtenFiles: string[] = [];
  if (inputs.write) {
    const writes = await planWrites({ cwd, config, lines, results, context, vars: versioner.baseVars(), forwardOnly: options.forwardOnly, log });
    if (writes.length > 0) {
      await writeFilesAtomically(writes.map(w => ({ path: resolveInside(cwd, w.path, { name: `The file ${w.path}` }), text: w.text })));
      writtenFiles.push(...writes.map(w => w.path));
      log.info(`Wrote ${writtenFiles.join(', ')}`);
    } else log.info('Nothing to write back');
  }

  plan = withWritten(plan, writtenFiles);
  plan.computeInputs = Object.fromEntries(
    Object.entries(runCtx.inputs).filter(([key, value]) => runCtx.given.has(key) && !NOT_REPLAYED.has(key) && value !== undefined && value !== '')
  ) as Record<string, string>;
  const releaseBefore = new Map(services.map(s => [s.name, results.get(s.name)?.releaseBefore]));
  return { outputs: buildOutputs({ plan, perService, services, inputs, annotationLevels, scheme, singleImage, writtenFiles, releaseBefore }), summary: summaryTable(plan) };
}

/** The one unit of a repository with neither images nor services: the whole tree, no image, named after its directory. */
export function repositoryUnit(cwd: string, name?: string): ServiceConfig {
  const unit = name ?? (basename(cwd).toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'repository');
  return { name: unit, image: '', context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] };
}

function fixedResult(line: VersionLine, version: string | undefined): LineResult {
  if (!version) return { release: false, prerelease: false, why: 'not released by this run' };
  const tag = line.format.render(version);
  return { version, raw: tag, release: true, prerelease: semver.prerelease(version) !== null, releaseTag: tag, why: 'the version of the release being rebased' };
}

/**
 * reserve: true. Each release tag is pushed now, on the commit to be built, so the version is owned before anything
 * is built; a tag another run took meanwhile moves this run to the next free version (the same bump).
 */
async function reserveReleaseTags(args: { run: ActionRun; git: Git; context: RunContext; lines: VersionLine[]; results: Map<string, LineResult>; maxAttempts: number }): Promise<void> {
  const { run, git, context, lines, results, maxAttempts } = args;
  const { reserveVersion } = await import('../adapters/git-publish.js');
  if (!(await git.remoteUrl('origin'))) throw new UserError('reserve: true pushes the release tag to origin, but this repository has no origin remote', { input: 'reserve' });
  const commit = (context.sha && (await git.resolveCommit(context.sha))) || (await git.head());
  for (const line of lines) {
    const result = results.get(line.services[0].name)!;
    if (!result.release || !result.version || result.reserved || !result.after) continue;
    let version = result.version;
    const outcome = await reserveVersion(git, {
      remote: 'origin',
      commit,
      maxAttempts,
      log: message => run.log.info(`${line.name}: ${message}`),
      candidate: async attempt => {
        if (attempt > 1) {
          const taken = (await git.allTags()).map(tag => line.format.parse(tag)).filter((v): v is string => !!v);
          version = result.after!(taken);
        }
        return { tag: line.format.render(version), message: `Release ${version} (reserved for ${commit.slice(0, 7)} by imgver)` };
      }
    });
    if (outcome.tag !== result.releaseTag) run.log.info(`${line.name}: ${result.releaseTag} was taken; this run releases ${outcome.tag}`);
    Object.assign(result, { version, raw: outcome.tag, releaseTag: outcome.tag, reserved: true });
  }
}

async function planWrites(args: {
  cwd: string;
  config: Config;
  lines: VersionLine[];
  results: Map<string, LineResult>;
  context: RunContext;
  vars: TemplateVars;
  forwardOnly?: boolean;
  log: ActionRun['log'];
}): Promise<{ path: string; text: string }[]> {
  const { cwd, config, lines, results, context } = args;
  const writes: FileWrite[] = [];
  const { parseVersionFileSpec, readVersionFile, writeVersionFile } = await import('../core/version-file.js');
  const { rotateChangelog } = await import('../core/changelog.js');
  for (const line of lines) {
    const result = results.get(line.services[0].name)!;
    if (!result.release || !result.version) continue;
    const vars: TemplateVars = { ...args.vars, version: result.version, service: line.name };
    if (line.versionFile) {
      const spec = parseVersionFileSpec(line.versionFile);
      const text = await readTextIfExists(resolveInside(cwd, spec.path, { name: `Version file ${spec.path} (version.file or the version-file input)`, input: 'version-file' }, 'file'));
      if (text === undefined) throw new UserError(`Version file ${spec.path} does not exist (in ${cwd})`, { file: spec.path });
      const current = args.forwardOnly ? semver.valid(readVersionFile(spec, text)) : null;
      if (current && semver.gt(current, result.version)) {
        args.log.info(`${spec.path} holds ${current} already, newer than ${result.version}: left as it is`);
        continue;
      }
      const fields = Object.fromEntries(Object.entries(config.version.fileFields).map(([k, v]) => [k, renderTemplate(v, vars)]));
      const next = writeVersionFile(spec, text, result.version, fields);
      if (next !== text) writes.push({ path: spec.path, text: next });
    }
    const changelogPath = changelogPathOf(config, line.name === 'unified', line.services[0]);
    if (!changelogPath) continue;
    const text = await readTextIfExists(resolveInside(cwd, changelogPath, { name: `Changelog ${changelogPath} (version.changelog)` }, 'file'));
    if (text === undefined) {
      if (typeof config.version.changelog === 'string') throw new UserError(`Changelog ${changelogPath} (version.changelog) does not exist`, { file: changelogPath });
      continue;
    }
    const newest = args.forwardOnly ? newestChangelogVersion(text) : undefined;
    if (newest && semver.gt(newest, result.version)) {
      args.log.info(`${changelogPath} has a section for ${newest} already, newer than ${result.version}: left as it is`);
      continue;
    }
    const next = rotateChangelog({
      text,
      file: changelogPath,
      version: result.version,
      date: formatDate(context.now, 'YYYY-MM-DD'),
      tag: result.releaseTag ?? line.format.render(result.version)
    });
    if (next !== text) writes.push({ path: changelogPath, text: next });
  }
  return writes;
}

/** The release tag format of a version line: the unified one, or a service's (its name filling {{service}}). */
export function lineTagFormat(config: Config, scheme: Scheme, override?: string, service?: ServiceConfig): TagFormat {
  return compileTagFormat(releaseTagFormat(config, scheme, override, service), scheme === 'per-service' ? service?.name : undefined);
}

/** The version file of a version line: the unified one, or a service's ({{service}} and {{context}} filled in). */
export function lineVersionFile(config: Config, scheme: Scheme, override?: string, service?: ServiceConfig): string | undefined {
  if (scheme === 'unified') return override ?? config.version.file;
  const spec = override ?? service?.versionFile ?? config.version.file;
  return spec && service ? renderTemplate(spec, { service: service.name, context: service.context }) : spec;
}

/** The changelog a version line rotates (version.changelog: false, a path template, or CHANGELOG.md by default). */
export function changelogPathOf(config: Config, unified: boolean, service: ServiceConfig): string | undefined {
  const setting = config.version.changelog;
  if (setting === false) return undefined;
  if (typeof setting === 'string') return renderTemplate(setting, { service: service.name, context: service.context });
  return unified || service.context === '.' ? 'CHANGELOG.md' : `${service.context}/CHANGELOG.md`;
}

function newestChangelogVersion(text: string): string | undefined {
  const versions = [...text.matchAll(/^##\s*\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?/gm)].map(m => semver.valid(m[1])).filter((v): v is string => !!v);
  return semver.rsort(versions)[0];
}

function buildOutputs(args: {
  plan: Plan;
  perService: Record<string, { tags: string[]; tagNames: string[]; labels: Record<string, string>; annotations: Record<string, string>; main?: string }>;
  services: ServiceConfig[];
  inputs: ComputeVersionInputs;
  annotationLevels: string[];
  scheme: string;
  singleImage: boolean;
  writtenFiles: string[];
  releaseBefore: Map<string, string | undefined>;
}): Record<string, string> {
  const { plan, perService, services, inputs, annotationLevels } = args;
  const planned = plan.services.filter(s => services.some(c => c.name === s.name));
  const only = services.length === 1 ? perService[services[0].name] : undefined;
  const onlyPlan = services.length === 1 ? planned[0] : undefined;
  const json = (s: (typeof perService)[string]) => ({
    tags: s.tags,
    'tag-names': s.tagNames,
    labels: s.labels,
    annotations: annotationLines(s.annotations, annotationLevels)
  });
  const unified = args.scheme === 'unified' ? planned[0] : onlyPlan;
  // With several services, only those that get a release are to be tagged.
  const tagged = planned.length === 1 ? planned : planned.filter(s => s.release || (s.prerelease && s.version));
  const allTags = tagged.flatMap(s => perService[s.name].tags);
  const allTagNames = [...new Set(tagged.flatMap(s => perService[s.name].tagNames))];
  const bump = planned.reduce<BumpLevel>((level, s) => (s.release ? maxLevel(level, s.bump ?? 'none') : level), 'none');
  const decider = planned.find(s => s.release && s.bump === bump && s.bumpCommit);
  const version = args.singleImage && !onlyPlan?.version ? (only?.main ?? '') : (unified?.version ?? '');
  return {
    version,
    tags: allTags.join(inputs.sepTags),
    'tag-names': allTagNames.join(inputs.sepTags),
    labels: only ? labelLines(only.labels).join(inputs.sepLabels) : '',
    annotations: only ? annotationLines(only.annotations, annotationLevels).join(inputs.sepAnnotations) : '',
    json: JSON.stringify(only ? json(only) : { services: Object.fromEntries(planned.map(s => [s.name, json(perService[s.name])])) }),
    versions: JSON.stringify(Object.fromEntries(planned.map(s => [s.name, s.version ?? '']))),
    plan: JSON.stringify(plan),
    changed: JSON.stringify(planned.filter(s => s.release || (s.prerelease && s.version)).map(s => s.name)),
    bump,
    'bump-commit': decider?.bumpCommit ?? '',
    previous: (unified ? args.releaseBefore.get(unified.name) : undefined) ?? unified?.previous ?? '',
    release: String(planned.some(s => s.release)),
    prerelease: String(planned.some(s => s.prerelease)),
    'written-files': JSON.stringify(args.writtenFiles)
  };
}

function summaryTable(plan: Plan): string {
  const rows = plan.services.map((s): Cell[] => [
    s.name,
    `${s.previous ?? '—'} → ${s.version ?? '—'}${s.release ? '' : ' (no release)'}`,
    s.bumpReason ?? '',
    { code: (s.tags ?? []).map(t => t.split(':').pop()).join(' ') }
  ]);
  return ['### imgver compute-version', '', markdownTable(['service', 'previous → next', 'why', 'tags'], rows), ''].join('\n');
}
