import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputEnvName } from '../../../src/actions/spec.js';
import { TestRepo } from '../../helpers/repo.js';
import { snapshot } from './path-escape.test.js';

/**
 * Every bad input gets a clean error, at both front doors: exit 1, a message that names the input (or the file, or
 * the bad value), no stack trace, and the working tree exactly as it was (git status and every file's bytes).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');
const actionJs = join(root, 'dist/action.js');

const SHA = 'a'.repeat(40);
const PLAN = (service: object) => JSON.stringify({ schema: 1, services: [{ name: 'api', image: 'ghcr.io/acme/api', ...service }] });
const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n') + '\n';
const DEEP = `{"schema":1,"services":[{"name":"api","image":"i","tags":${'['.repeat(2000)}${']'.repeat(2000)}}]}`;

interface Row {
  /** About the command line itself: the action front door has no such input. */
  cliOnly?: boolean;
  /** imgver arguments: the action, then --input value pairs. */
  args: string[];
  /** What the error must say. */
  message: RegExp;
  /** Files written (and committed) before the run. */
  files?: Record<string, string>;
}

const contextActions: [string, string[]][] = [
  ['compute-version', []],
  ['detect-changes', []],
  ['helm-sync', ['--charts', 'chart', '--write-only']],
  ['release', ['--plan', PLAN({ version: '1.0.1', release: true, releaseTag: 'v1.0.1' }), '--dry-run']],
  ['build-tag-push', ['--plan', PLAN({ tags: ['ghcr.io/acme/api:1'] }), '--dry-run']]
];
const badContext: [string, string, RegExp][] = [
  ['sha', 'nothex', /Input 'sha'.*"nothex"/],
  ['sha', 'abc1234', /Input 'sha'/],
  ['event', 'banana', /Input 'event'.*banana/],
  ['event', 'Push', /Input 'event'/],
  ['ref', 'garbage ref', /Input 'ref'.*garbage ref/],
  ['ref', 'refs/heads/a..b', /Input 'ref'/],
  ['ref', 'main~1', /Input 'ref'/],
  ['default-branch', 'has space', /Input 'default-branch'/]
];

const planActions: [string, string[]][] = [
  ['compute-version', []],
  ['build-tag-push', ['--dry-run']],
  ['helm-sync', ['--charts', 'chart', '--write-only']],
  ['release', ['--dry-run']]
];
const badPlans: [string, string, RegExp][] = [
  ['not JSON', '{schema: 1', /Input 'plan' is not JSON/],
  ['an array', '[]', /Input 'plan'/],
  ['a number', '42', /Input 'plan'/],
  ['schema 2', '{"schema":2,"services":[]}', /plan schema 2/],
  ['no services', '{"schema":1}', /no "services" array/],
  ['a service without an image', '{"schema":1,"services":[{"name":"api"}]}', /services\[0\] needs a "name" and an "image"/],
  ['numeric tags', PLAN({ tags: [1, 2] }), /Input 'plan': services\[0\]\.tags\[0\] must be string/],
  ['deeply nested tags', DEEP, /Input 'plan'/],
  ['an unknown bump', PLAN({ bump: 'huge' }), /Input 'plan': services\[0\]\.bump must be equal to one of the allowed values/],
  ['labels that are not strings', PLAN({ labels: { a: 1 } }), /Input 'plan': services\[0\]\.labels\.a must be string/],
  ['a plan file that is a directory', 'plandir', /plan/]
];

