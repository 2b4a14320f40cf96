import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { parsePlan, type Plan } from '../core/plan.js';
import type { ContextOverrides } from '../runtime/context.js';

export type RawInputs = Record<string, string | undefined>;

/** An input's trimmed value, undefined when empty. */
export function inputValue(raw: RawInputs, name: string): string | undefined {
  return (raw[name] ?? '').trim() || undefined;
}

export function parseBoolean(value: string, input: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off', ''].includes(v)) return false;
  throw new UserError(`Input '${input}' is set to invalid value '${value}': expected true or false`, { input });
}

/** The inputs every action has (COMMON_INPUTS): where to run, the config file, the context overrides. */
export interface CommonInputs {
  workingDirectory: string;
  config: string;
  configGiven: boolean;
  overrides: ContextOverrides;
}

export function commonInputs(raw: RawInputs, given: Set<string>): CommonInputs {
  const str = (name: string) => inputValue(raw, name);
  return {
    workingDirectory: str('working-directory') ?? '.',
    config: str('config') ?? 'imgver.yaml',
    configGiven: given.has('config'),
    overrides: { event: str('event'), ref: str('ref'), sha: str('sha'), defaultBranch: str('default-branch') }
  };
}

/**
 * The plan input: the JSON itself, or the path of a file holding it (a plan for hundreds of services outgrows what
 * an environment variable may carry, 128 KiB on Linux: steps hand it on as plan-file).
 */
export function planInput(raw: RawInputs, name = 'plan'): Plan | undefined {
  const value = inputValue(raw, name);
  if (value === undefined) return undefined;
  if (value.startsWith('{')) return parsePlan(value, name);
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new UserError(`Input '${name}' is neither a JSON plan nor a readable plan file: ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { input: name });
  }
  return parsePlan(text, name);
}
