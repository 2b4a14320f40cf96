import { loadConfig } from '../adapters/config-loader.js';
import { resolveContext } from '../adapters/run-context.js';
import type { InputSpec } from './spec.js';
import type { StageContext } from './types.js';

/**
 * The context of another stage run in-process: logs go through the caller's logger, each line prefixed with the
 * stage. `share`: the stage reads the caller's config and run context (the pipeline's stages); without it (a release
 * replaying compute-version on a moved branch) both are read afresh, as a new process would.
 */
export function subContext(run: StageContext, prefix: string, share = false): StageContext {
  const log = run.log;
  return {
    ...run,
    ...(share
      ? {}
      : {
          config: loadConfig,
          runContext: request => resolveContext({ env: run.env, overrides: request.overrides, now: run.now, git: request.git, optionalRef: request.optionalRef })
        }),
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

/** A stage's raw inputs as the CLI would read them: its spec's defaults, then the inputs given. */
export function withDefaults(specInputs: Record<string, InputSpec>, inputs: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, input] of Object.entries(specInputs)) if (input.default !== undefined) values[key] = input.default;
  return { ...values, ...inputs };
}
