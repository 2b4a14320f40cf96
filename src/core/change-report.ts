import { normalizeConfig, type Config } from './config.js';
import type { ChangeReason, FilterSpec } from './changes.js';
import { diffKey, type BaseDecision, type Unit } from './change-base.js';
import { formatFileList, type ListFormat } from './list-files.js';
import { markdownTable, type Cell } from './markdown.js';
import { PLAN_SCHEMA, type Plan, type PlanService } from './plan.js';
import { shortSha } from './context.js';

/**
 * What detect-changes reports, from what changed per unit: the plan, dorny/paths-filter's outputs and imgver's own
 * (matrix, files, counts), and the job summary. Pure: the front door writes outputs, the stage writes files.
 */

/** The config's services and libs as filters; inline filters replace the paths of a unit of their name, or add a service. */
export function buildUnits(config: Config, inline: FilterSpec[] | undefined): Unit[] {
  const fromConfig: Unit[] = [
    ...config.services.map(service => ({
      service,
      spec: { name: service.name, rules: service.paths.map(pattern => ({ pattern })), types: service.changeTypes, dependsOn: service.dependsOn }
    })),
    ...config.libs.map(lib => ({ spec: { name: lib.name, rules: lib.paths.map(pattern => ({ pattern })), types: lib.changeTypes, dependsOn: lib.dependsOn } }))
  ];
  if (!inline) return fromConfig;
  const known = new Map(fromConfig.map(u => [u.spec.name, u]));
  const units = inline.map((spec): Unit => {
    const existing = known.get(spec.name);
    if (existing) return { service: existing.service, spec: { ...spec, dependsOn: existing.spec.dependsOn } };
    const service = normalizeConfig({ image: config.imageTemplate, services: { [spec.name]: {} } }).services[0];
    return { service, spec };
  });
  const inlineNames = new Set(inline.map(s => s.name));
  // Libs a service depends on stay, so depends-on keeps working with inline filters.
  for (const unit of fromConfig) if (!inlineNames.has(unit.spec.name) && !unit.service) units.push(unit);
  // The config's graph is checked already; dropping edges to services the filters left out cannot add a cycle.
  const names = new Set(units.map(u => u.spec.name));
  for (const unit of units) unit.spec.dependsOn = unit.spec.dependsOn.filter(d => names.has(d));
  return units;
}

export interface MatrixEntry {
  service: string;
  image: string;
  context: string;
  dockerfile: string;
  [extra: string]: unknown;
}

function withoutCoreKeys(extra: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extra ?? {}).filter(([key]) => !['service', 'image', 'context', 'dockerfile'].includes(key)));
}

/** A matrix cut into chunks of at most `size` jobs (GitHub's limit is 256); one empty chunk when nothing changed. */
export function chunkMatrix(entries: MatrixEntry[], size: number): { include: MatrixEntry[] }[] {
  const chunks: { include: MatrixEntry[] }[] = [];
  for (let i = 0; i < entries.length; i += size) chunks.push({ include: entries.slice(i, i + size) });
  return chunks.length > 0 ? chunks : [{ include: [] }];
}

/** Why a unit counts as changed, in a few words: the decision, its first files, or the dependency it changed through. */
export function reasonText(reason: ChangeReason, decision: BaseDecision): string {
  if (decision.skip || decision.all) return decision.why;
  if (reason.files.length > 0) {
    const shown = reason.files.slice(0, 3).map(f => f.path);
    return `${shown.join(', ')}${reason.files.length > 3 ? `, … (${reason.files.length} files)` : ''}`;
  }
  if (reason.via) return `depends on ${reason.via.join(' → ')}`;
  return 'no matching change';
}

export interface UnitOutcome {
  reason: ChangeReason;
  decision: BaseDecision;
}

/** Each unit's change and the decision it was judged by; a lib with no base of its own takes the first dependent's that changed it. */
export function unitOutcomes(units: Unit[], decisions: Map<string, BaseDecision>, closures: Map<BaseDecision, Map<string, ChangeReason>>): Map<string, UnitOutcome> {
  const unchanged: ChangeReason = { changed: false, files: [] };
  const outcome = new Map<string, UnitOutcome>();
  for (const unit of units) {
    const name = unit.spec.name;
    const decision = decisions.get(name);
    if (decision?.skip) outcome.set(name, { reason: unchanged, decision });
    else if (decision) outcome.set(name, { reason: closures.get(decision)!.get(name)!, decision });
    else {
      const found = [...closures].find(([, closure]) => closure.get(name)!.changed) ?? [...closures][0];
      outcome.set(name, found ? { reason: found[1].get(name)!, decision: found[0] } : { reason: unchanged, decision: { head: '', skip: true, why: 'no service of this run depends on it' } });
    }
  }
  return outcome;
}

/** The base every unit shares ('' when they differ or there is none), and the decision shown as the run's. */
export function runBase(decisions: Map<string, BaseDecision>): { base: string; distinct: number; first: BaseDecision } {
  const first = [...decisions.values()].find(d => !d.skip) ?? [...decisions.values()][0];
  const distinct = new Set([...decisions.values()].filter(d => !d.skip).map(d => d.base ?? ''));
  return { base: distinct.size === 1 ? [...distinct][0] : '', distinct: distinct.size, first };
}

/** A log line per diff: how many files it holds. */
export function diffLine(key: string, count: number): string {
  const what = key.startsWith('all:') ? 'All files' : key.startsWith('worktree:') ? 'Staged and unstaged changes' : `Diff ${key.split('..').map(s => shortSha(s)).join('..')}`;
  return `${what}: ${count} file(s)`;
}


