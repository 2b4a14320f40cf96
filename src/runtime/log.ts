import { writeText } from './stdio.js';

/** Logging for both front doors: workflow commands on a runner, plain lines on stderr in the CLI. */
export interface Where {
  file?: string;
  line?: number;
}

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, where?: Where): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Hides a secret in everything logged after this (on a runner, ::add-mask::). */
  mask(secret: string): void;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A workflow command line, escaped as the runner expects (docs: "Workflow commands for GitHub Actions"). */
export function workflowCommand(command: string, message: string, where: Where = {}): string {
  const props = [
    where.file ? `file=${escapeProperty(where.file)}` : undefined,
    where.line ? `line=${where.line}` : undefined
  ].filter(Boolean);
  return `::${command}${props.length ? ' ' + props.join(',') : ''}::${escapeData(message)}`;
}

export class ActionsLogger implements Logger {
  // ::debug:: lines are shown by the runner only when step debug logging is on, so they are always written.
  constructor(private readonly write: (line: string) => void = line => writeText(1, line + '\n')) {}
  info(message: string): void {
    this.write(message);
  }
  debug(message: string): void {
    this.write(workflowCommand('debug', message));
  }
  warning(message: string, where?: Where): void {
    this.write(workflowCommand('warning', message, where));
  }
  mask(secret: string): void {
    if (secret) this.write(`::add-mask::${escapeData(secret)}`);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.write(`::group::${escapeData(name)}`);
    try {
      return await fn();
    } finally {
      this.write('::endgroup::');
    }
  }
}

export class CliLogger implements Logger {
  constructor(
    private readonly debugEnabled = false,
    private readonly write: (line: string) => void = line => writeText(2, line + '\n')
  ) {}
  info(message: string): void {
    this.write(message);
  }
  debug(message: string): void {
    if (this.debugEnabled) this.write(`debug: ${message}`);
  }
  warning(message: string, where?: Where): void {
    const at = where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
    this.write(`warning: ${at}${message}`);
  }
  mask(): void {
    // A terminal has no log masking; nothing imgver prints contains the secret.
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.write(`── ${name}`);
    return fn();
  }
}
