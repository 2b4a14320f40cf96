/**
 * A command line as a shell would take it back, one line however its arguments look: dry runs print what they would
 * run, and an argument holding a newline or a quote (a label value from the plan) must show as one argument.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  // Control characters in ANSI-C quoting ($'…'), so a newline shows as \n instead of breaking the line.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(arg)) {
    const escaped = arg.replace(/[\\']/g, c => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, c => {
      const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    });
    return `$'${escaped}'`;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(args: string[]): string {
  return args.map(shellQuote).join(' ');
}
