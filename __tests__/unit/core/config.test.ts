import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../../src/core/config-file.js';
import { UserError } from '../../../src/core/errors.js';

describe('imgver.yaml', () => {
  it('fills defaults: a service needs no more than its name', async () => {
    const config = await parseConfig('image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\n    context: apps/web/\n', 'imgver.yaml');
    expect(config.services).toEqual([
      expect.objectContaining({ name: 'api', image: 'ghcr.io/acme/api', context: 'api', dockerfile: 'api/Dockerfile', paths: ['api/**'] }),
      expect.objectContaining({ name: 'web', image: 'ghcr.io/acme/web', context: 'apps/web', dockerfile: 'apps/web/Dockerfile', paths: ['apps/web/**'] })
    ]);
    expect(config.version).toMatchObject({ scheme: 'unified', fileMode: 'exact', initial: '0.0.0' });
    expect(config.bump).toMatchObject({ default: 'patch', detect: ['markers', 'conventional'] });
  });

  it('reads every section', async () => {
    const config = await parseConfig(
      [
        'version:',
        '  source: file',
        '  scheme: per-service',
        '  file: "{{context}}/package.json"',
        '  file-fields: {build_number: "{{run_number}}"}',
        'bump:',
        '  default: none',
        '  detect: [conventional]',
        '  types: {refactor: patch}',
        '  pre-1: {breaking: minor}',
        'prerelease:',
        '  branches: {"release/*": rc}',
        '  numbering: bare-then-1',
        'tags: |',
        '  type=semver,pattern={{version}}',
        '  type=sha',
        'services:',
        '  api: {tag-format: "api-{{version}}"}'
      ].join('\n'),
      'imgver.yaml'
    );
    expect(config.tags).toEqual(['type=semver,pattern={{version}}', 'type=sha']);
    expect(config.bump.types).toEqual({ refactor: 'patch' });
    expect(config.prerelease.numbering).toBe('bare-then-1');
    expect(config.services[0].tagFormat).toBe('api-{{version}}');
  });

  it.each<[string, string, number, RegExp]>([
    ['unknown top-level key', 'services:\n  api:\nversoin:\n  source: ref\n', 3, /imgver.yaml:3: versoin: unknown key "versoin"/],
    ['unknown nested key', 'version:\n  source: ref\n  sorce: file\n', 3, /imgver.yaml:3: version.sorce: unknown key "sorce"/],
    ['bad enum', 'version:\n  source: ecr\n', 2, /imgver.yaml:2: version.source: expected one of "ref", "git-tag", "file", "registry"/],
    ['bad type', 'bump:\n  search-body: maybe\n', 2, /imgver.yaml:2: bump.search-body: expected boolean/],
    ['unknown service key', 'services:\n  api:\n    dockerfil: x\n', 3, /imgver.yaml:3: services.api.dockerfil: unknown key "dockerfil"/],
    ['bad service name', 'services:\n  Api:\n', 2, /imgver.yaml:2: services.Api: invalid name/],
    ['tag format without version', 'version:\n  tag-format: release\n', 2, /imgver.yaml:2: version.tag-format: does not match/],
    ['yaml syntax', 'services:\n  api: [\n', 3, /imgver.yaml:3:/],
    ['duplicate key', 'services:\n  api:\n  api:\n', 3, /imgver.yaml:3: .*unique/i],
    ['service in unified tag format', 'version:\n  tag-format: "{{service}}/v{{version}}"\n', 2, /needs scheme per-service/],
    ['not a mapping', '- a\n- b\n', 1, /expected a mapping/]
  ])('[%#] %s', async (_name, text, line, message) => {
    let error: unknown;
    try {
      await parseConfig(text, 'imgver.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).line).toBe(line);
    expect((error as UserError).file).toBe('imgver.yaml');
  });
});
