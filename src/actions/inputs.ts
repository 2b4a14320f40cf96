import { UserError } from '../core/errors.js';

export function parseBoolean(value: string, input: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off', ''].includes(v)) return false;
  throw new UserError(`Input '${input}' is set to invalid value '${value}': expected true or false`, { input });
}
