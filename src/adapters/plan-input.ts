import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { parsePlan, type Plan } from '../core/plan.js';

/**
 * The plan input: the JSON itself, or the path of a file holding it (a plan for hundreds of services outgrows what
 * an environment variable may carry, 128 KiB on Linux: steps hand it on as plan-file).
 */
export function planInput(raw: Record<string, string | undefined>, name = 'plan'): Plan | undefined {
  const value = (raw[name] ?? '').trim() || undefined;
  if (value === undefined) return undefined;
  if (value.startsWith('{')) return parsePlan(value, name);
  let text: string;
  try {
    // A directory as actions/download-artifact leaves one plan artifact: the one JSON file in it.
    let file = value;
    if (statSync(value).isDirectory()) {
      const found = readdirSync(value).filter(name => name.endsWith('.json'));
      if (found.length !== 1) throw new UserError(`Input '${name}' is a directory with ${found.length} JSON files (${value}); it needs exactly one plan`, { input: name });
      file = join(value, found[0]);
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Input '${name}' is neither a JSON plan nor a readable plan file: ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { input: name });
  }
  return parsePlan(text, name);
}
