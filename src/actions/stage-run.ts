import type { Plan } from '../core/plan.js';
import type { RawInputs } from './inputs.js';
import type { ActionSpec } from './spec.js';
import type { StageContext, StageModule, StageResult } from './types.js';

/**
 * Runs a stage from its raw input values, the one way strings become a stage's typed inputs: the front doors
 * (runtime/stages.ts) and the pipeline, whose stage inputs are strings (its own and stage-inputs), come here. The plan
 * is read already (the plan input, a plan's JSON or file); the result carries the plan output as JSON (withPlanOutput).
 */
export async function runWithRawInputs(stage: StageModule, spec: ActionSpec, plan: Plan | undefined, raw: RawInputs, given: Set<string>, call: StageContext): Promise<StageResult> {
  const result = await stage.run(plan, stage.getInputs(raw, given, plan), call);
  return { ...result, outputs: withPlanOutput(spec, result) };
}

/**
 * A stage's outputs with its plan as JSON in the plan output, when the spec declares one (empty without a plan). It
 * goes where the spec declares it: right after the output declared before it, else right before the one declared
 * after it, else last; so the outputs keep the order they always had.
 */
export function withPlanOutput(spec: ActionSpec, result: StageResult): Record<string, string> {
  if (!spec.outputs.plan) return result.outputs;
  const declared = Object.keys(spec.outputs);
  const at = declared.indexOf('plan');
  const entries = Object.entries(result.outputs).filter(([name]) => name !== 'plan');
  const after = entries.findIndex(([name]) => name === declared[at - 1]);
  const before = entries.findIndex(([name]) => name === declared[at + 1]);
  const index = after >= 0 ? after + 1 : before >= 0 ? before : entries.length;
  entries.splice(index, 0, ['plan', result.plan ? JSON.stringify(result.plan) : '']);
  return Object.fromEntries(entries);
}
