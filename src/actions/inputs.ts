import { UserError } from '../core/errors.js';
import { checkOverrides, type ContextOverrides } from '../adapters/run-context.js';

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

/** A true/false input (true, yes, 1, on / false, no, 0, off); the fallback when empty. */
export function booleanInput(raw: RawInputs, name: string, fallback: boolean): boolean {
  return inputValue(raw, name) === undefined ? fallback : parseBoolean(raw[name]!, name);
}

/** An input that takes one of a few words (the fallback when empty); anything else is an error naming them. */
export function oneOfInput<T extends string>(raw: RawInputs, name: string, allowed: readonly T[], fallback: T, options: { lowerCase?: boolean } = {}): T {
  const given = inputValue(raw, name);
  const value = given === undefined ? fallback : options.lowerCase ? given.toLowerCase() : given;
  if (!allowed.includes(value as T)) {
    throw new UserError(`Input '${name}' is set to invalid value '${given}': expected one of ${allowed.join(', ')}`, { input: name });
  }
  return value as T;
}

/** A numeric input within [min, max] (whole numbers unless integer is false), the fallback when empty. */
export function numberInput(raw: RawInputs, name: string, fallback: number, range: { min?: number; max?: number; integer?: boolean } = {}): number {
  const { min = 1, max = Infinity, integer = true } = range;
  const value = inputValue(raw, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UserError(
      `Input '${name}' is set to invalid value '${value}': expected a ${integer ? 'whole number' : 'number'} from ${min}${max < Infinity ? ` to ${max}` : ''}`,
      { input: name }
    );
  }
  return n;
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
  const overrides = { event: str('event'), ref: str('ref'), sha: str('sha'), defaultBranch: str('default-branch') };
  // Checked here, so an action that never needs the context (a build from a plan) refuses them too.
  checkOverrides(overrides);
  return {
    workingDirectory: str('working-directory') ?? '.',
    config: str('config') ?? 'imgver.yaml',
    configGiven: given.has('config'),
    overrides
  };
}
