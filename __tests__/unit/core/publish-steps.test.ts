import { describe, expect, it } from '@jest/globals';
import { parseImageRef } from '../../../src/core/image-ref.js';
import type { PlanService } from '../../../src/core/plan.js';
import type { TagState } from '../../../src/core/publish.js';
import {
  buildStep,
  groupTags,
  heldVersionTags,
  servicesToPublish,
  tagsToReadOf,
  TagLedger,
  unchangedCandidates,
  unchangedStep,
  type ImageTargets,
  type UnchangedPolicy
} from '../../../src/core/publish-steps.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const REVISION = 'org.opencontainers.image.revision';

function service(fields: Partial<PlanService> = {}): PlanService {
  return { name: 'api', image: 'r.io/acme/api', version: '1.2.4', previous: '1.2.3', tags: ['r.io/acme/api:1.2.4', 'r.io/acme/api:1.2', 'r.io/acme/api:latest'], ...fields };
}
const image: ImageTargets = { ref: parseImageRef('r.io/acme/api'), tags: ['1.2.4', '1.2', 'latest'] };

describe('groupTags', () => {
  it.each([
    [service(), [['r.io/acme/api', ['1.2.4', '1.2', 'latest']]]],
    [service({ tags: ['mirror.io/api:1.2.4', 'r.io/acme/api:1.2.4'] }), [['r.io/acme/api', ['1.2.4']], ['mirror.io/api', ['1.2.4']]]],
    [service({ tags: ['R.io/Acme/Api:1.2.4'] }), [['r.io/acme/api', ['1.2.4']]]],
    // a version-only plan: bare tags, no image
    [service({ image: '', tags: ['1.2.4'] }), []]
  ])('[%#] %o', (svc, expected) => {
    expect(groupTags(svc).map(i => [i.ref.name, i.tags])).toEqual(expected);
  });
});

describe('servicesToPublish', () => {
  const source = { tags: [], labels: [], context: '.' };
  it.each([
    [{ ...source }, true, /needs the plan of compute-version/],
    [{ ...source }, false, /Nothing to build/],
    [{ ...source, tags: ['r.io/api:1.0.0'], labels: ['no-equals'] }, false, /Input 'labels': "no-equals" is not key=value/],
    [{ ...source, plan: { schema: 1 as const, services: [service()] }, service: 'web' }, false, /Input 'service' is set to 'web', which is not in the plan \(api\)/]
  ])('[%#] refuses %o', (input, configHasServices, message) => {
    expect(() => servicesToPublish(input, configHasServices)).toThrow(message);
  });

  it('one image from tags given by hand: a changed service named after the repository, with its labels', () => {
    const { services } = servicesToPublish({ ...source, tags: ['r.io/acme/api:1.0.0', 'r.io/acme/api:latest'], labels: ['a=b=c'], file: 'api/Dockerfile' }, false);
    expect(services).toEqual([
      { name: 'api', image: 'r.io/acme/api', context: '.', dockerfile: 'api/Dockerfile', changed: true, tags: ['r.io/acme/api:1.0.0', 'r.io/acme/api:latest'], labels: { a: 'b=c' } }
    ]);
  });
});

describe('what an unchanged service reads and retags from', () => {
  it.each([
    [{ changed: true }, ['1.2.4', '1.2', 'latest']],
    [{ changed: false }, ['1.2.4']]
  ])('[%#] %o reads %o', (fields, expected) => {
    expect(tagsToReadOf(service(fields), image)).toEqual(expected);
  });

  it.each<[Partial<PlanService>, UnchangedPolicy, string[]]>([
    // a new version: only the previous release is a source (the new version tag is never adopted)
    [{}, 'retag', ['1.2.3']],
    [{ release: true, previous: undefined }, 'retag', []],
    // the version is already the release (a re-run after it): its own tag first
    [{ previous: '1.2.4' }, 'retag', ['1.2.4']],
    [{ previous: undefined }, 'retag', ['1.2.4']],
    [{}, 'skip', ['1.2.4', '1.2.3']],
    [{}, 'latest', ['latest']]
  ])('[%#] %o with %s: candidates %o', (fields, policy, expected) => {
    expect(unchangedCandidates(service(fields), image, policy)).toEqual(expected);
  });

  it.each<[UnchangedPolicy, string[], { tag: string; digest: string } | undefined, object]>([
    ['retag', ['1.2.3'], { tag: '1.2.3', digest: A }, { kind: 'retag', digest: A, why: 'unchanged: retag 1.2.3', rerun: false }],
    ['skip', ['1.2.4', '1.2.3'], { tag: '1.2.3', digest: A }, { kind: 'skip', digest: A, why: `unchanged; 1.2.3 is ${A.slice(0, 19)}…` }],
    ['skip', ['1.2.4', '1.2.3'], undefined, { kind: 'skip', why: 'unchanged (no earlier image found)' }],
    ['retag', ['1.2.3'], undefined, { kind: 'build', why: 'unchanged, but r.io/acme/api:1.2.3 does not exist to retag: built' }],
    ['retag', [], undefined, { kind: 'build', why: 'unchanged, but there is no earlier release to retag: built' }]
  ])('[%#] %s from %o, found %o', (policy, candidates, found, expected) => {
    expect(unchangedStep(image, policy, candidates, found)).toMatchObject(expected);
  });
});

