import { isAbsolute } from 'node:path';
import { emptyConfig, type Config } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { readTextIfExists, resolveInside } from './files.js';

/** How the text of imgver.yaml becomes the Config (core/config-file.ts's parseConfig by default). */
export type ConfigParser = (text: string, file: string) => Promise<Config>;

/** imgver.yaml when there is one; a missing default file is fine (single-image mode and inline filters need none). */
export async function loadConfig(cwd: string, file: string, given: boolean, parse?: ConfigParser): Promise<Config> {
  // A config given by absolute path is read where it is (a read, never a write); a relative one stays inside.
  const text = await readTextIfExists(isAbsolute(file) ? file : resolveInside(cwd, file, 'config', 'file'));
  if (text === undefined) {
    if (given) throw new UserError(`Config file ${file} not found in ${cwd}`, { input: 'config' });
    return emptyConfig();
  }
  if (parse) return parse(text, file);
  const { parseConfig } = await import('../core/config-file.js');
  return parseConfig(text, file);
}
