import semver from './semver.js';
import { isBranchGlob, type GlobEngine } from './glob-engine.js';
import { UserError } from './errors.js';
import type { BumpLevel } from './bump-rules.js';
import { renderTemplate } from './template.js';
import { stripLeadingV } from './version-tag.js';

/** A version string as users write it: `1.2.3`, `v1.2.3`, `1.2.3-rc.1+build.5`. Strict SemVer otherwise. */
export function parseVersion(text: string): string | undefined {
  return semver.valid(stripLeadingV(text)) ?? undefined;
}

export function coreOf(version: string): string {
  const v = semver.parse(version)!;
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** Docker tags cannot hold '+': build metadata is written with '_' instead (as Helm does for OCI charts). */
export function dockerSafeVersion(version: string): string {
  return version.replace(/\+/g, '_');
}

// The tag vocabulary lives in version-tag.ts; stages that load only this module still find the tag format here.

export interface PrereleaseSpec {
  id: string;
  numbering: 'start-at-0' | 'bare-then-1';
  /** A pending prerelease keeps its own label (`1.0.0-alpha` → `1.0.0-alpha.1` even when the id is beta), as release-please does. */
  keepLabel?: boolean;
}

/** Labels that name a prerelease by convention; any other suffix (`0.1.0-subproject`) is another line's namespace. */
const PRERELEASE_LABELS = new Set(['alpha', 'beta', 'rc', 'pre', 'preview', 'prerelease', 'next', 'canary', 'dev', 'snapshot', 'nightly', 'edge', 'insiders', 'pr']);

/**
 * Whether a version's prerelease part is a prerelease of this line: its label (first identifier, a glued counter
 * dropped: `rc1`, `beta09`) is a conventional prerelease label or one of the ids this line uses. A tag such as
 * `0.1.0-subproject` or `0.1.0-sub.project` is another line's namespace, not a pending prerelease.
 */
export function isLinePrerelease(version: string, ids: string[]): boolean {
  const pre = semver.prerelease(version);
  if (!pre) return true;
  const label = String(pre[0]).toLowerCase().replace(/\d+$/, '');
  if (label === '' || PRERELEASE_LABELS.has(label)) return true;
  return ids.some(id => id.toLowerCase() === label || id.toLowerCase() === String(pre[0]).toLowerCase());
}

/** A prerelease's counter: `beta` (bare), `beta.3` (separate), `beta09` (glued, zero-padded to 2), `beta2023.1`. */
interface Counter {
  label: string;
  n?: number;
  width: number;
  glued: boolean;
}

function counterOf(version: string): Counter | undefined {
  const pre = semver.prerelease(version)?.map(String);
  if (!pre) return undefined;
  const last = pre[pre.length - 1];
  if (pre.length >= 2 && /^\d+$/.test(last)) return { label: pre.slice(0, -1).join('.'), n: Number(last), width: 0, glued: false };
  if (pre.length === 1) {
    const glued = last.match(/^(.*\D)(\d+)$/);
    if (glued) return { label: glued[1], n: Number(glued[2]), width: glued[2].length, glued: true };
  }
  return { label: pre.join('.'), width: 0, glued: false };
}

function renderCounter(core: string, label: string, n: number | undefined, shape: { glued: boolean; width: number }): string {
  if (n === undefined) return `${core}-${label}`;
  return shape.glued ? `${core}-${label}${String(n).padStart(shape.width, '0')}` : `${core}-${label}.${n}`;
}

/** The prerelease after this one, same label and shape: `beta09` → `beta10`, `beta.3` → `beta.4`, `beta` → `beta.1` (or `.0`). */
function nextCounter(core: string, c: Counter, numbering: PrereleaseSpec['numbering']): string {
  if (c.n === undefined) return renderCounter(core, c.label, numbering === 'start-at-0' ? 0 : 1, { glued: false, width: 0 });
  return renderCounter(core, c.label, c.n + 1, c);
}

/** The first prerelease of a core: numbered as configured, or in the shape of the pending prerelease it follows. */
function firstCounter(core: string, label: string, numbering: PrereleaseSpec['numbering'], shape?: Counter): string {
  if (shape?.glued) return renderCounter(core, label, 1, shape);
  if (shape && shape.n !== undefined) return renderCounter(core, label, numbering === 'start-at-0' ? 0 : 1, shape);
  return numbering === 'bare-then-1' ? `${core}-${label}` : `${core}-${label}.0`;
}

export interface NextVersionInput {
  /** Every version of this line found (releases and prereleases). */
  known: string[];
  bump: BumpLevel;
  releaseAs?: string;
  prerelease?: PrereleaseSpec;
  aware: boolean;
  initial: string;
  build?: string;
  /** bump each-commit: the version the commits reached one by one, used instead of one bump of the last release. */
  reached?: string;
}

export interface NextVersion {
  version: string;
  /** Highest version of the line before this one. */
  previous?: string;
  /** Highest non-prerelease version before this one. */
  lastRelease?: string;
  release: boolean;
  prerelease: boolean;
}

function maxVersion(versions: string[]): string | undefined {
  return versions.length > 0 ? semver.rsort([...versions])[0] : undefined;
}

export function nextVersion(input: NextVersionInput): NextVersion {
  const known = input.known.filter(v => semver.valid(v));
  const highest = maxVersion(known);
  const lastRelease = maxVersion(known.filter(v => semver.prerelease(v) === null));
  const initial = parseVersion(input.initial);
  if (!initial) throw new UserError(`version.initial "${input.initial}" is not a version (expected e.g. 0.0.0)`);

  if (input.bump === 'none' && !input.releaseAs) {
    return { version: highest ?? initial, previous: highest, lastRelease, release: false, prerelease: false };
  }

  let core: string;
  if (input.releaseAs) {
    core = input.releaseAs;
    if (lastRelease && !semver.gt(core, lastRelease)) {
      throw new UserError(`Release-As ${core} is not greater than the last release ${lastRelease}`);
    }
  } else {
    const level = input.bump === 'none' ? 'patch' : input.bump;
    const wanted = input.reached ?? semver.inc(lastRelease ?? initial, level)!;
    core = wanted;
    const pending = highest && semver.prerelease(highest) !== null && (!lastRelease || semver.gt(highest, lastRelease)) ? highest : undefined;
    // Prerelease-aware: a pending 2.0.0-rc.1 already covers a fix, so the fix ships as 2.0.0-rc.2 (or graduates to 2.0.0).
    if (input.aware && pending && semver.gte(coreOf(pending), wanted)) core = coreOf(pending);
  }

  let version = core;
  const pendingPrerelease = highest && semver.prerelease(highest) !== null && (!lastRelease || semver.gt(highest, lastRelease)) ? highest : undefined;
  if (input.prerelease) version = nextPrerelease(core, input.prerelease, known, pendingPrerelease);
  if (input.build) version = `${version}+${input.build}`;
  if (!semver.valid(version)) {
    throw new UserError(`The computed version "${version}" is not valid SemVer: check prerelease.id and version.build`);
  }
  return { version, previous: highest, lastRelease, release: true, prerelease: input.prerelease !== undefined };
}

/**
 * The next prerelease of `core` not yet taken: the line's own label counted on (glued and zero-padded counters keep
 * their shape), numbered as configured; never below a prerelease of the same core already out (a pending `rc.1`
 * with the id beta goes on as `rc.2`). `pending` is the highest prerelease above the last release, whose label and
 * shape a jump to a new core keeps.
 */
export function nextPrerelease(core: string, spec: PrereleaseSpec, known: string[], pending?: string): string {
  const same = known
    .filter(v => semver.prerelease(v) !== null && coreOf(v) === core)
    .sort((a, b) => semver.rcompare(a, b))
    .map(v => ({ v, c: counterOf(v)! }));
  if (spec.keepLabel && same.length > 0) return nextCounter(core, same[0].c, spec.numbering);
  const own = same.find(s => s.c.label === spec.id);
  if (own) return nextCounter(core, own.c, spec.numbering);
  const from = pending ? counterOf(pending) : undefined;
  const shape = from && (spec.keepLabel || from.label === spec.id) ? from : undefined;
  const candidate = firstCounter(core, spec.keepLabel && shape ? shape.label : spec.id, spec.numbering, shape);
  if (same.length > 0 && semver.gte(same[0].v, candidate)) return nextCounter(core, same[0].c, spec.numbering);
  return candidate;
}

/** `X.Y.Z-pr.<n>.<sha7>`: a preview that sorts below the release it previews and never collides. */
export function previewVersion(core: string, prNumber: number, sha7: string): string {
  // A SemVer numeric identifier cannot have leading zeros; a sha of all digits could, so prefix it.
  const shaId = /^\d+$/.test(sha7) ? `g${sha7}` : sha7;
  return `${core}-pr.${prNumber}.${shaId}`;
}

/** A prerelease identifier from free text (a branch name): lowercase, [0-9a-z-], dots kept as separators. */
export function sanitizePrereleaseId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^0-9a-z.-]+/g, '-')
    .split('.')
    .map(part => part.replace(/^-+|-+$/g, '') || '0')
    .map(part => (/^\d+$/.test(part) ? String(Number(part)) : part))
    .join('.');
}

