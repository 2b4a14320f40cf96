import { fenced } from './command-guard.js';
import { writeText } from './stdio.js';

import type { Logger, Where } from '../core/logger.js';

export type { Logger, Where };

/**
 * The CLI's log on stderr. A CLI run inside a workflow step is read by the runner too, so text that would look like
 * a workflow command is fenced off (command-guard.ts), as in the action's log.
 */
export class CliLogger implements Logger {
  constructor(
    private readonly debugEnabled = false,
    private readonly write: (line: string) => void = line => writeText(2, line + '\n')
  ) {}
  private say(text: string): void {
    this.write(fenced(text));
  }
  info(message: string): void {
    this.say(message);
  }
  debug(message: string): void {
    if (this.debugEnabled) this.say(`debug: ${message}`);
  }
  warning(message: string, where?: Where): void {
    const at = where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
    this.say(`warning: ${at}${message}`);
  }
  mask(): void {
    // A terminal has no log masking; nothing imgver prints contains the secret.
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.say(`── ${name}`);
    return fn();
  }
}
