import semver from './semver.js';
import { UserError } from './errors.js';
import { compilePattern, type TextMatcher } from './patterns.js';

import { BUMP_LEVELS, type BumpLevel, type BumpRules, type Commit } from './bump-rules.js';
import { shortSha } from './context.js';

/** PaulHatch/semantic-version's current defaults, used when `patterns` is on and no pattern is configured. */
const DEFAULT_PATTERNS = { major: '/!:|BREAKING CHANGE:/', minor: '/feat(\\(.+\\))?:/', patch: undefined as string | undefined };

export interface BumpDecision {
  level: BumpLevel;
  /** The commit whose message decided the level, when one did. */
  commit?: string;
  reason: string;
  /** An explicit `Release-As: X.Y.Z` footer. */
  releaseAs?: string;
  releaseAsCommit?: string;
  /** Commits considered (after ignore-pattern). */
  commits: number;
}

export function rank(level: BumpLevel): number {
  return BUMP_LEVELS.indexOf(level);
}

export function maxLevel(a: BumpLevel, b: BumpLevel): BumpLevel {
  return rank(a) >= rank(b) ? a : b;
}

interface Signal {
  level: BumpLevel;
  why: string;
}

const MARKERS: [RegExp, BumpLevel, string][] = [
  [/\[major\]|#major\b/i, 'major', 'major marker'],
  [/\[minor\]|#minor\b/i, 'minor', 'minor marker'],
  [/\[patch\]|#patch\b/i, 'patch', 'patch marker']
];
const NONE_MARKER = /\[none\]|#none\b/i;
const CONVENTIONAL_HEADER = /^(\w[\w-]*)(\([^)]*\))?(!)?:\s/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:\s/m;
const RELEASE_AS = /^Release-As:\s*v?(\S+)\s*$/im;
/** Conventional types that, by convention, release nothing unless `types:` maps them. */
const NON_RELEASING_TYPES = new Set(['build', 'chore', 'ci', 'docs', 'style', 'refactor', 'test', 'revert']);

export class BumpDetector {
  private readonly ignore?: TextMatcher;
  private readonly patterns: [TextMatcher, BumpLevel, string][] = [];

  constructor(private readonly rules: BumpRules) {
    if (rules.ignorePattern) this.ignore = compilePattern(rules.ignorePattern, 'bump.ignore-pattern');
    if (rules.detect.includes('patterns')) {
      const sources: [string | undefined, BumpLevel][] = [
        [rules.majorPattern ?? DEFAULT_PATTERNS.major, 'major'],
        [rules.minorPattern ?? DEFAULT_PATTERNS.minor, 'minor'],
        [rules.patchPattern ?? DEFAULT_PATTERNS.patch, 'patch']
      ];
      for (const [pattern, level] of sources) {
        // An empty pattern turns that level off.
        if (pattern) this.patterns.push([compilePattern(pattern, `bump.${level}-pattern`), level, pattern]);
      }
    }
  }

  isIgnored(commit: Commit): boolean {
    return this.ignore !== undefined && this.ignore(`${commit.subject}\n\n${commit.body}`);
  }

  /** The level one commit asks for, or undefined when it carries no signal (the default applies). */
  classify(commit: Commit): Signal | undefined {
    const text = this.rules.searchBody ? `${commit.subject}\n\n${commit.body}` : commit.subject;
    const { detect } = this.rules;
    if (detect.includes('markers') && NONE_MARKER.test(text)) return { level: 'none', why: '#none marker' };
    const signals: Signal[] = [];
    if (detect.includes('markers')) {
      const hit = MARKERS.find(([re]) => re.test(text));
      if (hit) signals.push({ level: hit[1], why: hit[2] });
    }
    if (detect.includes('conventional')) {
      const signal = this.conventional(commit);
      if (signal) signals.push(signal);
    }
    for (const [matches, level, pattern] of this.patterns) {
      if (matches(text)) {
        signals.push({ level, why: `${level}-pattern ${pattern}` });
        break;
      }
    }
    if (signals.length === 0) return undefined;
    return signals.reduce((a, b) => (rank(b.level) > rank(a.level) ? b : a));
  }

  private conventional(commit: Commit): Signal | undefined {
    const header = commit.subject.match(CONVENTIONAL_HEADER);
    if (BREAKING_FOOTER.test(commit.body)) return { level: 'major', why: 'BREAKING CHANGE footer' };
    if (!header) return undefined;
    const type = header[1].toLowerCase();
    if (header[3]) return { level: 'major', why: `${type}! (breaking)` };
    if (Object.prototype.hasOwnProperty.call(this.rules.types, type)) {
      return { level: this.rules.types[type], why: `${type}: (types map)` };
    }
    if (type === 'feat') return { level: 'minor', why: 'feat:' };
    if (type === 'fix' || type === 'perf') return { level: 'patch', why: `${type}:` };
    if (NON_RELEASING_TYPES.has(type)) return { level: 'none', why: `${type}: releases nothing` };
    return undefined;
  }

  /**
   * One bump for all the commits since the base version (newest first): the highest level found.
   * `current` is the version being bumped, for the pre-1.0 rules.
   */
  decide(commits: Commit[], current?: string): BumpDecision {
    const counted = commits.filter(c => !this.isIgnored(c));
    let decision: BumpDecision = { level: 'none', reason: 'no commits since the last release', commits: counted.length };
    for (const commit of counted) {
      const releaseAs = commit.body.match(RELEASE_AS);
      if (releaseAs && decision.releaseAs === undefined) {
        if (!semver.valid(releaseAs[1])) {
          throw new UserError(`Release-As footer of commit ${shortSha(commit.sha)} says "${releaseAs[1]}": expected a version such as 2.0.0`);
        }
        decision.releaseAs = semver.clean(releaseAs[1]) ?? releaseAs[1];
        decision.releaseAsCommit = commit.sha;
      }
    }
    if (counted.length === 0) {
      if (this.rules.withoutCommits && this.rules.default !== 'none') {
        return { ...decision, level: this.rules.default, reason: `no commits; without-commits releases a ${this.rules.default}` };
      }
      return decision;
    }
    let best: { level: BumpLevel; commit?: string; why: string } | undefined;
    for (const commit of counted) {
      const signal = this.classify(commit) ?? { level: this.rules.default, why: `default (${this.rules.default})` };
      if (!best || rank(signal.level) > rank(best.level)) best = { level: signal.level, commit: commit.sha, why: signal.why };
    }
    decision = { ...decision, level: best!.level, commit: best!.commit, reason: best!.why };
    if (decision.releaseAs) decision.reason = `Release-As: ${decision.releaseAs}`;
    return applyPre1(decision, current, this.rules.pre1);
  }
}

/**
 * bump each-commit: the version after each commit in turn, oldest first, from `current`; the first commit of a
 * repository without a release is a patch at least (0.0.0 is no release). Returns the levels and the version reached.
 */
export function bumpEachCommit(detector: BumpDetector, rules: BumpRules, commits: Commit[], current: string): { version: string; level: BumpLevel; commit?: string } {
  const semverInc = semver.inc;
  let version = current;
  let level: BumpLevel = 'none';
  let decider: string | undefined;
  for (const commit of [...commits].reverse()) {
    if (detector.isIgnored(commit)) continue;
    let step = (detector.classify(commit) ?? { level: rules.default }).level;
    if (step === 'none' && version === '0.0.0') step = 'patch';
    if (step === 'none') continue;
    const applied = applyPre1({ level: step, reason: '', commits: 1 }, version, rules.pre1).level;
    if (applied === 'none') continue;
    version = semverInc(version, applied)!;
    if (rank(step) >= rank(level)) {
      level = step;
      decider = commit.sha;
    }
  }
  return { version, level, commit: decider };
}

/** While the major version is 0, a breaking change or a feature may bump less, as configured. */
export function applyPre1(decision: BumpDecision, current: string | undefined, pre1: BumpRules['pre1']): BumpDecision {
  if (!current || semver.major(current) !== 0) return decision;
  if (decision.level === 'major' && pre1.breaking && pre1.breaking !== 'major') {
    return { ...decision, level: pre1.breaking, reason: `${decision.reason}; pre-1.0 breaking → ${pre1.breaking}` };
  }
  if (decision.level === 'minor' && pre1.feature && pre1.feature !== 'minor') {
    return { ...decision, level: pre1.feature, reason: `${decision.reason}; pre-1.0 feature → ${pre1.feature}` };
  }
  return decision;
}

export function parseBumpInput(value: string): BumpLevel | 'auto' {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if ((BUMP_LEVELS as readonly string[]).includes(v)) return v as BumpLevel;
  throw new UserError(`Input 'bump' is set to invalid value '${value}': expected auto, major, minor, patch or none`, { input: 'bump' });
}
