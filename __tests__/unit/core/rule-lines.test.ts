import { parse } from 'csv-parse/sync';
import { csvRecord, parseAttributes, prepareRuleLines } from '../../../src/core/rule-lines.js';

// csv-parse reads the lines that have a quote or a line break; the others are split on commas, which must agree.
beforeAll(() => prepareRuleLines(['"']));

/** csv-parse as docker/metadata-action calls it. */
function reference(text: string): string[] | 'error' {
  try {
    return (parse(text, { relaxColumnCount: true, skipEmptyLines: true }) as string[][])[0] ?? [];
  } catch {
    return 'error';
  }
}

function ours(text: string): string[] | 'error' {
  try {
    return csvRecord(text);
  } catch {
    return 'error';
  }
}

describe('csvRecord', () => {
  it.each([
    ['type=semver,pattern={{version}}', ['type=semver', 'pattern={{version}}']],
    ['"type=raw,value=a,b",enable=true', ['type=raw,value=a,b', 'enable=true']],
    ['type=raw,"value=a,b"', ['type=raw', 'value=a,b']],
    ['"a""b"', ['a"b']],
    ['"""a"""', ['"a"']],
    ['a,', ['a', '']],
    [',', ['', '']],
    ['a,,b', ['a', '', 'b']],
    ['""', ['']],
    ['', []],
    ['  ', ['  ']],
    ['"a"\r', ['a']],
    ['a\rb', ['a']],
    ['\nb', ['b']],
    ['a"b', 'error'],
    ['a""b', 'error'],
    [' "a"', 'error'],
    ['a, "b"', 'error'],
    ['"a"b', 'error'],
    ['"a" ,b', 'error'],
    ['"a', 'error'],
    ['"a""', 'error']
  ])('%j reads as %j, as csv-parse reads it', (text, expected) => {
    expect(ours(text)).toEqual(expected);
    expect(reference(text)).toEqual(expected);
  });

  it('agrees with csv-parse on 3,000 generated lines of commas, quotes, spaces and line breaks', () => {
    const alphabet = 'ab,," "\r\n=';
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: next() % 9 }, () => alphabet[next() % alphabet.length]).join('');
      expect({ text, fields: ours(text) }).toEqual({ text, fields: reference(text) });
    }
  });
});

describe('parseAttributes', () => {
  it.each([
    ['type=semver,pattern={{version}}', [{ key: 'type', value: 'semver' }, { key: 'pattern', value: '{{version}}' }]],
    ['Type = raw , value = x', [{ key: 'type', value: 'raw' }, { key: 'value', value: 'x' }]],
    ['latest', [{ value: 'latest' }]],
    ['=x', [{ value: '=x' }]]
  ])('%j → %j', (line, expected) => {
    expect(parseAttributes(line, 'tag rule')).toEqual(expected);
  });

  it.each([
    ['type=match,"pattern=^v(\\d.\\d.\\d)$",group=1', [{ key: 'type', value: 'match' }, { key: 'pattern', value: '^v(\\d.\\d.\\d)$' }, { key: 'group', value: '1' }]],
    ['type=raw,"value=a,b"', [{ key: 'type', value: 'raw' }, { key: 'value', value: 'a,b' }]],
    ['"type=match,""pattern=^release\\d{1,2}"""', [{ key: 'type', value: 'match,"pattern=^release\\d{1,2}"' }]]
  ])('%j → %j (quoted fields, read by csv-parse)', (line, expected) => {
    expect(parseAttributes(line, 'tag rule')).toEqual(expected);
  });

  it('names the line, what is wrong with it, and what was expected', () => {
    expect(() => parseAttributes('type=raw,value=a"b', 'tag rule')).toThrow(
      /^Cannot read tag rule "type=raw,value=a"b": Invalid Opening Quote: .* \(expected comma-separated fields; a field holding a comma or a quote is quoted whole/
    );
    expect(() => parseAttributes('"type=raw', 'tag rule')).toThrow(/Cannot read tag rule ""type=raw": Quote Not Closed/);
  });
});
