import { describe, expect, it } from '@jest/globals';
import { bumpPolicy, fixedRelease, givenRelease, lineRelease, serviceChanged, type BumpPolicy } from '../../../src/core/bump-policy.js';
import { DEFAULT_BUMP_RULES, type BumpLevel, type CommitWithFiles } from '../../../src/core/bump-rules.js';
import { compileTagFormat } from '../../../src/core/version-tag.js';

const format = compileTagFormat('v{{version}}');
const commit = (subject: string, files: string[] = ['a.txt']): CommitWithFiles => ({ sha: subject.replace(/\W/g, '').padEnd(40, '0').slice(0, 40), subject, body: '', files });
const policy = (settings: Partial<Omit<BumpPolicy, 'detector'>> = {}) =>
  bumpPolicy({ bump: 'auto', rules: DEFAULT_BUMP_RULES, initial: '0.0.0', aware: true, ...settings });

describe('the bump policy', () => {
  it.each<[string, string[], string[], number, Partial<Omit<BumpPolicy, 'detector'>>, [string, boolean, BumpLevel | undefined, string | undefined]]>([
    ['a fix bumps the patch', ['1.2.3'], ['fix: x'], 1, {}, ['1.2.4', true, 'patch', 'v1.2.4']],
    ['a feature bumps the minor', ['1.2.3'], ['feat: x', 'fix: y'], 2, {}, ['1.3.0', true, 'minor', 'v1.3.0']],
    ['a breaking change bumps the major', ['1.2.3'], ['feat!: x'], 1, {}, ['2.0.0', true, 'major', 'v2.0.0']],
    ['no new commits: nothing to release', ['1.2.3'], ['fix: x'], 0, {}, ['1.2.3', false, 'none', undefined]],
    ['the bump input over the commits', ['1.2.3'], ['fix: x'], 1, { bump: 'major' }, ['2.0.0', true, 'major', 'v2.0.0']],
    ['bump none releases nothing', ['1.2.3'], ['feat: x'], 1, { bump: 'none' }, ['1.2.3', false, 'none', undefined]],
    ['the first release bumps the initial version', [], ['fix: x'], 1, { initial: '1.0.0' }, ['1.0.1', true, 'patch', 'v1.0.1']],
    ['a prerelease', ['1.2.3'], ['feat: x'], 1, { prerelease: { id: 'rc', numbering: 'start-at-0' } }, ['1.3.0-rc.0', true, 'minor', 'v1.3.0-rc.0']],
    ['build metadata', ['1.2.3'], ['fix: x'], 1, { build: 'b7' }, ['1.2.4+b7', true, 'patch', 'v1.2.4+b7']],
    ['each commit bumps in turn', ['1.2.3'], ['fix: a', 'feat: b', 'fix: c'], 3, { rules: { ...DEFAULT_BUMP_RULES, eachCommit: true } }, ['1.3.1', true, 'minor', 'v1.3.1']],
    ['a pull request previews', ['1.2.3'], ['fix: x'], 1, { preview: { prNumber: 42, sha7: 'abc1234' } }, ['1.2.4-pr.42.abc1234', false, 'patch', undefined]]
  ])('[%#] %s', (_name, known, subjects, freshCommits, settings, [version, release, level, releaseTag]) => {
    const result = lineRelease(format, { known, commits: subjects.map(s => commit(s)), freshCommits, since: 'since v1.2.3' }, policy(settings));
    expect([result.version, result.release, result.decision?.level, result.releaseTag]).toEqual([version, release, level, releaseTag]);
  });

  it('explains the bump, and takes the next free version of the same bump when one is taken', () => {
    const result = lineRelease(format, { known: ['1.2.3'], commits: [commit('feat: x'), commit('fix: y')], freshCommits: 2, since: 'since v1.2.3' }, policy());
    expect(result.why).toMatch(/^minor: .*; 2 commit\(s\) since v1\.2\.3$/);
    expect(result.after!(['1.3.0'])).toBe('1.4.0');
    expect(result.files).toEqual(['a.txt', 'a.txt']);
  });

  it.each<[string, ReturnType<typeof givenRelease>, [string | undefined, boolean, boolean, string | undefined]]>([
    ['a pushed tag', givenRelease(format, '2.0.0-rc.1', 'tag v2.0.0-rc.1'), ['2.0.0-rc.1', true, true, 'v2.0.0-rc.1']],
    ['a version file already tagged', givenRelease(format, '1.0.0', 'already', { release: false }), ['1.0.0', false, false, 'v1.0.0']],
    ['a rebased release', fixedRelease(format, '1.4.0'), ['1.4.0', true, false, 'v1.4.0']],
    ['a line the release does not hold', fixedRelease(format, undefined), [undefined, false, false, undefined]]
  ])('[%#] %s', (_name, result, expected) => {
    expect([result.version, result.release, result.prerelease, result.releaseTag]).toEqual(expected);
  });

  const api = { name: 'api', image: 'r/api', context: 'api', dockerfile: 'api/Dockerfile', paths: ['api/**'], dependsOn: [] };
  it.each<[string, Parameters<typeof serviceChanged>[1], boolean]>([
    ['a release touching its paths', { release: true, prerelease: false, why: '', files: ['api/main.go'] }, true],
    ['a release touching other paths only', { release: true, prerelease: false, why: '', files: ['web/index.js'] }, false],
    ['a release without a file list', { release: true, prerelease: false, why: '' }, true],
    ['a preview', { version: '1.0.1-pr.1.abc', release: false, prerelease: true, why: '', files: ['api/x'] }, true],
    ['no release', { release: false, prerelease: false, why: '', files: ['api/x'] }, false]
  ])('[%#] changed: %s', (_name, result, expected) => expect(serviceChanged(api, result, undefined)).toBe(expected));
});
