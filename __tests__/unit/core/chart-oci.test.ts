import { describe, expect, it } from '@jest/globals';
import { chartAnnotations, chartConfigJson, chartManifestJson, goJson, CHART_CONFIG_MEDIA_TYPE, CHART_CONTENT_MEDIA_TYPE } from '../../../src/core/chart-oci.js';

// The metadata of a chart as helm writes its Chart.yaml into the archive; the expected texts are what helm 4 pushed.
const demo = {
  annotations: { foo: 'bar' },
  apiVersion: 'v2',
  appVersion: '1.2.4+b.7',
  description: 'A demo <chart> & more',
  home: 'https://example.com',
  keywords: ['a', 'b'],
  maintainers: [{ email: 'ann@example.com', name: 'Ann' }],
  name: 'demo',
  sources: ['https://github.com/acme/demo'],
  type: 'application',
  version: '1.2.4+b.7'
};

describe('chart-oci: a chart as helm pushes it', () => {
  it('the config blob: helm metadata field order, Go escaping, empty fields left out', () => {
    expect(chartConfigJson(demo)).toBe(
      '{"name":"demo","home":"https://example.com","sources":["https://github.com/acme/demo"],"version":"1.2.4+b.7","description":"A demo \\u003cchart\\u003e \\u0026 more","keywords":["a","b"],"maintainers":[{"name":"Ann","email":"ann@example.com"}],"apiVersion":"v2","appVersion":"1.2.4+b.7","annotations":{"foo":"bar"},"type":"application"}'
    );
  });

  it.each([
    ['a minimal chart', { apiVersion: 'v2', name: 'a', version: '1.0.0' }, '{"name":"a","version":"1.0.0","apiVersion":"v2"}'],
    ['dependencies: name and repository always, maps sorted', { apiVersion: 'v2', name: 'a', version: '1.0.0', dependencies: [{ name: 'sub', version: '0.1.0', 'import-values': [{ parent: 'p', child: 'c' }] }] }, '{"name":"a","version":"1.0.0","apiVersion":"v2","dependencies":[{"name":"sub","version":"0.1.0","repository":"","import-values":[{"child":"c","parent":"p"}]}]}'],
    ['deprecated and sorted annotations', { apiVersion: 'v2', name: 'a', version: '1.0.0', deprecated: true, annotations: { z: '1', a: '2' } }, '{"name":"a","version":"1.0.0","apiVersion":"v2","deprecated":true,"annotations":{"a":"2","z":"1"}}']
  ])('[%#] %s', (_what, metadata, expected) => {
    expect(chartConfigJson(metadata)).toBe(expected);
  });

  it('the annotations: helm keys, authors from maintainers, the chart own annotations but never title or version', () => {
    const annotations = chartAnnotations({ ...demo, annotations: { foo: 'bar', 'org.opencontainers.image.title': 'other' } }, new Date('2026-01-01T00:00:00.000Z'));
    expect(annotations).toEqual({
      foo: 'bar',
      'org.opencontainers.image.authors': 'Ann (ann@example.com)',
      'org.opencontainers.image.created': '2026-01-01T00:00:00Z',
      'org.opencontainers.image.description': 'A demo <chart> & more',
      'org.opencontainers.image.source': 'https://github.com/acme/demo',
      'org.opencontainers.image.title': 'demo',
      'org.opencontainers.image.url': 'https://example.com',
      'org.opencontainers.image.version': '1.2.4+b.7'
    });
  });

  it('the manifest: byte for byte what helm push stored for the same archive', () => {
    const config = { mediaType: CHART_CONFIG_MEDIA_TYPE, digest: 'sha256:65bba0617264ab40d86d81792156712c43ace5d42c1cc98c01fba827885037f7', size: 332 };
    const layer = { mediaType: CHART_CONTENT_MEDIA_TYPE, digest: 'sha256:cc4603a6216f84712a933a6b39e1563cf9e23adf6681ac593b36115473749e70', size: 310 };
    expect(chartManifestJson(config, layer, chartAnnotations(demo, new Date('2026-01-01T00:00:00Z')))).toBe(
      '{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:65bba0617264ab40d86d81792156712c43ace5d42c1cc98c01fba827885037f7","size":332},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:cc4603a6216f84712a933a6b39e1563cf9e23adf6681ac593b36115473749e70","size":310}],"annotations":{"foo":"bar","org.opencontainers.image.authors":"Ann (ann@example.com)","org.opencontainers.image.created":"2026-01-01T00:00:00Z","org.opencontainers.image.description":"A demo \\u003cchart\\u003e \\u0026 more","org.opencontainers.image.source":"https://github.com/acme/demo","org.opencontainers.image.title":"demo","org.opencontainers.image.url":"https://example.com","org.opencontainers.image.version":"1.2.4+b.7"}}'
    );
  });

  it.each([
    ['<>&', '"\\u003c\\u003e\\u0026"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['\b\f\n', '"\\u0008\\u000c\\n"'],
    ['a backslash before b: \\b', '"a backslash before b: \\\\b"']
  ])('[%#] goJson escapes %j as Go does', (value, expected) => {
    expect(goJson(value)).toBe(expected);
  });
});