export interface ChangeReport {
  plan: Plan;
  changedNames: string[];
  matrixEntries: MatrixEntry[];
  /** Files per unit, cut at max-files, and in full. */
  files: Record<string, string[]>;
  filesFull: Record<string, string[]>;
  truncated: boolean;
  rows: Cell[][];
  /** Per unit: changed, skipped (with why) or neither, for the log. */
  lines: { name: string; changed: boolean; skipped: boolean; why: string }[];
}

/** The plan and the per-unit lists of a run. */
export function changeReport(args: { units: Unit[]; outcomes: Map<string, UnitOutcome>; maxFiles: number; ref: string; sha: string; base: string; head: string }): ChangeReport {
  const { units, outcomes, maxFiles } = args;
  const report: ChangeReport = {
    plan: { schema: PLAN_SCHEMA, ref: args.ref, sha: args.sha, base: args.base || undefined, head: args.head, services: [] },
    changedNames: units.filter(u => u.service && outcomes.get(u.spec.name)!.reason.changed).map(u => u.spec.name),
    matrixEntries: [],
    files: {},
    filesFull: {},
    truncated: false,
    rows: [],
    lines: []
  };
  const services: PlanService[] = report.plan.services;
  for (const unit of units) {
    const { reason, decision } = outcomes.get(unit.spec.name)!;
    const paths = reason.files.map(f => f.path);
    report.filesFull[unit.spec.name] = paths;
    report.files[unit.spec.name] = paths.slice(0, maxFiles);
    if (paths.length > maxFiles) report.truncated = true;
    const why = reason.changed ? reasonText(reason, decision) : decision.skip ? decision.why : 'no matching change';
    report.rows.push([`${unit.spec.name}${unit.service ? '' : ' (lib)'}`, reason.changed ? '✅ yes' : 'no', why, String(paths.length)]);
    report.lines.push({ name: unit.spec.name, changed: reason.changed, skipped: !!decision.skip, why });
    if (!unit.service) continue;
    const s = unit.service;
    services.push({ name: s.name, image: s.image, context: s.context, dockerfile: s.dockerfile, changed: reason.changed, files: paths.slice(0, maxFiles), reason: why });
    if (reason.changed) report.matrixEntries.push({ service: s.name, image: s.image, context: s.context, dockerfile: s.dockerfile, ...withoutCoreKeys(s.matrix) });
  }
  return report;
}

/**
 * The outputs: imgver's, then dorny/paths-filter's (changes unless a filter takes that name; per filter <name>,
 * <name>_count and, with list-files, <name>_files). `fixed`: the names of the action's declared outputs, which a
 * filter's output must not overwrite. `warn`: each filter that loses its output that way.
 */
export function changeOutputs(args: {
  units: Unit[];
  report: ChangeReport;
  matrices: { include: MatrixEntry[] }[];
  base: string;
  head: string;
  filesPath: string;
  listFiles: ListFormat;
  fixed: Set<string>;
  warn: (message: string) => void;
}): Record<string, string> {
  const { units, report, listFiles } = args;
  const changedByName = new Map(report.lines.map(l => [l.name, l.changed]));
  const changed = (name: string) => changedByName.get(name)!;
  const outputs: Record<string, string> = {
    changed: JSON.stringify(report.changedNames),
    any: String(report.changedNames.length > 0),
    count: String(report.changedNames.length),
    services: JSON.stringify(Object.fromEntries(units.map(u => [u.spec.name, changed(u.spec.name)]))),
    base: args.base,
    head: args.head,
    matrix: JSON.stringify(args.matrices[0]),
    matrices: JSON.stringify(args.matrices),
    files: JSON.stringify(report.files),
    'files-path': args.filesPath
  };
  const changesOwner = units.some(u => u.spec.name === 'changes');
  if (!changesOwner) outputs.changes = JSON.stringify(units.filter(u => changed(u.spec.name)).map(u => u.spec.name));
  outputs.counts = JSON.stringify(Object.fromEntries(units.map(u => [u.spec.name, report.filesFull[u.spec.name].length])));
  if (listFiles !== 'none') {
    outputs['listed-files'] = JSON.stringify(Object.fromEntries(units.map(u => [u.spec.name, formatFileList(report.filesFull[u.spec.name], listFiles)])));
  }
  for (const unit of units) {
    const name = unit.spec.name;
    if (args.fixed.has(name) && !(name === 'changes' && changesOwner)) {
      args.warn(`Filter "${name}" has the name of an output, so it has no output of its own: read it from the services output`);
    } else outputs[name] = String(changed(name));
    outputs[`${name}_count`] = String(report.filesFull[name].length);
    if (listFiles !== 'none') outputs[`${name}_files`] = formatFileList(report.filesFull[name], listFiles);
  }
  return outputs;
}

/** The job summary: how many changed, the base, and a row per unit. */
export function changeSummary(report: ChangeReport, units: Unit[], base: string, first: BaseDecision): string {
  return [
    `### imgver detect-changes: ${report.changedNames.length} of ${units.length} changed`,
    '',
    `Base ${base ? `\`${shortSha(base)}\`` : '—'} → head \`${shortSha(first.head)}\`: ${first.why}`,
    '',
    markdownTable(['Service', 'Changed', 'Why', 'Files'], report.rows)
  ].join('\n');
}