const configActions: [string, string[]][] = [
  ['compute-version', []],
  ['detect-changes', []],
  ['helm-sync', ['--write-only']]
];
const badConfigs: [string, Record<string, string>, string[], RegExp][] = [
  ['a config path that is a directory', { 'cfgdir/x': '' }, ['--config', 'cfgdir'], /Input 'config'.*is a directory/],
  ['a config file that is missing', {}, ['--config', 'missing.yaml'], /Config file missing\.yaml not found/],
  ['a YAML alias bomb', { 'bomb.yaml': BOMB }, ['--config', 'bomb.yaml'], /bomb\.yaml.*aliases/],
  ['invalid YAML', { 'bad.yaml': 'services: [\n' }, ['--config', 'bad.yaml'], /bad\.yaml:\d+/],
  ['an unknown key', { 'bad.yaml': 'servics: {}\n' }, ['--config', 'bad.yaml'], /bad\.yaml:1/],
  ['a service name with a space', { 'bad.yaml': 'image: x/{{service}}\nservices:\n  "a b": {}\n' }, ['--config', 'bad.yaml'], /bad\.yaml:3/],
  ['a list where a mapping belongs', { 'bad.yaml': '- a\n- b\n' }, ['--config', 'bad.yaml'], /bad\.yaml:1/],
  ['a duplicate key', { 'bad.yaml': 'image: a/{{service}}\nimage: b/{{service}}\n' }, ['--config', 'bad.yaml'], /bad\.yaml:2.*duplicate/],
  ['a config outside the working directory', {}, ['--config', '../imgver.yaml'], /Input 'config'.*outside the working directory/]
];

const allActions = ['compute-version', 'detect-changes', 'build-tag-push', 'helm-sync', 'release', 'deploy-manifest', 'merge-plans', 'pipeline'];

