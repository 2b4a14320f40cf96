/**
 * Multi-line inputs (`tags`, `flavor`, `labels`, `images`): one entry a line, `#` comments and blank lines skipped,
 * as docker/metadata-action reads them.
 */
export function splitLines(input: string | string[] | undefined): string[] {
  if (input === undefined) return [];
  const text = Array.isArray(input) ? input.join('\n') : input;
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line.length > 0 && !line.startsWith('#'));
}
