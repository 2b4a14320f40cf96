import { CORE_SCHEMA, load } from 'js-yaml';
import type { Config } from './config.js';
import { validConfig } from './config-data.js';

/**
 * Reading imgver.yaml. Every action run pays for it, so the common case is fast: js-yaml and the JSON Schema
 * validator compiled at build time. Only when something is wrong is the file parsed again with positions
 * (config-errors.ts, the `yaml` library) so the error names the file, the line and the key. Kept apart from
 * config.ts so runs without a config file load no YAML parser at all.
 */
export async function parseConfig(text: string, file: string): Promise<Config> {
  let raw: unknown;
  try {
    raw = load(text, { schema: CORE_SCHEMA, filename: file }) ?? {};
  } catch {
    raw = undefined;
  }
  const config = raw === undefined ? undefined : validConfig(raw, file);
  if (config) return config;
  const { locateConfigError } = await import('./config-errors.js');
  return locateConfigError(text, file);
}
