import { describe, expect, it } from '@jest/globals';
import { branchFor, isRollbackTarget, k8sSyncResult, kubernetesPatternLine, pullRequestText, releasedImages, versionOfTag } from '../../../src/core/k8s-release.js';
import type { Plan } from '../../../src/core/plan.js';

const image = (service: string, version: string) => ({ service, repository: `reg/${service}`, tag: version, version });

describe('k8s-sync rules (core/k8s-release.ts)', () => {
  it.each([
    [[image('web', '1'), image('api', '2')], false, 'imgver/k8s-sync/api-web'],
    [[image('api', '2')], true, 'imgver/rollback/api'],
    [Array.from({ length: 12 }, (_, i) => image(`service-number-${i}`, '1')), false, /^imgver\/k8s-sync\/12-services-[0-9a-f]+$/]
  ])('the branch of %#', (images, rollback, expected) => {
    const branch = branchFor(images, rollback);
    if (expected instanceof RegExp) expect(branch).toMatch(expected);
    else expect(branch).toBe(expected);
  });

  it.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3+b', '1.2.3_b'],
    ['version-2', 'version-2']
  ])('the tag %s as a version: %s', (tag, version) => {
    expect(versionOfTag(tag)).toBe(version);
  });

  it.each([
    [{ tag: '1.1.0' }, new Set(['1.2.0@']), undefined, true],
    [{ tag: '1.2.0' }, new Set(['1.2.0@']), undefined, false],
    [{ tag: 'v1.0.0' }, new Set(['1.2.0@']), '1.0.0', true],
    [{ tag: '1.1.0' }, new Set(['1.2.0@']), '1.0.0', false],
    [{ version: '1.1.0' }, new Set(['1.2.0@']), undefined, false]
  ])('is %j (now %j, to %s) the rollback target: %s', (deployed, current, to, expected) => {
    expect(isRollbackTarget({ service: 'api', file: 'f', line: 1, ...deployed } as never, current, to)).toBe(expected);
  });

  it('released images: a service skipped or without a version is left out', () => {
    const plan: Plan = {
      schema: 1,
      ref: 'r',
      sha: 's',
      services: [
        { name: 'api', image: 'reg/api', version: '1.2.0', tags: ['reg/api:1.2.0'], digest: `sha256:${'a'.repeat(64)}`, release: true },
        { name: 'web', image: 'reg/web', version: '1.0.0', action: 'skipped' },
        { name: 'job', image: 'reg/job' }
      ]
    } as Plan;
    expect(releasedImages(plan).map(i => `${i.service} ${i.tag}`)).toEqual(['api 1.2.0']);
    expect(() => releasedImages(undefined)).toThrow('k8s-sync needs the plan input');
  });

  it('the pull request names each service and version once, with the old version', () => {
    const { title, body } = pullRequestText([image('api', '1.2.0')], [{ service: 'api', file: 'k8s/api.yaml', line: 3, what: 'Deployment/api image', from: 'reg/api:1.1.0', to: 'reg/api:1.2.0' }] as never, false);
    expect(title).toBe('Deploy api 1.2.0');
    expect(body).toContain('| api | 1.1.0 → 1.2.0 | `1.2.0` |  |');
    expect(body).toContain('Files: `k8s/api.yaml`');
  });

  it.each([
    ['the changed files go to the plan', false, undefined, ['k8s/a.yaml']],
    ['a dry run writes nothing', true, undefined, undefined],
    ['a deploy repository commits them itself', false, 'acme/gitops', undefined]
  ])('result: %s', (_what, dryRun, deployRepository, written) => {
    const result = k8sSyncResult({ plan: undefined, images: [], changes: [], changedFiles: ['k8s/a.yaml'], pr: undefined, dryRun, rollback: false, digest: true, deployRepository });
    expect(result.plan.written).toEqual(written);
    // The plan output is the front door's (actions/stage-run.ts).
    expect(result.outputs.plan).toBeUndefined();
  });

  it('the line of a deploy.kubernetes pattern in the config', () => {
    expect(kubernetesPatternLine('version: {}\ndeploy:\n  kubernetes:\n    - a/*.yaml\n    - b/*.yaml\n', 1)).toBe(5);
  });
});
