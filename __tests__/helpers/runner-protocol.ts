/**
 * How the GitHub Actions runner reads what a step leaves behind, re-implemented from its documented behaviour (and
 * the runner's FileCommandManager / ActionCommandManager): the GITHUB_OUTPUT file, and the workflow commands in a
 * step's log lines. Tests use these to see outputs and commands as the runner would, not as imgver meant them.
 */

/** GITHUB_OUTPUT as the runner parses it: `name=value` lines and `name<<DELIMITER` blocks; a malformed file throws. */
export function parseOutputFileAsRunner(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const key = line.slice(0, equals);
      if (key === '') throw new Error(`Invalid format '${line}': name must not be empty`);
      outputs[key] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const key = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (key === '' || delimiter === '') throw new Error(`Invalid format '${line}'`);
      const value: string[] = [];
      for (;;) {
        i++;
        if (i >= lines.length) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
        if (lines[i] === delimiter) break;
        value.push(lines[i]);
      }
      outputs[key] = value.join('\n');
    } else throw new Error(`Invalid format '${line}'`);
  }
  return outputs;
}

export interface SeenCommand {
  command: string;
  data: string;
  line: string;
}

/**
 * The workflow commands the runner would carry out for this log text: `::command props::data` after leading blanks,
 * the older `##[command props]data` anywhere in a line, and nothing between `::stop-commands::<token>` and
 * `::<token>::` but that resume line.
 */
export function workflowCommandsIn(log: string): SeenCommand[] {
  const seen: SeenCommand[] = [];
  let stopToken: string | undefined;
  for (const line of log.split(/\r\n|\r|\n/)) {
    if (stopToken !== undefined) {
      if (line.trim() === `::${stopToken}::`) {
        seen.push({ command: 'resume-commands', data: stopToken, line });
        stopToken = undefined;
      }
      continue;
    }
    const trimmed = line.replace(/^\s+/, '');
    const v2 = trimmed.startsWith('::') ? /^::([^\s:]+)(?: [^:]*)?::(.*)$/s.exec(trimmed) : null;
    if (v2) {
      seen.push({ command: v2[1], data: v2[2], line });
      if (v2[1] === 'stop-commands') stopToken = v2[2];
      continue;
    }
    const v1 = /##\[([^\]\s;]+)[^\]]*\](.*)$/s.exec(line);
    if (v1) seen.push({ command: v1[1], data: v1[2], line });
  }
  return seen;
}

/** Repository text that a runner would read as a workflow command if it reached a log line unfenced. */
export const HOSTILE_LINES = [
  '::error::forged annotation',
  '  ::error file=x,line=1::forged with blanks',
  '::stop-commands::tok-from-repo',
  '::add-mask::forged',
  'text ##[error]forged older form',
  '\u00a0::warning::forged after a no-break space',
  'a\r::error::forged after a carriage return'
];
