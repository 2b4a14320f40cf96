import { isAbsolute } from 'node:path';
import { emptyConfig, type Config } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { readTextIfExists, resolveInside } from './files.js';

/**
 * imgver.yaml when there is one; a missing default file is fine (single-image mode and inline filters need none). Read
 * by the line scanner where it reads the file for certain, else by js-yaml (core/config-outline.ts): the same Config
 * and the same errors either way, and a common config never compiles a YAML library.
 */
export async function loadConfig(cwd: string, file: string, given: boolean): Promise<Config> {
  // A config given by absolute path is read where it is (a read, never a write); a relative one stays inside.
  const text = await readTextIfExists(isAbsolute(file) ? file : resolveInside(cwd, file, 'config', 'file'));
  if (text === undefined) {
    if (given) throw new UserError(`Config file ${file} not found in ${cwd}`, { input: 'config' });
    return emptyConfig();
  }
  const { parseConfigByOutline } = await import('../core/config-outline.js');
  return parseConfigByOutline(text, file);
}
