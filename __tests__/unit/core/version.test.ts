import { describe, expect, it } from '@jest/globals';
import { Minimatch } from 'minimatch';
import {
  dockerSafeVersion,
  isLinePrerelease,
  nextVersion,
  parseVersion,
  prereleaseForBranch,
  previewVersion,
  sanitizePrereleaseId,
  type NextVersionInput
} from '../../../src/core/version.js';

const base: NextVersionInput = { known: [], bump: 'patch', aware: true, initial: '0.0.0' };

describe('next version', () => {
  it.each<[string, Partial<NextVersionInput>, string, boolean]>([
    ['first release', {}, '0.0.1', true],
    ['first minor', { bump: 'minor' }, '0.1.0', true],
    ['initial 1.0.0', { initial: '1.0.0', bump: 'minor' }, '1.1.0', true],
    ['patch', { known: ['1.2.3', '1.2.2'] }, '1.2.4', true],
    ['minor', { known: ['1.2.3'], bump: 'minor' }, '1.3.0', true],
    ['major', { known: ['1.2.3'], bump: 'major' }, '2.0.0', true],
    ['none keeps current', { known: ['1.2.3'], bump: 'none' }, '1.2.3', false],
    ['Release-As', { known: ['1.2.3'], releaseAs: '3.0.0' }, '3.0.0', true],
    ['prerelease start-at-0', { known: ['1.2.3'], bump: 'minor', prerelease: { id: 'rc', numbering: 'start-at-0' } }, '1.3.0-rc.0', true],
    ['prerelease bare-then-1', { known: ['1.2.3'], bump: 'minor', prerelease: { id: 'rc', numbering: 'bare-then-1' } }, '1.3.0-rc', true],
    ['prerelease bare taken', { known: ['1.2.3', '1.3.0-rc'], bump: 'minor', prerelease: { id: 'rc', numbering: 'bare-then-1' } }, '1.3.0-rc.1', true],
    ['prerelease counter moves', { known: ['1.2.3', '1.3.0-rc.0', '1.3.0-rc.1'], bump: 'minor', prerelease: { id: 'rc', numbering: 'start-at-0' } }, '1.3.0-rc.2', true],
    ['aware: pending major covers a fix', { known: ['1.2.3', '2.0.0-rc.0'], prerelease: { id: 'rc', numbering: 'start-at-0' } }, '2.0.0-rc.1', true],
    ['not aware: a fix starts its own core', { known: ['1.2.3', '2.0.0-rc.0'], aware: false, prerelease: { id: 'rc', numbering: 'start-at-0' } }, '1.2.4-rc.0', true],
    ['aware: pending too small for a major', { known: ['1.2.3', '1.3.0-rc.2'], bump: 'major', prerelease: { id: 'rc', numbering: 'start-at-0' } }, '2.0.0-rc.0', true],
    ['aware graduation', { known: ['1.2.3', '1.3.0-rc.2'] }, '1.3.0', true],
    ['not aware: no graduation', { known: ['1.2.3', '1.3.0-rc.2'], aware: false }, '1.2.4', true],
    ['other prerelease id counts apart', { known: ['1.2.3', '1.3.0-beta.4'], bump: 'minor', prerelease: { id: 'rc', numbering: 'start-at-0' } }, '1.3.0-rc.0', true],
    ['build metadata', { known: ['1.2.3'], build: '42' }, '1.2.4+42', true],
    // release-please's prerelease strategy (test/versioning-strategies/prerelease.ts): glued, zero-padded counters.
    ['glued counter keeps its padding', { known: ['0.9.0', '1.0.0-beta09'], prerelease: { id: 'beta', numbering: 'bare-then-1' } }, '1.0.0-beta10', true],
    ['glued counter grows a digit', { known: ['0.9.0', '1.0.0-beta9'], prerelease: { id: 'beta', numbering: 'bare-then-1' } }, '1.0.0-beta10', true],
    ['label with digits, separate counter', { known: ['0.9.0', '1.0.0-beta2023.1'], prerelease: { id: 'beta', numbering: 'bare-then-1' } }, '1.0.0-beta2023.2', true],
    ['core jump keeps label and padding', { known: ['1.0.0', '1.0.1-beta01'], bump: 'minor', prerelease: { id: 'beta', numbering: 'bare-then-1' } }, '1.1.0-beta01', true],
    ['keep-label: a pending alpha stays alpha', { known: ['0.9.0', '1.0.0-alpha'], bump: 'major', prerelease: { id: 'beta', numbering: 'bare-then-1', keepLabel: true } }, '1.0.0-alpha.1', true],
    ['without keep-label: alpha moves on to the id', { known: ['0.9.0', '1.0.0-alpha'], bump: 'major', prerelease: { id: 'beta', numbering: 'bare-then-1' } }, '1.0.0-beta', true],
    ['never below a pending prerelease of the core', { known: ['1.2.3', '2.0.0-rc.1'], prerelease: { id: 'beta', numbering: 'start-at-0' } }, '2.0.0-rc.2', true],
    ['each-commit: the version reached', { known: ['1.2.3'], bump: 'patch', reached: '1.2.6' }, '1.2.6', true]
  ])('[%#] %s', (_name, over, version, release) => {
    const next = nextVersion({ ...base, ...over });
    expect(next.version).toBe(version);
    expect(next.release).toBe(release);
  });

  it.each<[Partial<NextVersionInput>, RegExp]>([
    [{ known: ['2.0.0'], releaseAs: '1.5.0' }, /Release-As 1.5.0 is not greater than the last release 2.0.0/],
    [{ initial: 'one' }, /version.initial "one" is not a version/],
    [{ prerelease: { id: 'r c', numbering: 'start-at-0' } }, /not valid SemVer/]
  ])('[%#] error %p', (over, message) => {
    expect(() => nextVersion({ ...base, ...over })).toThrow(message);
  });
});