const rows: [string, Row][] = [
  ...contextActions.flatMap(([action, extra]) =>
    badContext.map(([input, value, message]): [string, Row] => [`${action} --${input} ${JSON.stringify(value)}`, { args: [action, ...extra, `--${input}`, value], message }])
  ),
  ...planActions.flatMap(([action, extra]) =>
    badPlans.map(([what, plan, message]): [string, Row] => [`${action}: a plan that is ${what}`, { args: [action, ...extra, '--plan', plan], message, files: plan === 'plandir' ? { 'plandir/x': '' } : undefined }])
  ),
  ...configActions.flatMap(([action, extra]) =>
    badConfigs.map(([what, files, args, message]): [string, Row] => [`${action}: ${what}`, { args: [action, ...extra, ...args], message, files }])
  ),
  ...allActions.flatMap((action): [string, Row][] => {
    const args = action === 'deploy-manifest' ? [action, '--command', 'status'] : [action];
    return [
      [`${action}: a working-directory that does not exist`, { args: [...args, '--working-directory', 'nope'], message: /Input 'working-directory' \(nope\) does not exist/ }],
      [`${action}: a working-directory that is a file`, { args: [...args, '--working-directory', 'api/a'], message: /Input 'working-directory' \(api\/a\) is not a directory/ }]
    ];
  }),
  // The command line itself.
  ['an unknown action', { args: ['compute-versions'], cliOnly: true, message: /Unknown action "compute-versions" \(did you mean compute-version\?\)/ }],
  ['an unknown input', { args: ['compute-version', '--tagz', 'x'], cliOnly: true, message: /Unknown input --tagz for compute-version \(did you mean --tags\?\)/ }],
  ['an input without its value', { args: ['compute-version', '--bump'], cliOnly: true, message: /--bump needs a value/ }],
  ['an input whose value looks like a flag', { args: ['compute-version', '--bump', '--json'], cliOnly: true, message: /--bump needs a value/ }],
  ['a single-value input given twice', { args: ['compute-version', '--bump', 'major', '--bump', 'minor'], cliOnly: true, message: /--bump given twice/ }],
  ['a stray word', { args: ['compute-version', 'extra'], cliOnly: true, message: /Unexpected argument "extra"/ }],
  ['a value for --json', { args: ['compute-version', '--json=yes'], cliOnly: true, message: /--json takes no value/ }],
  ['an input before the action', { args: ['--bump', 'major', 'compute-version'], cliOnly: true, message: /--bump given before the action/ }],
  ['an unknown option and no action', { args: ['--frobnicate'], cliOnly: true, message: /Unknown option --frobnicate/ }],
  ['a boolean input with a word', { args: ['detect-changes', '--all=maybe'], cliOnly: true, message: /Input 'all'.*maybe/ }],
  ['helm-sync --version with no value', { args: ['helm-sync', '--version'], cliOnly: true, message: /--version needs a value/ }],
  // compute-version inputs.
  ['type=semver with an empty pattern', { args: ['compute-version', '--tags', 'type=semver,pattern='], message: /Empty pattern attribute for "type=semver,pattern="/ }],
  ['type=pep440 with an empty pattern', { args: ['compute-version', '--tags', 'type=pep440,pattern='], message: /Empty pattern attribute for "type=pep440,pattern="/ }],
  ['type=match with an empty pattern', { args: ['compute-version', '--tags', 'type=match,pattern='], message: /Missing pattern attribute/ }],
  ['an unknown tag type', { args: ['compute-version', '--tags', 'type=bogus'], message: /Unknown tag type attribute: bogus/ }],
  ['a tag rule with a bad priority', { args: ['compute-version', '--tags', 'type=sha,priority=high'], message: /Invalid priority for "type=sha,priority=high"/ }],
  ['type=ref with no event', { args: ['compute-version', '--tags', 'type=ref'], message: /Missing event attribute for "type=ref"/ }],
  ['type=ref with an unknown event', { args: ['compute-version', '--tags', 'type=ref,event=push'], message: /Invalid event for "type=ref,event=push"/ }],
  ['type=sha with an unknown format', { args: ['compute-version', '--tags', 'type=sha,format=medium'], message: /Invalid format for "type=sha,format=medium"/ }],
  ['a label with no value', { args: ['compute-version', '--labels', 'novalue'], message: /Input 'labels': "novalue" is not key=value/ }],
  ['a label with an empty key', { args: ['compute-version', '--labels', '=x'], message: /Input 'labels': "=x" is not key=value/ }],
  ['a label key with a colon', { args: ['compute-version', '--labels', 'a:b=c'], message: /Input 'labels': "a:b=c"/ }],
  ['an annotation with an unknown level', { args: ['compute-version', '--annotations', 'bogus:level:x=y'], message: /Input 'annotations': "bogus:level:x=y" names the level/ }],
  ['an annotation with no value', { args: ['compute-version', '--annotations', 'novalue'], message: /Input 'annotations': "novalue" is not key=value/ }],
  ['an unknown bump', { args: ['compute-version', '--bump', 'huge'], message: /Input 'bump'.*huge/ }],
  ['an unknown version-source', { args: ['compute-version', '--version-source', 'moon'], message: /moon/ }],
  ['a version file that is a directory', { args: ['compute-version', '--version-source', 'file', '--version-file', 'api'], message: /Version file api .*is a directory/ }],
  ['a version file that is missing', { args: ['compute-version', '--version-source', 'file', '--version-file', 'NOPE'], message: /Version file NOPE does not exist/ }],
  ['a version file outside', { args: ['compute-version', '--version-source', 'file', '--version-file', '../VERSION'], message: /Version file \.\.\/VERSION.*outside/ }],
  ['a plan file that does not exist', { args: ['compute-version', '--plan', '/nonexistent/plan.json'], message: /plan/ }],
  // detect-changes inputs.
  ['filters that are not YAML', { args: ['detect-changes', '--filters', 'api: [\n'], message: /Input 'filters' line/ }],
  ['filters with an unknown change type', { args: ['detect-changes', '--filters', 'api:\n  - renamed|moved: a/**\n'], message: /Input 'filters' line 2: .*unknown change type "moved"/ }],
  ['a filter name that would add an output', { args: ['detect-changes', '--filters', '"x\\ninjected=evil": [a/**]\n'], message: /Input 'filters' line 1: filter name/ }],
  ['a filter name with <<', { args: ['detect-changes', '--filters', '"x<<EOF": [a/**]\n'], message: /filter name "x<<EOF" is not allowed/ }],
  ['a filters file that does not exist', { args: ['detect-changes', '--filters', 'nope.yaml'], message: /Input 'filters' names the file nope\.yaml/ }],
  ['max-files that is not a number', { args: ['detect-changes', '--max-files', 'lots'], message: /Input 'max-files'.*lots/ }],
  ['matrix-size 0', { args: ['detect-changes', '--matrix-size', '0'], message: /Input 'matrix-size'/ }],
  ['a base that does not exist', { args: ['detect-changes', '--base', 'nope-no-such-rev'], message: /nope-no-such-rev/ }],
  // deploy-manifest.
  ['an unknown manifest command', { args: ['manifest', 'frobnicate'], message: /Input 'command'|frobnicate/ }],
  ['a manifest that is a directory', { args: ['manifest', 'status', '--manifest', 'api'], message: /Input 'manifest'.*is a directory/ }],
  ['a manifest that is not YAML', { args: ['manifest', 'status', '--manifest', 'm.yaml'], message: /m\.yaml/, files: { 'm.yaml': 'services: [\n' } }],
  ['a manifest with a YAML alias bomb', { args: ['manifest', 'status', '--manifest', 'bomb.yaml'], message: /bomb\.yaml/, files: { 'bomb.yaml': BOMB } }],
  ['a manifest that does not exist', { args: ['manifest', 'status', '--manifest', 'nope.yaml'], message: /Version manifest nope\.yaml does not exist/ }],
  ['an environment that leads outside', { args: ['manifest', 'set', '--environment', '../../x', '--service', 'api', '--tag', '1'], message: /Input 'environment'.*outside/ }],
  ['set without a tag', { args: ['manifest', 'set', '--environment', 'prod', '--service', 'api'], message: /tag/ }],
  ['promote without --to', { args: ['manifest', 'promote', '--from', 'prod'], message: /promote needs --from and --to/ }],
  // helm-sync.
  ['a push destination that is not oci://', { args: ['helm-sync', '--charts', 'chart', '--push', 'https://x'], message: /Input 'push' is set to invalid value 'https:\/\/x'/ }],
  ['a chart directory without Chart.yaml', { args: ['helm-sync', '--charts', 'api', '--write-only', '--ref', 'refs/tags/v1.0.0'], message: /Chart api/ }],
  ['a package-dir outside', { args: ['helm-sync', '--charts', 'chart', '--package-dir', '../out'], message: /Input 'package-dir'.*outside/ }],
  // release.
  ['release files outside', { args: ['release', '--plan', PLAN({ version: '1.0.1', release: true, releaseTag: 'v1.0.1' }), '--files', '../x', '--dry-run'], message: /Input 'files'.*outside/ }],
  ['release of a plan whose written files lead outside', { args: ['release', '--plan', JSON.stringify({ ...JSON.parse(PLAN({ version: '1.0.1', release: true, releaseTag: 'v1.0.1' })), written: ['../../etc/x'] }), '--dry-run'], message: /File \.\.\/\.\.\/etc\/x \(written in the plan\).*outside/ }],
  ['a one-step release on a tag ref: its CHANGELOG write-back put back', { args: ['release', '--ref', 'refs/tags/v1.0.1'], message: /no branch to commit CHANGELOG\.md to; set the branch input/ }],
  // merge-plans.
  ['merge-plans with expected not a list of names', { args: ['merge-plans', '--plan', PLAN({}), '--expected', '[1, {}]'], message: /Input 'expected' must be a JSON array of service names/ }],
  ['merge-plans with expected not JSON', { args: ['merge-plans', '--plan', PLAN({}), '--expected', '[nope'], message: /Input 'expected' is not a JSON array/ }],
  ['merge-plans with nothing to merge', { args: ['merge-plans'], message: /Nothing to merge/ }],
  ['pipeline stage-inputs that are not YAML', { args: ['pipeline', '--stage-inputs', 'a: [\n'], message: /Input 'stage-inputs' is not YAML/ }],
  ['pipeline stage-inputs naming no stage', { args: ['pipeline', '--stage-inputs', 'deploy: {x: 1}'], message: /Input 'stage-inputs' names "deploy", which is not a stage/ }],
  ['pipeline stage-inputs with an unknown input', { args: ['pipeline', '--stage-inputs', 'build-tag-push: {platformz: x}'], message: /Input 'stage-inputs': build-tag-push has no input "platformz"/ }],
  ['pipeline stage-inputs with a YAML alias bomb', { args: ['pipeline', '--stage-inputs', BOMB], message: /Input 'stage-inputs'/ }],
  ['merge-plans with a fragment that is not JSON', { args: ['merge-plans', '--plan', PLAN({}), '--plans', '{nope'], message: /plans|not JSON/ }]
];

