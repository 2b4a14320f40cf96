import { parse } from 'csv-parse/sync';

/**
 * A rule line read by csv-parse with the options docker/metadata-action reads its tags, flavor and images with:
 * the first record's fields. Loaded only for lines that have a quote or a line break (rule-lines.ts).
 */
export function csvFields(line: string): string[] {
  const records = parse(line, { relaxColumnCount: true, skipEmptyLines: true }) as string[][];
  return records[0] ?? [];
}
