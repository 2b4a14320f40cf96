import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestRepo } from '../../helpers/repo.js';
import { runComposite } from '../../helpers/composite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const action = join(root, 'actions/detect-changes/action.yml');

describe('actions/detect-changes/action.yml run as the runner runs it', () => {
  let repo: TestRepo;
  let before: string;
  let after: string;
  beforeAll(() => {
    repo = TestRepo.create();
    before = repo.commit('init', {
      'imgver.yaml': 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n    depends-on: [common]\n  web:\nlibs:\n  common:\n    paths: [libs/**]\n',
      'api/a': '1',
      'web/b': '1',
      'libs/c': '1'
    });
    after = repo.commit('lib', { 'libs/c': '2' });
  });
  afterAll(() => repo.remove());

  it('a push event: outputs mapped, per-service outputs on the step, a summary table', () => {
    const event = join(mkdtempSync(join(tmpdir(), 'imgver-event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ before, after, repository: { name: 'app', full_name: 'acme/app', default_branch: 'main' } }));
    const { outputs, stepOutputs, summary } = runComposite(action, {}, {
      cwd: repo.dir,
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: after, GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/app' }
    });
    expect(JSON.parse(outputs.changed)).toEqual(['api']);
    expect(outputs).toMatchObject({ any: 'true', count: '1', base: before, head: after });
    expect(JSON.parse(outputs.services)).toEqual({ api: true, web: false, common: true });
    expect(JSON.parse(outputs.matrix)).toEqual({ include: [{ service: 'api', image: 'ghcr.io/acme/api', context: 'api', dockerfile: 'api/Dockerfile' }] });
    expect(JSON.parse(outputs.plan).services.map((s: { name: string; changed: boolean }) => [s.name, s.changed])).toEqual([
      ['api', true],
      ['web', false]
    ]);
    // A composite action exposes declared outputs only; per-service ones are on its step (and in the CLI's --json).
    expect(stepOutputs).toMatchObject({ api: 'true', web: 'false', common: 'true' });
    expect(summary).toContain('| api | ✅ yes | depends on common | 0 |');
  });

  it('inline filters arrive intact through env: (multi-line YAML with quotes and anchors)', () => {
    const filters = "shared: &shared\n  - 'libs/**'\nweb:\n  - *shared\n  - \"web/**\"\n";
    const { outputs } = runComposite(action, { filters, base: before }, { cwd: repo.dir });
    expect(JSON.parse(outputs.changed)).toEqual(['shared', 'web']);
  });

  it('paths-filter outputs: changes, counts and listed-files on the action; <name>_count and <name>_files on its step', () => {
    const filters = "lib:\n  - 'libs/**'\nweb: 'web/**'\n";
    const { outputs, stepOutputs } = runComposite(action, { filters, base: before, 'list-files': 'shell' }, { cwd: repo.dir });
    // The config's lib common stays beside the inline filters.
    expect(JSON.parse(outputs.changes)).toEqual(['lib', 'common']);
    expect(JSON.parse(outputs.counts)).toEqual({ lib: 1, web: 0, common: 1 });
    expect(JSON.parse(outputs['listed-files'])).toEqual({ lib: 'libs/c', web: '', common: 'libs/c' });
    expect(stepOutputs).toMatchObject({ lib: 'true', lib_count: '1', lib_files: 'libs/c', web: 'false', web_count: '0', web_files: '' });
  });

  it('a bad filter fails the step with an ::error:: naming the input and line', () => {
    let error: { status?: number; stdout?: string } = {};
    try {
      runComposite(action, { filters: 'api:\n  - /api/**\n', base: before }, { cwd: repo.dir });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.status).toBe(1);
    expect(error.stdout).toMatch(/^::error::Input 'filters' line 2: filter "api": glob "\/api\/\*\*" starts with '\/'/m);
  });
});
