import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/plan.js';
import type { StageModule } from '../../../src/actions/types.js';
import { createStageContext, runStage, STAGES } from '../../../src/runtime/stages.js';
import { ACTION_SPECS, CLI_SPECS } from '../../../src/actions/specs.js';
import { captureLog } from '../../helpers/run-action.js';

const base = () => ({ log: captureLog(), env: {}, cwd: process.cwd(), now: new Date('2026-01-01T00:00:00Z') });

describe('the stage context and runStage (src/runtime/stages.ts)', () => {
  it('every declared action has a stage, and every stage a spec', () => {
    expect(Object.keys(STAGES).sort()).toEqual([...ACTION_SPECS, ...CLI_SPECS].map(s => s.name).sort());
  });

  it('reads imgver.yaml once per process: a second stage gets the same config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-stages-'));
    try {
      writeFileSync(join(dir, 'imgver.yaml'), 'services:\n  api: {}\n');
      const context = createStageContext(base());
      const first = await context.config(dir, 'imgver.yaml', false);
      writeFileSync(join(dir, 'imgver.yaml'), 'services:\n  web: {}\n');
      expect(await context.config(dir, 'imgver.yaml', false)).toBe(first);
      expect(first.services.map(s => s.name)).toEqual(['api']);
      // Another process (another context) reads the file as it is now.
      expect((await createStageContext(base()).config(dir, 'imgver.yaml', false)).services.map(s => s.name)).toEqual(['web']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed read is not kept: the next stage asking gets the error again', async () => {
    const context = createStageContext(base());
    const dir = mkdtempSync(join(tmpdir(), 'imgver-stages-'));
    try {
      await expect(context.config(dir, 'missing.yaml', true)).rejects.toThrow('Config file missing.yaml not found');
      writeFileSync(join(dir, 'missing.yaml'), 'services:\n  api: {}\n');
      expect((await context.config(dir, 'missing.yaml', true)).services).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves the run context once per directory and overrides', async () => {
    const context = createStageContext(base());
    let asked = 0;
    const request = { cwd: '/nowhere', overrides: { ref: 'refs/heads/main', sha: 'a'.repeat(40), defaultBranch: 'main' }, git: async () => (asked++, undefined) };
    const first = await context.runContext(request);
    expect(await context.runContext(request)).toBe(first);
    expect(await context.runContext({ ...request, overrides: { ...request.overrides, ref: 'refs/tags/v1.0.0' } })).not.toBe(first);
    expect(first.ref).toBe('refs/heads/main');
  });

  it('hands a stage the plan input as a typed plan, read once at the door', async () => {
    const plan: Plan = { schema: 1, ref: 'refs/heads/main', sha: 'a'.repeat(40), services: [] };
    let received: unknown;
    let typed: unknown;
    const stage: StageModule<{ service?: string; plan?: Plan }> = {
      getInputs: (raw, _given, p) => ({ service: raw.service, plan: p }),
      run: async (p, inputs) => ((received = p), (typed = inputs), { plan: p, outputs: { digests: '{}', skipped: '[]' } })
    };
    const context = { ...createStageContext(base()), stage: async () => stage as StageModule };
    const result = await runStage('build-tag-push', { plan: JSON.stringify(plan), service: 'api' }, new Set(['plan', 'service']), context);
    expect(received).toEqual(plan);
    expect(typed).toEqual({ service: 'api', plan: received });
    expect(result.plan).toBe(received);
    // The plan output is the front door's: JSON, where the spec declares it.
    expect(Object.keys(result.outputs)).toEqual(['digests', 'skipped', 'plan']);
    expect(result.outputs.plan).toBe(JSON.stringify(plan));
    await expect(runStage('build-tag-push', { plan: '{"schema": 2}' }, new Set(['plan']), context)).rejects.toThrow(/plan/);
  });
});
