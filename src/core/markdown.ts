/**
 * Job summaries: repository text (service names, file names, commit messages, tags) goes into them as data. Every
 * character that Markdown or HTML would read as markup, and every line break, is written as an entity, so a cell is
 * one cell and a value never becomes a link, an image or a table row.
 */

/** A table cell: plain text, or text shown as code. */
export type Cell = string | { code: string } | { strong: string };

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
  '#': '&#35;',
  '!': '&#33;'
};

/** Text as inline Markdown that shows exactly that text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[&<>|\\`*_[\]~#!]/g, c => ENTITY[c]).replace(/\r\n|\r|\n/g, '<br>');
}

function cellText(cell: Cell): string {
  if (typeof cell === 'string') return escapeMarkdown(cell);
  if ('code' in cell) return `<code>${escapeMarkdown(cell.code)}</code>`;
  return `<strong>${escapeMarkdown(cell.strong)}</strong>`;
}

/** A GitHub-flavoured Markdown table with every cell escaped. */
export function markdownTable(header: string[], rows: Cell[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header.map(escapeMarkdown)), line(header.map(() => '---')), ...rows.map(row => line(row.map(cellText)))].join('\n');
}

/** Lines as a fenced code block whose fence no line can close (longer than any run of backticks in them). */
export function codeBlock(lines: string[]): string {
  const longest = Math.max(2, ...lines.map(l => Math.max(0, ...(l.match(/`+/g) ?? []).map(run => run.length))));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...lines, fence].join('\n');
}
