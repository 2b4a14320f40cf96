import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeChart } from '../../../src/core/config.js';
import {
  chartSemver,
  chartYamlEdits,
  imageReleaseOf,
  nextChartVersions,
  orderCharts,
  chartFactsOf,
  splitReference,
  valuesEdits,
  type ImageRelease
} from '../../../src/core/chart.js';
import { documentFile, editYaml, findMarkers, isPlainSafe } from '../../../src/core/yaml-edit.js';
import { parseValuePath } from '../../../src/core/value-path.js';
import { withYamlFiles } from '../../../src/core/yaml-file.js';

const readChartFacts = (text: string, file: string) => chartFactsOf(documentFile(text, file), file);

const fixture = (name: string) => readFileSync(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../fixtures/values', name), 'utf8');
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function changedLines(before: string, after: string): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [i + 1]));
}

describe('values file golden test', () => {
  it('changes only the targeted scalars of a file full of comments, anchors, quotes, block scalars and blank lines', () => {
    const before = fixture('commented.values.yaml');
    const images = new Map<string, ImageRelease>([
      ['api', { name: 'api', repository: 'ghcr.io/acme/api', tag: '1.4.0', digest: DIGEST, version: '1.4.0' }],
      ['web', { name: 'web', repository: 'ghcr.io/acme/web', tag: '1.4.0', version: '1.4.0' }],
      ['worker', { name: 'worker', repository: 'ghcr.io/acme/worker', tag: '1.4.0', version: '1.4.0' }],
      ['sidecar', { name: 'sidecar', tag: '1.4.0', version: '1.4.0' }]
    ]);
    const chart = normalizeChart({ path: 'chart', images: { api: 'image.api', web: 'image.web' } });
    const markers = new Map([['values.yaml', findMarkers(before, 'values.yaml')]]);
    const { edits, warnings } = valuesEdits('chart', chart.images, markers, [documentFile(before, 'values.yaml')], images, () => undefined);
    const result = editYaml(before, edits.get('values.yaml')!, 'values.yaml');
    expect(result.text).toBe(fixture('commented.values.expected.yaml'));
    expect(changedLines(before, result.text)).toEqual([13, 14, 17, 18, 41]);
    expect(result.changes.map(c => c.path)).toEqual(['image.api.tag', 'image.api.digest', 'image.web.tag', 'image.worker', 'sidecar.tag']);
    expect(warnings).toEqual([]);
    // A second run finds every value in place and writes nothing.
    const again = editYaml(result.text, edits.get('values.yaml')!, 'values.yaml');
    expect(again.text).toBe(result.text);
    expect(again.changes).toEqual([]);
  });
});

