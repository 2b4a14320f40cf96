import { describe, expect, it } from '@jest/globals';
import { conflictError, decideTags, retagDecisions, tagsToRead, versionTagConflicts } from '../../../src/core/publish.js';
import { isVersionTag } from '../../../src/core/version-tag.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('decideTags and version tag conflicts', () => {
  const versionTag = isVersionTag('1.2.3');
  it.each([
    [[{ tag: '1.2.3' }], [{ tag: '1.2.3', action: 'create' }]],
    [[{ tag: '1.2.3', current: A }], [{ tag: '1.2.3', current: A, action: 'keep' }]],
    [[{ tag: 'latest', current: B }], [{ tag: 'latest', current: B, action: 'move' }]]
  ])('[%#] %o', (states, expected) => {
    expect(decideTags(states, A)).toEqual(expected);
    expect(versionTagConflicts(states, A, versionTag, 'r/api')).toEqual([]);
  });

  it.each([
    // target A: version tags on B conflict, floating ones do not
    [[{ tag: '1.2.3', current: B }, { tag: 'v1.2.3', current: B }, { tag: '1.2.3-api', current: A }, { tag: 'latest', current: B }], A, ['r/api:1.2.3', 'r/api:v1.2.3']],
    // no target yet (a new build): every existing version tag conflicts
    [[{ tag: '1.2.3-api', current: A }, { tag: '1.2', current: B }, { tag: '1.2.3' }], undefined, ['r/api:1.2.3-api']]
  ])('[%#] conflicts of %o with target %s', (states, target, expected) => {
    expect(versionTagConflicts(states, target, versionTag, 'r/api').map(c => c.reference)).toEqual(expected);
  });

  it('lists every conflict in one error', () => {
    const error = conflictError([
      { reference: 'r/api:1.2.3', current: B, detail: 'built from abc1234; this run builds def5678' },
      { reference: 'mirror/api:1.2.3', current: A }
    ]);
    expect(error.message).toBe(
      [
        '2 version tags already hold another image, and a released version is never overwritten:',
        `  r/api:1.2.3 → ${B} (built from abc1234; this run builds def5678)`,
        `  mirror/api:1.2.3 → ${A}`,
        'Nothing was pushed or tagged. Release a new version, or set force: true to move them.'
      ].join('\n')
    );
  });
});

describe('a retag reads the version tags and writes the floating ones unread, version tags last', () => {
  it.each([
    [['1.2.3', '1.2', 'latest'], ['1.2.3']],
    [['1.2.3', 'v1.2.3', 'latest'], ['1.2.3', 'v1.2.3']],
    // an image without a version tag (a mirror kept at latest): every tag is read
    [['latest', 'sha-abc1234'], ['latest', 'sha-abc1234']]
  ])('[%#] of %o reads %o', (tags, expected) => {
    expect(tagsToRead(tags, isVersionTag('1.2.3'))).toEqual(expected);
  });

  it.each([
    // a new version: floating tags set first, then the version tag created
    [['1.2.3', '1.2', 'latest'], [{ tag: '1.2.3' }], [{ tag: '1.2', action: 'set' }, { tag: 'latest', action: 'set' }, { tag: '1.2.3', action: 'create' }]],
    // the version tag already holds the target: the image is complete, its floating tags left as they are
    [['1.2.3', '1.2', 'latest'], [{ tag: '1.2.3', current: A }], [{ tag: '1.2', action: 'leave' }, { tag: 'latest', action: 'leave' }, { tag: '1.2.3', current: A, action: 'keep' }]],
    // one version tag of two in place: not complete, the floating tags are set again
    [['1.2.3', 'v1.2.3', 'latest'], [{ tag: '1.2.3', current: A }, { tag: 'v1.2.3' }], [{ tag: 'latest', action: 'set' }, { tag: '1.2.3', current: A, action: 'keep' }, { tag: 'v1.2.3', action: 'create' }]],
    // forced: a version tag elsewhere moves, after the floating tags
    [['1.2.3', 'latest'], [{ tag: '1.2.3', current: B }], [{ tag: 'latest', action: 'set' }, { tag: '1.2.3', current: B, action: 'move' }]],
    // every tag read (no version tag): as decideTags
    [['latest', 'edge'], [{ tag: 'latest', current: A }, { tag: 'edge', current: B }], [{ tag: 'latest', current: A, action: 'keep' }, { tag: 'edge', current: B, action: 'move' }]]
  ])('[%#] tags %o read as %o', (tags, states, expected) => {
    expect(retagDecisions(tags, states, A)).toEqual(expected);
  });
});
