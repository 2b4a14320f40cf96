import { describe, expect, it } from '@jest/globals';
import { parseLogOutput } from '../../../src/adapters/git.js';

/** One commit as `git log -z --format=%H%x00%B%x00 --name-status` prints it. */
const record = (sha: string, message: string, files: string[]) => `${sha}\0${message}\0\0\n${files.map(file => `M\0${file}`).join('\0')}\0`;

describe('git log parsing (subject = the first line of the message)', () => {
  it.each<[string, string, string, string]>([
    ['subject only', 'fix: x\n', 'fix: x', ''],
    ['blank line before the body', 'feat: y\n\nmore words\n', 'feat: y', 'more words'],
    ['a footer right under the subject', 'my commit message\nBREAKING CHANGE:\nthis is a breaking change\n', 'my commit message', 'BREAKING CHANGE:\nthis is a breaking change'],
    ['empty message', '', '', '']
  ])('[%#] %s', (_name, message, subject, body) => {
    const [commit] = parseLogOutput(record('a'.repeat(40), message, ['src/a.ts', 'b.md']));
    expect(commit).toEqual({ sha: 'a'.repeat(40), subject, body, files: ['src/a.ts', 'b.md'] });
  });
});
