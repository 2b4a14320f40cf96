import semver from '../core/semver.js';
import type { Config, VersionSource } from '../core/config.js';
import { refTag, shortSha, type RunContext } from '../core/context.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { givenRelease, lineRelease, type BumpPolicy, type LineHistory, type LineResult } from '../core/bump-policy.js';
import type { CommitWithFiles } from '../core/bump-rules.js';
import type { PathGlobEngine } from '../core/glob-engine.js';
import { matchesPaths, versionOfBranch, withinBranchVersion, type VersionLine } from '../core/version-line.js';
import { parseImageRef } from '../core/image-ref.js';
import type { RegistryReleases } from '../core/registry-releases.js';
import { isLinePrerelease } from '../core/version.js';
import { tagsOfFormat, versionLikeTags, type TagVersion } from '../core/version-tag.js';
import { Git } from '../adapters/git.js';
import { readTextIfExists, resolveInside } from '../adapters/files.js';

/**
 * The version sources: each reads what it needs through an adapter (git, a version file, the registry) and hands the
 * line's history to the bump policy (core/bump-policy.ts).
 */
export interface SourceRun {
  cwd: string;
  config: Config;
  context: RunContext;
  log: Logger;
  env: NodeJS.ProcessEnv;
  policy: BumpPolicy;
  /** The prerelease ids this run's lines may use (linePrereleaseIds). */
  prereleaseIds: string[];
  /** reserve: true: a release tag already on HEAD is this commit's release. */
  reserve: boolean;
  pathGlobEngine?: PathGlobEngine;
  repository: RepositoryAccess;
  /** version.source registry: the registry reads, started before the run context was resolved. */
  registry?: RegistryReads;
}

/**
 * The repository, opened once per run (the run context asks through it too, so the repository is checked once and
 * HEAD resolved once); history is fetched at most once (a shallow or tag-less clone).
 */
export class RepositoryAccess {
  private opened?: Promise<Git | undefined>;
  private shallow?: boolean;
  private historyEnsured = false;
  calls = 0;

  constructor(
    private readonly cwd: string,
    private readonly log: Logger
  ) {}

  /** The repository, or an error naming what needs it. */
  async require(why: string): Promise<Git> {
    const git = await this.ifPresent();
    if (!git) await new Git(this.cwd).requireRepository(why);
    return git!;
  }

  ifPresent(): Promise<Git | undefined> {
    return (this.opened ??= this.open());
  }

  private async open(): Promise<Git | undefined> {
    const git = new Git(this.cwd, {
      fixedHead: true,
      trace: (args, ms, code) => {
        this.calls++;
        this.log.debug(`git ${args.join(' ')} → ${code} (${ms} ms)`);
      }
    });
    return (await git.isRepository()) ? git : undefined;
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
    this.log.info(shallow ? 'Shallow clone: fetching history and tags (commits and trees only)' : 'No release tag here: fetching tags from origin');
    await git.fetchHistoryAndTags('origin', shallow);
    return true;
  }
}

async function commitsSince(run: SourceRun, git: Git, since: string | undefined, paths: string[]): Promise<CommitWithFiles[]> {
  return onPaths(run, await git.commits(since ? `${since}..HEAD` : 'HEAD'), paths);
}

function onPaths(run: SourceRun, commits: CommitWithFiles[], paths: string[]): CommitWithFiles[] {
  // The whole repository: every commit counts, an empty one (git commit --allow-empty) too.
  if (paths.length === 1 && paths[0] === '**') return commits;
  return commits.filter(commit => commit.files.some(file => matchesPaths(file, paths, run.pathGlobEngine)));
}

const bump = (run: SourceRun, line: VersionLine, history: LineHistory) => lineRelease(line.format, history, run.policy);
const highestRelease = (versions: string[]) => semver.rsort(versions.filter(v => semver.prerelease(v) === null))[0];

/** The pushed tag is the version (a tag push); any other ref releases nothing. */
export async function fromRef(run: SourceRun, line: VersionLine): Promise<LineResult> {
  const tag = refTag(run.context.ref);
  if (tag === undefined) return { release: false, prerelease: false, why: `${run.context.ref} is not a tag` };
  const version = line.format.parse(tag);
  if (!version) return { release: false, prerelease: false, why: `tag ${tag} is not ${line.format.format}` };
  return { version, raw: tag, release: true, prerelease: semver.prerelease(version) !== null, releaseTag: tag, why: `tag ${tag}` };
}

