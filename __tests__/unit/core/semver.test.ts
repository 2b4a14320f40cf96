import { describe, expect, it } from '@jest/globals';
import semverClean from 'semver/functions/clean.js';
import semverGt from 'semver/functions/gt.js';
import semverGte from 'semver/functions/gte.js';
import semverInc from 'semver/functions/inc.js';
import semverLt from 'semver/functions/lt.js';
import semverMajor from 'semver/functions/major.js';
import semverParse from 'semver/functions/parse.js';
import semverPrerelease from 'semver/functions/prerelease.js';
import semverRsort from 'semver/functions/rsort.js';
import semverValid from 'semver/functions/valid.js';
import { isDeepStrictEqual } from 'node:util';
import semver, { byVersionDescending, type ParsedVersion } from '../../../src/core/semver.js';

describe('versions sorted with each parsed once', () => {
  it.each([
    [['1.0.0', '1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-rc.10', '1.2.0-rc.2', '0.9.9', '2.0.0-alpha', '2.0.0']],
    [['1.0.0+build.2', '1.0.0+build.10', '1.0.0', '1.0.0-beta', '1.0.0-beta.11', '1.0.0-beta.2']],
    [Array.from({ length: 500 }, (_, i) => `${i % 7}.${(i * 13) % 11}.${(i * 7) % 17}${i % 5 === 0 ? `-rc.${i % 3}` : ''}`)],
    // Plain X.Y.Z only (ordered by their numbers without semver's package): leading v and spaces, equal versions, large numbers.
    [['1.0.0', 'v1.10.0', '1.2.0', ' 1.2.0', '0.9.9', 'v2.0.0', '2.0.0', '9007199254740991.0.0', '10.0.0', '0.0.0']],
    [Array.from({ length: 500 }, (_, i) => `${i % 3 === 0 ? 'v' : ''}${i % 7}.${(i * 13) % 11}.${(i * 7) % 17}`)]
  ])('[%#] orders as semver rsort does', versions => {
    expect(semver.rsort([...versions])).toEqual(semverRsort([...versions]));
  });

  it('keeps invalid versions last instead of throwing, and sorts items by a version of theirs', () => {
    expect(semver.rsort(['1.0.0', 'latest', '2.0.0'])).toEqual(['2.0.0', '1.0.0', 'latest']);
    expect(semver.rsort(['latest', '1.0.0', '01.0.0', '2.0.0', '1.0.0.0'])).toEqual(['2.0.0', '1.0.0', 'latest', '01.0.0', '1.0.0.0']);
    expect(byVersionDescending([{ tag: 'v1.2.0', version: '1.2.0' }, { tag: 'v1.10.0', version: '1.10.0' }], r => r.version).map(r => r.tag)).toEqual(['v1.10.0', 'v1.2.0']);
  });
});

describe('items of equal versions keep their order, as with a stable sort by semver', () => {
  const bySemver = <T>(items: T[], versionOf: (item: T) => string) =>
    [...items].sort((a, b) => semverParse(versionOf(b))!.compare(semverParse(versionOf(a))!) || semverParse(versionOf(b))!.compareBuild(semverParse(versionOf(a))!));
  it.each([
    [['1.2.0', 'v1.2.0', '1.10.0', 'v1.10.0', '1.2.0']],
    [['1.2.0+b', '1.2.0', '1.2.0+a', 'v1.2.0-rc.1', '1.2.0']]
  ])('[%#] %j', versions => {
    const items = versions.map((version, i) => ({ i, version }));
    expect(byVersionDescending(items, item => item.version)).toEqual(bySemver(items, item => item.version));
  });
});

