import { UserError } from '../core/errors.js';
import { Registries } from '../adapters/registry/index.js';
import type { RetryPolicy } from '../adapters/registry/oci.js';
import type { RegistryInputs } from './registry-input-fields.js';
import type { StageContext } from './types.js';

/**
 * The one registry the username and password are for: the `registry` input, or else the only registry the run talks
 * to. Credentials never go to a registry they were not given for, so several registries and no `registry` is an error.
 */
export function credentialsRegistry(inputs: RegistryInputs, hosts: string[] | undefined): string | undefined {
  if (!inputs.username || !inputs.password) return undefined;
  if (inputs.registry) return inputs.registry;
  const distinct = [...new Set((hosts ?? []).map(h => h.toLowerCase()))];
  if (distinct.length === 1) return distinct[0];
  if (distinct.length === 0) return undefined;
  throw new UserError(
    `Inputs 'username' and 'password' are given without 'registry', and this run talks to ${distinct.length} registries (${distinct.join(', ')}): set registry to the one they are for (credentials are never sent to another registry)`,
    { input: 'registry' }
  );
}

/**
 * Registries with the inputs' credentials for their one registry (see credentialsRegistry), masked in the log first.
 * `hosts`: every registry the run will talk to, when known up front; otherwise credentials without `registry` go to
 * the first registry opened and a second one is an error.
 */
export function openRegistries(inputs: RegistryInputs, run: StageContext, options: { createRepository?: boolean; hosts?: string[] } = {}): Registries {
  const { log, env } = run;
  if (inputs.password) log.mask(inputs.password);
  return new Registries({
    env,
    log: { debug: m => log.debug(m), warning: m => log.warning(m) },
    credentials:
      inputs.username && inputs.password ? { username: inputs.username, password: inputs.password, registry: credentialsRegistry(inputs, options.hosts) } : undefined,
    insecure: inputs.insecureRegistries,
    createRepository: options.createRepository,
    retry: env.IMGVER_RETRY_BASE_MS ? ({ baseMs: Number(env.IMGVER_RETRY_BASE_MS) } as Partial<RetryPolicy>) : undefined
  });
}