/** The line's release tags reachable from HEAD, and the commits since the last release. */
export async function fromGitTags(run: SourceRun, line: VersionLine): Promise<LineResult> {
  const { repository, config, context } = run;
  const git = await repository.require('version source git-tag');
  if (!(await git.resolveCommit('HEAD'))) {
    // A repository without a commit yet: no tag, no commit, so the initial version and nothing to release.
    return bump(run, line, { known: [], commits: [], freshCommits: 0, since: 'in an empty repository (no commit yet)' });
  }
  await repository.ensureHistory(git, false);
  const ids = run.prereleaseIds;
  const branchVersion = config.version.fromBranch ? versionOfBranch(context.branch) : undefined;
  const ofLine = (version: string) => isLinePrerelease(version, ids) && (!branchVersion || withinBranchVersion(version, branchVersion));
  const read = async () => tagsOfFormat(await git.mergedTags('HEAD', line.format.glob), line.format).filter(t => ofLine(t.version));
  let found = await read();
  if (found.length === 0 && (await repository.ensureHistory(git, true))) found = await read();
  if (run.reserve) {
    const onHead = new Set(await git.tagsAt('HEAD'));
    const own = semver.rsort(found.filter(f => onHead.has(f.tag)).map(f => f.version))[0];
    if (own) return givenRelease(line.format, own, `${line.format.render(own)} is on this commit (reserved by an earlier run)`, { reserved: true });
  }
  if (found.length === 0 && branchVersion) {
    run.log.info(`${line.name}: no release tag of ${branchVersion.text} yet; branch ${context.branch} starts at ${branchVersion.base}`);
  } else if (found.length === 0) {
    await explainNoReleaseTag(run, git, line, ofLine);
  }
  const byVersion = new Map(found.map(f => [f.version, f.tag]));
  const known = found.map(f => f.version);
  // version from-branch: a branch release/v3.2 without a 3.2 tag yet starts from 3.2.0 (no tag: every commit counts).
  if (branchVersion && found.length === 0) known.push(branchVersion.base);
  const lastRelease = highestRelease(known);
  const highest = semver.rsort([...known])[0];
  const commits = await commitsSince(run, git, lastRelease ? byVersion.get(lastRelease) : undefined, line.paths);
  let fresh = commits;
  // A prerelease tag on the newest commits stops another prerelease of nothing new; with prereleases off it stops nothing.
  if (highest && highest !== lastRelease && run.policy.prerelease) {
    const sinceHighest = new Set((await commitsSince(run, git, byVersion.get(highest), line.paths)).map(c => c.sha));
    fresh = commits.filter(c => sinceHighest.has(c.sha));
  }
  const since = lastRelease ? `since ${byVersion.get(lastRelease)}` : 'since the first commit';
  const result = bump(run, line, { known, commits, freshCommits: fresh.length, since });
  // On a commit that is the release (its tag is here), previous is the release before it.
  if (!result.release && result.version && !result.prerelease && byVersion.has(result.version)) {
    if ((await git.tagsAt('HEAD')).includes(byVersion.get(result.version)!)) {
      result.releaseBefore = highestRelease(known.filter(v => semver.lt(v, result.version!))) ?? '';
    }
  }
  return result;
}

/** No tag of the format: an error when version-like tags of another format exist (a tag format to fix), else a note. */
async function explainNoReleaseTag(run: SourceRun, git: Git, line: VersionLine, ofLine: (version: string) => boolean): Promise<void> {
  // Tags of this format left out on purpose (another line's namespace, another branch's major) are no mismatch.
  const leftOut = (tag: string) => {
    const version = line.format.parse(tag);
    return version !== undefined && !ofLine(version);
  };
  const lookalikes = versionLikeTags(await git.allTags()).filter(tag => !leftOut(tag));
  if (lookalikes.length > 0) {
    throw new UserError(
      `No tag reachable from HEAD matches the tag format "${line.format.format}"${line.services.length === 1 && line.name !== 'unified' ? ` of service ${line.name}` : ''}, but these version-like tags exist: ${lookalikes.slice(0, 10).join(', ')}${lookalikes.length > 10 ? ', …' : ''}. Set version.tag-format to match them (or tag-format input)`
    );
  }
  run.log.info(`${line.name}: no release tag yet (${line.format.format}); the first release bumps ${run.config.version.initial}`);
}

