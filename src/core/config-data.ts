import { normalizeConfig, type Config, type RawConfig } from './config.js';
import { configProblems } from './config-checks.js';
import validateConfig from '../generated/config-validator.js';

/**
 * imgver.yaml's data (as a YAML reader gave it) as the Config it describes, or undefined when the schema or the
 * checks refuse it: config-errors.ts then reads the file again to say where and why.
 */
export function validConfig(raw: unknown, file: string): Config | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !validateConfig(raw)) return undefined;
  const config = normalizeConfig(raw as RawConfig, file);
  return configProblems(config).length === 0 ? config : undefined;
}
