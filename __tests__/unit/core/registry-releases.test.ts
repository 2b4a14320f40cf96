import { describe, expect, it } from '@jest/globals';
import semver from '../../../src/core/semver.js';
import { byVersionDescending } from '../../../src/core/semver.js';
import { compileTagFormat, releaseVersionOf, type TagFormat } from '../../../src/core/version-tag.js';
import { registryReleases, ReleaseScan } from '../../../src/core/registry-releases.js';

/**
 * The selection as it was before the one-pass scan: every release tag kept with its version, sorted by semver (each
 * version parsed), the versions of the line sorted with semver's own rsort. The scan must agree with it exactly.
 */
function reference(tags: string[], format: TagFormat, keep = 20) {
  const found: { tag: string; version: string }[] = [];
  for (const tag of tags) {
    const version = format.parse(tag) ?? (/^v?\d+\.\d+\.\d+$/.test(tag) ? semver.valid(tag.replace(/^v/, '')) : null);
    if (version && semver.prerelease(version) === null) found.push({ tag, version });
  }
  const highest = semver.rsort([...new Set(found.map(f => f.version))])[0];
  return { tags: tags.length, releases: found.length, highest, top: byVersionDescending(found, f => f.version).slice(0, keep) };
}

const NOISE = ['latest', 'main', 'sha-1a2b3c4', 'pr-12', 'edge', '', 'v', '1', '1.2', '1.2.3.4', 'v1.2', 'stable-1.2.3'];
const SHAPES = [
  // plain, v-prefixed, leading zeros, large numbers
  '1.2.3', 'v1.2.3', '0.0.0', 'v0.0.1', '01.2.3', '1.02.3', 'v1.2.03', '10.0.0', '9.99.999', '2.0.0', 'v2.0.0', 'vv2.0.0', 'V3.0.0',
  '123456789012345.0.0', '1234567890123456.0.0', '9007199254740991.0.0', '9007199254740992.0.0', '99999999999999999999.0.0',
  // prereleases: conventional, odd, invalid
  '3.0.0-rc.1', 'v3.0.0-rc.1', '3.0.0-beta', '3.0.0-', '3.0.0-01', '3.0.0-rc..1', '3.0.0-0', '4.0.0-x-y',
  // build metadata (no registry accepts '+', but a format or a test might hand one in)
  '3.1.0+build.5', 'v3.1.1+b', '3.1.2+b-c', '3.1.3-rc+b', '3.1.4_build', '3.1.5+',
  // whitespace and line ends in the middle
  ' 3.2.0', '3.2.1 ', '3.2.2\n', '3.2.3\u2028', '=3.2.4',
  // the formats' prefixes and suffixes
  'api/v5.0.0', 'api/5.0.1', 'api/v5.0.2-rc.1', 'api/vv5.0.3', 'web/v9.0.0', 'api-v6.0.0', 'api-v6.0.1-beta.2', 'release-7.0.0-final', '7.0.1-final',
  'release-7.0.2', 'api/v', 'api-v',
  // formats claiming plain tags, and a format of regular-expression characters
  '11.2.3', '12.0.0', '1.2.3.0', '1.2.0', '1.2.3.0.0', 'v1.2.3.0', 'a.b+1.2.3', 'axb+1.2.3', 'a.b+v1.2.3', 'a.b+01.2.3'
];

describe('registry releases: the one-pass scan agrees with sorting every release tag', () => {
  // 1{{version}} and {{version}}.0 claim some plain X.Y.Z tags (11.2.3, 1.2.0) for the format, which reads them otherwise.
  it.each([['{{version}}'], ['v{{version}}'], ['{{service}}/v{{version}}'], ['{{service}}-v{{version}}'], ['release-{{version}}'], ['{{version}}-final'], ['1{{version}}'], ['{{version}}.0'], ['a.b+{{version}}']])(
    'tag format %s',
    format => {
      const compiled = compileTagFormat(format, 'api');
      const tags = [...NOISE, ...SHAPES];
      for (const keep of [0, 1, 3, 20]) expect(registryReleases(tags, compiled, keep)).toEqual(reference(tags, compiled, keep));
      // Order does not change the answer, nor where equal versions (1.2.3 and v1.2.3) fall: listing order.
      const reversed = [...tags].reverse();
      expect(registryReleases(reversed, compiled)).toEqual(reference(reversed, compiled));
      for (const tag of tags) expect(registryReleases([tag], compiled).top[0]?.version).toBe(releaseVersionOf(tag, compiled));
      // A page as it arrives, tag by tag (add), as the whole array at once (addAll's loop).
      for (const keep of [0, 1, 20]) {
        const scan = new ReleaseScan(compiled, keep);
        for (const tag of tags) scan.add(tag);
        expect(scan.result()).toEqual(reference(tags, compiled, keep));
      }
    }
  );

  it.each([
    ['{{version}}', ['1.2.3', 'v1.2.3', '1.2.4-rc.1', 'latest'], '1.2.3', ['1.2.3', 'v1.2.3']],
    ['v{{version}}', ['v1.0.0', '1.1.0', 'v1.1.0-rc.1', 'vv2.0.0'], '1.1.0', ['1.1.0', 'v1.0.0']],
    ['{{service}}/v{{version}}', ['api/v2.0.0', 'web/v3.0.0', 'api/v2.1.0-beta'], '2.0.0', ['api/v2.0.0']],
    ['{{version}}', ['sha-abc', 'latest'], undefined, []]
  ])('[%#] %s over %j: highest %s', (format, tags, highest, top) => {
    const found = registryReleases(tags, compileTagFormat(format, 'api'));
    expect(found.highest).toBe(highest);
    expect(found.top.map(t => t.tag)).toEqual(top);
  });

  it('keeps the 20 highest of a large listing in semver order, as a full sort does', () => {
    const format = compileTagFormat('{{version}}');
    // Shuffled deterministically: sha tags, prereleases, v-prefixes and duplicates among 50,000 tags.
    const tags = Array.from({ length: 50_000 }, (_, i) => {
      const j = (i * 7919) % 50_000;
      return j % 10 === 9 ? `sha-${j.toString(16)}` : j % 10 === 8 ? `1.${j % 500}.${j % 97}-rc.1` : `${j % 7 === 0 ? 'v' : ''}${j % 3}.${j % 500}.${j % 97}`;
    });
    expect(registryReleases(tags, format)).toEqual(reference(tags, format));
  });
});
