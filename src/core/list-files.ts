/**
 * dorny/paths-filter's `list-files` formats of a filter's files (its `<filter>_files` output), quoting only where a
 * name needs it. Safe characters are letters, digits and `, . _ + : @ % / -` (csv: not the comma).
 */
export const LIST_FORMATS = ['none', 'csv', 'json', 'shell', 'escape'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

const SHELL_SAFE = /^[A-Za-z0-9,._+:@%/-]+$/;
const CSV_SAFE = /^[A-Za-z0-9._+:@%/-]+$/;
const SHELL_SAFE_OR_QUOTE_OR_SPACE = /^[A-Za-z0-9,._+:@%/'\s-]+$/;

/** Every character outside the safe set behind a backslash. */
export function backslashEscape(name: string): string {
  return name.replace(/[^A-Za-z0-9,._+:@%/-]/g, '\\$&');
}

/**
 * A shell word that reads like the name: bare when safe, else in single quotes; a name with a single quote goes in
 * double quotes when nothing else in it is special, or is split at its quotes, each piece quoted and the quotes
 * escaped. The whole name is tested, so one with a line break is never left bare.
 */
export function shellEscape(name: string): string {
  if (name === '' || SHELL_SAFE.test(name)) return name;
  if (!name.includes("'")) return `'${name}'`;
  if (SHELL_SAFE_OR_QUOTE_OR_SPACE.test(name)) return `"${name}"`;
  return name.split("'").map(shellEscape).join("\\'");
}

/** An RFC 4180 field: bare when safe, else in double quotes with inner double quotes doubled. */
export function csvEscape(name: string): string {
  if (name === '' || CSV_SAFE.test(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** The files in a list-files format ('' for none). */
export function formatFileList(paths: string[], format: ListFormat): string {
  switch (format) {
    case 'none':
      return '';
    case 'json':
      return JSON.stringify(paths);
    case 'csv':
      return paths.map(csvEscape).join(',');
    case 'shell':
      return paths.map(shellEscape).join(' ');
    case 'escape':
      return paths.map(backslashEscape).join(' ');
  }
}
