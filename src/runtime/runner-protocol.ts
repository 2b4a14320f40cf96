// @actions/core's command and file-command parts, not its index: the index loads @actions/http-client (for OIDC
// tokens imgver never asks for), which would cost every action run its start-up. The package's export map names only
// its index, so the parts are imported by path.
import { issueCommand } from '../../node_modules/@actions/core/lib/command.js';
import { prepareKeyValueMessage } from '../../node_modules/@actions/core/lib/file-command.js';
import { UserError } from '../core/errors.js';

/**
 * The runner's protocol for imgver's action front door: workflow commands on stdout (annotations, masks, groups,
 * debug) through @actions/core, outputs in the GITHUB_OUTPUT file format, and the guard that keeps repository
 * text (file names, commit messages, branch names) from ever being read as a command.
 */

export interface Where {
  file?: string;
  line?: number;
}

/** Issues `::command props::message` with @actions/core's escaping of the message and properties. */
export function runnerCommand(command: 'debug' | 'warning' | 'error' | 'notice' | 'add-mask' | 'group' | 'endgroup', message = '', where: Where = {}): void {
  const properties: Record<string, string> = {};
  if (where.file) properties.file = where.file;
  if (where.line) properties.line = String(where.line);
  issueCommand(command, properties, message);
}

/** Output names the runner and expressions read back as written: no `=`, `<<`, line breaks or spaces. */
export const OUTPUT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The GITHUB_OUTPUT text for `outputs`: every value as a `name<<delimiter` block with a random delimiter that
 * @actions/core checks against the value; a name that is not a plain output name is refused, naming it.
 */
export function formatOutputFile(outputs: Record<string, string>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (!OUTPUT_NAME.test(name)) {
        throw new UserError(`Output name ${JSON.stringify(name)} is not allowed: output names are letters, digits, _, . and -`, { input: name });
      }
      return `${prepareKeyValueMessage(name, value)}\n`;
    })
    .join('');
}
