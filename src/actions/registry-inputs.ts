import { splitLines } from '../core/lines.js';
import { Registries } from '../adapters/registry/index.js';
import type { RetryPolicy } from '../adapters/registry/oci.js';
import { inputValue, type RawInputs } from './inputs.js';
import type { ActionRun } from './types.js';

export interface RegistryInputs {
  username?: string;
  password?: string;
  registry?: string;
  insecureRegistries: string[];
}

export function registryInputs(raw: RawInputs): RegistryInputs {
  return {
    username: inputValue(raw, 'username'),
    password: inputValue(raw, 'password'),
    registry: inputValue(raw, 'registry'),
    insecureRegistries: splitLines(raw['insecure-registries'])
  };
}

/** Registries with the inputs' credentials (for their registry, or every one), masked in the log first. */
export function openRegistries(inputs: RegistryInputs, run: ActionRun, options: { createRepository?: boolean } = {}): Registries {
  const { log, env } = run;
  if (inputs.password) log.mask(inputs.password);
  return new Registries({
    env,
    log: { debug: m => log.debug(m), warning: m => log.warning(m) },
    credentials: inputs.username && inputs.password ? { username: inputs.username, password: inputs.password, registry: inputs.registry } : undefined,
    insecure: inputs.insecureRegistries,
    createRepository: options.createRepository,
    retry: env.IMGVER_RETRY_BASE_MS ? ({ baseMs: Number(env.IMGVER_RETRY_BASE_MS) } as Partial<RetryPolicy>) : undefined
  });
}
