import { describe, expect, it } from '@jest/globals';
import { checkUpdates, planTag, pullLatest, resolveFloating, rollback, setTag, startManifest, type CommandContext } from '../../../src/core/manifest-commands.js';
import type { VersionManifest } from '../../../src/core/manifest.js';
import { historyReport, versionInBody } from '../../../src/core/manifest-report.js';
import { stripLeadingV } from '../../../src/core/version-tag.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

/** A registry as a table, image → tag → digest (a fake: the real one is the registry adapter, tested against a registry). */
function context(registry: Record<string, Record<string, string>>, extra: Partial<CommandContext> = {}): CommandContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    command: 'update',
    all: false,
    history: 5,
    now: new Date('2026-05-01T00:00:00Z'),
    images: {
      digest: async (image, tag) => registry[image]?.[tag],
      releaseTagFor: async (image, digest) => Object.entries(registry[image] ?? {}).find(([tag, d]) => d === digest && /^v?\d/.test(tag))?.[0],
      listTags: async image => Object.keys(registry[image] ?? {})
    },
    imageOf: async name => `reg.example/${name}`,
    serviceNames: async () => ['api', 'web'],
    warn: m => warnings.push(m),
    warnings,
    ...extra
  };
}

const manifest = (services: Record<string, { tag: string; digest?: string; history?: string[] }>): VersionManifest => ({
  services: Object.fromEntries(
    Object.entries(services).map(([name, s]) => [
      name,
      { image: `reg.example/${name}`, current_tag: s.tag, image_digest: s.digest, updated_at: '2026-01-01T00:00:00Z', custom: false, history: (s.history ?? []).map(tag => ({ tag, digest: D1, time: '2025-12-01T00:00:00Z' })) }
    ])
  )
});

describe('imgver manifest commands (core/manifest-commands.ts, with a registry as a table)', () => {
  it.each([
    ['a release tag moves', { tag: '1.1.0' }, { 'reg.example/api': { '1.1.0': D2 } }, ['api'], '1.1.0'],
    ['the same tag and digest: nothing changes', { tag: '1.0.0' }, { 'reg.example/api': { '1.0.0': D1 } }, [], '1.0.0']
  ])('update --service --tag: %s', async (_what, inputs, registry, changed, current) => {
    const ctx = context(registry, { service: 'api', ...inputs });
    const change = await setTag(ctx, manifest({ api: { tag: '1.0.0', digest: D1 } }), false);
    expect(change.changed).toEqual(changed);
    expect(change.manifest.services.api.current_tag).toBe(current);
  });

  it('update of a tag the registry does not have is an error naming the tag', async () => {
    await expect(setTag(context({}, { service: 'api', tag: '9.9.9' }), manifest({}), false)).rejects.toThrow('reg.example/api:9.9.9 does not exist in the registry');
  });

  it.each([
    ['latest is a release', { 'reg.example/api': { latest: D2, '1.2.0': D2 } }, '1.2.0', []],
    ['latest is no release', { 'reg.example/api': { latest: D3 } }, 'latest', ["api: no release tag shares latest's digest sha256:333333333333…; recorded as latest"]]
  ])('pull-latest: %s', async (_what, registry, tag, warnings) => {
    const ctx = context(registry);
    const change = await pullLatest(ctx, manifest({ api: { tag: '1.0.0', digest: D1 } }));
    expect(change.manifest.services.api.current_tag).toBe(tag);
    expect(ctx.warnings).toEqual(warnings);
  });

  it('init: each configured service with a latest image, the others warned about', async () => {
    const ctx = context({ 'reg.example/api': { latest: D2, 'v2.0.0': D2 } });
    const change = await startManifest(ctx, manifest({}));
    expect(change.changed).toEqual(['api']);
    expect(change.manifest.services.api.current_tag).toBe('v2.0.0');
    expect(ctx.warnings).toEqual(['web: reg.example/web has no latest tag; not added (imgver manifest update --service web --tag <tag> adds it)']);
  });

  it('init with no image at all is an error', async () => {
    await expect(startManifest(context({}), manifest({}))).rejects.toThrow('No service could start the manifest');
  });

  it('resolve: a floating tag becomes the release that shares its digest', async () => {
    const change = await resolveFloating(context({ 'reg.example/api': { latest: D2, '1.4.0': D2 } }), manifest({ api: { tag: 'latest' }, web: { tag: '1.0.0', digest: D1 } }));
    expect(change.changed).toEqual(['api']);
    expect(change.manifest.services.api).toMatchObject({ current_tag: '1.4.0', image_digest: D2 });
  });

  it.each([
    ['to the previous version', { service: 'api' }, ['api'], '0.9.0'],
    ['--all skips a service with no history', { all: true }, ['api'], '0.9.0']
  ])('rollback %s', async (_what, inputs, changed, tag) => {
    const change = await rollback(context({}, inputs), manifest({ api: { tag: '1.0.0', digest: D2, history: ['0.9.0'] }, web: { tag: '1.0.0', digest: D1 } }));
    expect(change.changed).toEqual(changed);
    expect(change.manifest.services.api.current_tag).toBe(tag);
  });

  it.each([
    [{}, 'rollback needs --service S'],
    [{ all: true, to: '1.0.0' }, '--to needs --service']
  ])('rollback with %j is an error', async (inputs, message) => {
    await expect(rollback(context({}, inputs), manifest({}))).rejects.toThrow(message);
  });

  it('check-updates: newer release tags, and a floating tag told to resolve first', async () => {
    const result = await checkUpdates(context({ 'reg.example/api': { '1.0.0': D1, '1.1.0': D2, latest: D2 } }), manifest({ api: { tag: '1.0.0' }, web: { tag: 'latest' } }));
    expect(result.data).toEqual({ api: ['1.1.0'], web: [] });
    expect(result.lines[1]).toBe('web: latest is not a release tag (run imgver manifest resolve first)');
  });

  it.each([
    [{ name: 'api', image: 'i', tags: ['i:1.2.3', 'i:latest'], version: '1.2.3' }, '1.2.3'],
    [{ name: 'api', image: 'i', tags: ['i:latest', 'i:v1.2.3'], version: '1.2.3' }, 'v1.2.3'],
    [{ name: 'api', image: 'i', tags: ['i:1.2.3-rc.1'], version: '1.2.3+build.1' }, '1.2.3-rc.1'],
    [{ name: 'api', image: 'i', version: '1.2.3+build.1' }, '1.2.3_build.1']
  ])('the tag a plan service records: %j → %s', (service, tag) => {
    expect(planTag(service)).toBe(tag);
  });

  it.each([
    ['{"version": "1.2.3"}', '1.2.3'],
    ['{"app": {"version": 7}}', '7'],
    ['{"name": "x"}', ''],
    ['1.2.3\nbuilt today', '1.2.3'],
    ['null', 'null']
  ])('the version in the body %j: %j', (body, version) => {
    expect(versionInBody(body)).toBe(version);
  });

  it.each([
    ['v1.2.3', '1.2.3'],
    [' 1.2.3 ', '1.2.3'],
    ['version', 'version']
  ])('a version %j compares as %j', (text, normal) => {
    expect(stripLeadingV(text)).toBe(normal);
  });

  it('history: the current entry first, then the history', () => {
    expect(historyReport(manifest({ api: { tag: '1.0.0', digest: D2, history: ['0.9.0'] } })).lines).toEqual([
      'api:',
      `  * 1.0.0            ${D2.slice(0, 19)} 2026-01-01T00:00:00Z`,
      `    0.9.0            ${D1.slice(0, 19)} 2025-12-01T00:00:00Z`
    ]);
  });
});
