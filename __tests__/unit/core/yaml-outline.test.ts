import { describe, expect, it } from '@jest/globals';
import { OutlineDeclined, YamlOutline, plainReadsBack } from '../../../src/core/yaml-outline.js';
import { editYaml, findMarkers, isPlainSafe, parseYamlFile } from '../../../src/core/yaml-edit.js';
import type { ValuePath, YamlEdit, YamlEditResult } from '../../../src/core/value-path.js';

/** The scanner either declines or gives exactly what the full parser's editYaml gives. */
function outlineOrDeclined<T>(run: () => T): T | 'declined' {
  try {
    return run();
  } catch (error) {
    if (error instanceof OutlineDeclined) return 'declined';
    throw error;
  }
}

const VALUES = `# Values of a chart
---
global:
  pullPolicy: IfNotPresent # keep

image:
  # api: owned by team a
  api:
    repository: "ghcr.io/acme/api"
    tag: "0.9.0"   # written by CI
    digest: ''
    pullPolicy: Always
    env: {LOG: info, PORT: "8080"}
    note: |
      multi-line text
        tag: 1.0.0 not a key

  web:
    repository: ghcr.io/acme/web
    tag: 0.9.0 # imgver: web
    digest:
sidecars:
  - name: log
    image: ghcr.io/acme/log:1.0.0 # imgver: log:reference
    args: [--verbose, "--port=1"]
  -   name: proxy
      port: 8080
list:
- plain item
- 'quoted # item'
empty:
last: value`;

/** What the edits are, the edits, and whether the scanner must take them itself (false: it may leave them to the parser). */
const EDITS: [string, YamlEdit[], boolean][] = [
  ['quoted tag and empty digest', [{ path: ['image', 'api', 'tag'], value: '1.0.0' }, { path: ['image', 'api', 'digest'], value: 'sha256:abc' }], true],
  ['plain tag, empty value gets one', [{ path: ['image', 'web', 'tag'], value: '1.0.0' }, { path: ['image', 'web', 'digest'], value: 'sha256:abc' }], true],
  ['a value that must be quoted', [{ path: ['image', 'web', 'tag'], value: '1.2' }, { path: ['last'], value: 'a #b' }], true],
  ['already in place', [{ path: ['image', 'api', 'tag'], value: '0.9.0' }, { path: ['global', 'pullPolicy'], value: 'IfNotPresent' }], true],
  ['inside a sequence', [{ path: ['sidecars', 0, 'image'], value: 'ghcr.io/acme/log:2.0.0' }, { path: ['list', 1], value: "it's" }], true],
  ['an insert after a scalar', [{ path: ['global', 'registry'], value: 'ghcr.io', insert: true }], true],
  ['an insert after a block scalar', [{ path: ['image', 'api', 'version'], value: '1.0.0', insert: true }], false],
  ['an insert at the end of a file without newline', [{ path: ['appVersion'], value: '1.0.0', insert: true, quote: true }], true],
  ['an insert into a sequence item mapping', [{ path: ['sidecars', 1, 'tag'], value: 'x1', insert: true }], true],
  ['a missing key without insert', [{ path: ['image', 'api', 'nope'], value: '1' }], false],
  ['a mapping as target', [{ path: ['image', 'api'], value: '1' }], false],
  ['a block scalar as target', [{ path: ['image', 'api', 'note'], value: '1' }], false],
  ['a flow collection as target', [{ path: ['image', 'api', 'env', 'LOG'], value: 'debug' }], false],
  ['a YAML 1.1 word', [{ path: ['last'], value: 'yes' }], false]
];

