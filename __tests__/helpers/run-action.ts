import { ACTIONS } from '../../src/actions/index.js';
import { findSpec } from '../../src/actions/specs.js';
import type { ActionResult } from '../../src/actions/types.js';
import type { Logger } from '../../src/runtime/log.js';

export interface CapturedLog extends Logger {
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return {
    lines,
    info: m => lines.push(m),
    debug: () => undefined,
    mask: () => undefined,
    warning: m => lines.push(`warning: ${m}`),
    group: async (name, fn) => {
      lines.push(`[${name}]`);
      return fn();
    }
  };
}

/** Runs an action in-process as the CLI would (defaults applied), outside any GitHub runner. */
export async function runAction(
  name: string,
  inputs: Record<string, string>,
  options: { cwd: string; env?: NodeJS.ProcessEnv; now?: Date; log?: CapturedLog }
): Promise<ActionResult> {
  const spec = findSpec(name)!;
  const withDefaults: Record<string, string> = {};
  for (const [key, input] of Object.entries(spec.inputs)) if (input.default !== undefined) withDefaults[key] = input.default;
  const action = await ACTIONS[name]();
  return action.run({
    inputs: { ...withDefaults, ...inputs },
    given: new Set(Object.keys(inputs)),
    log: options.log ?? captureLog(),
    env: options.env ?? {},
    cwd: options.cwd,
    now: options.now ?? new Date('2026-11-22T10:00:00Z')
  });
}
