import { UserError } from './errors.js';

type CsvReader = (line: string) => string[];
let csvReader: CsvReader | undefined;

/** A line csv-parse must read: one with a quote or a line break. Any other is its comma-separated fields as they are. */
function needsCsvReader(line: string): boolean {
  return /["\r\n]/.test(line);
}

/**
 * Loads csv-parse when one of the lines needs it, so that runs whose rules have no quote never pay its start-up
 * cost. Call it with every rule, flavor and image line before parseAttributes reads them.
 */
export async function prepareRuleLines(lines: Iterable<string>): Promise<void> {
  if (csvReader) return;
  for (const line of lines) {
    if (needsCsvReader(line)) {
      csvReader = (await import('./csv-reader.js')).csvFields;
      return;
    }
  }
}

/** The CSV fields of one line, as docker/metadata-action's csv-parse call reads them. Throws csv-parse's Error. */
export function csvRecord(line: string): string[] {
  if (!needsCsvReader(line)) return line === '' ? [] : line.split(',');
  if (!csvReader) throw new Error(`internal error: the CSV reader was not loaded before reading "${line}" (prepareRuleLines)`);
  return csvReader(line);
}

/** One rule line as CSV fields (quotes allowed), split into `key=value` attributes; a bare field is `value`. */
export function parseAttributes(line: string, what: string): { key?: string; value: string }[] {
  let fields: string[];
  try {
    fields = csvRecord(line);
  } catch (error) {
    if ((error as Error).message.startsWith('internal error')) throw error;
    throw new UserError(
      `Cannot read ${what} "${line}": ${(error as Error).message} (expected comma-separated fields; a field holding a comma or a quote is quoted whole, its quotes doubled: "pattern=a,b")`
    );
  }
  return fields.map(field => {
    const at = field.indexOf('=');
    if (at <= 0) return { value: field.trim() };
    return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() };
  });
}
