import { describe, expect, it } from '@jest/globals';
import { changelogNotes, movingTags, notesFromCommits, releaseCommitMessage, releaseTags, versionMismatch, DEFAULT_COMMIT_MESSAGE } from '../../../src/core/release.js';
import type { Plan } from '../../../src/core/plan.js';

const plan: Plan = {
  schema: 1,
  services: [
    { name: 'api', image: 'a', version: '1.2.3', release: true, releaseTag: 'v1.2.3' },
    { name: 'web', image: 'w', version: '1.2.3', release: true, releaseTag: 'v1.2.3' },
    { name: 'worker', image: 'k', version: '0.9.0', release: false, releaseTag: 'v0.9.0' }
  ]
};

describe('release tags and commit message', () => {
  it('tags a unified release once, for every released service', () => {
    expect(releaseTags(plan)).toEqual([{ name: 'v1.2.3', version: '1.2.3', services: ['api', 'web'], prerelease: false }]);
  });

  it.each([
    [DEFAULT_COMMIT_MESSAGE, ['v1.2.3'], 'chore(release): v1.2.3 [skip ci]'],
    [DEFAULT_COMMIT_MESSAGE, ['api/v1.2.3', 'web/v2.0.0'], 'chore(release): api/v1.2.3, web/v2.0.0 [skip ci]'],
    ['release {{version}} [skip ci]', ['v4.20.5'], 'release 4.20.5 [skip ci]']
  ])('[%#] %s with %o → %s', (template, names, expected) => {
    const tags = names.map(name => ({ name, version: name.replace(/^.*v/, ''), services: [], prerelease: false }));
    expect(releaseCommitMessage(template, tags)).toBe(expected);
  });

  it.each([
    ['v1.2.3', '1.2.3', false, ['v1', 'v1.2']],
    ['api/v2.0.1', '2.0.1', false, ['api/v2', 'api/v2.0']],
    ['v1.3.0-rc.1', '1.3.0-rc.1', true, []],
    ['release-7', '7.0.0', false, []]
  ])('[%#] %s moves %o', (name, version, prerelease, expected) => {
    expect(movingTags({ name, version, services: [], prerelease })).toEqual(expected);
  });
});

describe('release notes', () => {
  const changelog = `# Changelog

## [Unreleased]

## [1.2.3] - 2026-11-22

### Fixed
- The thing.

## [1.2.2] - 2026-11-01

- Older.

[Unreleased]: https://example.com/compare/v1.2.3...HEAD
`;

  it.each([
    ['1.2.3', '### Fixed\n- The thing.'],
    ['1.2.2', '- Older.'],
    ['9.9.9', undefined]
  ])('[%#] the CHANGELOG section of %s', (version, notes) => expect(changelogNotes(changelog, version)).toBe(notes));

  it('groups commits by type, without release commits', () => {
    expect(
      notesFromCommits([
        { sha: 'a'.repeat(40), subject: 'feat(api): paging' },
        { sha: 'b'.repeat(40), subject: 'fix: crash' },
        { sha: 'c'.repeat(40), subject: 'chore(release): v1.2.2 [skip ci]' },
        { sha: 'd'.repeat(40), subject: 'feat!: drop v1 API' },
        { sha: 'e'.repeat(40), subject: 'tidy up' }
      ])
    ).toBe(
      '### Breaking changes\n\n- feat!: drop v1 API (ddddddd)\n\n### Features\n\n- feat(api): paging (aaaaaaa)\n\n### Bug fixes\n\n- fix: crash (bbbbbbb)\n\n### Other changes\n\n- tidy up (eeeeeee)'
    );
  });
});

describe('version agreement', () => {
  const tag = { name: 'v1.2.3', version: '1.2.3', services: ['api'], prerelease: false };
  it.each([
    [[{ where: 'VERSION', version: '1.2.3' }, { where: 'deploy/shop/Chart.yaml', version: 'v1.2.3' }], undefined],
    [[{ where: 'VERSION', version: undefined }], undefined],
    [
      [{ where: 'VERSION', version: '1.2.2' }, { where: 'deploy/shop/Chart.yaml', version: '1.3.0' }],
      'Release v1.2.3 is version 1.2.3, but VERSION says 1.2.2, deploy/shop/Chart.yaml says 1.3.0: they must agree (run compute-version with write: true, and helm-sync, before release)'
    ]
  ])('[%#] %o → %s', (recorded, message) => expect(versionMismatch(tag, recorded)).toBe(message));
});
