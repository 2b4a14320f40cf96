import { describe, expect, it } from '@jest/globals';
import type { Plan, VersionRequest } from '../../../src/core/plan.js';
import { parsePlan } from '../../../src/core/plan.js';
import { parseVersionRequest, requestOfPlan } from '../../../src/actions/version-computation.js';

const plan = (fields: Partial<Plan>): Plan => ({ schema: 1, services: [], ...fields });

describe('the version request', () => {
  it.each<[string, Record<string, string>, VersionRequest]>([
    ['nothing given', {}, { bump: 'auto' }],
    ['single image', { images: 'ghcr.io/a/app', 'tag-format': 'api-v{{version}}' }, { images: ['ghcr.io/a/app'], tagFormat: 'api-v{{version}}', bump: 'auto' }],
    [
      'every field',
      {
        config: 'ci/imgver.yaml',
        service: 'api',
        'version-source': 'file',
        'version-file': 'VERSION',
        bump: 'minor',
        prerelease: 'rc',
        tags: 'type=semver,pattern={{version}}\ntype=sha',
        flavor: 'latest=false',
        labels: 'a=b',
        annotations: 'c=d',
        ref: 'refs/heads/main',
        event: 'push'
      },
      {
        config: 'ci/imgver.yaml',
        service: 'api',
        source: 'file',
        versionFile: 'VERSION',
        bump: 'minor',
        prerelease: 'rc',
        tags: ['type=semver,pattern={{version}}', 'type=sha'],
        flavor: ['latest=false'],
        labels: ['a=b'],
        annotations: ['c=d'],
        context: { event: 'push', ref: 'refs/heads/main' }
      }
    ]
  ])('[%#] %s', (_name, raw, expected) => {
    expect(parseVersionRequest(raw, new Set(Object.keys(raw)))).toEqual(expected);
  });

  it.each([
    ['version-source', { 'version-source': 'svn' }, /Input 'version-source' is set to invalid value 'svn'/],
    ['bump', { bump: 'huge' }, /bump/]
  ])('[%#] a bad %s input is named', (_name, raw, message) => {
    expect(() => parseVersionRequest(raw, new Set(Object.keys(raw)))).toThrow(message);
  });

  it.each<[string, Plan, VersionRequest | undefined]>([
    ['a typed request', plan({ versionRequest: { scheme: 'per-service', tagFormat: '{{service}}-v{{version}}' } }), { scheme: 'per-service', tagFormat: '{{service}}-v{{version}}' }],
    [
      "an earlier imgver's raw inputs",
      plan({ computeInputs: { images: 'ghcr.io/a/app', 'tag-format': 'v{{version}}', config: 'imgver.yaml' } }),
      { config: 'imgver.yaml', images: ['ghcr.io/a/app'], tagFormat: 'v{{version}}', bump: 'auto' }
    ],
    ['both: the typed one', plan({ versionRequest: { bump: 'patch' }, computeInputs: { bump: 'major' } }), { bump: 'patch' }],
    ['neither', plan({}), undefined]
  ])('[%#] the request of a plan with %s', (_name, given, expected) => expect(requestOfPlan(given)).toEqual(expected));

  it('a plan with a request passes the plan schema; a misspelt field does not', () => {
    const request: VersionRequest = { scheme: 'unified', source: 'git-tag', bump: 'auto', images: ['a/b'], context: { ref: 'refs/heads/main' } };
    expect(parsePlan(JSON.stringify(plan({ versionRequest: request }))).versionRequest).toEqual(request);
    expect(() => parsePlan(JSON.stringify(plan({ versionRequest: { scheme: 'both' } as unknown as VersionRequest })))).toThrow(/versionRequest\.scheme/);
  });
});
