import type { InputSpec } from './spec.js';
import type { ActionRun } from './types.js';

/**
 * Another action run in-process, as the CLI would run it: its spec's defaults, then the given inputs (the ones it
 * counts as set by the user). Logs go through the caller's logger, each line prefixed with the stage.
 */
export function subRun(run: ActionRun, specInputs: Record<string, InputSpec>, inputs: Record<string, string>, prefix: string): ActionRun {
  const withDefaults: Record<string, string> = {};
  for (const [key, input] of Object.entries(specInputs)) if (input.default !== undefined) withDefaults[key] = input.default;
  const log = run.log;
  return {
    ...run,
    inputs: { ...withDefaults, ...inputs },
    given: new Set(Object.keys(inputs)),
    // Delegates, not a spread: a logger may keep its methods on a prototype.
    log: {
      info: m => log.info(`${prefix}: ${m}`),
      debug: m => log.debug(`${prefix}: ${m}`),
      warning: (m, where) => log.warning(`${prefix}: ${m}`, where),
      mask: secret => log.mask(secret),
      group: (_name, fn) => fn()
    }
  };
}
