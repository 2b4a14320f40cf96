import { compareLabelKeys } from '../../../src/core/labels.js';

describe('compareLabelKeys', () => {
  // Pairs on both sides of the fast path: it must order every pair exactly as localeCompare does.
  it.each([
    ['org.opencontainers.image.version', 'org.opencontainers.image.vendor'],
    ['org.opencontainers.image.base.name', 'org.opencontainers.image.base-name'],
    ['a-b', 'ab'],
    ['a.b', 'a-b'],
    ['a1', 'a.'],
    ['a9', 'ab'],
    ['abc', 'ab'],
    ['com.example.my_label', 'com.example.my-label'],
    ['com.example.Upper', 'com.example.lower'],
    ['com.example.a_b', 'com.example.a1'],
    ['same', 'same']
  ])('%s vs %s as localeCompare orders them', (a, b) => {
    expect(Math.sign(compareLabelKeys(a, b))).toBe(Math.sign(a.localeCompare(b)));
    expect(Math.sign(compareLabelKeys(b, a))).toBe(Math.sign(b.localeCompare(a)));
  });
});

describe('compareLabelKeys on generated keys', () => {
  it('sorts 400 keys of the fast-path alphabet exactly as localeCompare', () => {
    const alphabet = 'abz09.-';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const keys = Array.from({ length: 400 }, () => Array.from({ length: 1 + (next() % 6) }, () => alphabet[next() % alphabet.length]).join(''));
    expect([...keys].sort(compareLabelKeys)).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
  });
});