describe('buildStep: a changed service whose version tags may hold an image already', () => {
  const states = (current?: string): Map<string, TagState[]> => new Map([['r.io/acme/api', [{ tag: '1.2.4', current }, { tag: 'latest', current: B }]]]);
  const decide = (current: string | undefined, revisions: [string, string | undefined][], labels: Record<string, string> = { [REVISION]: 'c0ffee1234' }, force = false) => {
    const svc = service({ labels });
    const s = states(current);
    return buildStep(svc, [image], s, heldVersionTags(svc, [image], s), new Map(revisions), force, 'changed');
  };

  it.each<[string, ReturnType<typeof decide>['step']['kind'], number, ReturnType<typeof decide>]>([
    ['nothing held: build', 'build', 0, decide(undefined, [])],
    ['held by this commit: a re-run retag', 'retag', 0, decide(A, [[A, 'c0ffee1234']])],
    ['held by another commit: a conflict', 'build', 1, decide(A, [[A, 'deadbee0000']])],
    ['held by another commit, forced: build', 'build', 0, decide(A, [[A, 'deadbee0000']], undefined, true)],
    ['no revision on either side: build, compared after', 'build', 0, decide(A, [[A, undefined]], {})]
  ])('[%#] %s', (_name, kind, conflicts, result) => {
    expect(result.step.kind).toBe(kind);
    expect(result.conflicts).toHaveLength(conflicts);
  });

  it('a conflict says what both images were built from', () => {
    expect(decide(A, [[A, 'deadbee0000']]).conflicts).toEqual([{ reference: 'r.io/acme/api:1.2.4', current: A, detail: 'built from deadbee; this run builds c0ffee1' }]);
  });

  it('without revision labels the step carries the image to compare with', () => {
    expect(decide(A, [[A, undefined]], {}).step).toMatchObject({ same: { digest: A, conflicts: [{ reference: 'r.io/acme/api:1.2.4', current: A }] } });
  });
});

describe('TagLedger', () => {
  it.each([
    [[], 'Nothing is in place yet (2 tag(s) to write); a re-run starts over.'],
    [['r/api:1'], 'In place: r/api:1. Not in place: r/api:latest. A re-run writes only what is missing.'],
    [['r/api:1', 'r/api:latest'], 'In place: r/api:1, r/api:latest. Not in place: none. A re-run writes only what is missing.']
  ])('[%#] placed %o', (placed, expected) => {
    const ledger = new TagLedger();
    ledger.want('r/api:1');
    ledger.want('r/api:latest');
    for (const reference of placed) ledger.place(reference);
    expect(ledger.describe()).toBe(expected);
  });

  it('kept and left tags of a retag are in place', () => {
    const ledger = new TagLedger();
    for (const tag of ['1', 'latest', '2']) ledger.want(`r.io/acme/api:${tag}`);
    ledger.placeDecided([image], new Map([['r.io/acme/api', [{ tag: '1', action: 'keep' as const }, { tag: 'latest', action: 'leave' as const }, { tag: '2', action: 'set' as const }]]]));
    expect(ledger.describe()).toBe('In place: r.io/acme/api:1, r.io/acme/api:latest. Not in place: r.io/acme/api:2. A re-run writes only what is missing.');
  });
});
