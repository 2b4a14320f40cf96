import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { pipelineSummary, planDiagram, stageResult } from '../../../src/core/pipeline-summary.js';
import { escapeMarkdown, markdownTable } from '../../../src/core/markdown.js';

/** The pipeline's job summary: a table of the stages and a Mermaid diagram of the plan. */
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
