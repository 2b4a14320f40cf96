import { describe, expect, it } from '@jest/globals';
import { rotateChangelog } from '../../../src/core/changelog.js';
import { parseVersionFileSpec, readVersionFile, writeVersionFile } from '../../../src/core/version-file.js';

describe('version files', () => {
  it.each<[string, string, string]>([
    ['VERSION', '1.2.3\n', '1.2.3'],
    ['VERSION', 'v4.20.5\n', '4.20.5'],
    ['package.json', '{\n  "name": "x",\n  "version": "0.3.1"\n}\n', '0.3.1'],
    ['assets/version.json#version', '{"version": "2.0.0", "build": 1}', '2.0.0'],
    ['meta.json#app.release', '{"app": {"release": "1.0.0-rc.1"}}', '1.0.0-rc.1'],
    ['Chart.yaml', 'apiVersion: v2\nname: x\n# the chart version\nversion: 0.4.0\n', '0.4.0']
  ])('[%#] reads %s', (spec, text, version) => {
    expect(readVersionFile(parseVersionFileSpec(spec), text)).toBe(version);
  });

  it.each<[string, string, string, Record<string, string>, string]>([
    ['VERSION', '1.2.3\n', '1.2.4', {}, '1.2.4\n'],
    ['VERSION', 'v1.2.3\n', '1.2.4', {}, 'v1.2.4\n'],
    ['package.json', '{\n    "name": "x",\n    "version": "0.3.1"\n}\n', '0.4.0', {}, '{\n    "name": "x",\n    "version": "0.4.0"\n}\n'],
    ['v.json#version', '{\n  "version": "1.0.0"\n}', '1.0.1', { build_number: '42', git_commit: 'abc1234' }, '{\n  "version": "1.0.1",\n  "build_number": "42",\n  "git_commit": "abc1234"\n}'],
    ['Chart.yaml', 'apiVersion: v2\n# keep me\nversion: 0.4.0 # inline\nappVersion: "1"\n', '0.5.0', {}, 'apiVersion: v2\n# keep me\nversion: 0.5.0 # inline\nappVersion: "1"\n']
  ])('[%#] writes %s', (spec, text, version, fields, expected) => {
    expect(writeVersionFile(parseVersionFileSpec(spec), text, version, fields)).toBe(expected);
  });

  it.each<[string, string, RegExp]>([
    ['VERSION', 'banana\n', /VERSION:1: "banana" is not a version/],
    ['VERSION', '\n\n1.2\n', /VERSION:3: "1.2" is not a version/],
    ['package.json', '{"name": "x"}', /package.json has no field "version"/],
    ['package.json', '{"name": "x",\n "version": }', /package.json:2: not valid JSON/],
    ['Chart.yaml', 'version: [1\n', /Chart.yaml:2/]
  ])('[%#] errors on %s', (spec, text, message) => {
    expect(() => readVersionFile(parseVersionFileSpec(spec), text)).toThrow(message);
  });

  it('refuses extra fields on a plain VERSION file', () => {
    expect(() => writeVersionFile(parseVersionFileSpec('VERSION'), '1.0.0\n', '1.0.1', { b: '1' })).toThrow(/need a JSON or YAML version file/);
  });
});

describe('CHANGELOG rotation', () => {
  const changelog = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '### Added',
    '- New thing',
    '',
    '## [1.2.0] - 2026-01-01',
    '',
    '### Fixed',
    '- Old bug',
    '',
    '[Unreleased]: https://github.com/acme/app/compare/v1.2.0...HEAD',
    '[1.2.0]: https://github.com/acme/app/compare/v1.1.0...v1.2.0',
    ''
  ].join('\n');

  it('rotates Unreleased into the release and updates the links', () => {
    const out = rotateChangelog({ text: changelog, file: 'CHANGELOG.md', version: '1.3.0', date: '2026-11-22', tag: 'v1.3.0' });
    expect(out).toBe(
      [
        '# Changelog',
        '',
        '## [Unreleased]',
        '',
        '## [1.3.0] - 2026-11-22',
        '',
        '### Added',
        '- New thing',
        '',
        '## [1.2.0] - 2026-01-01',
        '',
        '### Fixed',
        '- Old bug',
        '',
        '[Unreleased]: https://github.com/acme/app/compare/v1.3.0...HEAD',
        '[1.3.0]: https://github.com/acme/app/compare/v1.2.0...v1.3.0',
        '[1.2.0]: https://github.com/acme/app/compare/v1.1.0...v1.2.0',
        ''
      ].join('\n')
    );
  });

  it('is idempotent for the same version', () => {
    const once = rotateChangelog({ text: changelog, file: 'CHANGELOG.md', version: '1.3.0', date: '2026-11-22', tag: 'v1.3.0' });
    expect(rotateChangelog({ text: once, file: 'CHANGELOG.md', version: '1.3.0', date: '2026-11-23', tag: 'v1.3.0' })).toBe(once);
  });

  it('needs an Unreleased heading', () => {
    expect(() => rotateChangelog({ text: '# Changelog\n', file: 'CHANGELOG.md', version: '1.0.0', date: 'd', tag: 'v1.0.0' })).toThrow(
      /CHANGELOG.md has no "## \[Unreleased\]" heading/
    );
  });
});
