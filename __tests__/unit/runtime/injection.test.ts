import { describe, expect, it } from '@jest/globals';
import { formatOutputFile } from '../../../src/runtime/runner-protocol.js';
import { fenced, looksLikeCommand } from '../../../src/runtime/command-guard.js';
import { escapeMarkdown, markdownTable } from '../../../src/core/markdown.js';
import { parseLogOutput } from '../../../src/adapters/git.js';
import { shellQuote } from '../../../src/core/shell-words.js';
import { HOSTILE_LINES, parseOutputFileAsRunner, workflowCommandsIn } from '../../helpers/runner-protocol.js';

/**
 * Repository text is data, never a command: the pure parts of the guard (the output file, fenced log text, summary
 * cells, git's NUL-separated lists, shell quoting in dry runs). Real runs of the actions and the CLI:
 * __tests__/integration/runtime/injection.test.ts.
 */

describe('GITHUB_OUTPUT: every value read back as written, no name can add or break outputs', () => {
  it.each([
    ['a line that would add an output', 'x\ninjected=evil'],
    ['a heredoc that would replace matrix', 'x\nmatrix<<EOF\n{"include":[]}\nEOF'],
    ['a delimiter look-alike', 'ghadelimiter_00000000-0000-0000-0000-000000000000\ninjected=evil'],
    ['carriage returns', 'x\r\ninjected=evil\r'],
    ['an empty value', ''],
    ['a value that is only newlines', '\n\n'],
    ['workflow commands', HOSTILE_LINES.join('\n')]
  ])('a value holding %s', (_what, value) => {
    const text = formatOutputFile({ first: value, matrix: '{"include":[{"service":"api"}]}', last: 'end' });
    expect(parseOutputFileAsRunner(text)).toEqual({ first: value.replace(/\r(?=\n|$)/g, ''), matrix: '{"include":[{"service":"api"}]}', last: 'end' });
  });

  it.each([['x\ninjected=evil'], ['x=y'], ['x<<EOF'], ['with space'], [''], ['-dash'], ['a\rb'], ['matrix\n']])('the output name %j is refused, naming it', name => {
    expect(() => formatOutputFile({ [name]: 'true' })).toThrow(/Output name .* is not allowed/);
  });
});

describe('the command guard', () => {
  it.each(HOSTILE_LINES.map(line => [line]))('fences %j so the runner runs nothing in it', line => {
    const text = `before\n${line}\nafter`;
    expect(looksLikeCommand(text)).toBe(true);
    const seen = workflowCommandsIn(fenced(text));
    expect(seen.map(c => c.command)).toEqual(['stop-commands', 'resume-commands']);
  });

  it('leaves plain text unchanged, and picks a token the text does not hold', () => {
    expect(fenced('api: changed (api/a.ts)')).toBe('api: changed (api/a.ts)');
    const tokens = ['imgver-1', 'imgver-2'];
    expect(fenced('::imgver-1::\n::x::', () => tokens.shift()!)).toBe('::stop-commands::imgver-2\n::imgver-1::\n::x::\n::imgver-2::');
  });
});

describe('job summaries: one table helper escapes every cell', () => {
  it.each([
    ['a pipe', 'a|b'],
    ['a line break', 'a\nb'],
    ['HTML', '<img src=x onerror=alert(1)>'],
    ['a link', '[click](https://evil.example)'],
    ['backticks', '``code``'],
    ['a backslash before a pipe', 'a\\|b']
  ])('a cell holding %s stays one cell of text', (_what, text) => {
    const table = markdownTable(['A', 'B'], [[text, { code: text }]]);
    const row = table.split('\n')[2];
    expect(table.split('\n')).toHaveLength(3);
    // Exactly three unescaped pipes: two cells.
    expect(row.match(/\|/g)).toHaveLength(3);
    expect(row).not.toMatch(/[<](?!code>|\/code>|br>)|\[|`/);
    expect(escapeMarkdown(text)).not.toContain('\n');
  });
});

describe("one parser of git's file lists (NUL-separated) for logs and diffs", () => {
  it('reads a file name holding a newline, a quote and non-ASCII as written', () => {
    const sha = 'a'.repeat(40);
    const output = `${sha}\0fix: x\n\0\0\nA\0api/a\nb\0M\0api/"q"\0A\0api/é\0${'b'.repeat(40)}\0empty\n\nbody\n\0\0`;
    expect(parseLogOutput(output)).toEqual([
      { sha, subject: 'fix: x', body: '', files: ['api/a\nb', 'api/"q"', 'api/é'] },
      { sha: 'b'.repeat(40), subject: 'empty', body: 'body', files: [] }
    ]);
  });

});

describe('dry runs print multi-line values as one argument', () => {
  it.each([
    ['plain', 'ghcr.io/acme/api:1.2.3', 'ghcr.io/acme/api:1.2.3'],
    ['a space', 'a b', "'a b'"],
    ['a quote', "it's", `'it'\\''s'`],
    ['a newline', 'a=x\n::error::forged', "$'a=x\\n::error::forged'"],
    ['a carriage return and a backslash', 'a\r\\b', "$'a\\r\\\\b'"]
  ])('%s', (_what, arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });
});
