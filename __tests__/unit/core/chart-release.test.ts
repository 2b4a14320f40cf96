import { describe, expect, it } from '@jest/globals';
import { chartReadsRunContext, chartsToSync, imagesFor, releaseFor, type ChartRequest } from '../../../src/core/chart-release.js';
import { emptyConfig, normalizeChart, normalizeConfig } from '../../../src/core/config.js';
import type { Plan } from '../../../src/core/plan.js';

const plan = (...services: [string, string, ('major' | 'minor' | 'patch')?][]): Plan => ({
  schema: 1,
  services: services.map(([name, version, bump]) => ({ name, image: `ghcr.io/acme/${name}`, version, bump, tags: [`ghcr.io/acme/${name}:${version}`] }))
});
const request = (extra: Partial<ChartRequest> = {}): ChartRequest => ({ charts: [], config: 'imgver.yaml', ...extra });
const chart = normalizeChart({ path: 'deploy/shop', images: { api: 'image.api' } });

describe('releaseFor: the version a chart follows', () => {
  it.each([
    ['the version input wins', request({ version: 'v2.0.0', plan: plan(['api', '1.0.0']) }), 'refs/tags/v9.9.9', { version: '2.0.0', from: 'the version input' }],
    ['the plan, with the highest bump of the services the chart deploys', request({ plan: plan(['api', '1.2.0', 'minor'], ['web', '1.2.0', 'major']) }), 'refs/heads/main', { version: '1.2.0', bump: 'minor', from: 'the plan' }],
    ['every plan service when the chart maps none', request({ plan: plan(['web', '1.3.0', 'patch']) }), 'refs/heads/main', { version: '1.3.0', bump: 'patch', from: 'the plan' }],
    ['the pushed tag', request(), 'refs/tags/v1.4.0', { version: '1.4.0', from: 'tag v1.4.0' }],
    ['a bare version tag', request(), 'refs/tags/1.4.0', { version: '1.4.0', from: 'tag 1.4.0' }]
  ])('[%#] %s', (_what, req, ref, expected) => {
    expect(releaseFor(chart, req, emptyConfig(), ref)).toEqual(expected);
  });

  it.each([
    ['plan services that disagree', request({ plan: plan(['api', '1.0.0'], ['web', '2.0.0']) }), normalizeChart({ path: 'c' }), 'refs/heads/main', /charts c: the plan's services have different versions \(api 1\.0\.0, web 2\.0\.0\): set service:/],
    ['a service: the plan lacks', request({ plan: plan(['web', '1.0.0']) }), normalizeChart({ path: 'c', service: 'api' }), 'refs/heads/main', /charts c: service: api has no version in the plan \(services with one: web\)/],
    ['a tag that is no release', request(), chart, 'refs/tags/release-7', /Tag release-7 is not a release tag: expected v1\.2\.3 or 1\.2\.3/],
    ['a branch with nothing else', request(), chart, 'refs/heads/main', /helm-sync needs a version: .*refs\/heads\/main is not a tag/]
  ])('[%#] refuses %s', (_what, req, c, ref, message) => {
    expect(() => releaseFor(c, req, emptyConfig(), ref)).toThrow(message);
  });
});

describe('chartReadsRunContext: whether a chart needs the ref or the commit', () => {
  it.each([
    ['a plan with versions and the default templates', chart, request({ plan: plan(['api', '1.0.0']) }), false],
    ['the version input beside a plan', chart, request({ version: '2.0.0', plan: plan(['api', '1.0.0']) }), false],
    ['no plan and no version: the version comes from the tag', chart, request(), true],
    ['a plan whose services have no version', chart, request({ plan: { schema: 1, services: [{ name: 'api', image: 'ghcr.io/acme/api', tags: [] }] } }), true],
    ['the version input alone: images are tagged from the ref', chart, request({ version: '2.0.0' }), true],
    ['an appVersion template naming sha', { ...chart, appVersion: '{{version}}+{{sha}}' }, request({ plan: plan(['api', '1.0.0']) }), true],
    ['an image-tag input naming tag', chart, request({ plan: plan(['api', '1.0.0']), imageTag: '{{ tag }}' }), true],
    ["a chart's image-tag naming sha", { ...chart, imageTag: '{{version}}-{{sha}}' }, request({ plan: plan(['api', '1.0.0']) }), true],
    ['appVersion left alone', { ...chart, appVersion: false as const }, request({ plan: plan(['api', '1.0.0']) }), false]
  ])('[%#] %s', (_what, c, req, expected) => {
    expect(chartReadsRunContext(c, req)).toBe(expected);
  });
});

describe('chartsToSync and imagesFor', () => {
  it('takes the charts input over the config, tidied as the config is', () => {
    const config = normalizeConfig({ charts: [{ path: 'deploy/shop', images: { api: 'image.api' } }] } as never);
    expect(chartsToSync(request({ charts: ['./deploy/shop/'] }), config)[0].images).toEqual(config.charts[0].images);
    expect(() => chartsToSync(request(), emptyConfig())).toThrow(/No charts to sync: list them under charts: in imgver\.yaml/);
  });

  it.each([
    ['a plan service: its version tag', request({ plan: plan(['api', '1.2.0']) }), { tag: 'v1.0.0' }, { name: 'api', repository: 'ghcr.io/acme/api', tag: '1.2.0', digest: undefined, version: '1.2.0' }],
    ['no plan, on a tag push: the tag', request(), { tag: 'v1.0.0' }, { name: 'api', tag: 'v1.0.0', version: '1.0.0' }],
    ['no plan, on a branch: the version', request(), { tag: '' }, { name: 'api', tag: '1.0.0', version: '1.0.0' }]
  ])('[%#] %s', (_what, req, vars, expected) => {
    expect(imagesFor(new Set(['api']), chart, req, '1.0.0', { version: '1.0.0', ...vars }).get('api')).toEqual(expected);
  });
});
