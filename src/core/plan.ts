import { UserError } from './errors.js';
import validatePlan from '../generated/plan-validator.js';
import type { BumpLevel } from './bump-rules.js';
import type { Scheme, VersionSource } from './config.js';

/**
 * The release plan every action reads and extends (see ARCHITECTURE.md). Plain JSON with a schema number,
 * so it crosses job boundaries and is printed by the CLI as it is.
 */
export const PLAN_SCHEMA = 1;

export interface PlanService {
  name: string;
  image: string;
  context?: string;
  dockerfile?: string;
  // detect-changes
  changed?: boolean;
  files?: string[];
  reason?: string;
  // compute-version
  version?: string;
  previous?: string;
  release?: boolean;
  bump?: BumpLevel;
  bumpReason?: string;
  bumpCommit?: string;
  prerelease?: boolean;
  /** The git tag that marks this release, e.g. v1.2.3 or api/v1.2.3. */
  releaseTag?: string;
  /** The release tag was pushed by compute-version (reserve: true) on the commit that is built. */
  reserved?: boolean;
  tags?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  // build-tag-push
  digest?: string;
  action?: 'built' | 'retagged' | 'skipped';
  pushed?: string[];
}

export interface PlanChart {
  path: string;
  name?: string;
  version?: string;
  appVersion?: string;
  /** oci://registry/repository/name:version once pushed. */
  ref?: string;
  /** The manifest digest in the registry. */
  digest?: string;
  /** The packaged .tgz and its sha256. */
  package?: string;
  archiveDigest?: string;
  pushed?: 'pushed' | 'exists' | 'none';
}

/** What the release step pushed. */
export interface PlanRelease {
  commit: string;
  branch?: string;
  tags: string[];
  moving?: string[];
  /** GitHub Release pages by tag. */
  urls?: Record<string, string>;
}

export interface Plan {
  schema: typeof PLAN_SCHEMA;
  ref?: string;
  sha?: string;
  base?: string;
  head?: string;
  services: PlanService[];
  charts?: PlanChart[];
  /** Files the steps wrote for the release commit (version files, changelogs, charts), relative to the working directory. */
  written?: string[];
  /** What the versions were computed from, so the release step can compute them again on a new tip. */
  versionRequest?: VersionRequest;
  /** Plans of earlier imgver versions: compute-version's raw inputs, read as a versionRequest. */
  computeInputs?: Record<string, string>;
  release?: PlanRelease;
}

/**
 * What a version computation is asked for: compute-version's inputs, typed (every field optional: the config and
 * the run decide the rest).
 */
export interface VersionRequest {
  /** The config file, when one was named. */
  config?: string;
  /** Single-image mode: the image lines (docker/metadata-action syntax). */
  images?: string[];
  /** Only this service. */
  service?: string;
  source?: VersionSource | 'metadata';
  /** The scheme the versions were computed with; a single image is always unified. */
  scheme?: Scheme;
  tagFormat?: string;
  versionFile?: string;
  bump?: BumpLevel | 'auto';
  /** true, false or a prerelease id. */
  prerelease?: string;
  tags?: string[];
  flavor?: string[];
  labels?: string[];
  annotations?: string[];
  /** The run context as given instead of the runner's (event, ref, sha, default branch). */
  context?: { event?: string; ref?: string; sha?: string; defaultBranch?: string };
}

export function emptyPlan(): Plan {
  return { schema: PLAN_SCHEMA, services: [] };
}

/** Reads a plan from an input; names the input in every error. */
export function parsePlan(text: string, input = 'plan'): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`Input '${input}' is not JSON: ${(error as Error).message}`, { input });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`Input '${input}' must be a JSON object with "schema" and "services"`, { input });
  }
  const plan = value as Partial<Plan>;
  if (plan.schema !== PLAN_SCHEMA) {
    throw new UserError(`Input '${input}' has plan schema ${JSON.stringify(plan.schema)}; this imgver reads schema ${PLAN_SCHEMA}`, { input });
  }
  if (!Array.isArray(plan.services)) throw new UserError(`Input '${input}' has no "services" array`, { input });
  plan.services.forEach((service, i) => {
    if (!service || typeof service.name !== 'string' || typeof service.image !== 'string') {
      throw new UserError(`Input '${input}': services[${i}] needs a "name" and an "image"`, { input });
    }
  });
  if (!validatePlan(plan)) {
    const error = (validatePlan.errors?.[0] ?? {}) as { instancePath?: string; message?: string; params?: { allowedValues?: unknown[] } };
    const at = (error.instancePath ?? '').replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.') || 'the plan';
    const allowed = error.params?.allowedValues ? ` (${error.params.allowedValues.map(v => JSON.stringify(v)).join(', ')})` : '';
    throw new UserError(`Input '${input}': ${at} ${error.message ?? 'is not valid'}${allowed} (schema/plan.schema.json)`, { input });
  }
  return plan as Plan;
}

/** Merges a service's new fields into the plan, keeping config order. */
export function upsertService(plan: Plan, service: PlanService): Plan {
  const index = plan.services.findIndex(s => s.name === service.name);
  const services = [...plan.services];
  if (index === -1) services.push(service);
  else services[index] = { ...services[index], ...service };
  return { ...plan, services };
}

/**
 * Merges each service's new fields into the plan in turn, as upsertService one after another would, in one pass: a
 * stage updating every service of a large plan must not copy the plan once per service.
 */
export function upsertServices(plan: Plan, updates: PlanService[]): Plan {
  const services = [...plan.services];
  const index = new Map<string, number>();
  services.forEach((service, i) => {
    if (!index.has(service.name)) index.set(service.name, i);
  });
  for (const service of updates) {
    const at = index.get(service.name);
    if (at === undefined) {
      index.set(service.name, services.length);
      services.push(service);
    } else {
      services[at] = { ...services[at], ...service };
    }
  }
  return { ...plan, services };
}

/** Adds files to the plan's written list, each once, in order. */
export function withWritten(plan: Plan, files: string[]): Plan {
  if (files.length === 0) return plan;
  return { ...plan, written: [...new Set([...(plan.written ?? []), ...files])] };
}
