import { describe, expect, it } from '@jest/globals';
import { upsertService, upsertServices, type Plan, type PlanService } from '../../../src/core/plan.js';

const plan = (...services: PlanService[]): Plan => ({ schema: 1, services });
const svc = (name: string, fields: Partial<PlanService> = {}): PlanService => ({ name, image: `r/${name}`, ...fields });

/** upsertService one after another: what upsertServices must match. */
const oneByOne = (start: Plan, updates: PlanService[]) => updates.reduce(upsertService, start);

describe('upsertServices', () => {
  it.each<[string, Plan, PlanService[], PlanService[]]>([
    ['no updates', plan(svc('a'), svc('b')), [], [svc('a'), svc('b')]],
    ['fields merged in place, order kept', plan(svc('a', { version: '1.0.0' }), svc('b')), [svc('b', { digest: 'd' }), svc('a', { action: 'built' })], [svc('a', { version: '1.0.0', action: 'built' }), svc('b', { digest: 'd' })]],
    ['a new service appended', plan(svc('a')), [svc('c', { version: '2.0.0' })], [svc('a'), svc('c', { version: '2.0.0' })]],
    ['a new service updated again later', plan(svc('a')), [svc('c'), svc('c', { digest: 'd' })], [svc('a'), svc('c', { digest: 'd' })]],
    ['the same service twice: merged in turn', plan(svc('a', { version: '1.0.0' })), [svc('a', { digest: 'x' }), svc('a', { digest: 'y', action: 'retagged' })], [svc('a', { version: '1.0.0', digest: 'y', action: 'retagged' })]],
    ['an undefined field clears the old value', plan(svc('a', { digest: 'x' })), [svc('a', { digest: undefined })], [svc('a', { digest: undefined })]],
    ['a name twice in the plan: the first one updated', plan(svc('a', { version: '1' }), svc('a', { version: '2' })), [svc('a', { digest: 'd' })], [svc('a', { version: '1', digest: 'd' }), svc('a', { version: '2' })]]
  ])('%s', (_, start, updates, expected) => {
    const result = upsertServices(start, updates);
    expect(result.services).toEqual(expected);
    expect(result).toEqual(oneByOne(start, updates));
  });

  it('leaves the plan given unchanged', () => {
    const start = plan(svc('a'));
    upsertServices(start, [svc('a', { digest: 'd' }), svc('b')]);
    expect(start).toEqual(plan(svc('a')));
  });

  it('keeps the plan fields other than the services', () => {
    const start: Plan = { ...plan(svc('a')), written: ['x.yaml'] };
    expect(upsertServices(start, [svc('a', { digest: 'd' })])).toEqual({ ...start, services: [svc('a', { digest: 'd' })] });
  });
});