/** What the full parser makes of the edits: the edited text, or its error as `error: <message>`. */
function parserEdit(edits: YamlEdit[]): YamlEditResult | string {
  try {
    return editYaml(VALUES, edits, 'values.yaml');
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

describe('YamlOutline against the full parser', () => {
  it.each(EDITS)('[%#] %s', (_what, edits, fast) => {
    const expected = parserEdit(edits);
    const got = outlineOrDeclined(() => new YamlOutline(VALUES, 'values.yaml').edit(edits));
    if (fast) expect(got).not.toBe('declined');
    if (got !== 'declined') expect(got).toEqual(expected);
    if (typeof expected === 'string') expect(got).toBe('declined');
  });

  it('reads the file the parser reads, for every path and marker', () => {
    const outline = new YamlOutline(VALUES, 'values.yaml');
    const { doc } = parseYamlFile(VALUES, 'values.yaml');
    const paths: ValuePath[] = [['image', 'api', 'tag'], ['image', 'web', 'digest'], ['image', 'x'], ['sidecars', 1, 'name'], ['list', 0], ['empty'], ['global'], ['list', 5]];
    for (const path of paths) {
      expect([path, outline.has(path)]).toEqual([path, doc.hasIn(path)]);
      const value = doc.getIn(path);
      expect([path, outline.read(path)]).toEqual([path, value === undefined || value === null || typeof value === 'object' ? undefined : String(value)]);
    }
    expect(outline.markers()).toEqual(findMarkers(VALUES, 'values.yaml'));
  });

  const TRICKY = ['1.0.0', 'two\nlines', 'a\ttab', 'a #b', "it's", '1.2', 'yes', ': x', '"q"', 'back\\slash', 'é ü', '- x', '[x]', '{x}', '#x', 'x:', '', ' lead', 'null', '0x1F', 'sha256:' + 'a'.repeat(64)];
  const SCALARS: ValuePath[] = [['image', 'api', 'tag'], ['image', 'api', 'digest'], ['image', 'web', 'tag'], ['image', 'web', 'digest'], ['sidecars', 0, 'image'], ['list', 0], ['list', 1], ['empty'], ['last']];
  it.each(TRICKY)('[%#] %j written at every scalar: what the parser writes, checked line by line', value => {
    for (const path of SCALARS) {
      for (const quote of [false, true]) {
        const edits: YamlEdit[] = [{ path, value, quote }, { path: ['global', 'pullPolicy'], value: 'Never' }];
        const expected = parserEdit(edits);
        const got = outlineOrDeclined(() => new YamlOutline(VALUES, 'values.yaml').edit(edits));
        if (got !== 'declined') expect([path, quote, got]).toEqual([path, quote, expected]);
      }
    }
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['tabs', 'a:\t1\n'],
    ['a merge key', 'a:\n  <<: {b: 1}\n'],
    ['a top-level sequence', '- a\n'],
    ['a number as key', '1: a\n'],
    ['an escape JSON lacks', 'a: "\\x41"\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n']
  ])('[%#] declines %s', (_what, text) => {
    expect(outlineOrDeclined(() => new YamlOutline(text, 'f.yaml').edit([{ path: ['a'], value: 'x' }]))).toBe('declined');
  });

  it('reads a dash after an empty sequence item as the next item, and one at a key\'s column as its value', () => {
    const text = 'list:\n  -\n  - tag: 1.0.0\nmap:\n- a\n';
    const outline = new YamlOutline(text, 'f.yaml');
    const { doc } = parseYamlFile(text, 'f.yaml');
    for (const path of [['list', 0], ['list', 1, 'tag'], ['list', 0, 0, 'tag'], ['map', 0]] as ValuePath[]) {
      expect([path, outline.has(path), outline.read(path)]).toEqual([path, doc.hasIn(path), doc.getIn(path) ?? undefined]);
    }
  });

  it('declines a typed value it would have to spell out, and a path into a flow collection', () => {
    const outline = new YamlOutline('a: 1.0\nb: {c: 1}\n', 'f.yaml');
    expect(outlineOrDeclined(() => outline.read(['a']))).toBe('declined');
    expect(outlineOrDeclined(() => outline.has(['b', 'c']))).toBe('declined');
  });

  it.each(['1.2.3', 'v1.2.3', 'sha256:abc', '1.2', 'true', 'True', 'Yes', 'tRuE', 'null', '~', '', 'a: b', '@x', '0x1F', '0o17', '1e5', '0755', '1.0.0-rc.1+b.2', 'ghcr.io/acme/api:1.0.0', '.5', 'a b'])(
    '[%#] %s: plain when the parser says so',
    value => {
      const fast = plainReadsBack(value);
      if (fast !== undefined) expect(fast).toBe(isPlainSafe(value));
    }
  );
});

describe('withYamlFiles', () => {
  const edits: YamlEdit[] = [{ path: ['image', 'api', 'tag'], value: '2.0.0' }];

  it('answers with the scanner, and with the parser for a shape the scanner declines, the same edit either way', async () => {
    const { withYamlFiles } = await import('../../../src/core/yaml-file.js');
    const block = 'image:\n  api:\n    tag: "1.0.0" # c\n';
    const anchored = 'base: &b x\nimage:\n  api:\n    tag: "1.0.0" # c\n    other: *b\n';
    for (const text of [block, anchored]) {
      const got = await withYamlFiles([{ file: 'v.yaml', text }], ([file]) => file.edit(edits));
      expect(got).toEqual(editYaml(text, edits, 'v.yaml'));
    }
  });

  it('gives the parser’s error for a file that is not valid YAML', async () => {
    const { withYamlFiles } = await import('../../../src/core/yaml-file.js');
    await expect(withYamlFiles([{ file: 'v.yaml', text: 'a: [\n' }], ([file]) => file.edit([{ path: ['a'], value: '1' }]))).rejects.toThrow(/v\.yaml line \d+: not valid YAML/);
  });
});