describe('editYaml', () => {
  it.each([
    ['plain stays plain', 'tag: 1.0.0\n', '2.0.0', 'tag: 2.0.0\n'],
    ['double quotes stay', 'tag: "1.0.0" # c\n', '2.0.0', 'tag: "2.0.0" # c\n'],
    ['single quotes stay', "tag: '1.0.0'\n", "it's", "tag: 'it''s'\n"],
    ['a plain number-like value is quoted', 'tag: v1\n', '1.2', 'tag: "1.2"\n'],
    ['an empty value gets one', 'tag:\nx: 1\n', 'v1.2.3', 'tag: v1.2.3\nx: 1\n'],
    ['an anchored scalar keeps its anchor', 'tag: &t 1.0.0\nother: *t\n', '2.0.0', 'tag: &t 2.0.0\nother: *t\n'],
    ['a value with " #" is quoted', 'tag: x\n', 'a #b', 'tag: "a #b"\n']
  ])('[%#] %s', (_what, text, value, expected) => {
    expect(editYaml(text, [{ path: ['tag'], value }], 'f.yaml').text).toBe(expected);
  });

  it('inserts a missing key under its mapping, at its indentation', () => {
    const text = 'image:\n  repository: r # c\n  pullPolicy: Always\nother: 1\n';
    expect(editYaml(text, [{ path: ['image', 'tag'], value: '1.0.0', insert: true }], 'f.yaml').text).toBe(
      'image:\n  repository: r # c\n  pullPolicy: Always\n  tag: 1.0.0\nother: 1\n'
    );
    expect(editYaml('name: x\nversion: 1.0.0', [{ path: ['appVersion'], value: '1.0.0', insert: true, quote: true }], 'Chart.yaml').text).toBe(
      'name: x\nversion: 1.0.0\nappVersion: "1.0.0"'
    );
  });

  it.each([
    ['a missing key', 'image: {}\n', ['image', 'api', 'tag'], /f\.yaml: image\.api\.tag not found/],
    ['an alias', 'a: &x 1\ntag: *x\n', ['tag'], /f\.yaml: tag line 2 is an alias \(\*x\)/],
    ['a mapping', 'tag:\n  a: 1\n', ['tag'], /f\.yaml: tag line 2 is a mapping: expected a scalar/],
    ['a block scalar', 'tag: |\n  x\n', ['tag'], /f\.yaml: tag line 1 is a block scalar/],
    ['broken YAML', 'a: [\n', ['a'], /f\.yaml line \d+: not valid YAML/]
  ])('[%#] refuses %s with the file, line and path', (_what, text, path, message) => {
    expect(() => editYaml(text, [{ path: path as string[], value: '1' }], 'f.yaml')).toThrow(message);
  });

  it.each([
    ['1.2.3', true],
    ['v1.2.3', true],
    ['sha256:abc', true],
    ['1.2', false],
    ['true', false],
    ['null', false],
    ['', false],
    ['a: b', false],
    ['@x', false]
  ])('[%#] %s is safe plain: %s', (value, safe) => expect(isPlainSafe(value)).toBe(safe));
});

describe('value paths and markers', () => {
  it.each([
    ['image.api', ['image', 'api']],
    ['images[0].tag', ['images', 0, 'tag']],
    ['a."dotted.key".b', ['a', 'dotted.key', 'b']]
  ])('[%#] %s', (text, path) => expect(parseValuePath(text, 'x')).toEqual(path));

  it('rejects an empty path', () => expect(() => parseValuePath('', 'charts chart: images.api')).toThrow(/charts chart: images\.api: the value path is empty/));

  it('finds markers, in sequences too, with the field they name', () => {
    const text = 'a:\n  tag: x # imgver: api\nlist:\n  - img: y  # imgver: web:reference\n  - z # imgver: web:digest\n';
    expect(findMarkers(text, 'v.yaml')).toEqual([
      { name: 'api', field: 'tag', line: 2, path: ['a', 'tag'] },
      { name: 'web', field: 'reference', line: 4, path: ['list', 0, 'img'] },
      { name: 'web', field: 'digest', line: 5, path: ['list', 1] }
    ]);
  });

  it.each([
    ['a:  # imgver: api\n  b: 1\n', /v\.yaml line 1: marker "# imgver: api" is not on a line with a scalar value/],
    ['a: 1 # imgver: api:colour\n', /v\.yaml line 1: marker "# imgver: api:colour" is not "# imgver: <service>"/]
  ])('[%#] a bad marker names its line', (text, message) => expect(() => findMarkers(text, 'v.yaml')).toThrow(message));
});

