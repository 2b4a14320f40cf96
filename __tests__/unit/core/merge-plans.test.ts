import { describe, expect, it } from '@jest/globals';
import { mergePlans } from '../../../src/core/merge-plans.js';
import type { Plan, PlanService } from '../../../src/core/plan.js';

const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const names = (count: number) => Array.from({ length: count }, (_, i) => `svc${String(i + 1).padStart(3, '0')}`);
const base = (services: string[]): Plan => ({ schema: 1, services: services.map(name => ({ name, image: `r/${name}`, changed: true, version: '1.0.0' })) });
/** What one matrix job's build-tag-push --service leaves: the whole plan, its own service with an action. */
const fragment = (plan: Plan, name: string, n: number): Plan => ({
  ...plan,
  services: plan.services.map(s => (s.name === name ? ({ ...s, digest: digest(n), action: 'built', pushed: [`r/${name}:1.0.0`] } as PlanService) : s))
});

describe('mergePlans (a fan-out, one job per service)', () => {
  it('300 jobs: every service merged from its own job, base order kept', () => {
    const plan = base(names(300));
    const fragments = names(300).reverse().map((name, i) => ({ source: `${name}.json`, plan: fragment(plan, name, 300 - i) }));
    const result = mergePlans(plan, fragments, names(300));
    expect(result.missing).toEqual([]);
    expect(result.merged).toEqual(names(300));
    expect(result.plan.services[0]).toMatchObject({ name: 'svc001', digest: digest(1), action: 'built' });
    expect(result.plan.services[299]).toMatchObject({ name: 'svc300', digest: digest(300) });
  });

  it('a failed job is reported as missing, not dropped', () => {
    const plan = base(names(3));
    const result = mergePlans(plan, [{ source: 'a', plan: fragment(plan, 'svc001', 1) }, { source: 'c', plan: fragment(plan, 'svc003', 3) }], names(3));
    expect(result.missing).toEqual(['svc002']);
    expect(result.plan.services[1]).toEqual(plan.services[1]);
  });

  it.each([
    ['two jobs disagree on a digest', [fragment(base(['a']), 'a', 1), fragment(base(['a']), 'a', 2)], 'a.json and b.json disagree on a: '],
    ['a job reports a service the plan has not', [fragment(base(['a', 'x']), 'x', 1)], 'a.json reports service x, which the plan has not (a)']
  ])('%s is an error', (_name, plans, message) => {
    expect(() => mergePlans(base(['a']), plans.map((plan, i) => ({ source: `${'ab'[i]}.json`, plan })), ['a'])).toThrow(message);
  });

  it('charts merge by path; written files are unioned', () => {
    const plan = { ...base(['a']), written: ['VERSION'] };
    const chart: Plan = { ...plan, charts: [{ path: 'deploy/chart', version: '1.0.0', pushed: 'pushed' }], written: ['VERSION', 'deploy/chart/Chart.yaml'] };
    const result = mergePlans(plan, [{ source: 'helm', plan: chart }], []);
    expect(result.plan.charts).toEqual([{ path: 'deploy/chart', version: '1.0.0', pushed: 'pushed' }]);
    expect(result.plan.written).toEqual(['VERSION', 'deploy/chart/Chart.yaml']);
  });
});
