import { resolve } from 'node:path';
import { emptyConfig, type Config } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { readTextIfExists } from '../adapters/files.js';

/** imgver.yaml when there is one; a missing default file is fine (single-image mode and inline filters need none). */
export async function loadConfig(cwd: string, file: string, given: boolean): Promise<Config> {
  const text = await readTextIfExists(resolve(cwd, file));
  if (text === undefined) {
    if (given) throw new UserError(`Config file ${file} not found in ${cwd}`, { input: 'config' });
    return emptyConfig();
  }
  const { parseConfig } = await import('../core/config-file.js');
  return parseConfig(text, file);
}
