import { parse } from 'csv-parse/sync';
import { UserError } from './errors.js';

export { splitLines } from './lines.js';

/** One rule line as CSV fields (quotes allowed), split into `key=value` attributes; a bare field is `value`. */
export function parseAttributes(line: string, what: string): { key?: string; value: string }[] {
  let fields: string[];
  try {
    fields = (parse(line, { relaxColumnCount: true, skipEmptyLines: true }) as string[][])[0] ?? [];
  } catch (error) {
    throw new UserError(`Cannot read ${what} "${line}": ${(error as Error).message}`);
  }
  return fields.map(field => {
    const at = field.indexOf('=');
    if (at <= 0) return { value: field.trim() };
    return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() };
  });
}