/** What a line's registry holds for one of its images: its release tags, and what `latest` is (read after them). */
interface ImageReleases {
  /** The image as the registry names it. */
  name: string;
  found: RegistryReleases;
  /** Requests the tag listing took. */
  requests: number;
  latest: Promise<{ digest: string; tag?: string } | undefined>;
}

/**
 * The registry side of the registry source. It depends on neither git nor the run context, so a run starts it first
 * and the registry answers while git does. Requests go out in the order the lines read them one after another: an
 * image's tags, then what its `latest` is, then the next image (of this line, then of the next); a failure stops the
 * reads after it. Each line talks through registries of its own, as it always did.
 */
export class RegistryReads {
  private readonly byLine = new Map<VersionLine, Promise<ImageReleases>[]>();
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly run: Pick<SourceRun, 'env' | 'log'>) {}

  /** Starts reading every image of these lines. */
  start(lines: VersionLine[]): this {
    for (const line of lines) this.of(line);
    return this;
  }

  /** The line's images, in order, each read once. */
  of(line: VersionLine): Promise<ImageReleases>[] {
    let reads = this.byLine.get(line);
    if (!reads) {
      reads = this.read(line);
      this.byLine.set(line, reads);
    }
    return reads;
  }

  private read(line: VersionLine): Promise<ImageReleases>[] {
    const { env, log } = this.run;
    const client = import('../adapters/registry/index.js').then(registry => ({
      registry,
      registries: new registry.Registries({ env, log: { debug: m => log.debug(m), warning: m => log.warning(m) } })
    }));
    return line.services.map(service => {
      const read = this.last.then(async (): Promise<ImageReleases> => {
        const { registry, registries } = await client;
        const ref = parseImageRef(service.image);
        const images = await registries.for(ref);
        const before = images.requests;
        const found = registry.registryReleases(await images.listTags(ref.repository), line.format);
        return { name: ref.name, found, requests: images.requests - before, latest: registry.resolveLatest(images, ref.repository, found.top) };
      });
      this.last = read.then(image => image.latest);
      // Awaited by fromRegistry; a run that fails before (or reads no further) must not leave them unhandled.
      read.catch(() => undefined);
      this.last.catch(() => undefined);
      return read;
    });
  }
}

/**
 * The highest X.Y.Z tag of the line's images in their registries is the last release (latest, sha and prerelease
 * tags ignored); the commits since its git tag (when there is one), else the pushed commit, decide the bump.
 */
export async function fromRegistry(run: SourceRun, line: VersionLine): Promise<LineResult> {
  const reads = (run.registry ?? new RegistryReads(run)).of(line);
  // The repository's side depends only on the highest version: git starts as soon as every image's tags are read,
  // while what `latest` is is still being asked.
  const headReady = run.repository.ifPresent().then(async git => (git && (await git.resolveCommit('HEAD')) ? git : undefined));
  // What counts when git has no tag of the highest release: the pushed commit, read while the registry answers.
  const pushedCommit = headReady.then(git => git?.commits('-1'));
  pushedCommit.catch(() => undefined);
  const history = Promise.all([headReady, Promise.all(reads)]).then(async ([git, images]) => {
    let highest: string | undefined;
    for (const { found } of images) if (found.highest && (!highest || semver.gt(found.highest, highest))) highest = found.highest;
    // Registry versions are releases only, so the next version depends on the highest alone.
    const known = highest ? [highest] : [];
    let commits: CommitWithFiles[] = [];
    let since = 'in the pushed commit';
    if (git) {
      const releaseTag = highest ? line.format.render(highest) : undefined;
      // One git call answers both whether git has the release tag (naming a commit) and what came since it.
      const sinceTag = releaseTag ? await git.tryCommits(`refs/tags/${releaseTag}^{commit}..HEAD`) : undefined;
      if (sinceTag) {
        commits = onPaths(run, sinceTag, line.paths);
        since = `since ${releaseTag}`;
      } else {
        commits = (await pushedCommit)!;
      }
    }
    return { known, commits, since };
  });
  history.catch(() => undefined); // awaited below; a registry failure first must not leave it unhandled
  for (const [i, service] of line.services.entries()) {
    const { name, found, requests, latest: latestRead } = await reads[i];
    run.log.info(`${service.name}: ${found.tags} tag(s) in ${name}, ${found.releases} release version(s), ${requests} registry request(s)`);
    const latest = await latestRead;
    if (latest?.tag) run.log.info(`${service.name}: latest is ${latest.tag} (${latest.digest.slice(0, 19)}…)`);
    else if (latest) run.log.info(`${service.name}: latest (${latest.digest.slice(0, 19)}…) carries no release version tag`);
  }
  const { known, commits, since } = await history;
  // Every run is a release with this source: a push to the branch publishes the next version.
  const registryHas = known[0] ? `(registry has ${known[0]})` : '(registry has no release yet)';
  return bump(run, line, { known, commits, freshCommits: Math.max(1, commits.length), since: `${since} ${registryHas}` });
}

