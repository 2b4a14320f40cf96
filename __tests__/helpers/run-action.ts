import { findSpec } from '../../src/actions/specs.js';
import type { StageResult } from '../../src/actions/types.js';
import { createStageContext, runStage } from '../../src/runtime/stages.js';
import type { Logger } from '../../src/core/logger.js';

export interface CapturedLog extends Logger {
  lines: string[];
}

/** A class, as the real loggers are: code that spreads a logger ({...log}) loses its methods here too. */
class Captured implements CapturedLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  debug(): void {}
  mask(): void {}
  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`[${name}]`);
    return fn();
  }
}

export function captureLog(): CapturedLog {
  return new Captured();
}

/** Runs an action in-process as the CLI would (defaults applied), outside any GitHub runner. */
export async function runAction(
  name: string,
  inputs: Record<string, string>,
  options: { cwd: string; env?: NodeJS.ProcessEnv; now?: Date; log?: CapturedLog }
): Promise<StageResult> {
  const spec = findSpec(name)!;
  const withDefaults: Record<string, string> = {};
  for (const [key, input] of Object.entries(spec.inputs)) if (input.default !== undefined) withDefaults[key] = input.default;
  const context = createStageContext({ log: options.log ?? captureLog(), env: options.env ?? {}, cwd: options.cwd, now: options.now ?? new Date('2026-11-22T10:00:00Z') });
  return runStage(name, { ...withDefaults, ...inputs }, new Set(Object.keys(inputs)), context);
}
