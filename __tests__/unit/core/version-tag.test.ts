import { describe, expect, it } from '@jest/globals';
import {
  compileTagFormat,
  isReleaseTag,
  isVersionLike,
  isVersionTag,
  previousImageTag,
  previousRelease,
  registryReleaseVersions,
  stripLeadingV,
  tagsOfFormat,
  versionLikeTags
} from '../../../src/core/version-tag.js';

describe('the version-tag vocabulary', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    [' v1.2.3-rc.1 ', '1.2.3-rc.1'],
    ['vnext', 'vnext'],
    ['api-v1.2.3', 'api-v1.2.3'],
    ['V1.2.3', 'V1.2.3']
  ])('[%#] strip a leading v: %s → %s', (text, expected) => expect(stripLeadingV(text)).toBe(expected));

  it.each<[string, string | undefined, string, string | undefined]>([
    ['v{{version}}', undefined, 'v1.2.3', '1.2.3'],
    ['v{{version}}', undefined, '1.2.3', undefined],
    ['v{{version}}', undefined, 'vv1.2.3', undefined],
    ['v{{version}}', undefined, 'v1.2.3-rc.1', '1.2.3-rc.1'],
    ['v{{version}}', undefined, 'release1', undefined],
    ['{{version}}', undefined, '1.2.3', '1.2.3'],
    ['{{version}}', undefined, 'v1.2.3', undefined],
    ['api-v{{version}}', undefined, 'api-v1.2.3', '1.2.3'],
    ['api-v{{version}}', undefined, 'v1.2.3', undefined],
    ['api-v{{version}}', undefined, 'web-api-v1.2.3', undefined],
    ['{{service}}/v{{version}}', 'api', 'api/v1.2.3', '1.2.3'],
    ['{{service}}/v{{version}}', 'api', 'web/v1.2.3', undefined],
    ['{{service}}-{{version}}', 'api', 'api-2.0.0', '2.0.0']
  ])('[%#] tag format %s (%s) parses %s as %s', (format, service, tag, version) => {
    expect(compileTagFormat(format, service).parse(tag)).toBe(version);
  });

  it.each([
    ['{{service}}/v{{version}}', 'api', '1.0.0', 'api/v1.0.0', 'api/v*'],
    ['v{{version}}', undefined, '2.0.0-rc.1', 'v2.0.0-rc.1', 'v*'],
    ['[x]{{version}}*', undefined, '1.0.0', '[x]1.0.0*', '\\[x]*\\*']
  ])('[%#] tag format %s (%s) renders %s as %s, globs %s', (format, service, version, tag, glob) => {
    const f = compileTagFormat(format, service);
    expect([f.render(version), f.glob]).toEqual([tag, glob]);
  });

  it.each([
    ['v1', /must contain \{\{version\}\} exactly once/],
    ['{{version}}-{{version}}', /exactly once/],
    ['{{branch}}-{{version}}', /only \{\{version\}\} and \{\{service\}\}/],
    ['{{service}}/v{{version}}', /per-service/]
  ])('[%#] bad tag format %s', (format, message) => expect(() => compileTagFormat(format)).toThrow(message));

  it.each([
    // the version itself, a v prefix, prefix and suffix variants, the Docker-safe forms of build metadata
    ['1.2.3', '1.2.3', true],
    ['1.2.3', 'v1.2.3', true],
    ['1.2.3', '1.2.3-api', true],
    ['1.2.3', 'api-1.2.3', true],
    ['1.2.3+build.7', '1.2.3-build.7', true],
    ['1.2.3+build.7', '1.2.3_build.7', true],
    // a whole version only: not inside a longer one
    ['1.2.3', '11.2.30', false],
    ['1.2.3', '11.2.3', false],
    ['1.2.3', '1.2.30', false],
    ['1.2.3', '1.2.3.4', false],
    ['1.2.3', '0.1.2.3', false],
    ['1.2.3-rc.1', '1.2.3-rc.10', false],
    ['1.2.3', '1.2', false],
    ['1.2.3', 'latest', false],
    // without a version, any full X.Y.Z tag counts
    [undefined, '4.20.5', true],
    [undefined, 'v4.20.5-api', true],
    [undefined, 'sha-abc1234', false],
    [undefined, '4.20', false]
  ])('[%#] version %s: %s is one of its tags: %s', (version, tag, expected) => expect(isVersionTag(version)(tag)).toBe(expected));

  it.each([
    [['1.2.4', 'latest'], '1.2.4', '1.2.3', '1.2.3'],
    [['4.20.6-api', '4.20'], '4.20.6', '4.20.5', '4.20.5-api'],
    [['api-v2.0.0'], '2.0.0', '1.9.9', 'api-v1.9.9'],
    [['11.2.40', '1.2.4-web'], '1.2.4', '1.2.3', '1.2.3-web'],
    [['latest'], '1.2.4', '1.2.3', undefined],
    [['1.2.4'], '1.2.4', undefined, undefined],
    [['1.2.4'], '1.2.4', '1.2.4', undefined]
  ])('[%#] the image tag before %o (%s, previous %s) is %s', (tags, version, previous, expected) => {
    expect(previousImageTag(tags, version, previous)).toBe(expected);
  });

  const line = tagsOfFormat(['v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'v2.0.0', 'api-v9.0.0', 'latest'], compileTagFormat('v{{version}}'));
  it.each<[string | undefined, boolean, string | undefined]>([
    [undefined, false, 'v2.0.0'],
    ['2.0.0', false, 'v1.1.0'],
    ['1.2.0', true, 'v1.2.0-rc.1'],
    ['1.2.0', false, 'v1.1.0'],
    ['1.0.0', false, undefined]
  ])('[%#] the release before %s (prereleases %s) is %s', (below, prereleases, expected) => {
    expect(previousRelease(line, below, { prereleases })?.tag).toBe(expected);
  });

  it.each<[string, (tags: string[]) => unknown, string[], unknown]>([
    ['tagsOfFormat', tags => tagsOfFormat(tags, compileTagFormat('api-v{{version}}')), ['api-v1.0.0', 'v1.0.0', 'api-vx'], [{ tag: 'api-v1.0.0', version: '1.0.0' }]],
    [
      'registryReleaseVersions',
      tags => registryReleaseVersions(tags, compileTagFormat('app-{{version}}')),
      ['app-1.0.0', 'v2.0.0', '3.0.0', '4.0.0-rc.1', 'v5.0', 'latest'],
      [
        { tag: 'app-1.0.0', version: '1.0.0' },
        { tag: 'v2.0.0', version: '2.0.0' },
        { tag: '3.0.0', version: '3.0.0' }
      ]
    ],
    ['isReleaseTag', tags => tags.map(isReleaseTag), ['1.64', 'v2.0.0', '1.2.3-rc.1', 'latest', 'v2', 'api-1.2.3'], [true, true, true, false, false, false]],
    ['isVersionLike', tags => tags.map(isVersionLike), ['v1.2.3', '1.2.3-rc.1', '1.2', 'latest'], [true, true, false, false]],
    ['versionLikeTags', versionLikeTags, ['api/v1.2.3', '1.2', 'latest', 'v1'], ['api/v1.2.3', '1.2']]
  ])('[%#] %s of %o', (_name, read, tags, expected) => expect(read(tags)).toEqual(expected));
});