/** The version file holds the version: as it is (file-mode exact), or as the base the commits since its change bump. */
export async function fromFile(run: SourceRun, line: VersionLine): Promise<LineResult> {
  const { config, cwd, repository } = run;
  const specText = line.versionFile;
  if (!specText) {
    throw new UserError(`Version source file needs a version file: set version.file in ${config.file ?? 'imgver.yaml'} or the version-file input`, { input: 'version-file' });
  }
  const { parseVersionFileSpec, readVersionFile } = await import('../core/version-file.js');
  const spec = parseVersionFileSpec(specText);
  const text = await readTextIfExists(resolveInside(cwd, spec.path, { name: `Version file ${spec.path} (version.file or the version-file input)`, input: 'version-file' }, 'file'));
  if (text === undefined) throw new UserError(`Version file ${spec.path} does not exist (in ${cwd})`, { file: spec.path });
  const fileVersion = readVersionFile(spec, text);
  if (config.version.fileMode === 'exact') {
    const releaseTag = line.format.render(fileVersion);
    const git = await repository.ifPresent();
    const already = git ? (await git.tagCommit(releaseTag)) !== undefined : false;
    return givenRelease(line.format, fileVersion, already ? `${spec.path} says ${fileVersion}, already tagged ${releaseTag}` : `${spec.path} says ${fileVersion}`, { release: !already });
  }
  const git = await repository.require('version-file mode bump');
  await repository.ensureHistory(git, false);
  const base = await git.lastCommitTouching(spec.path);
  const commits = (await commitsSince(run, git, base, line.paths)).filter(c => !c.files.includes(spec.path) || c.sha !== base);
  return bump(run, line, { known: [fileVersion], commits, freshCommits: commits.length, since: `since ${spec.path} last changed` });
}

export const VERSION_SOURCES: Record<VersionSource, (run: SourceRun, line: VersionLine) => Promise<LineResult>> = {
  ref: fromRef,
  'git-tag': fromGitTags,
  file: fromFile,
  registry: fromRegistry
};

/**
 * reserve: true. Each release tag is pushed now, on the commit to be built, so the version is owned before anything
 * is built; a tag another run took meanwhile moves this run to the next free version (the same bump).
 */
export async function reserveReleaseTags(args: { log: Logger; git: Git; context: RunContext; lines: VersionLine[]; results: Map<string, LineResult>; maxAttempts: number }): Promise<void> {
  const { log, git, context, lines, results, maxAttempts } = args;
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
      log: message => log.info(`${line.name}: ${message}`),
      candidate: async attempt => {
        if (attempt > 1) version = result.after!(tagsOfFormat(await git.allTags(), line.format).map(t => t.version));
        return { tag: line.format.render(version), message: `Release ${version} (reserved for ${shortSha(commit)} by imgver)` };
      }
    });
    if (outcome.tag !== result.releaseTag) log.info(`${line.name}: ${result.releaseTag} was taken; this run releases ${outcome.tag}`);
    Object.assign(result, { version, raw: outcome.tag, releaseTag: outcome.tag, reserved: true });
  }
}
