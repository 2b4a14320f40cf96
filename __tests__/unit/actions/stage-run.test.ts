import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { ACTION_SPECS, findSpec, pipelineSpec } from '../../../src/actions/specs.js';
import { withPlanOutput } from '../../../src/actions/stage-run.js';
import type { ActionSpec } from '../../../src/actions/spec.js';

const plan: Plan = { schema: 1, services: [{ name: 'api', image: 'ghcr.io/acme/api', version: '1.2.3' }] };
const outputsOf = (names: string[]) => Object.fromEntries(names.map(name => [name, `${name}-value`]));
const order = (spec: ActionSpec, names: string[], p: Plan | undefined = plan) => Object.keys(withPlanOutput(spec, { plan: p, outputs: outputsOf(names) }));

/** The plan output is written by the front door, in the place the stage used to put it: the outputs keep their order. */
describe('the plan output (withPlanOutput)', () => {
  const withPlan = ACTION_SPECS.filter(spec => spec.outputs.plan && spec !== pipelineSpec);
  it.each(withPlan.map(spec => [spec.name, spec] as const))('%s: where the spec declares it', (_name, spec) => {
    // A stage's outputs in the order it gives them (the spec's), without the plan and the plan file (action.ts adds it).
    const declared = Object.keys(spec.outputs).filter(name => name !== 'plan-file');
    expect(order(spec, declared.filter(name => name !== 'plan'))).toEqual(declared);
  });

  it('holds the plan as JSON, empty without a plan', () => {
    const spec = findSpec('compute-version')!;
    expect(withPlanOutput(spec, { plan, outputs: {} }).plan).toBe(JSON.stringify(plan));
    expect(withPlanOutput(spec, { outputs: {} }).plan).toBe('');
  });

  it.each([
    ['detect-changes with filter outputs after the declared ones', 'detect-changes', ['files', 'files-path', 'changes', 'counts', 'api', 'api_count'], ['files', 'files-path', 'plan', 'changes', 'counts', 'api', 'api_count']],
    ['detect-changes with a filter named changes (its output comes last)', 'detect-changes', ['files-path', 'counts', 'changes', 'changes_count'], ['files-path', 'plan', 'counts', 'changes', 'changes_count']],
    ['the pipeline: every stage prefixed, then the plan and the stages', 'pipeline', ['detect-changed', 'version-plan', 'release-plan', 'stages'], ['detect-changed', 'version-plan', 'release-plan', 'plan', 'stages']],
    ['merge-plans: first', 'merge-plans', ['merged', 'missing'], ['plan', 'merged', 'missing']]
  ])('%s', (_what, name, given, expected) => {
    expect(order(findSpec(name)!, given)).toEqual(expected);
  });

  it('a spec without a plan output leaves the outputs as they are', () => {
    const outputs = outputsOf(['manifest', 'changed']);
    expect(withPlanOutput(findSpec('deploy-manifest')!, { plan, outputs })).toBe(outputs);
  });
});
