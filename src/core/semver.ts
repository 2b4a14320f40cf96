// The semver functions imgver uses, each from its own module: the package's index also loads its range classes,
// which build versions at load time, a cost every run would pay for nothing.
import clean from 'semver/functions/clean.js';
import coerce from 'semver/functions/coerce.js';
import gt from 'semver/functions/gt.js';
import gte from 'semver/functions/gte.js';
import inc from 'semver/functions/inc.js';
import lt from 'semver/functions/lt.js';
import major from 'semver/functions/major.js';
import parse from 'semver/functions/parse.js';
import prerelease from 'semver/functions/prerelease.js';
import rcompare from 'semver/functions/rcompare.js';
import valid from 'semver/functions/valid.js';

/** Items highest version first (invalid versions last), each version parsed once. */
export function byVersionDescending<T>(items: T[], versionOf: (item: T) => string): T[] {
  const parsed = items.map(item => ({ item, semver: parse(versionOf(item)) }));
  parsed.sort((a, b) => (a.semver && b.semver ? b.semver.compare(a.semver) || b.semver.compareBuild(a.semver) : a.semver ? -1 : b.semver ? 1 : 0));
  return parsed.map(entry => entry.item);
}

/**
 * Versions highest first, as semver's rsort orders them, each parsed once (rsort parses both sides of every
 * comparison: on a registry holding 50,000 tags, over a million parses).
 */
const rsort = (versions: string[]): string[] => byVersionDescending(versions, version => version);

export default { clean, coerce, gt, gte, inc, lt, major, parse, prerelease, rcompare, rsort, valid };
