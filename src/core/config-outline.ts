import type { Config } from './config.js';
import { outlineData } from './yaml-data.js';

/**
 * imgver.yaml read by the line scanner (yaml-data.ts) instead of js-yaml when it can be: the same Config as
 * config-file.ts's parseConfig. A file the scanner does not read for certain, and every file that is not valid, goes
 * to parseConfig: the messages are its own.
 */
export async function parseConfigByOutline(text: string, file: string): Promise<Config> {
  const raw = outlineData(text);
  if (raw !== undefined) {
    const { validConfig } = await import('./config-data.js');
    const config = validConfig(raw, file);
    if (config) return config;
  }
  const { parseConfig } = await import('./config-file.js');
  return parseConfig(text, file);
}