describe('every bad input gets a clean error and leaves the working tree as it was', () => {
  let repo: TestRepo;
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'imgver-bad-'));
    repo = new TestRepo(join(parent, 'repo'));
    mkdirSync(repo.dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'test@imgver.local');
    repo.git('config', 'user.name', 'imgver test');
    repo.commit('init', {
      'imgver.yaml': 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\nversion:\n  changelog: CHANGELOG.md\n',
      'api/a': '1',
      'web/b': '1',
      'CHANGELOG.md': '# Changelog\n\n## [Unreleased]\n\n- a change\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\nappVersion: 1.0.0\n',
      'chart/values.yaml': 'image:\n  tag: 1.0.0\n'
    });
    repo.tag('v1.0.0');
    repo.commit('fix: something', { 'api/a': '2' });
    writeFileSync(join(parent, 'VERSION'), '1.0.0\n');
    writeFileSync(join(parent, 'imgver.yaml'), 'image: x/{{service}}\n');
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('has 150 or more rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  const hasFiles = (row: Row) => Object.keys(row.files ?? {}).length > 0;

  function prepare(row: Row): void {
    for (const [path, text] of Object.entries(row.files ?? {})) repo.write(path, text);
    if (hasFiles(row)) {
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'row files');
    }
  }

  function restore(): void {
    repo.git('reset', '-q', '--hard', 'v1.0.0');
    repo.git('clean', '-qfdx');
    repo.git('checkout', '-q', '.');
    repo.commit('fix: something', { 'api/a': '2' });
  }

  function check(result: { status: number | null; text: string }, row: Row, before: { status: string; files: Record<string, string> }) {
    expect({ status: result.status, text: result.text }).toEqual({ status: 1, text: expect.stringMatching(row.message) });
    expect(result.text).not.toMatch(/\n\s+at \S+ \(|failed unexpectedly/);
    expect(repo.git('status', '--porcelain', '--ignored')).toBe(before.status);
    expect(snapshot(repo.dir)).toEqual(before.files);
  }

  it.each(rows)('CLI: %s', (_name, row) => {
    prepare(row);
    let clean = false;
    try {
      const before = { status: repo.git('status', '--porcelain', '--ignored'), files: snapshot(repo.dir) };
      const result = spawnSync(process.execPath, [cli, ...row.args], { cwd: repo.dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      check({ status: result.status, text: result.stderr }, row, before);
      clean = true;
    } finally {
      // The check proved the tree unchanged: only a row's own files need undoing.
      if (!clean || hasFiles(row)) restore();
    }
  });

  /** The same rows through the action front door (INPUT_* variables), where the row is only inputs. */
  const actionRows = rows.filter(([, row]) => !row.cliOnly && !row.args.includes('manifest') && /^[a-z-]+$/.test(row.args[0]) && row.args.slice(1).every((a, i) => (i % 2 === 0 ? /^--[a-z-]+$/.test(a) : !a.startsWith('--'))));
  it.each(actionRows.filter((_, i) => i % 3 === 0))('action: %s', (_name, row) => {
    prepare(row);
    let clean = false;
    try {
      const before = { status: repo.git('status', '--porcelain', '--ignored'), files: snapshot(repo.dir) };
      const output = join(parent, 'output');
      writeFileSync(output, '');
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output };
      for (let i = 1; i < row.args.length; i += 2) env[inputEnvName(row.args[i].slice(2))] = row.args[i + 1];
      const result = spawnSync(process.execPath, [actionJs, row.args[0]], { cwd: repo.dir, encoding: 'utf8', env });
      const errors = result.stdout.split('\n').filter(line => line.startsWith('::error'));
      expect(errors).toHaveLength(1);
      check({ status: result.status, text: errors[0].replace(/%0A/g, '\n').replace(/%25/g, '%') }, row, before);
      expect(readFileSync(output, 'utf8')).toBe('');
      clean = true;
    } finally {
      if (!clean || hasFiles(row)) restore();
    }
  });
});
