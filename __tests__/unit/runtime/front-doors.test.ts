import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../../../src/runtime/cli.js';
import { checkOverrides, isValidRef, normalizeRef } from '../../../src/adapters/run-context.js';
import { readActionInputs } from '../../../src/runtime/action.js';
import { findSpec } from '../../../src/actions/specs.js';

describe('parseArgs (util.parseArgs underneath)', () => {
  it.each([
    ['flags and values', ['compute-version', '--bump', 'major', '--json'], { action: 'compute-version', inputs: { bump: 'major' }, json: true }],
    ['--name=value', ['compute-version', '--bump=minor'], { inputs: { bump: 'minor' } }],
    ['a value starting with - through =', ['compute-version', '--flavor=-x'], { inputs: { flavor: '-x' } }],
    ['a repeated multi-line input', ['compute-version', '--tags', 'type=sha', '--tags', 'type=ref,event=pr'], { inputs: { tags: 'type=sha\ntype=ref,event=pr' } }],
    ['a bare boolean input', ['detect-changes', '--all'], { inputs: { all: 'true' } }],
    ['a boolean input with false', ['detect-changes', '--all', 'false'], { inputs: { all: 'false' } }],
    ['a boolean input with =false', ['detect-changes', '--all=false'], { inputs: { all: 'false' } }],
    ['a bare boolean before another flag', ['detect-changes', '--all', '--json'], { inputs: { all: 'true' }, json: true }],
    ['imgver manifest <command>', ['manifest', 'status', '--environment', 'prod'], { action: 'deploy-manifest', inputs: { command: 'status', environment: 'prod' } }],
    ['helm-sync --version is its input', ['helm-sync', '--version', '1.2.3'], { action: 'helm-sync', inputs: { version: '1.2.3' }, version: false }],
    ['--version before the action is the CLI version', ['--version'], { version: true }],
    ['--versions-env is the env-file input', ['manifest', 'status', '--versions-env', 'v.env'], { inputs: { 'env-file': 'v.env' } }],
    ['-h anywhere', ['compute-version', '-h'], { help: true }],
    ['--debug', ['compute-version', '--debug'], { debug: true }],
    ['a boolean input with TRUE', ['detect-changes', '--all', 'TRUE'], { inputs: { all: 'TRUE' } }],
    ['a bare boolean at the end', ['detect-changes', '--base', 'main', '--all'], { inputs: { base: 'main', all: 'true' } }],
    ['a value holding = and spaces', ['compute-version', '--tags', 'type=raw,value=a b'], { inputs: { tags: 'type=raw,value=a b' } }],
    ['an empty value', ['compute-version', '--bump='], { inputs: { bump: '' } }],
    ['--password-stdin', ['build-tag-push', '--password-stdin'], { passwordStdin: true, inputs: {} }],
    ['imgver manifest with --command', ['manifest', '--command', 'status'], { action: 'deploy-manifest', inputs: { command: 'status' } }],
    ['CLI flags before the action', ['--json', '--debug', 'compute-version'], { action: 'compute-version', json: true, debug: true }],
    ['nothing at all', [], { help: false, version: false, json: false, inputs: {} }]
  ])('%s', (_what, argv, expected) => {
    const parsed = parseArgs(argv);
    expect(parsed).toMatchObject(expected);
  });

  it('marks given inputs and fills defaults for the rest', () => {
    const parsed = parseArgs(['compute-version', '--bump', 'major']);
    expect([...parsed.given]).toEqual(['bump']);
    expect(parsed.inputs['working-directory']).toBe('.');
  });

  it.each([
    [['compute-versions'], /Unknown action "compute-versions" \(did you mean compute-version\?\)/],
    [['compute-version', '--tagz', 'x'], /Unknown input --tagz for compute-version \(did you mean --tags\?\)/],
    [['compute-version', '--bump'], /--bump needs a value/],
    [['compute-version', '--bump', '--json'], /--bump needs a value/],
    [['compute-version', '--bump', 'a', '--bump', 'b'], /--bump given twice/],
    [['compute-version', 'stray'], /Unexpected argument "stray"/],
    [['compute-version', '--json=1'], /--json takes no value/],
    [['--bump', 'major', 'compute-version'], /--bump given before the action/],
    [['--nope'], /Unknown option --nope/],
    [['compute-version', '--bump', '-x'], /--bump needs a value \(one that starts with - is given as --bump=-…\)/],
    [['build-tag-push', '--password', 'p', '--password-stdin'], /--password and --password-stdin given together/],
    [['compute-version', '--password-stdin'], /Unknown input --password-stdin for compute-version/],
    [['manifest', 'status', 'extra'], /Unexpected argument "extra"/]
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('normalizeRef', () => {
  it.each([
    ['v1.2.3', 'refs/tags/v1.2.3'],
    ['1.2.3', 'refs/tags/1.2.3'],
    ['api/v1.2.3', 'refs/tags/api/v1.2.3'],
    ['main', 'refs/heads/main'],
    ['feature/x', 'refs/heads/feature/x'],
    ['pull/42', 'refs/pull/42/merge'],
    ['pull/42/merge', 'refs/pull/42/merge'],
    ['refs/heads/main', 'refs/heads/main'],
    ['refs/tags/v1.2.3', 'refs/tags/v1.2.3'],
    ['1.2', 'refs/tags/1.2'],
    ['v2.0.0-rc.1', 'refs/tags/v2.0.0-rc.1'],
    ['api@1.2.3', 'refs/heads/api@1.2.3'],
    ['release/v1.2.3', 'refs/tags/release/v1.2.3'],
    ['v-next', 'refs/heads/v-next'],
    ['dependabot/npm/semver-7.8', 'refs/heads/dependabot/npm/semver-7.8']
  ])('%s → %s', (ref, full) => {
    expect(normalizeRef(ref)).toBe(full);
  });

  it.each([
    ['refs/heads/main', true],
    ['refs/tags/v1.2.3', true],
    ['refs/heads/garbage ref', false],
    ['refs/heads/a..b', false],
    ['refs/heads/x~1', false],
    ['refs/heads/x^', false],
    ['refs/heads/x:y', false],
    ['refs/heads/x.lock', false],
    ['refs/heads/.hidden', false],
    ['refs/heads/x/', false],
    ['refs/heads/a@{1}', false],
    ['refs/heads/a\\b', false],
    ['refs/heads/a\tb', false],
    ['heads/main', false]
  ])('isValidRef(%j) is %s', (ref, valid) => {
    expect(isValidRef(ref)).toBe(valid);
  });

  it.each([
    [{ sha: 'nothex' }, /Input 'sha'/],
    [{ sha: 'abc1234' }, /Input 'sha'/],
    [{ event: 'banana' }, /Input 'event'/],
    [{ ref: 'garbage ref' }, /Input 'ref'/],
    [{ defaultBranch: 'a b' }, /Input 'default-branch'/]
  ])('checkOverrides(%j) refuses it', (overrides, message) => {
    expect(() => checkOverrides(overrides)).toThrow(message);
  });

  it('checkOverrides takes good values', () => {
    expect(() => checkOverrides({ sha: 'A'.repeat(40), event: 'pull_request', ref: 'pull/42', defaultBranch: 'main' })).not.toThrow();
  });
});

describe('readActionInputs', () => {
  it('reads INPUT_* (hyphens as underscores), applies defaults, marks only values other than the default as given', () => {
    const spec = findSpec('detect-changes')!;
    const { inputs, given } = readActionInputs(spec, { INPUT_MAX_FILES: '10', INPUT_ALL: 'false', INPUT_FILTERS: '' });
    expect(inputs['max-files']).toBe('10');
    expect(inputs.all).toBe('false');
    expect(inputs.filters).toBeUndefined();
    expect(given.has('max-files')).toBe(true);
    expect(given.has('all')).toBe(false);
  });
});
