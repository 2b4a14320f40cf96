/**
 * What a stage logs through: both front doors implement it (workflow commands on a runner, runtime/actions-log.ts;
 * plain lines on stderr in the CLI, runtime/log.ts), so stages and adapters never import a front door.
 */
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
