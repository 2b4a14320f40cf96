import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { splitLines } from '../core/lines.js';
import { mergePlans, type PlanFragment } from '../core/merge-plans.js';
import { parsePlan, type Plan } from '../core/plan.js';
import { inputValue, parseBoolean, type RawInputs } from './inputs.js';
import type { StageResult, StageContext } from './types.js';
import { markdownTable, type Cell } from '../core/markdown.js';
import { workingDirectoryOf } from '../adapters/files.js';

/** Every *.json under a directory (as actions/download-artifact leaves the fragments), in name order. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => (entry.isDirectory() ? jsonFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : []));
}

/** Each line of the plans input: a plan's JSON, a plan file, or a directory of plan files. */
export function readFragments(lines: string[], cwd: string): PlanFragment[] {
  const fragments: PlanFragment[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('{')) {
      fragments.push({ source: `plans line ${index + 1}`, plan: parsePlan(line, 'plans') });
      continue;
    }
    const path = resolve(cwd, line);
    let files: string[];
    try {
      files = statSync(path).isDirectory() ? jsonFiles(path) : [path];
    } catch (error) {
      throw new UserError(`Input 'plans' line ${index + 1}: ${line} is neither a plan's JSON nor a file or directory (${(error as NodeJS.ErrnoException).code})`, { input: 'plans' });
    }
    for (const file of files) {
      const source = relative(cwd, file) || file;
      fragments.push({ source, plan: parsePlan(readFileSync(file, 'utf8'), `plans (${source})`) });
    }
  }
  return fragments;
}

export interface MergePlansInputs {
  workingDirectory?: string;
  /** The plans input, one a line: a plan's JSON, a plan file or a directory of them. */
  plans: string[];
  plan?: Plan;
  /** The services that must have a fragment; undefined: the base plan's changed services. */
  expected?: string[];
  allowMissing: boolean;
}

export function getInputs(raw: RawInputs, _given: Set<string> = new Set(), plan?: Plan): MergePlansInputs {
  const expectedText = inputValue(raw, 'expected');
  let expected: string[] | undefined;
  if (expectedText?.startsWith('[')) {
    try {
      expected = JSON.parse(expectedText) as string[];
    } catch (error) {
      throw new UserError(`Input 'expected' is not a JSON array: ${(error as Error).message}`, { input: 'expected' });
    }
    if (!Array.isArray(expected) || expected.some(name => typeof name !== 'string')) {
      throw new UserError(`Input 'expected' must be a JSON array of service names: ${expectedText}`, { input: 'expected' });
    }
  } else if (expectedText !== undefined) expected = splitLines(expectedText);
  return {
    workingDirectory: inputValue(raw, 'working-directory'),
    plans: splitLines(raw.plans),
    plan,
    expected,
    allowMissing: parseBoolean(raw['allow-missing'] ?? '', 'allow-missing')
  };
}

export async function run(_plan: Plan | undefined, inputs: MergePlansInputs, runCtx: StageContext): Promise<StageResult> {
  const { log } = runCtx;
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  const fragments = readFragments(inputs.plans, cwd);
  const base = inputs.plan ?? fragments[0]?.plan;
  if (!base) throw new UserError("Nothing to merge: give the plans input (plan files, a directory of them, or plans' JSON)", { input: 'plans' });
  const expected = inputs.expected ?? base.services.filter(s => s.changed).map(s => s.name);
  const result = mergePlans(base, fragments, expected);
  log.info(`${fragments.length} plan fragment(s): ${result.merged.length} service(s) merged${result.merged.length > 0 ? ` (${result.merged.join(', ')})` : ''}`);
  if (result.missing.length > 0) {
    const message = `No plan fragment for ${result.missing.join(', ')}: ${result.missing.length === 1 ? 'its job' : 'their jobs'} failed, ${result.missing.length === 1 ? 'was' : 'were'} cancelled or uploaded nothing`;
    if (!inputs.allowMissing) throw new UserError(`${message} (allow-missing: true carries on without ${result.missing.length === 1 ? 'it' : 'them'})`, { input: 'expected' });
    log.warning(message);
  }
  const rows = result.plan.services
    .filter(s => expected.includes(s.name) || result.merged.includes(s.name))
    .map((s): Cell[] => [s.name, result.missing.includes(s.name) ? { strong: 'missing' } : (s.action ?? ''), s.digest ? { code: `${s.digest.slice(0, 19)}…` } : '']);
  return {
    plan: result.plan,
    outputs: { merged: JSON.stringify(result.merged), missing: JSON.stringify(result.missing) },
    summary: ['### imgver merge-plans', '', markdownTable(['Service', 'Job', 'Digest'], rows), ''].join('\n')
  };
}
