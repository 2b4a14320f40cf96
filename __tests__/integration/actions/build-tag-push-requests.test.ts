/**
 * What build-tag-push asks of the registry grows with what changed: an unchanged service costs a few requests when it
 * is retagged (its source manifest read once, each version tag checked once, each tag written once, the digest each
 * PUT answers trusted) and at most two on a re-run with nothing to do. Counted per service repository by a proxy in
 * front of a real registry on 127.0.0.1. Budgets, not exact counts: a retried request must not fail the test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { captureLog, runAction } from '../../helpers/run-action.js';
import { seedImage, skopeoDigest, startProxy, startRegistry, type ProxyRequest, type TestProxy, type TestRegistry } from '../../helpers/registry.js';

const SERVICES = Array.from({ length: 24 }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);
/** Three tags per service, as the default tag rules give: the version, major.minor and latest. */
const RETAG_BUDGET = 5;
const RERUN_BUDGET = 2;

function plan(host: string, version: string, previous: string): Plan {
  return {
    schema: 1,
    services: SERVICES.map(name => {
      const image = `${host}/budget/${name}`;
      return { name, image, changed: false, version, previous, tags: [`${image}:${version}`, `${image}:${version.split('.').slice(0, 2).join('.')}`, `${image}:latest`] };
    })
  };
}

/** Requests per service repository, and the largest. */
function perService(requests: ProxyRequest[]): { counts: Map<string, number>; max: number } {
  const counts = new Map(SERVICES.map(name => [name, 0]));
  for (const { path } of requests) {
    const name = /^\/v2\/budget\/([^/]+)\//.exec(path)?.[1];
    if (name && counts.has(name)) counts.set(name, counts.get(name)! + 1);
  }
  return { counts, max: Math.max(...counts.values()) };
}

describe('build-tag-push registry requests per unchanged service (real registry behind a counting proxy)', () => {
  let registry: TestRegistry;
  let proxy: TestProxy;
  const cwd = mkdtempSync(join(tmpdir(), 'imgver-budget-'));
  const env = { ...process.env, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'imgver-dockercfg-')) };
  const previous = new Map<string, string>();
  const run = (p: Plan) => runAction('build-tag-push', { plan: JSON.stringify(p) }, { cwd, env, log: captureLog() });
  /** The requests `fn` makes, per service. */
  const counted = async (fn: () => Promise<unknown>) => {
    const from = proxy.requests.length;
    await fn();
    const requests = proxy.requests.slice(from);
    return { ...perService(requests), writes: requests.filter(r => r.method === 'PUT').length };
  };

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.url);
    // The previous release, 0.1.0, with its floating tags.
    for (const name of SERVICES) {
      const { digest } = await seedImage(registry.url, `budget/${name}`, '0.1.0', `${name} 0.1.0`);
      for (const tag of ['0.1', 'latest']) await seedImage(registry.url, `budget/${name}`, tag, `${name} 0.1.0`);
      previous.set(name, digest);
    }
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.stop();
  });

  it(`a retag to a new version: at most ${RETAG_BUDGET} requests per service, every tag on the previous release`, async () => {
    const { max, counts } = await counted(() => run(plan(proxy.host, '0.1.1', '0.1.0')));
    expect(Object.fromEntries([...counts].filter(([, n]) => n > RETAG_BUDGET))).toEqual({});
    expect(max).toBeGreaterThan(0);
    for (const name of [SERVICES[0], SERVICES[SERVICES.length - 1]]) {
      for (const tag of ['0.1.1', '0.1', 'latest']) expect(await skopeoDigest(registry.host, `budget/${name}`, tag)).toBe(previous.get(name));
    }
  });

  it(`a re-run of that retag: at most ${RERUN_BUDGET} requests per service, nothing written`, async () => {
    const { counts, writes } = await counted(() => run(plan(proxy.host, '0.1.1', '0.1.0')));
    expect(Object.fromEntries([...counts].filter(([, n]) => n > RERUN_BUDGET))).toEqual({});
    expect(writes).toBe(0);
  });

  it(`the next run with nothing changed (the version already released): at most ${RERUN_BUDGET} requests per service, nothing written`, async () => {
    let outputs: Record<string, string> = {};
    const { counts, writes } = await counted(async () => ({ outputs } = await run(plan(proxy.host, '0.1.1', '0.1.1'))));
    expect(Object.fromEntries([...counts].filter(([, n]) => n > RERUN_BUDGET))).toEqual({});
    expect(writes).toBe(0);
    expect(JSON.parse(outputs.digests)).toEqual(Object.fromEntries(previous));
  });
});
