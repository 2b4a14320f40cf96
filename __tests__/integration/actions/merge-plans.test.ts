/** A fan-out as a workflow runs it: one build-tag-push per service (real Docker engine, real registry), each job's plan
 * saved as a file the way upload/download-artifact hands it over, then merge-plans. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/plan.js';
import { skopeoDigest, startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { captureLog, runAction } from '../../helpers/run-action.js';

const SERVICES = ['api', 'web', 'worker'];

describe('merge-plans after a matrix of build-tag-push jobs (real Docker engine and registry)', () => {
  let registry: TestRegistry;
  let dir: string;
  let base: Plan;
  const env = { ...process.env, IMGVER_DOCKER: '/usr/bin/docker', DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'imgver-dockercfg-')) };

  beforeAll(async () => {
    registry = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'imgver-fanout-'));
    for (const name of SERVICES) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
      writeFileSync(join(dir, name, 'app.txt'), `${name} fan-out\n`);
    }
    base = {
      schema: 1,
      services: SERVICES.map(name => ({ name, image: `${registry.host}/fanout/${name}`, context: name, dockerfile: `${name}/Dockerfile`, changed: true, version: '1.0.0', release: true, tags: [`${registry.host}/fanout/${name}:1.0.0`] }))
    };
    // The matrix: one job per service, in parallel, each uploading its plan.
    await Promise.all(
      SERVICES.map(async service => {
        const { outputs } = await runAction('build-tag-push', { plan: JSON.stringify(base), service, network: 'none' }, { cwd: dir, env });
        mkdirSync(join(dir, 'fragments', service), { recursive: true });
        writeFileSync(join(dir, 'fragments', service, 'plan.json'), outputs.plan);
      })
    );
  }, 120_000);
  afterAll(() => registry?.stop());

  it('merges every job’s digest into one plan, each matching the registry', async () => {
    const { outputs, summary } = await runAction('merge-plans', { plan: JSON.stringify(base), plans: 'fragments' }, { cwd: dir });
    expect(JSON.parse(outputs.merged)).toEqual(SERVICES);
    expect(JSON.parse(outputs.missing)).toEqual([]);
    const plan = JSON.parse(outputs.plan) as Plan;
    for (const service of plan.services) {
      expect(service.action).toBe('built');
      expect(service.digest).toBe(await skopeoDigest(registry.host, `fanout/${service.name}`, '1.0.0'));
    }
    expect(summary).toContain('| worker | built |');
  });

  it('a failed job is reported by name and stops the merge; allow-missing carries on with a warning', async () => {
    rmSync(join(dir, 'fragments', 'web'), { recursive: true });
    await expect(runAction('merge-plans', { plan: JSON.stringify(base), plans: 'fragments', expected: '["api","web","worker"]' }, { cwd: dir })).rejects.toThrow(
      'No plan fragment for web: its job failed, was cancelled or uploaded nothing (allow-missing: true carries on without it)'
    );
    const log = captureLog();
    const { outputs } = await runAction('merge-plans', { plan: JSON.stringify(base), plans: 'fragments', 'allow-missing': 'true' }, { cwd: dir, log });
    expect(JSON.parse(outputs.missing)).toEqual(['web']);
    expect(log.lines.some(l => l.startsWith('warning: No plan fragment for web'))).toBe(true);
    await expect(runAction('merge-plans', { plans: 'nowhere' }, { cwd: dir })).rejects.toThrow("Input 'plans' line 1: nowhere is neither a plan's JSON nor a file or directory (ENOENT)");
  });
});
