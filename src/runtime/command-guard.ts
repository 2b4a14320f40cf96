/**
 * The guard that keeps text imgver prints (file names, commit messages, branch names, config values: all written
 * by whoever controls the repository) from being read by the runner as a workflow command. Dependency-free, so the
 * CLI's start-up does not pay for it; its random token comes from Web Crypto, loaded only when a fence is needed.
 */

/**
 * True when the runner would read some line of `text` as a workflow command: `::name` after leading blanks (the
 * current form), or `##[name` anywhere in a line (the older form the runner still reads). JavaScript's multi-line
 * `^` also follows a lone \r, as the runner's line reader does; `\s` covers what .NET's TrimStart removes.
 */
export function looksLikeCommand(text: string): boolean {
  return /^\s*::|##\[/m.test(text);
}

/** A token the text cannot hold: the runner reads commands again only at `::<token>::`. */
function stopToken(): string {
  return `imgver-${globalThis.crypto.randomUUID()}`;
}

/**
 * `text` as lines the runner prints and never runs: text that holds a command-like line is fenced with
 * `::stop-commands::<token>` … `::<token>::` (a random token, checked against the text); other text is unchanged.
 */
export function fenced(text: string, token: () => string = stopToken): string {
  if (!looksLikeCommand(text)) return text;
  let t: string;
  do t = token();
  while (text.includes(t));
  return `::stop-commands::${t}\n${text}\n::${t}::`;
}

/** JSON text with `##[` written as `#\u0023[` inside its strings (the same value), so no line of it is a command. */
export function commandSafeJson(json: string): string {
  return json.replaceAll('##[', '#\\u0023[');
}
