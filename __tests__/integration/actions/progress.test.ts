/**
 * Long runs say where they are: a progress line per service of build-tag-push (`[37/200] web retagged 0.2.0 (0.4 s)`),
 * a final timing line per stage, and a job summary with a table of the stages and a Mermaid diagram of the plan.
 * The pure parts: __tests__/unit/actions/progress.test.ts and __tests__/unit/core/pipeline-summary.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/plan.js';
import { seedImage, startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { captureLog, runAction } from '../../helpers/run-action.js';

describe('build-tag-push progress over many services (real registry, retags by registry API)', () => {
  let registry: TestRegistry;
  const COUNT = 40;
  const names = Array.from({ length: COUNT }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    registry = await startRegistry();
    for (const name of names) await seedImage(registry.url, `many/${name}`, '0.1.0', `${name} 0.1.0`);
  }, 120_000);
  afterAll(() => registry?.stop());

  it('one [n/N] line per service as it finishes, numbered 1..N, then a final line with the counts and the time', async () => {
    const plan: Plan = {
      schema: 1,
      services: names.map(name => ({
        name,
        image: `${registry.host}/many/${name}`,
        changed: false,
        version: '0.2.0',
        previous: '0.1.0',
        release: true,
        tags: [`${registry.host}/many/${name}:0.2.0`]
      }))
    };
    const log = captureLog();
    const dir = mkdtempSync(join(tmpdir(), 'imgver-progress-'));
    const result = await runAction('build-tag-push', { plan: JSON.stringify(plan) }, { cwd: dir, env: { DOCKER_CONFIG: dir }, log });
    expect(JSON.parse(result.outputs.retagged)).toHaveLength(COUNT);
    const progress = log.lines.filter(l => /^\[\s*\d+\/\d+\] /.test(l));
    expect(progress).toHaveLength(COUNT);
    progress.forEach((line, i) => expect(line).toMatch(new RegExp(`^\\[\\s*${i + 1}/${COUNT}\\] svc-\\d\\d retagged 0\\.2\\.0 \\(\\d+\\.\\d s\\)$`)));
    // Every service once.
    expect(new Set(progress.map(l => /(svc-\d\d)/.exec(l)?.[1])).size).toBe(COUNT);
    expect(log.lines).toContainEqual(expect.stringMatching(new RegExp(`^build-tag-push: 0 built, ${COUNT} retagged, 0 skipped in \\d+\\.\\d s$`)));
  }, 120_000);
});