export interface BranchPrereleaseInput {
  branches: Record<string, string | boolean | null>;
  branch?: string;
  defaultBranch?: string;
  /** Needed when some pattern is a glob (isBranchGlob): loaded by the caller, so plain runs never load it. */
  engine?: GlobEngine;
}

function globMatch(engine: GlobEngine | undefined, pattern: string, branch: string): boolean {
  if (!engine) throw new Error(`prerelease branch pattern "${pattern}" needs the glob engine, which the caller did not load`);
  return new engine(pattern, { dot: true }).match(branch);
}

/**
 * The prerelease identifier a branch maps to: the first pattern that matches wins (GitHub's filter globs:
 * `*` stops at '/', `**` does not). The default branch is only matched by a pattern naming it literally,
 * so `"*": "{{branch}}"` never turns main's releases into prereleases.
 */
export function prereleaseForBranch(input: BranchPrereleaseInput): string | undefined | false {
  const { branch } = input;
  if (!branch) return undefined;
  for (const [pattern, id] of Object.entries(input.branches)) {
    const literal = pattern === branch;
    if (!literal && (branch === input.defaultBranch || !isBranchGlob(pattern) || !globMatch(input.engine, pattern, branch))) continue;
    if (id === false || id === null) return false;
    if (id === true) return 'rc';
    const rendered = renderTemplate(id, { branch });
    return sanitizePrereleaseId(rendered);
  }
  return undefined;
}
