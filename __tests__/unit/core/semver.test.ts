import { describe, expect, it } from '@jest/globals';
import semverRsort from 'semver/functions/rsort.js';
import semver, { byVersionDescending } from '../../../src/core/semver.js';

describe('versions sorted with each parsed once', () => {
  it.each([
    [['1.0.0', '1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-rc.10', '1.2.0-rc.2', '0.9.9', '2.0.0-alpha', '2.0.0']],
    [['1.0.0+build.2', '1.0.0+build.10', '1.0.0', '1.0.0-beta', '1.0.0-beta.11', '1.0.0-beta.2']],
    [Array.from({ length: 500 }, (_, i) => `${i % 7}.${(i * 13) % 11}.${(i * 7) % 17}${i % 5 === 0 ? `-rc.${i % 3}` : ''}`)]
  ])('[%#] orders as semver rsort does', versions => {
    expect(semver.rsort([...versions])).toEqual(semverRsort([...versions]));
  });

  it('keeps invalid versions last instead of throwing, and sorts items by a version of theirs', () => {
    expect(semver.rsort(['1.0.0', 'latest', '2.0.0'])).toEqual(['2.0.0', '1.0.0', 'latest']);
    expect(byVersionDescending([{ tag: 'v1.2.0', version: '1.2.0' }, { tag: 'v1.10.0', version: '1.10.0' }], r => r.version).map(r => r.tag)).toEqual(['v1.10.0', 'v1.2.0']);
  });
});
