import { describe, expect, it } from '@jest/globals';
import { proposeInit, serviceName, tagFormat, valuesImages, type RepoFacts } from '../../../src/core/init-config.js';

/** What imgver init proposes from a repository's facts; on real repositories through the CLI: __tests__/integration/actions/init.test.ts. */
describe('init rules', () => {
  it.each([
    [['v1.2.3', 'v1.3.0', '0.9.0'], ['api'], { format: 'v{{version}}', scheme: 'unified', count: 2 }],
    [['1.0.0', '1.1.0'], ['api'], { format: '{{version}}', scheme: 'unified', count: 2 }],
    [['api/v1.0.0', 'web/v2.0.0', 'v0.1.0'], ['api', 'web'], { format: '{{service}}/v{{version}}', scheme: 'per-service', count: 2 }],
    [['api@1.0.0', 'web@2.0.0'], ['api', 'web'], { format: '{{service}}@{{version}}', scheme: 'per-service', count: 2 }],
    [['api-v1.0.0'], ['api'], { format: '{{service}}-v{{version}}', scheme: 'per-service', count: 1 }],
    [['other/v1.0.0', 'release-1', 'latest'], ['api'], undefined]
  ])('[%#] tags %j with services %j', (tags, services, expected) => {
    const result = tagFormat(tags, services);
    if (expected === undefined) expect(result).toBeUndefined();
    else expect(result).toMatchObject(expected);
  });

  it.each([
    ['@acme/Billing App', 'billing-app'],
    ['API', 'api'],
    ['_private', 'private'],
    ['!!!', 'app']
  ])('service name of %s is %s', (text, name) => {
    expect(serviceName(text)).toBe(name);
  });

  it('values images: mappings by repository name or by key, image strings as references; other images ignored', () => {
    const values = 'api:\n  image: {repository: r.io/x/api, tag: "1"}\nimages:\n  web: {tag: "2"}\nsidecar: {image: "r.io/x/worker:3"}\nredis: {image: {repository: redis, tag: "7"}}\n';
    expect(valuesImages(values, ['api', 'web', 'worker'])).toEqual([
      { service: 'api', path: 'api.image', repository: 'r.io/x/api' },
      { service: 'web', path: 'images.web', repository: undefined },
      { service: 'worker', path: 'sidecar.image', form: 'reference', repository: 'r.io/x/worker' }
    ]);
  });

  it('hostile file names and contents are data: no Dockerfile outside the name rules, no throw on broken YAML', () => {
    const facts: RepoFacts = {
      files: ['x/Dockerfile.$(rm -rf)', 'node_modules/a/Dockerfile', 'ok/Dockerfile', 'c/Chart.yaml'],
      contents: { 'c/values.yaml': 'a: [unclosed', 'ok/Dockerfile': 'FROM scratch\n' },
      tags: ['v1.0.0; rm -rf /'],
      subjects: [],
      defaultBranch: 'main',
      directoryName: 'repo'
    };
    const proposal = proposeInit(facts);
    expect(proposal.services.map(s => s.name)).toEqual(['ok']);
    // A path with a newline would write a key of its own into imgver.yaml: such files are not looked at.
    expect(proposeInit({ ...facts, files: ['evil\nimage: x/Dockerfile', 'ok/Dockerfile'] }).services.map(s => s.context)).toEqual(['ok']);
    // A repository in a values file that is no image name is not taken as the image.
    const values = 'ok:\n  image:\n    repository: "EVIL\\n: x/ok"\n    tag: "1"\n';
    expect(proposeInit({ ...facts, files: ['ok/Dockerfile', 'c/Chart.yaml'], contents: { 'c/values.yaml': values } }).image).toBe('registry.example.com/repo/{{service}}');
    expect(proposal.charts).toEqual([{ path: 'c', images: {} }]);
    expect(proposal.version).toEqual({ source: 'git-tag', scheme: 'unified' });
  });
});
