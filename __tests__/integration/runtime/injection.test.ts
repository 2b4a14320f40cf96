import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestRepo } from '../../helpers/repo.js';
import { runComposite } from '../../helpers/composite.js';
import { HOSTILE_LINES, workflowCommandsIn, type SeenCommand } from '../../helpers/runner-protocol.js';

/**
 * Repository text is data, never a command, in real runs of the actions and the CLI (the pure parts of the guard:
 * __tests__/unit/runtime/injection.test.ts): file names, commit messages and filter names written by whoever controls
 * the repository must not add or replace step outputs, break the output file, or start a workflow command (forged
 * ::error:: annotations, ::stop-commands:: that would let a later secret print in clear).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');
const actionYml = (name: string) => join(root, 'actions', name, 'action.yml');

/** Commands a run may issue itself; anything else (or any command carrying "forged") came from repository text. */
function foreignCommands(seen: SeenCommand[]): SeenCommand[] {
  const ours = new Set(['debug', 'group', 'endgroup', 'warning', 'add-mask', 'stop-commands', 'resume-commands']);
  return seen.filter(c => !ours.has(c.command) || /forged|tok-from-repo/.test(c.data) || (c.command === 'stop-commands' && !/^imgver-[0-9a-f-]{36}$/.test(c.data)));
}

describe("one parser of git's file lists (NUL-separated) for logs and diffs", () => {
  describe('a commit that only adds a file whose name holds a newline', () => {
    let repo: TestRepo;
    beforeAll(() => {
      repo = TestRepo.create();
      repo.commit('init', { 'imgver.yaml': 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\n', 'api/a': '1', 'web/b': '1' });
      repo.tag('v1.0.0');
      repo.commit('fix: a file with a newline in its name', { 'api/new\nline.txt': 'x' });
    });
    afterAll(() => repo.remove());

    it('is a change in detect-changes and a commit in compute-version', () => {
      const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args, '--json'], { cwd: repo.dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
      const changes = run(['detect-changes', '--base', 'v1.0.0']);
      expect(changes.stderr).not.toMatch(/at \S+ \(/);
      expect(JSON.parse(changes.stdout).changed).toEqual(['api']);
      const version = run(['compute-version']);
      const plan = JSON.parse(version.stdout).plan;
      expect(plan.services.find((s: { name: string }) => s.name === 'api')).toMatchObject({ version: '1.0.1', release: true });
    });
  });
});

describe('repository text in a real run never becomes a workflow command', () => {
  let repo: TestRepo;
  let before: string;
  let after: string;
  let event: string;
  beforeAll(() => {
    repo = TestRepo.create();
    before = repo.commit('init', { 'imgver.yaml': 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\n', 'api/a': '1', 'web/b': '1' });
    repo.tag('v1.0.0');
    const files: Record<string, string> = {};
    HOSTILE_LINES.forEach((line, i) => (files[`api/${i}\n${line}`] = String(i)));
    files['api/::stop-commands::tok-from-repo'] = 'x';
    after = repo.commit(`feat: ##[error]forged in a subject\n\n::error::forged in a body\n::stop-commands::tok-from-repo`, files);
    event = join(mkdtempSync(join(tmpdir(), 'imgver-event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ before, after, repository: { name: 'app', full_name: 'acme/app', default_branch: 'main' } }));
  });
  afterAll(() => repo.remove());

  const runnerEnv = () => ({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: after, GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/app', RUNNER_DEBUG: '1' });

  it('detect-changes (action): the log runs no command from file names, outputs parse as the runner parses them', () => {
    const run = runComposite(actionYml('detect-changes'), {}, { cwd: repo.dir, env: runnerEnv() });
    expect(foreignCommands(workflowCommandsIn(run.stdout))).toEqual([]);
    expect(JSON.parse(run.outputs.changed)).toEqual(['api']);
    expect(JSON.parse(run.outputs.files).api).toEqual(expect.arrayContaining(HOSTILE_LINES.map((line, i) => `api/${i}\n${line}`)));
    expect(Object.keys(run.stepOutputs).sort()).toEqual([...Object.keys(run.stepOutputs)].sort());
    expect(run.stepOutputs).not.toHaveProperty('injected');
  });

  it('compute-version (action): commit messages and file names print as text', () => {
    const run = runComposite(actionYml('compute-version'), { tags: 'type=semver,pattern={{version}}' }, { cwd: repo.dir, env: runnerEnv() });
    expect(foreignCommands(workflowCommandsIn(run.stdout))).toEqual([]);
    expect(run.outputs.version).toBe('1.1.0');
  });

  it.each([
    ['detect-changes', ['--base', 'v1.0.0']],
    ['detect-changes', ['--base', 'v1.0.0', '--json']],
    ['compute-version', ['--debug']],
    ['compute-version', ['--json']]
  ])('imgver %s %j in a workflow step: stdout and stderr run no command', (action, args) => {
    const result = spawnSync(process.execPath, [cli, action, ...args], { cwd: repo.dir, encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_ACTIONS: 'true', ...runnerEnv() } });
    expect(result.status).toBe(0);
    expect(foreignCommands(workflowCommandsIn(result.stdout))).toEqual([]);
    expect(foreignCommands(workflowCommandsIn(result.stderr))).toEqual([]);
    if (args.includes('--json')) expect(JSON.parse(result.stdout)).toBeTruthy();
  });

  it('a filter name that would add an output fails the step cleanly, the output file untouched', () => {
    let failure: { status?: number; stdout?: string } = {};
    try {
      runComposite(actionYml('detect-changes'), { filters: '"x\\ninjected=evil": [api/**]\n', base: before }, { cwd: repo.dir });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stdout).toMatch(/::error::Input 'filters' line 1: filter name .* is not allowed/);
  });

  it.each([['matrix'], ['plan']])('a filter named %s does not replace the output of that name', name => {
    const run = runComposite(actionYml('detect-changes'), { filters: `${name}: [api/**]\n`, base: before }, { cwd: repo.dir });
    expect(run.stepOutputs[name]).not.toBe('true');
    expect(() => JSON.parse(run.stepOutputs[name])).not.toThrow();
  });

  it('the job summary keeps hostile file names inside their cells', () => {
    const run = runComposite(actionYml('detect-changes'), { base: before }, { cwd: repo.dir });
    const rows = run.summary.split('\n').filter(line => line.startsWith('| api') || line.startsWith('| web'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.replace(/&#124;/g, '').match(/\|/g)).toHaveLength(5);
    expect(readFileSync(event, 'utf8')).toContain(after);
  });
});

describe('dry runs print multi-line values as one argument', () => {
  it('build-tag-push --dry-run: a plan label holding a newline stays on its command line', () => {
    const plan = JSON.stringify({ schema: 1, services: [{ name: 'api', image: 'ghcr.io/acme/api', tags: ['ghcr.io/acme/api:1'], labels: { note: 'x\n::error::forged' } }] });
    const dir = mkdtempSync(join(tmpdir(), 'imgver-dry-'));
    const result = spawnSync(process.execPath, [cli, 'build-tag-push', '--plan', plan, '--dry-run', '--push', 'false'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_ACTIONS: 'true' } });
    expect(result.status).toBe(0);
    const build = result.stderr.split('\n').find(line => line.startsWith('would run: docker build'));
    expect(build).toContain("--label $'note=x\\n::error::forged'");
    expect(foreignCommands(workflowCommandsIn(result.stderr))).toEqual([]);
  });
});