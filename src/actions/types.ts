import type { Logger } from '../core/logger.js';

/** What a front door hands an action, and what it gets back. */
export interface ActionRun {
  /** Raw input values by kebab-case name, defaults applied. */
  inputs: Record<string, string | undefined>;
  /** Inputs the user set explicitly (not defaults). */
  given: Set<string>;
  log: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: Date;
}

export interface ActionResult {
  outputs: Record<string, string>;
  /** Markdown for the job summary. */
  summary?: string;
}

export type ActionModule = { run(run: ActionRun): Promise<ActionResult> };
