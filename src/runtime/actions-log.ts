import { fenced } from './command-guard.js';
import type { Logger, Where } from './log.js';
import { runnerCommand } from './runner-protocol.js';

/**
 * The action's log: annotations, masks, groups and debug lines as workflow commands through @actions/core; every
 * other line through the command guard, so repository text is printed and never run. Everything goes through
 * process.stdout, the stream @actions/core writes its commands to, so the lines keep their order.
 */
export class ActionsLogger implements Logger {
  constructor(private readonly write: (text: string) => void = text => process.stdout.write(text + '\n')) {}
  info(message: string): void {
    this.write(fenced(message));
  }
  debug(message: string): void {
    // ::debug:: lines are shown by the runner only when step debug logging is on, so they are always written.
    runnerCommand('debug', message);
  }
  warning(message: string, where?: Where): void {
    runnerCommand('warning', message, where);
  }
  error(message: string, where?: Where): void {
    runnerCommand('error', message, where);
  }
  mask(secret: string): void {
    if (secret) runnerCommand('add-mask', secret);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    runnerCommand('group', name);
    try {
      return await fn();
    } finally {
      runnerCommand('endgroup');
    }
  }
}
