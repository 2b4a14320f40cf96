// The semver functions imgver uses, each from its own module: the package's index also loads its range classes,
// which build versions at load time, a cost every run would pay for nothing.
import semverClean from 'semver/functions/clean.js';
import coerce from 'semver/functions/coerce.js';
import semverGt from 'semver/functions/gt.js';
import semverGte from 'semver/functions/gte.js';
import semverInc from 'semver/functions/inc.js';
import semverLt from 'semver/functions/lt.js';
import semverMajor from 'semver/functions/major.js';
import semverParse from 'semver/functions/parse.js';
import semverPrerelease from 'semver/functions/prerelease.js';
import rcompare from 'semver/functions/rcompare.js';
import semverValid from 'semver/functions/valid.js';
import type { ReleaseType } from 'semver';

/** What imgver reads of a parsed version: semver's SemVer fields, without its methods. */
export interface ParsedVersion {
  /** major.minor.patch[-prerelease], as semver formats it (no leading v, no build). */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Numeric identifiers as numbers, as semver gives them. */
  readonly prerelease: ReadonlyArray<string | number>;
  readonly build: ReadonlyArray<string>;
}

type Options = boolean | { loose?: boolean; includePrerelease?: boolean };

// semver's strict grammar (its FULL expression): its module builds some forty expressions when it loads, and a run
// mostly asks about plain versions. Its bounded variants of * and + bound nothing below its 256-character limit.
const NUMBER = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:\\d*[a-zA-Z-][a-zA-Z0-9-]*|${NUMBER})`;
const BUILD_ID = '[a-zA-Z0-9-]+';
const STRICT = new RegExp(`^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
const MAX_LENGTH = 256;

/**
 * A version semver's strict grammar accepts, parsed as semver parses it; null when semver would return null too;
 * undefined when only semver can tell (not a string, or loose parsing of text the strict grammar rejects).
 */
function strictParse(version: unknown, options?: Options): ParsedVersion | null | undefined {
  if (typeof version !== 'string') return undefined;
  if (version.length > MAX_LENGTH) return null;
  const m = STRICT.exec(version.trim());
  const loose = typeof options === 'object' ? !!options?.loose : !!options;
  if (!m) return loose ? undefined : null;
  const [majorNumber, minorNumber, patchNumber] = [+m[1], +m[2], +m[3]];
  if (majorNumber > Number.MAX_SAFE_INTEGER || minorNumber > Number.MAX_SAFE_INTEGER || patchNumber > Number.MAX_SAFE_INTEGER) return null;
  const prerelease = m[4]
    ? m[4].split('.').map(id => {
        if (/^[0-9]+$/.test(id)) {
          const num = +id;
          if (num >= 0 && num < Number.MAX_SAFE_INTEGER) return num;
        }
        return id;
      })
    : [];
  const build = m[5] ? m[5].split('.') : [];
  const core = `${majorNumber}.${minorNumber}.${patchNumber}`;
  return { version: prerelease.length > 0 ? `${core}-${prerelease.join('.')}` : core, major: majorNumber, minor: minorNumber, patch: patchNumber, prerelease, build };
}

/** semver.parse: the version's fields, or null when it is not one. */
function parse(version: string, options?: Options): ParsedVersion | null {
  const quick = strictParse(version, options);
  return quick !== undefined ? quick : semverParse(version, options ?? false);
}

/** semver.valid: the version as semver formats it, or null. */
function valid(version: string | null | undefined, options?: Options): string | null {
  const quick = strictParse(version, options);
  return quick !== undefined ? (quick?.version ?? null) : semverValid(version, options);
}

/** semver.prerelease: the prerelease identifiers, or null when there are none (or it is not a version). */
function prerelease(version: string, options?: Options): ReadonlyArray<string | number> | null {
  const quick = strictParse(version, options);
  if (quick === undefined) return semverPrerelease(version, options);
  return quick && quick.prerelease.length > 0 ? quick.prerelease : null;
}

/** semver.clean: the version without leading = or v and spaces, or null. */
function clean(version: string, options?: Options): string | null {
  const quick = strictParse(version.trim().replace(/^[=v]+/, ''), options);
  return quick !== undefined ? (quick?.version ?? null) : semverClean(version, options);
}

