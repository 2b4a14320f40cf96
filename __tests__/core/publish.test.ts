import { describe, expect, it } from '@jest/globals';
import { decideTags, isVersionTag, previousTag } from '../../src/core/publish.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('version tags', () => {
  it.each([
    ['1.2.3', '1.2.3', true],
    ['1.2.3', 'v1.2.3', true],
    ['1.2.3', '1.2.3-api', true],
    ['1.2.3', '1.2', false],
    ['1.2.3', 'latest', false],
    ['1.2.3+build.7', '1.2.3-build.7', true],
    [undefined, '4.20.5', true],
    [undefined, 'v4.20.5-api', true],
    [undefined, 'sha-abc1234', false],
    [undefined, '4.20', false]
  ])('[%#] version %s: %s is a version tag: %s', (version, tag, expected) => {
    expect(isVersionTag(version)(tag)).toBe(expected);
  });

  it.each([
    [['1.2.4', 'latest'], '1.2.4', '1.2.3', '1.2.3'],
    [['4.20.6-api', '4.20'], '4.20.6', '4.20.5', '4.20.5-api'],
    [['latest'], '1.2.4', '1.2.3', undefined],
    [['1.2.4'], '1.2.4', undefined, undefined]
  ])('[%#] previous tag of %o', (tags, version, previous, expected) => {
    expect(previousTag(tags, version, previous)).toBe(expected);
  });
});

describe('decideTags', () => {
  const versionTag = isVersionTag('1.2.3');
  it.each([
    [[{ tag: '1.2.3' }], [{ tag: '1.2.3', action: 'create' }]],
    [[{ tag: '1.2.3', current: A }], [{ tag: '1.2.3', current: A, action: 'keep' }]],
    [[{ tag: 'latest', current: B }], [{ tag: 'latest', current: B, action: 'move' }]]
  ])('[%#] %o', (states, expected) => {
    expect(decideTags(states, A, versionTag, false, 'r/api')).toEqual(expected);
  });

  it('reports every conflicting version tag at once, and moves them with force', () => {
    const states = [{ tag: '1.2.3', current: B }, { tag: 'v1.2.3', current: B }, { tag: 'latest', current: B }];
    expect(() => decideTags(states, A, versionTag, false, 'r/api')).toThrow(
      `Tags r/api:1.2.3 → ${B}, r/api:v1.2.3 → ${B} already exist on another image than ${A}; a released version is not overwritten. Release a new version, or set force: true to move them`
    );
    expect(decideTags(states, A, versionTag, true, 'r/api').map(d => d.action)).toEqual(['move', 'move', 'move']);
  });
});
