import { describe, expect, it } from '@jest/globals';
import { BumpDetector, bumpEachCommit, parseBumpInput } from '../../../src/core/bump.js';
import { DEFAULT_BUMP_RULES, type BumpRules, type Commit } from '../../../src/core/bump-rules.js';

const c = (subject: string, body = '', sha = subject.replace(/\W/g, '').padEnd(40, '0').slice(0, 40)): Commit => ({ sha, subject, body });
const rules = (over: Partial<BumpRules> = {}): BumpRules => ({ ...DEFAULT_BUMP_RULES, ...over });

describe('bump detection', () => {
  it.each<[string, Commit[], Partial<BumpRules>, string]>([
    ['default patch', [c('update readme')], {}, 'patch'],
    ['[major] marker', [c('rework [major]')], {}, 'major'],
    ['[minor] marker', [c('add [minor]')], {}, 'minor'],
    ['#major marker', [c('drop api #major')], {}, 'major'],
    ['#patch marker', [c('x #patch')], { default: 'none' }, 'patch'],
    ['#none marker', [c('docs #none')], {}, 'none'],
    ['#none beats feat', [c('feat: thing #none')], {}, 'none'],
    ['conventional feat', [c('feat(api): add')], {}, 'minor'],
    ['conventional fix', [c('fix: bug')], { default: 'none' }, 'patch'],
    ['conventional perf', [c('perf: faster')], { default: 'none' }, 'patch'],
    ['conventional bang', [c('feat!: drop v1')], {}, 'major'],
    ['breaking footer', [c('fix: x', 'BREAKING CHANGE: removed y')], {}, 'major'],
    ['chore releases nothing', [c('chore: deps')], {}, 'none'],
    ['types map', [c('refactor: x')], { types: { refactor: 'patch' } }, 'patch'],
    ['highest wins', [c('fix: a'), c('feat: b'), c('chore: c')], {}, 'minor'],
    ['marker in body searched', [c('x', 'details [major]')], {}, 'major'],
    ['marker in body not searched', [c('x', 'details [major]')], { searchBody: false }, 'patch'],
    ['markers off', [c('x [major]')], { detect: ['conventional'] }, 'patch'],
    ["patterns default: semantic-version's current /!:|BREAKING CHANGE:/", [c('fix!: thing')], { detect: ['patterns'] }, 'major'],
    ["patterns default: semantic-version's current /feat(\\(.+\\))?:/", [c('feat(api): thing')], { detect: ['patterns'] }, 'minor'],
    ['patterns default: (MAJOR) is no longer a default', [c('thing (MAJOR)')], { detect: ['patterns'] }, 'patch'],
    ['patterns regex', [c('BREAKING: x')], { detect: ['patterns'], majorPattern: '/^BREAKING/i' }, 'major'],
    ['empty pattern turns level off', [c('thing (MAJOR)')], { detect: ['patterns'], majorPattern: '' }, 'patch'],
    ['ignore-pattern', [c('chore(release): 1.2.3 [skip ci] [major]'), c('fix: x')], { ignorePattern: '[skip ci]' }, 'patch'],
    ['no commits: none', [], {}, 'none'],
    ['no commits, without-commits', [], { withoutCommits: true }, 'patch'],
    ['default none', [c('update readme')], { default: 'none' }, 'none']
  ])('[%#] %s', (_name, commits, over, level) => {
    expect(new BumpDetector(rules(over)).decide(commits, '1.0.0').level).toBe(level);
  });

  it('says which commit decided', () => {
    const decision = new BumpDetector(rules()).decide([c('fix: a', '', 'a'.repeat(40)), c('feat: b', '', 'b'.repeat(40))], '1.0.0');
    expect(decision).toMatchObject({ level: 'minor', commit: 'b'.repeat(40), reason: 'feat:' });
  });

  it.each<[string, string, Partial<BumpRules>, string]>([
    ['pre-1 breaking → minor', 'feat!: x', { pre1: { breaking: 'minor' } }, 'minor'],
    ['pre-1 feature → patch', 'feat: x', { pre1: { feature: 'patch' } }, 'patch'],
    ['no pre-1 rules', 'feat!: x', {}, 'major']
  ])('[%#] %s', (_name, subject, over, level) => {
    expect(new BumpDetector(rules(over)).decide([c(subject)], '0.4.0').level).toBe(level);
  });

  it('pre-1 rules do not apply from 1.0.0', () => {
    expect(new BumpDetector(rules({ pre1: { breaking: 'minor' } })).decide([c('feat!: x')], '1.4.0').level).toBe('major');
  });

  it('reads a Release-As footer', () => {
    const decision = new BumpDetector(rules()).decide([c('chore: ready', 'Release-As: 2.0.0')], '1.0.0');
    expect(decision.releaseAs).toBe('2.0.0');
  });

  it.each([
    ['Release-As: banana', /Release-As footer .* "banana"/],
  ])('[%#] bad footer %s', (body, message) => {
    expect(() => new BumpDetector(rules()).decide([c('x', body)], '1.0.0')).toThrow(message);
  });

  it('rejects an invalid pattern', () => {
    expect(() => new BumpDetector(rules({ detect: ['patterns'], majorPattern: '/(/' }))).toThrow(/bump.major-pattern .* not a valid regular expression/);
  });

  it.each([
    ['auto', 'auto'],
    ['', 'auto'],
    ['MAJOR', 'major'],
    ['none', 'none']
  ])('[%#] bump input %s', (input, out) => expect(parseBumpInput(input)).toBe(out));

  it('names the bump input in errors', () => {
    expect(() => parseBumpInput('huge')).toThrow("Input 'bump' is set to invalid value 'huge'");
  });
});

describe('bump each-commit (semantic-version bump_each_commit)', () => {
  const detector = (over: Partial<BumpRules> = {}) => new BumpDetector(rules({ detect: ['patterns'], ...over }));
  it.each<[string, Commit[], Partial<BumpRules>, string, string]>([
    ['every commit a patch', [c('c'), c('b'), c('a')], {}, '1.0.0', '1.0.3'],
    ['a feature resets patch, fixes after it count', [c('d'), c('feat: c'), c('b')], {}, '0.0.1', '0.1.1'],
    ['the first commit of a repository is a patch at least', [c('b'), c('a')], { default: 'none', patchPattern: '(PATCH)' }, '0.0.0', '0.0.1'],
    ['a patch pattern: other commits bump nothing', [c('c'), c('b (PATCH)'), c('a')], { default: 'none', patchPattern: '(PATCH)' }, '1.0.1', '1.0.2'],
    ['pre-1 breaking as minor', [c('feat!: b'), c('feat: a')], { pre1: { breaking: 'minor' } }, '0.0.1', '0.2.0']
  ])('[%#] %s', (_name, commits, over, from, to) => {
    const r = rules({ detect: ['patterns'], ...over });
    expect(bumpEachCommit(detector(over), r, commits, from).version).toBe(to);
  });
});
