/**
 * Transient registry faults are survived: build-tag-push with the real `docker push` (/usr/bin/docker, Debian's
 * 20.10, classic builder with BuildKit) against a real registry behind a proxy that fails 30% of requests with 429
 * (Retry-After), 503 and connection resets. Seeded faults, six runs of a two-service release (one built, one retagged).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Plan, PlanService } from '../../src/core/plan.js';
import { captureLog, runAction } from '../helpers/run-action.js';
import { seedImage, skopeoDigest, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const RUNS = Number(process.env.FAULT_RUNS ?? 6);
const RATE = 0.3;

function workspace(run: number): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-faults-'));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api', 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
  writeFileSync(join(dir, 'api', 'app.txt'), `api, run ${run}, ${dir}\n`);
  return {
    dir,
    env: { ...process.env, IMGVER_DOCKER: '/usr/bin/docker', DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'imgver-dockercfg-')), IMGVER_RETRY_BASE_MS: '50' }
  };
}

function service(host: string, run: number, name: string, changed: boolean): PlanService {
  const image = `${host}/faults${run}/${name}`;
  return {
    name,
    image,
    context: name,
    dockerfile: `${name}/Dockerfile`,
    changed,
    version: '0.1.0',
    previous: '0.0.1',
    tags: [`${image}:0.1.0`, `${image}:0.1`, `${image}:latest`],
    labels: { 'org.opencontainers.image.revision': `c0ffee${run}`, 'org.opencontainers.image.version': '0.1.0' }
  };
}

describe('build-tag-push survives 30% registry faults (real docker push, real registry, seeded faults)', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const outcomes: { run: number; first: 'complete' | string; rerun?: 'complete' | string }[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
  });
  afterAll(async () => {
    const completed = outcomes.filter(o => o.first === 'complete').length;
    process.stderr.write(`push-faults: ${completed}/${outcomes.length} builds completed at ${RATE * 100}% faults; faults injected ${JSON.stringify(proxy.faults)}\n`);
    for (const o of outcomes.filter(o => o.first !== 'complete')) process.stderr.write(`  run ${o.run}: ${o.first}\n  re-run: ${o.rerun}\n`);
    await proxy.stop();
    await registry.stop();
  });

  it(`${RUNS} releases at ${RATE * 100}% faults: each completes, or says which tags are in place and completes on a re-run`, async () => {
    for (let run = Number(process.env.FAULT_FIRST ?? 1); run <= RUNS; run++) {
      const ws = workspace(run);
      const web = await seedImage(registry.url, `faults${run}/web`, '0.0.1', `web ${run}`);
      const plan: Plan = { schema: 1, services: [service(proxy.host, run, 'api', true), service(proxy.host, run, 'web', false)] };
      const log = captureLog();
      const attempt = async (seed: number) => {
        proxy.seed(seed);
        proxy.rate = RATE;
        try {
          const result = await runAction('build-tag-push', { plan: JSON.stringify(plan) }, { cwd: ws.dir, env: ws.env, log });
          return { result };
        } catch (error) {
          if (process.env.FAULT_DEBUG) process.stderr.write(log.lines.join('\n') + '\n');
          return { error: error as Error };
        } finally {
          proxy.rate = 0;
        }
      };
      const first = await attempt(run * 7919);
      const outcome: (typeof outcomes)[number] = { run, first: first.error ? first.error.message : 'complete' };
      outcomes.push(outcome);
      let result = first.result;
      if (first.error) {
        const again = await attempt(run * 7919 + 1);
        outcome.rerun = again.error ? again.error.message : 'complete';
        result = again.result;
      }
      if (!result) continue;
      const digests = JSON.parse(result.outputs.digests) as Record<string, string>;
      expect(digests.web).toBe(web.digest);
      for (const name of ['api', 'web']) {
        for (const tag of ['0.1.0', '0.1', 'latest']) expect(await skopeoDigest(registry.host, `faults${run}/${name}`, tag)).toBe(digests[name]);
      }
    }
    // A run that still fails says which tags are in place; its re-run completes the release.
    for (const outcome of outcomes.filter(o => o.first !== 'complete')) {
      expect(outcome.first).toMatch(/In place: |Nothing is in place yet/);
      expect(outcome.rerun).toBe('complete');
    }
    expect(outcomes.filter(o => o.first === 'complete').length).toBeGreaterThanOrEqual(RUNS - 1);
  }, 600_000);
});
