import type { Config } from '../core/config.js';
import type { RunContext } from '../core/context.js';
import type { Logger } from '../core/logger.js';
import type { Plan } from '../core/plan.js';
import { loadConfig } from '../adapters/config-loader.js';
import { resolveContext } from '../adapters/run-context.js';
import { planInput } from '../adapters/plan-input.js';
import { findSpec } from '../actions/specs.js';
import { runWithRawInputs } from '../actions/stage-run.js';
import type { RawInputs } from '../actions/inputs.js';
import type { StageContext, StageModule, StageResult } from '../actions/types.js';

/** StageModule with function properties, so that its inputs are checked both ways (methods are bivariant). */
interface CheckedStage<I> {
  getInputs: (raw: RawInputs, given: Set<string>, plan: Plan | undefined) => I;
  run: (plan: Plan | undefined, inputs: I, call: StageContext) => Promise<StageResult>;
}

/** A stage's loader, checked: what its getInputs gives is exactly what its run takes. */
const stage = <I>(load: () => Promise<CheckedStage<I>>): (() => Promise<StageModule>) => load;

/** Each stage's code is loaded on demand: a run pays the start-up of its own stages only. */
export const STAGES: Record<string, () => Promise<StageModule>> = {
  'detect-changes': stage(() => import('../actions/detect-changes.js')),
  'compute-version': stage(() => import('../actions/compute-version.js')),
  'build-tag-push': stage(() => import('../actions/build-tag-push.js')),
  'helm-sync': stage(() => import('../actions/helm-sync.js')),
  'k8s-sync': stage(() => import('../actions/k8s-sync.js')),
  release: stage(() => import('../actions/release.js')),
  'deploy-manifest': stage(() => import('../actions/deploy-manifest.js')),
  'merge-plans': stage(() => import('../actions/merge-plans.js')),
  pipeline: stage(() => import('../actions/pipeline.js')),
  init: stage(() => import('../actions/init.js'))
};

/** A value computed on first use per key, then shared: a second request waits for the first. */
function once<T>(): (key: string, make: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, make) => {
    let value = cache.get(key);
    if (!value) {
      value = make();
      cache.set(key, value);
      // A failure is not kept: the next stage asking gets the error again, as it would have alone.
      value.catch(() => cache.delete(key));
    }
    return value;
  };
}

/** The context every stage of this process shares (see StageContext): built once by the front door. */
export function createStageContext(base: { log: Logger; env: NodeJS.ProcessEnv; cwd: string; now: Date }): StageContext {
  const configs = once<Config>();
  const contexts = once<RunContext>();
  return {
    ...base,
    config: (cwd, file, given, parse) => configs(JSON.stringify([cwd, file, given]), () => loadConfig(cwd, file, given, parse)),
    runContext: request =>
      contexts(JSON.stringify([request.cwd, request.overrides, request.optionalRef ?? false]), () =>
        resolveContext({ env: base.env, overrides: request.overrides, now: base.now, git: request.git, optionalRef: request.optionalRef })
      ),
    stage: async name => {
      const load = STAGES[name];
      if (!load) throw new Error(`No stage ${name}`);
      return load();
    }
  };
}

/**
 * Runs one stage as a front door does: the plan input (a plan's JSON or a plan file) becomes the plan here, once, and
 * the other inputs the stage's typed inputs, before the stage runs; its plan comes back as JSON in the plan output.
 */
export async function runStage(name: string, inputs: Record<string, string>, given: Set<string>, context: StageContext): Promise<StageResult> {
  const module = await context.stage(name);
  const spec = findSpec(name)!;
  return runWithRawInputs(module, spec, spec.inputs.plan ? planInput(inputs) : undefined, inputs, given, context);
}
