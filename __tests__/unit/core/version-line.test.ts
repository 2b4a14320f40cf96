import { describe, expect, it } from '@jest/globals';
import { normalizeConfig, type RawConfig } from '../../../src/core/config.js';
import {
  changelogPathOf,
  linePrereleaseIds,
  lineVersionFile,
  newestChangelogVersion,
  pathsWithDependencies,
  prereleaseSpecOf,
  repositoryUnit,
  requestScheme,
  versionLines,
  versionOfBranch
} from '../../../src/core/version-line.js';

const config = (raw: RawConfig) => normalizeConfig(raw, 'imgver.yaml');
const shop = config({
  version: { scheme: 'per-service', file: '{{context}}/VERSION' },
  services: { api: { context: 'svc/api', 'depends-on': ['common'] }, web: { 'tag-format': 'web-v{{version}}', 'version-file': 'web/package.json' } },
  libs: { common: { paths: ['lib/common/**'], 'depends-on': ['proto'] }, proto: { paths: ['proto/**', '!proto/docs/**'] } }
});

describe('version lines', () => {
  it.each<[string, RawConfig, string[], [string, string, string[], string | undefined][]]>([
    ['unified, no services: the whole tree', {}, [], [['unified', 'v1.0.0', ['**'], undefined]]],
    ['unified: every unit\'s paths', { services: { api: {}, web: {} }, version: { file: 'VERSION' } }, ['api', 'web'], [['unified', 'v1.0.0', ['api/**', 'web/**'], 'VERSION']]],
    ['unified: trigger paths', { services: { api: {} }, version: { 'trigger-paths': ['src/**'] } }, ['api'], [['unified', 'v1.0.0', ['src/**'], undefined]]]
  ])('[%#] %s', (_name, raw, names, expected) => {
    const c = config(raw);
    const lines = versionLines(c, c.version.scheme, c.services.filter(s => names.includes(s.name)), {});
    expect(lines.map(l => [l.name, l.format.render('1.0.0'), l.paths, l.versionFile])).toEqual(expected);
  });

  it('per-service: one line each, with its tag format, version file and the paths of what it depends on', () => {
    const lines = versionLines(shop, 'per-service', shop.services, {});
    expect(lines.map(l => [l.name, l.format.render('1.0.0'), l.paths, l.versionFile])).toEqual([
      ['api', 'api/v1.0.0', ['svc/api/**', 'lib/common/**', 'proto/**', '!proto/docs/**'], 'svc/api/VERSION'],
      ['web', 'web-v1.0.0', ['web/**'], 'web/package.json']
    ]);
  });

  it.each<[string, Parameters<typeof lineVersionFile>[1], string | undefined, string, string | undefined]>([
    ['per-service template', 'per-service', undefined, 'api', 'svc/api/VERSION'],
    ['the service\'s own', 'per-service', undefined, 'web', 'web/package.json'],
    ['the input over both', 'per-service', 'VERSION.txt', 'web', 'VERSION.txt'],
    ['unified: the config\'s as written', 'unified', undefined, 'api', '{{context}}/VERSION']
  ])('[%#] version file: %s', (_name, scheme, override, service, expected) => {
    expect(lineVersionFile(shop, scheme, override, shop.services.find(s => s.name === service))).toBe(expected);
  });

  it.each<[RawConfig['version'], boolean, string, string | undefined]>([
    [{}, true, 'svc/api', 'CHANGELOG.md'],
    [{}, false, 'svc/api', 'svc/api/CHANGELOG.md'],
    [{}, false, '.', 'CHANGELOG.md'],
    [{ changelog: false }, true, 'svc/api', undefined],
    [{ changelog: 'docs/{{service}}.md' }, false, 'svc/api', 'docs/api.md']
  ])('[%#] changelog of %o (unified %s, context %s): %s', (version, unified, context, expected) => {
    const c = config({ version, services: { api: { context } } });
    expect(changelogPathOf(c, unified, c.services[0])).toBe(expected);
  });

  it.each([
    ['## [1.2.3] - 2024-01-01\n## [1.10.0]\n', '1.10.0'],
    ['# Changelog\n## v2.0.0-rc.1\n## 1.9.0\n', '2.0.0-rc.1'],
    ['## Unreleased\n', undefined]
  ])('[%#] newest changelog version of %j', (text, expected) => expect(newestChangelogVersion(text)).toBe(expected));

  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['release/v3', '3.0.0', '3.x'],
    ['release/v3.2', '3.2.0', '3.2.x'],
    ['3.2.x', '3.2.0', '3.2.x'],
    ['v4', '4.0.0', '4.x'],
    ['JIRA-123', undefined, undefined],
    ['main', undefined, undefined],
    [undefined, undefined, undefined]
  ])('[%#] branch %s: version %s', (branch, base, text) => {
    const v = versionOfBranch(branch);
    expect([v?.base, v?.text]).toEqual([base, text]);
  });

  it.each<[RawConfig['prerelease'], string | undefined, string | undefined, string | undefined]>([
    [{}, undefined, 'main', undefined],
    [{}, 'true', 'main', 'rc'],
    [{ enabled: true }, 'false', 'main', undefined],
    [{}, 'beta', 'main', 'beta'],
    [{ enabled: true, id: '{{branch}}' }, undefined, 'next', 'next'],
    [{ branches: { develop: 'dev' } }, undefined, 'develop', 'dev'],
    [{ branches: { develop: 'dev' } }, undefined, 'main', undefined]
  ])('[%#] prerelease of %o, input %s, branch %s: %s', (prerelease, input, branch, expected) => {
    expect(prereleaseSpecOf(config({ prerelease }), input, { branch, defaultBranch: 'main' }, undefined)?.id).toBe(expected);
  });

  it.each<[RawConfig['prerelease'], string | undefined, string | undefined, string[]]>([
    [{}, undefined, undefined, ['rc']],
    [{ id: 'beta', branches: { develop: 'dev', 'feat/*': '{{branch}}', main: false } }, 'alpha', 'dev', ['beta', 'dev', 'alpha', 'dev']]
  ])('[%#] prerelease ids of %o', (prerelease, input, active, expected) => {
    expect(linePrereleaseIds(config({ prerelease }), input, active)).toEqual(expected);
  });

  it.each([
    ['/work/My App', undefined, 'my-app'],
    ['/srv/shop', 'web', 'web'],
    ['/', undefined, 'repository']
  ])('[%#] the repository unit of %s (%s) is %s', (cwd, name, expected) => {
    expect(repositoryUnit(cwd, name)).toEqual({ name: expected, image: '', context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] });
  });

  it.each<[{ scheme?: 'unified' | 'per-service'; images?: string[] }, 'unified' | 'per-service']>([
    [{}, 'per-service'],
    [{ images: ['ghcr.io/a/app'] }, 'unified'],
    [{ scheme: 'unified' }, 'unified']
  ])('[%#] the scheme of request %o is %s', (request, expected) => expect(requestScheme(request, shop)).toBe(expected));

  it('dependencies are followed once, transitively, each unit keeping its own globs in order', () => {
    const c = config({ services: { a: { 'depends-on': ['x', 'y'] } }, libs: { x: { paths: ['x/**'], 'depends-on': ['y'] }, y: { paths: ['y/**', '!y/t/**'], 'depends-on': ['x'] } } });
    expect(pathsWithDependencies(c, c.services[0])).toEqual(['a/**', 'x/**', 'y/**', '!y/t/**']);
  });
});
