import { describe, expect, it } from '@jest/globals';
import { backslashEscape, csvEscape, formatFileList, shellEscape } from '../../../src/core/list-files.js';

// Expected values from dorny/paths-filter's __tests__/shell-escape.test.ts and __tests__/csv-escape.test.ts.
describe('list-files formats', () => {
  it.each([
    ['file.txt', 'file.txt'],
    ['path/to/file.txt', 'path/to/file.txt'],
    ['file with space', 'file\\ with\\ space'],
    ['file\'with quote"', 'file\\\'with\\ quote\\"'],
    ['$var', '\\$var']
  ])('[%#] escape: %j → %j', (name, expected) => {
    expect(backslashEscape(name)).toBe(expected);
  });

  it.each([
    ['file.txt', 'file.txt'],
    ['path/to/file.txt', 'path/to/file.txt'],
    ['file with space', "'file with space'"],
    ['$var', "'$var'"],
    ['file"name', "'file\"name'"],
    ["file'with quote", '"file\'with quote"'],
    ["file'with $quote", "file\\''with $quote'"],
    // Not the peer's: its line-by-line check would leave a name with a line break bare.
    ['a\nrm -rf x', "'a\nrm -rf x'"],
    ['', '']
  ])('[%#] shell: %j → %j', (name, expected) => {
    expect(shellEscape(name)).toBe(expected);
  });

  it.each([
    ['file.txt', 'file.txt'],
    ['path/to/file.txt', 'path/to/file.txt'],
    ['file with space', '"file with space"'],
    ['file, with coma', '"file, with coma"'],
    ['file " with double quote', '"file "" with double quote"']
  ])('[%#] csv: %j → %j', (name, expected) => {
    expect(csvEscape(name)).toBe(expected);
  });

  it.each([
    ['none', ''],
    ['json', '["a b.md","c,d"]'],
    ['csv', '"a b.md","c,d"'],
    ['shell', "'a b.md' c,d"],
    ['escape', 'a\\ b.md c,d']
  ] as const)('[%#] a list as %s', (format, expected) => {
    expect(formatFileList(['a b.md', 'c,d'], format)).toBe(expected);
  });
});