describe('the strict parse without semver, exactly as semver parses', () => {
  /** Random texts from version-like pieces, seeded so a failing case is the same on every run. */
  function* randomTexts(count: number): Generator<string> {
    const pieces = ['0', '1', '2', '9', '10', '.', '.', '.', '-', '+', 'v', 'V', '=', ' ', '\t', 'a', 'rc', 'x', '*', '01', '\u00a0'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
    for (let i = 0; i < count; i++) {
      yield Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(pieces)).join('');
      // Mostly valid: a prefix, a version core, a prerelease and a build, each maybe malformed.
      yield [
        pick(['', '', '', 'v', '=', ' ', 'vv', '=v']),
        pick(['1.2.3', '0.0.0', '10.20.30', '1.2.3', '01.2.3', '1.2', '1.2.3.4']),
        pick(['', '', '', '-rc.1', '-0', '-alpha-1.2', '-01', '-', '-a..b', '-0a.00']),
        pick(['', '', '', '+b.5', '+001', '+', '+a..b']),
        pick(['', '', '', ' ', 'x'])
      ].join('');
    }
  }
  const max = String(Number.MAX_SAFE_INTEGER);
  const texts = [
    '1.2.3', 'v1.2.3', '=1.2.3', 'V1.2.3', ' 1.2.3 ', '\t1.2.3\n', '1.2.3-rc.1', '1.2.3-rc.1+build.5', '1.2.3+build', '1.2.3+001',
    '1.2.3-0', '1.2.3-01', '1.2.3-0a', '1.2.3--', '1.2.3-a.b.c.1.2', '1.2.3-alpha-1', '1.2.3-', '1.2.3+', '1.2.3-rc..1', '1.2.3+a..b',
    '01.2.3', '1.02.3', '1.2.03', '1.2', '1', '1.2.3.4', 'vv1.2.3', 'v 1.2.3', '1.2.3rc1', '1.2.3-rc1', '1.2.3.rc1', 'latest', '', ' ',
    `${max}.0.0`, `${Number.MAX_SAFE_INTEGER + 1}.0.0`, `0.${max}.0`, '0.0.99999999999999999999', `1.2.3-${max}`, `1.2.3-${max}0`,
    `1.2.3-${'a'.repeat(250)}`, `1.2.3-${'a'.repeat(251)}`, `1.2.3+${'b'.repeat(250)}`, ` 1.2.3-${'a'.repeat(249)} `, `1.2.3-${'a'.repeat(260)}`,
    '1.2.3-é', '１.2.3', '1.2.3\u00a0', '\u20281.2.3', '1.2.3-rc.1-2.x', '0.0.0', '0.0.0-0', '1.2.3-+', '1.2.3+-'
  ];
  const cases = [...texts, ...randomTexts(2000)];
  /** What imgver reads of a parsed version (semver's own answer, where ours defers to it, has more). */
  const fields = (v: ParsedVersion | null) => v && { version: v.version, major: v.major, minor: v.minor, patch: v.patch, prerelease: v.prerelease, build: v.build };

  it('covers valid and invalid versions alike', () => {
    const validCount = cases.filter(text => semverValid(text) !== null).length;
    expect(validCount).toBeGreaterThan(cases.length / 20);
    expect(validCount).toBeLessThan(cases.length / 2);
  });

  it.each([undefined, false, true, { loose: true }, { loose: false }, { includePrerelease: true }] as const)('parse, valid, prerelease and clean with options %p', options => {
    const differ = (name: string, ours: (text: string) => unknown, theirs: (text: string) => unknown) =>
      cases.map(text => ({ name, text, ours: ours(text), theirs: theirs(text) })).filter(row => !isDeepStrictEqual(row.ours, row.theirs));
    expect([
      ...differ('parse', text => fields(semver.parse(text, options)), text => fields(semverParse(text, options as never))),
      ...differ('valid', text => semver.valid(text, options), text => semverValid(text, options as never)),
      ...differ('prerelease', text => semver.prerelease(text, options), text => semverPrerelease(text, options as never)),
      ...differ('clean', text => semver.clean(text, options), text => semverClean(text, options as never))
    ]).toEqual([]);
  });

  it('gt, gte, lt, major and inc answer as semver does (or throw as it throws)', () => {
    const answer = (run: () => unknown) => {
      try {
        return run();
      } catch (error) {
        return `throws ${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    const versions = [...texts, `${Number.MAX_SAFE_INTEGER}.${Number.MAX_SAFE_INTEGER}.${Number.MAX_SAFE_INTEGER}`, '2.0.0', '1.10.0', '1.2.4', '1.2.3+b.2', ...randomTexts(60)];
    const rows: unknown[] = [];
    for (const a of versions) {
      rows.push(['major', a, answer(() => semver.major(a)), answer(() => semverMajor(a))]);
      for (const level of ['major', 'minor', 'patch', 'prerelease', 'premajor'] as const) rows.push(['inc', a, level, semver.inc(a, level), semverInc(a, level)]);
      rows.push(['inc', a, 'prerelease rc', semver.inc(a, 'prerelease', 'rc'), semverInc(a, 'prerelease', 'rc')]);
      for (const b of versions.slice(0, 40)) {
        rows.push(['gt', a, b, answer(() => semver.gt(a, b)), answer(() => semverGt(a, b))]);
        rows.push(['gte', a, b, answer(() => semver.gte(a, b)), answer(() => semverGte(a, b))]);
        rows.push(['lt', a, b, answer(() => semver.lt(a, b)), answer(() => semverLt(a, b))]);
      }
    }
    expect(rows.filter(row => !isDeepStrictEqual((row as unknown[]).at(-1), (row as unknown[]).at(-2)))).toEqual([]);
  });

  it('leaves other inputs to semver', () => {
    expect(semver.valid(null)).toBeNull();
    expect(semver.valid(undefined)).toBeNull();
    expect(() => semver.clean(undefined as unknown as string)).toThrow(TypeError);
  });
});
