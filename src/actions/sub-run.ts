import { loadConfig } from '../adapters/config-loader.js';
import { resolveContext } from '../adapters/run-context.js';
import type { InputSpec } from './spec.js';
import type { StageCall } from './types.js';

/**
 * Another stage run in-process, as the CLI would run it: its spec's defaults, then the given inputs (the ones it
 * counts as set by the user). Logs go through the caller's logger, each line prefixed with the stage.
 * `share`: the stage reads the caller's config and run context (the pipeline's stages); without it (a release
 * replaying compute-version on a moved branch) both are read afresh, as a new process would.
 */
export function subRun(run: StageCall, specInputs: Record<string, InputSpec>, inputs: Record<string, string>, prefix: string, share = false): StageCall {
  const withDefaults: Record<string, string> = {};
  for (const [key, input] of Object.entries(specInputs)) if (input.default !== undefined) withDefaults[key] = input.default;
  const log = run.log;
  return {
    ...run,
    ...(share
      ? {}
      : {
          config: loadConfig,
          runContext: request => resolveContext({ env: run.env, overrides: request.overrides, now: run.now, git: request.git, optionalRef: request.optionalRef })
        }),
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
