import type { Config } from '../core/config.js';
import type { RunContext } from '../core/context.js';
import type { Logger } from '../core/logger.js';
import type { Plan } from '../core/plan.js';
import type { Git } from '../adapters/git.js';
import type { ContextOverrides } from '../adapters/run-context.js';

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
  /** imgver.yaml of a working directory (a missing default file is the empty config), read and checked once. */
  config(cwd: string, file: string, given: boolean): Promise<Config>;
  /** The GitHub event or the local repository as a run context, resolved once per directory and overrides. */
  runContext(request: RunContextRequest): Promise<RunContext>;
  /** Loads a stage by name (the registry of the front door). */
  stage(name: string): Promise<StageModule>;
}

/** One call of a stage: the shared context and the stage's own inputs, as the front door read them. */
export interface StageCall extends StageContext {
  /** Raw input values by kebab-case name, defaults applied. */
  inputs: Record<string, string | undefined>;
  /** Inputs the user set explicitly (not defaults). */
  given: Set<string>;
}

/** What a stage gives back: its plan (typed, for the next stage), its outputs and a job summary. */
export interface StageResult {
  /** The plan after this stage; the outputs carry it as JSON for the process boundary. */
  plan?: Plan;
  outputs: Record<string, string>;
  /** Markdown for the job summary. */
  summary?: string;
}

/**
 * A stage: the plan so far (undefined when it starts one) and its call → the plan after it. The front door turns the
 * plan input (JSON or a file) into the plan before the stage runs; between stages of one process it stays an object.
 */
export type Stage = (plan: Plan | undefined, call: StageCall) => Promise<StageResult>;

export interface StageModule {
  run: Stage;
}

/** The names the stages were written against. */
export type ActionRun = StageCall;
export type ActionResult = StageResult;
export type ActionModule = StageModule;
