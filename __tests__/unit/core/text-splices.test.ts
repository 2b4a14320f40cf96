import { describe, expect, it } from '@jest/globals';
import { applySplices, type TextSplice } from '../../../src/core/text-splices.js';

/** What applySplices must give: the splices replaced one at a time, from the last start to the first. */
function oneAtATime(text: string, splices: TextSplice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

describe('applySplices', () => {
  it.each<[string, string, TextSplice[], string]>([
    ['none', 'abc', [], 'abc'],
    ['one replacement', 'a: 1\n', [{ start: 3, end: 4, text: '2' }], 'a: 2\n'],
    ['given out of order', 'a b c', [{ start: 0, end: 1, text: 'A' }, { start: 4, end: 5, text: 'C' }, { start: 2, end: 3, text: 'B' }], 'A B C'],
    ['an insertion', 'a:\nb: 1\n', [{ start: 2, end: 2, text: ' x' }], 'a: x\nb: 1\n'],
    ['two insertions at one place: the later first', 'k:\n', [{ start: 3, end: 3, text: 'tag: 1\n' }, { start: 3, end: 3, text: 'digest: d\n' }], 'k:\ndigest: d\ntag: 1\n'],
    ['an insertion where a replacement starts', 'ab', [{ start: 1, end: 2, text: 'B' }, { start: 1, end: 1, text: '+' }], 'a+B'],
    ['a replacement given after an insertion at its start: one at a time', 'ab', [{ start: 1, end: 1, text: '+' }, { start: 1, end: 2, text: 'B' }], 'aBb'],
    ['overlapping replacements: one at a time', 'abcdef', [{ start: 1, end: 4, text: 'X' }, { start: 2, end: 5, text: 'Y' }], 'aX'],
    ['at both ends', 'abc', [{ start: 0, end: 0, text: '<' }, { start: 3, end: 3, text: '>' }], '<abc>']
  ])('%s', (_name, text, splices, expected) => {
    expect(applySplices(text, splices)).toBe(expected);
    expect(applySplices(text, splices)).toBe(oneAtATime(text, splices));
  });
});
