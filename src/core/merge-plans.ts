import { UserError } from './errors.js';
import type { Plan, PlanChart, PlanService } from './plan.js';

/** One plan fragment as a matrix job left it, and where it came from (for messages). */
export interface PlanFragment {
  source: string;
  plan: Plan;
}

export interface MergedPlans {
  plan: Plan;
  /** Services each fragment reported on (built, retagged or skipped), in base order. */
  merged: string[];
  /** Expected services no fragment reported on: their jobs failed, were cancelled, or never uploaded. */
  missing: string[];
}

/** What a job did to a service: build-tag-push records an action; a fragment that only carries the base's entry did nothing. */
const reported = (service: PlanService) => service.action !== undefined;

/**
 * Folds the plans of a fan-out (one build job per service) into the plan they started from. A service's entry is
 * taken from the fragment whose job handled it; two fragments that disagree on a service's digest are an error, as
 * is a fragment about a service the base plan does not have. Charts merge by path.
 */
export function mergePlans(base: Plan, fragments: PlanFragment[], expected: string[]): MergedPlans {
  const known = new Set(base.services.map(s => s.name));
  const taken = new Map<string, { service: PlanService; source: string }>();
  const charts = new Map<string, PlanChart>((base.charts ?? []).map(c => [c.path, c]));
  for (const { source, plan } of fragments) {
    for (const service of plan.services.filter(reported)) {
      if (!known.has(service.name)) throw new UserError(`${source} reports service ${service.name}, which the plan has not (${[...known].join(', ')})`, { input: 'plans' });
      const earlier = taken.get(service.name);
      if (earlier && earlier.service.digest !== service.digest) {
        throw new UserError(
          `${earlier.source} and ${source} disagree on ${service.name}: ${earlier.service.digest ?? 'no digest'} and ${service.digest ?? 'no digest'}; one job per service is expected`,
          { input: 'plans' }
        );
      }
      taken.set(service.name, { service, source });
    }
    for (const chart of plan.charts ?? []) if (chart.pushed && chart.pushed !== 'none') charts.set(chart.path, chart);
  }
  const services = base.services.map(s => ({ ...s, ...taken.get(s.name)?.service }));
  const written = [...new Set([...(base.written ?? []), ...fragments.flatMap(f => f.plan.written ?? [])])];
  const plan: Plan = { ...base, services, ...(charts.size > 0 ? { charts: [...charts.values()] } : {}), ...(written.length > 0 ? { written } : {}) };
  return {
    plan,
    merged: base.services.filter(s => taken.has(s.name)).map(s => s.name),
    missing: expected.filter(name => !taken.has(name))
  };
}