describe('Chart.yaml', () => {
  const chartYaml = `apiVersion: v2
name: shop # the umbrella
version: 0.3.0
appVersion: 1.0.0
dependencies:
  - name: api
    version: 0.1.0
    repository: file://../api
  - name: redis
    version: 17.x
    repository: https://charts.example.com
`;

  it('reads name, version, appVersion and dependencies, with the scanner as with the parser', async () => {
    expect(await withYamlFiles([{ file: 'Chart.yaml', text: chartYaml }], ([chart]) => chartFactsOf(chart, 'Chart.yaml'))).toEqual(readChartFacts(chartYaml, 'Chart.yaml'));
    expect(readChartFacts(chartYaml, 'Chart.yaml')).toEqual({
      name: 'shop',
      version: '0.3.0',
      appVersion: '1.0.0',
      dependencies: [
        { index: 0, name: 'api', version: '0.1.0', repository: 'file://../api' },
        { index: 1, name: 'redis', version: '17.x', repository: 'https://charts.example.com' }
      ]
    });
  });

  it('sets version, quotes appVersion and keeps local dependencies in step', () => {
    const facts = readChartFacts(chartYaml, 'Chart.yaml');
    const edits = chartYamlEdits(facts, { version: '1.4.0', appVersion: '1.4.0' }, new Map([[0, '1.4.0']]));
    const { text } = editYaml(chartYaml, edits, 'Chart.yaml');
    expect(text).toBe(chartYaml.replace('version: 0.3.0', 'version: 1.4.0').replace('appVersion: 1.0.0', 'appVersion: "1.4.0"').replace('version: 0.1.0', 'version: 1.4.0'));
  });

  it.each([
    ['release', '0.3.0', undefined, '1.4.0'],
    ['keep', '0.3.0', undefined, '0.3.0'],
    ['bump', '0.3.0', 'minor', '0.4.0'],
    ['bump', '0.3.0', undefined, '0.3.1'],
    // A re-run: appVersion already names the release, so the chart's own version is not bumped twice.
    ['bump', '0.3.0', 'already', '0.3.0']
  ] as const)('[%#] version: %s from %s (%s) → %s', (mode, current, bump, expected) => {
    const chart = normalizeChart({ path: 'c', version: mode });
    const facts = { name: 'c', version: current, appVersion: bump === 'already' ? '1.4.0' : '1.0.0', dependencies: [] };
    const release = { version: '1.4.0', bump: bump === 'already' ? 'minor' : bump };
    expect(nextChartVersions(chart, facts, release, {}, 'c')).toEqual({ version: expected, appVersion: '1.4.0' });
  });

  it.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3-rc.1', '1.2.3-rc.1'],
    ['1.2.3+build.5', '1.2.3+build.5']
  ])('[%#] %s is chart version %s', (text, version) => expect(chartSemver(text, 'ref')).toBe(version));

  it.each(['release-7', '1.2', 'v01.2.3'])('[%#] %s is refused with the form expected', text =>
    expect(() => chartSemver(text, 'Tag refs/tags/x')).toThrow(/expected 1\.2\.3 or v1\.2\.3/)
  );
});

describe('images for a chart', () => {
  it('points at the version tag, never a floating one', () => {
    const service = { name: 'api', image: 'ghcr.io/acme/api', version: '1.4.0', digest: DIGEST, tags: ['ghcr.io/acme/api:latest', 'ghcr.io/acme/api:1.4', 'ghcr.io/acme/api:v1.4.0'] };
    expect(imageReleaseOf(service, undefined, {})).toEqual({ name: 'api', repository: 'ghcr.io/acme/api', tag: 'v1.4.0', digest: DIGEST, version: '1.4.0' });
    expect(imageReleaseOf(service, '{{version}}-{{service}}', {}).tag).toBe('1.4.0-api');
  });

  it.each([
    ['ghcr.io/acme/api:1.0', { repository: 'ghcr.io/acme/api', tag: '1.0' }],
    ['localhost:5000/api', { repository: 'localhost:5000/api' }],
    [`r/api:1@${DIGEST}`, { repository: 'r/api', tag: '1', digest: DIGEST }]
  ])('[%#] splits %s', (reference, parts) => expect(splitReference(reference)).toEqual({ digest: undefined, ...parts }));

  it('orders umbrella charts after their local subcharts', () => {
    const charts = [
      { path: 'shop', localDeps: ['api', 'web'] },
      { path: 'web', localDeps: [] },
      { path: 'api', localDeps: ['lib'] },
      { path: 'lib', localDeps: [] }
    ];
    expect(orderCharts(charts).map(c => c.path)).toEqual(['lib', 'api', 'web', 'shop']);
  });
});
