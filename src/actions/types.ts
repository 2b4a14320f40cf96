import type { Config } from '../core/config.js';
import type { ConfigParser } from '../adapters/config-loader.js';
import type { RunContext } from '../core/context.js';
import type { Logger } from '../core/logger.js';
import type { Plan } from '../core/plan.js';
import type { Git } from '../adapters/git.js';
import type { ContextOverrides } from '../adapters/run-context.js';
import type { RawInputs } from './inputs.js';

/** What the run context of a stage depends on: where it runs, the overrides, and how to reach the repository. */
export interface RunContextRequest {
  cwd: string;
  overrides: ContextOverrides;
  /** docker/metadata-action's mode: a run with no ref at all gets an empty ref instead of an error. */
  optionalRef?: boolean;
  git: () => Promise<Git | undefined>;
}

/**
 * What every stage of one process shares, resolved once by the front door (runtime/stages.ts): the logger, the
 * environment, the clock, imgver.yaml and the run context (each read on first use, then kept), and the stages
 * themselves, so that a stage running others (the pipeline) imports none of them.
 */
export interface StageContext {
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The process's directory; a stage's working-directory input is relative to it. */
  cwd: string;
  /** The wall clock, read once: every stage and template sees the same instant. */
  now: Date;
  /**
   * imgver.yaml of a working directory (a missing default file is the empty config), read and checked once. `parse`:
   * another reader of the text that gives the same Config and the same errors (core/config-outline.ts).
   */
  config(cwd: string, file: string, given: boolean, parse?: ConfigParser): Promise<Config>;
  /** The GitHub event or the local repository as a run context, resolved once per directory and overrides. */
  runContext(request: RunContextRequest): Promise<RunContext>;
  /** Loads a stage by name (the registry of the front door). */
  stage(name: string): Promise<StageModule>;
}

/** What a stage gives back: its plan (typed, for the next stage), its outputs and a job summary. */
export interface StageResult {
  /** The plan after this stage. The front door writes it as JSON into the plan output (stage-run.ts). */
  plan?: Plan;
  /** The outputs as strings. A stage leaves out the plan output: the front door adds it from `plan` (stage-run.ts). */
  outputs: Record<string, string>;
  /** Markdown for the job summary. */
  summary?: string;
}

/**
 * A stage. Strings become types at the front doors only: they call getInputs with the raw input values (defaults
 * applied), the inputs the user set and the plan input read into a plan, then run with the typed inputs that gives.
 * Between stages of one process the plan stays an object, and only the front door writes it out as JSON.
 */
export interface StageModule<I = unknown> {
  /** The stage's raw inputs as its typed inputs: every input parsed and checked here, before anything runs. */
  getInputs(raw: RawInputs, given: Set<string>, plan: Plan | undefined): I;
  /** The plan so far (undefined when the stage starts one) and the typed inputs → the plan after it. */
  run(plan: Plan | undefined, inputs: I, call: StageContext): Promise<StageResult>;
}
