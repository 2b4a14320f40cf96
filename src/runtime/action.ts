import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputEnvName, type ActionSpec } from '../actions/spec.js';
import { findSpec } from '../actions/specs.js';
import { isUserError } from '../core/errors.js';
import { ActionsLogger } from './actions-log.js';
import { formatOutputFile } from './runner-protocol.js';
import { mappedStack } from './stack.js';
import { STAGES, createStageContext, runStage } from './stages.js';


/**
 * The GitHub Actions front door: inputs from INPUT_* (set by the composite wrapper's env:), outputs to
 * $GITHUB_OUTPUT, the summary to $GITHUB_STEP_SUMMARY, log lines and annotations on stdout (runner-protocol.ts).
 */
export function readActionInputs(spec: ActionSpec, env: NodeJS.ProcessEnv): { inputs: Record<string, string>; given: Set<string> } {
  const inputs: Record<string, string> = {};
  const given = new Set<string>();
  for (const [name, input] of Object.entries(spec.inputs)) {
    const value = env[inputEnvName(name)] ?? env[`INPUT_${name.toUpperCase()}`];
    if (value !== undefined && value !== '') {
      inputs[name] = value;
      // The wrapper passes defaults too; only a value other than the default was chosen by the user.
      if (value !== input.default) given.add(name);
    } else if (input.default !== undefined) inputs[name] = input.default;
  }
  return { inputs, given };
}

export async function runAsAction(name: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = new ActionsLogger();
  const spec = findSpec(name);
  if (!spec || !STAGES[name]) {
    log.error(`Unknown imgver action "${name}"`);
    return 1;
  }
  try {
    const { inputs, given } = readActionInputs(spec, env);
    const result = await runStage(name, inputs, given, createStageContext({ log, env, cwd: process.cwd(), now: new Date() }));
    if (spec.outputs['plan-file'] && result.outputs.plan) result.outputs['plan-file'] = writePlanFile(result.outputs.plan, name, env);
    // Formatted in full before anything is written: a refused name leaves the output file untouched.
    if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, formatOutputFile(result.outputs));
    else for (const [key, value] of Object.entries(result.outputs)) log.info(`${key}=${value}`);
    if (env.GITHUB_STEP_SUMMARY && result.summary) appendFileSync(env.GITHUB_STEP_SUMMARY, result.summary + '\n');
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      log.error(error.message, { file: error.file, line: error.line });
      return 1;
    }
    log.info(mappedStack(error));
    log.error(`imgver ${name} failed unexpectedly: ${(error as Error)?.message ?? error} (please report this with the log above)`);
    return 2;
  }
}

/** The plan as a file under RUNNER_TEMP: the next step reads it with plan: <path>, whatever its size. */
function writePlanFile(plan: string, name: string, env: NodeJS.ProcessEnv): string {
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'imgver');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `plan-${name}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
  writeFileSync(file, plan);
  return file;
}
