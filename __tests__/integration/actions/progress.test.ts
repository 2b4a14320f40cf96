/**
 * Long runs say where they are: a progress line per service of build-tag-push (`[37/200] web retagged 0.2.0 (0.4 s)`),
 * a final timing line per stage, and a job summary with a table of the stages and a Mermaid diagram of the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/plan.js';
import { pipelineSummary, planDiagram, stageResult } from '../../../src/core/pipeline-summary.js';
import { escapeMarkdown, markdownTable } from '../../../src/core/markdown.js';
import { Progress } from '../../../src/actions/progress.js';
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

describe('progress lines', () => {
  it('pads the count to the total and times each item from its own start', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = new Progress({ info: l => lines.push(l) }, 200, () => now);
    const first = progress.start();
    now = 400;
    const second = progress.start();
    now = 800;
    second('web retagged 0.2.0');
    now = 12_400;
    first('api built 0.2.0');
    expect(lines).toEqual(['[  1/200] web retagged 0.2.0 (0.4 s)', '[  2/200] api built 0.2.0 (12 s)']);
  });
});

describe('the pipeline job summary', () => {
  const plan: Plan = {
    schema: 1,
    services: [
      { name: 'api', image: 'r/api', changed: true, release: true, version: '0.2.0', action: 'built' },
      { name: 'web', image: 'r/web', changed: false, release: true, version: '0.2.0', action: 'retagged' },
      { name: 'worker', image: 'r/worker', changed: false, release: true, version: '0.2.0', action: 'retagged' }
    ],
    charts: [{ path: 'deploy/chart', name: 'example', version: '0.2.0' }],
    release: { commit: 'abc', tags: ['v0.2.0'] }
  };
  const all = ['detect-changes', 'compute-version', 'build-tag-push', 'helm-sync', 'release'];

  it.each([
    ['a|b', 'a&#124;b'],
    ['line\nbreak', 'line<br>break'],
    ['back\\slash|pipe', 'back&#92;slash&#124;pipe']
  ])('cell %j is written %j', (value, cell) => {
    expect(escapeMarkdown(value)).toBe(cell);
  });

  it('a table per stage: stage, time and what it did; a cell with | stays one cell', () => {
    const table = markdownTable(['Stage', 'Result'], [['release', 'tags a|b']]);
    expect(table.split('\n')[2]).toBe('| release | tags a&#124;b |');
    const summary = pipelineSummary(
      all.map((stage, i) => ({ stage, seconds: i + 0.25, result: stageResult(stage, plan, {}) })),
      plan
    );
    expect(summary).toContain('| detect-changes | 0.3 s | 1 of 3 changed |');
    expect(summary).toContain('| compute-version | 1.3 s | 3 to release: 0.2.0 |');
    expect(summary).toContain('| build-tag-push | 2.3 s | 1 built, 2 retagged, 0 skipped |');
    expect(summary).toContain('| helm-sync | 3.3 s | example 0.2.0 |');
    expect(summary).toContain('| release | 4.3 s | v0.2.0 |');
  });

  it('a Mermaid diagram of the plan: detect → version → built / retagged → chart → release', () => {
    expect(planDiagram(plan, all).split('\n')).toEqual([
      '```mermaid',
      'flowchart LR',
      '  detect["detect: 1 of 3 changed"]',
      '  version["version: 0.2.0"]',
      '  detect --> version',
      '  built["built: api"]',
      '  version --> built',
      '  retagged["retagged: web, worker"]',
      '  version --> retagged',
      '  chart["chart: example 0.2.0"]',
      '  built --> chart',
      '  retagged --> chart',
      '  release["release: v0.2.0"]',
      '  chart --> release',
      '```'
    ]);
  });

  it('without build-tag-push the diagram shows what is planned; hostile names cannot break the diagram', () => {
    const planned: Plan = {
      schema: 1,
      services: [
        { name: 'a"]; click', image: 'r/a', changed: true, release: true, version: '1.0.0' },
        ...Array.from({ length: 200 }, (_, i) => ({ name: `s${i}`, image: `r/s${i}`, changed: false, release: true, version: '1.0.0' }))
      ]
    };
    const diagram = planDiagram(planned, ['detect-changes', 'compute-version']);
    expect(diagram).toContain('build["build planned: a#quot; ; click"]');
    expect(diagram).toContain('retag["retag planned: s0, s1, s2 +197"]');
  });
});
