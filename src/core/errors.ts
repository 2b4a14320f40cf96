/**
 * A mistake the user can fix: bad input, bad config, a repository in a state we cannot work from.
 * The front doors print these as one message (with file and line where known) and exit 1, never a stack trace.
 */
export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly input?: string;

  constructor(message: string, where: { file?: string; line?: number; input?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.file = where.file;
    this.line = where.line;
    this.input = where.input;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