/**
 * Items highest version first (invalid versions last), each version parsed once. Plain X.Y.Z versions (release tags,
 * the common case) are ordered by their numbers without semver's package: for them its order is just that.
 */
export function byVersionDescending<T>(items: T[], versionOf: (item: T) => string): T[] {
  const plain = plainVersionsDescending(items, versionOf);
  if (plain) return plain;
  const parsed = items.map(item => ({ item, semver: semverParse(versionOf(item)) }));
  parsed.sort((a, b) => (a.semver && b.semver ? b.semver.compare(a.semver) || b.semver.compareBuild(a.semver) : a.semver ? -1 : b.semver ? 1 : 0));
  return parsed.map(entry => entry.item);
}

/**
 * byVersionDescending when every version is plain X.Y.Z or not a version at all (then last, as semver puts it); else
 * undefined. Array.prototype.sort is stable, so equal versions keep their order, as they do with semver's compare.
 */
function plainVersionsDescending<T>(items: T[], versionOf: (item: T) => string): T[] | undefined {
  const parsed: { item: T; version: ParsedVersion | null }[] = [];
  for (const item of items) {
    const version = strictParse(versionOf(item));
    if (version === undefined || (version && (version.prerelease.length > 0 || version.build.length > 0))) return undefined;
    parsed.push({ item, version });
  }
  parsed.sort(({ version: a }, { version: b }) => (a && b ? b.major - a.major || b.minor - a.minor || b.patch - a.patch : a ? -1 : b ? 1 : 0));
  return parsed.map(entry => entry.item);
}

/** A version without prerelease identifiers (build metadata allowed), as the strict grammar reads it; else undefined. */
function plainVersion(version: unknown): ParsedVersion | undefined {
  const parsed = strictParse(version);
  return parsed && parsed.prerelease.length === 0 ? parsed : undefined;
}

/**
 * semver's compare of two plain versions (build metadata does not count), or undefined where semver must answer:
 * a prerelease, loose parsing, anything the strict grammar does not read.
 */
function comparePlain(a: unknown, b: unknown, options: unknown): number | undefined {
  if (options !== undefined) return undefined;
  const x = plainVersion(a);
  const y = x && plainVersion(b);
  return y ? x.major - y.major || x.minor - y.minor || x.patch - y.patch : undefined;
}

// The comparisons and increments of a release computation, answered for plain versions without semver's package
// (some forty expressions built when it loads); anything else goes to semver.
const gt: typeof semverGt = (a, b, options) => {
  const order = comparePlain(a, b, options);
  return order === undefined ? semverGt(a, b, options) : order > 0;
};
const gte: typeof semverGte = (a, b, options) => {
  const order = comparePlain(a, b, options);
  return order === undefined ? semverGte(a, b, options) : order >= 0;
};
const lt: typeof semverLt = (a, b, options) => {
  const order = comparePlain(a, b, options);
  return order === undefined ? semverLt(a, b, options) : order < 0;
};
const major: typeof semverMajor = (version, options) => {
  const parsed = options === undefined ? strictParse(version) : undefined;
  return parsed ? parsed.major : semverMajor(version, options);
};

/** semver.inc: a plain version's major, minor or patch increment computed here (semver's rules for them), the rest by semver. */
function inc(version: string, release: ReleaseType, ...rest: unknown[]): string | null {
  const parsed = rest.length === 0 ? plainVersion(version) : undefined;
  if (parsed && release === 'major') return `${parsed.major + 1}.0.0`;
  if (parsed && release === 'minor') return `${parsed.major}.${parsed.minor + 1}.0`;
  if (parsed && release === 'patch') return `${parsed.major}.${parsed.minor}.${parsed.patch + 1}`;
  return (semverInc as (...args: unknown[]) => string | null)(version, release, ...rest);
}

/**
 * Versions highest first, as semver's rsort orders them, each parsed once (rsort parses both sides of every
 * comparison: on a registry holding 50,000 tags, over a million parses).
 */
const rsort = (versions: string[]): string[] => byVersionDescending(versions, version => version);

export default { clean, coerce, gt, gte, inc, lt, major, parse, prerelease, rcompare, rsort, valid };