describe('prereleases and helpers', () => {
  it.each<[Record<string, string | boolean | null>, string, string | undefined | false]>([
    [{ 'release/*': 'rc', '*': '{{branch}}' }, 'release/2.0', 'rc'],
    [{ 'release/*': 'rc', '*': '{{branch}}' }, 'develop', 'develop'],
    [{ 'release/*': 'rc', '*': '{{branch}}' }, 'main', undefined],
    [{ main: 'beta' }, 'main', 'beta'],
    [{ '**': '{{branch}}' }, 'feature/New_UI', 'feature-new-ui'],
    [{ 'hotfix/*': false, '**': 'dev' }, 'hotfix/x', false]
  ])('[%#] branches %p on %s', (branches, branch, id) => {
    expect(prereleaseForBranch({ branches, branch, defaultBranch: 'main', engine: Minimatch })).toBe(id);
  });

  it('matches branch names without loading the glob engine when no pattern is a glob', () => {
    expect(prereleaseForBranch({ branches: { develop: 'dev', main: 'beta' }, branch: 'develop', defaultBranch: 'main' })).toBe('dev');
    expect(prereleaseForBranch({ branches: { develop: 'dev' }, branch: 'main', defaultBranch: 'main' })).toBeUndefined();
  });

  it.each([
    ['Feature/Foo_bar', 'feature-foo-bar'],
    ['a..b', 'a.0.b'],
    ['v01', 'v01'],
    ['007', '7']
  ])('[%#] prerelease id from %s', (text, id) => expect(sanitizePrereleaseId(text)).toBe(id));

  it('preview versions', () => {
    expect(previewVersion('1.3.0', 42, 'abc1234')).toBe('1.3.0-pr.42.abc1234');
    expect(previewVersion('1.3.0', 42, '0123456')).toBe('1.3.0-pr.42.g0123456');
  });

  it.each([
    ['v1.2.3', '1.2.3'],
    [' 1.2.3\n', '1.2.3'],
    ['1.2', undefined],
    ['release1', undefined]
  ])('[%#] parseVersion %p', (text, version) => expect(parseVersion(text)).toBe(version));

  it.each<[string, string[], boolean]>([
    ['1.0.0-rc1', [], true],
    ['1.0.0-beta09', [], true],
    ['1.0.0-alpha.1', [], true],
    ['0.1.0-subproject', [], false],
    ['0.1.0-sub.project', [], false],
    ['2.0.0-feature.0', [], false],
    ['2.0.0-feature.0', ['feature'], true],
    ['1.2.3', [], true]
  ])('[%#] %s is a prerelease of the line (ids %p): %p', (version, ids, expected) => expect(isLinePrerelease(version, ids)).toBe(expected));

  it('makes build metadata docker-safe', () => expect(dockerSafeVersion('1.2.3+build.5')).toBe('1.2.3_build.5'));
});
