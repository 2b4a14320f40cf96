import semver from './semver.js';
import { BumpDetector, bumpEachCommit, type BumpDecision } from './bump.js';
import type { BumpLevel, BumpRules } from './bump-rules.js';
import type { CommitWithFiles } from './bump-rules.js';
import { matchesPaths } from './version-line.js';
import type { ServiceConfig } from './config.js';
import type { PathGlobEngine } from './glob-engine.js';
import { coreOf, nextVersion, parseVersion, previewVersion, type PrereleaseSpec } from './version.js';
import type { TagFormat } from './version-tag.js';
import { shortSha } from './context.js';

/** What one version line releases (or not), and why. */
export interface LineResult {
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

/** A release whose version is given (a pushed tag, a reserved tag, a version file taken as it is). */
export function givenRelease(format: TagFormat, version: string, why: string, extra: Partial<LineResult> = {}): LineResult {
  const tag = format.render(version);
  return { version, raw: tag, release: true, prerelease: semver.prerelease(version) !== null, releaseTag: tag, why, ...extra };
}

/** The version of a release being rebased, kept as it was: only written back again. */
export function fixedRelease(format: TagFormat, version: string | undefined): LineResult {
  if (!version) return { release: false, prerelease: false, why: 'not released by this run' };
  return givenRelease(format, version, 'the version of the release being rebased');
}

/** The settings of the bump policy, read once per run. */
export interface BumpPolicy {
  /** The bump input: auto (from the commits) or a fixed level. */
  bump: BumpLevel | 'auto';
  rules: BumpRules;
  initial: string;
  /** prerelease.aware: a pending prerelease already covers a smaller bump. */
  aware: boolean;
  prerelease?: PrereleaseSpec;
  /** version.build, rendered. */
  build?: string;
  /** A pull request run: a preview version, never a release. */
  preview?: { prNumber: number; sha7: string };
  detector: BumpDetector;
}

export function bumpPolicy(settings: Omit<BumpPolicy, 'detector'>): BumpPolicy {
  return { ...settings, detector: new BumpDetector(settings.rules) };
}

/** What a line's history says: the versions it has, the commits since its last release, how many of them are new. */
export interface LineHistory {
  known: string[];
  commits: CommitWithFiles[];
  /** Commits not yet in any tag of the line (a prerelease tag on the newest commits stops another prerelease). */
  freshCommits: number;
  /** `since v1.2.3`, for the reason. */
  since: string;
}

/**
 * The bump policy: the level (the bump input, else the commits: each in turn with bump each-commit, nothing without
 * new commits), then the next version (prerelease, build metadata, a pull request preview).
 */
export function lineRelease(format: TagFormat, history: LineHistory, policy: BumpPolicy): LineResult {
  const { known, commits, freshCommits, since } = history;
  const { rules, detector } = policy;
  const lastRelease = semver.rsort(known.filter(v => semver.prerelease(v) === null))[0];
  let decision: BumpDecision;
  let reached: string | undefined;
  if (policy.bump !== 'auto') {
    decision = { level: policy.bump, reason: `input bump=${policy.bump}`, commits: commits.length };
  } else {
    decision = detector.decide(commits, lastRelease ?? policy.initial);
    if (rules.eachCommit && !decision.releaseAs) {
      const stepped = bumpEachCommit(detector, rules, commits, lastRelease ?? (parseVersion(policy.initial) ?? '0.0.0'));
      reached = stepped.level === 'none' ? undefined : stepped.version;
      decision = { ...decision, level: stepped.level, commit: stepped.commit, reason: stepped.level === 'none' ? 'no commit bumps' : `each commit bumps (${commits.length} commit(s))` };
    }
    // Nothing new since the last tag of the line (a prerelease, say): nothing to release.
    if (freshCommits === 0 && decision.level !== 'none' && !rules.withoutCommits) {
      decision = { ...decision, level: 'none', reason: 'no new commits since the last tag' };
    }
  }
  const { preview } = policy;
  const prerelease = preview ? undefined : policy.prerelease;
  const versionAfter = (taken: string[]) =>
    nextVersion({
      known: [...known, ...taken],
      bump: preview && decision.level === 'none' ? 'patch' : decision.level,
      releaseAs: taken.length > 0 ? undefined : decision.releaseAs,
      prerelease,
      aware: policy.aware,
      initial: policy.initial,
      build: policy.build,
      reached: taken.length > 0 ? undefined : reached
    });
  const next = versionAfter([]);
  const files = commits.flatMap(c => c.files);
  if (preview) {
    const version = previewVersion(coreOf(next.version), preview.prNumber, preview.sha7);
    return { version, raw: version, previous: next.previous, release: false, prerelease: true, decision, why: `pull request #${preview.prNumber} preview`, files };
  }
  const why = next.release
    ? `${decision.level}: ${decision.reason}${decision.commit ? ` (${shortSha(decision.commit)})` : ''}; ${commits.length} commit(s) ${since}`
    : decision.reason;
  return {
    files,
    version: next.version,
    raw: format.render(next.version),
    previous: next.previous,
    release: next.release,
    prerelease: next.release && next.prerelease,
    releaseTag: next.release ? format.render(next.version) : undefined,
    decision,
    why,
    after: taken => versionAfter(taken).version
  };
}

/** Whether the service itself changed: in a unified line, only services whose paths the commits touched. */
export function serviceChanged(service: ServiceConfig, result: LineResult, engine: PathGlobEngine | undefined): boolean {
  if (!result.release && !(result.prerelease && result.version)) return false;
  if (!result.files) return true;
  return result.files.some(file => matchesPaths(file, service.paths, engine));
}
