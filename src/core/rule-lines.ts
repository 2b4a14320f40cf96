import { UserError } from './errors.js';

export { splitLines } from './lines.js';

/**
 * The first non-empty record of `text` read as CSV the way docker/metadata-action reads its rule lines
 * (csv-parse with default quoting): fields split on commas, a field may be wrapped in double quotes to hold commas,
 * `""` inside quotes is one quote, and a quote anywhere else is an error, as it is there. The record delimiter is
 * the first of `\r\n`, `\n` or `\r` met, and every record is checked. Throws a plain Error.
 */
export function csvRecord(text: string): string[] {
  let delimiter: string | undefined;
  /** The length of the record delimiter at `at`, 0 when there is none. */
  const delimiterAt = (at: number): number => {
    if (text[at] !== '\r' && text[at] !== '\n') return 0;
    delimiter ??= text.startsWith('\r\n', at) ? '\r\n' : text[at];
    return text.startsWith(delimiter, at) ? delimiter.length : 0;
  };
  let first: string[] | undefined;
  let at = 0;
  while (at < text.length) {
    const start = at;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[at] === '"') {
        let closed = false;
        for (at++; at < text.length; at++) {
          if (text[at] !== '"') field += text[at];
          else if (text[at + 1] === '"') field += text[at++];
          else {
            closed = true;
            at++;
            break;
          }
        }
        if (!closed) throw new Error('a quoted field is not closed');
        if (at < text.length && text[at] !== ',' && !delimiterAt(at)) throw new Error(`"${text[at]}" follows a closing quote where a comma was expected`);
      } else {
        for (; at < text.length && text[at] !== ',' && !delimiterAt(at); at++) {
          if (text[at] === '"') throw new Error(`a quote inside the unquoted field "${field}${text.slice(at).split(',')[0]}": quote the whole field instead`);
          field += text[at];
        }
      }
      fields.push(field);
      if (text[at] !== ',') break;
      at++;
    }
    // An empty record (a bare line break) is skipped, like csv-parse's skipEmptyLines.
    if (at > start) first ??= fields;
    at += at < text.length ? delimiterAt(at) : 0;
    if (at === start) break;
  }
  return first ?? [];
}

/** One rule line as CSV fields (quotes allowed), split into `key=value` attributes; a bare field is `value`. */
export function parseAttributes(line: string, what: string): { key?: string; value: string }[] {
  let fields: string[];
  try {
    fields = csvRecord(line);
  } catch (error) {
    throw new UserError(`Cannot read ${what} "${line}": ${(error as Error).message}`);
  }
  return fields.map(field => {
    const at = field.indexOf('=');
    if (at <= 0) return { value: field.trim() };
    return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() };
  });
}
