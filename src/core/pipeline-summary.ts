import { markdownTable } from './markdown.js';
import type { Plan } from './plan.js';

/** One stage of a pipeline run: how long it took and what it did, in a few words. */
export interface StageTiming {
  stage: string;
  seconds: number;
  result: string;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A few names, then how many more: "api, web, worker +197". */
export function someNames(names: string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} +${names.length - max}`;
}

/** What a stage did, from the plan after it. */
export function stageResult(stage: string, plan: Plan | undefined, outputs: Record<string, string>): string {
  const services = plan?.services ?? [];
  switch (stage) {
    case 'detect-changes': {
      const changed = services.filter(s => s.changed).length;
      return `${changed} of ${services.length} changed`;
    }
    case 'compute-version': {
      const released = services.filter(s => s.release);
      const versions = [...new Set(released.map(s => s.version).filter(Boolean))];
      return released.length === 0 ? 'nothing to release' : `${released.length} to release: ${someNames(versions as string[])}`;
    }
    case 'build-tag-push': {
      const count = (action: string) => services.filter(s => s.action === action).length;
      return `${count('built')} built, ${count('retagged')} retagged, ${count('skipped')} skipped`;
    }
    case 'helm-sync':
      return someNames((plan?.charts ?? []).map(c => `${c.name ?? c.path} ${c.version ?? ''}`.trim())) || 'no chart';
    case 'release': {
      const tags = plan?.release?.tags ?? [];
      return tags.length > 0 ? someNames(tags) : outputs.tags && outputs.tags !== '[]' ? outputs.tags : 'nothing released';
    }
    default:
      return '';
  }
}

/** A Mermaid node label: quotes and brackets would end it, so they become Mermaid's entity codes. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/[<>]/g, c => (c === '<' ? '#lt;' : '#gt;')).replace(/[[\]{}]/g, ' ')}"`;
}

/**
 * The plan as a small flowchart GitHub renders: detect → version → built / retagged / skipped (or planned) → chart →
 * release. Only the stages that ran, and only the branches that hold services.
 */
export function planDiagram(plan: Plan, ran: string[]): string {
  const services = plan.services;
  const lines = ['```mermaid', 'flowchart LR'];
  let previous: string[] = [];
  const link = (to: string) => {
    for (const from of previous) lines.push(`  ${from} --> ${to}`);
  };
  if (ran.includes('detect-changes')) {
    const changed = services.filter(s => s.changed).map(s => s.name);
    lines.push(`  detect[${label(`detect: ${changed.length} of ${services.length} changed`)}]`);
    previous = ['detect'];
  }
  if (ran.includes('compute-version')) {
    const versions = [...new Set(services.filter(s => s.release).map(s => s.version).filter(Boolean))] as string[];
    lines.push(`  version[${label(versions.length > 0 ? `version: ${someNames(versions)}` : 'version: nothing to release')}]`);
    link('version');
    previous = ['version'];
  }
  const groups: [string, string, string[]][] = ran.includes('build-tag-push')
    ? [
        ['built', 'built', services.filter(s => s.action === 'built').map(s => s.name)],
        ['retagged', 'retagged', services.filter(s => s.action === 'retagged').map(s => s.name)],
        ['skipped', 'skipped', services.filter(s => s.action === 'skipped').map(s => s.name)]
      ]
    : [
        ['build', 'build planned', services.filter(s => s.release && s.changed).map(s => s.name)],
        ['retag', 'retag planned', services.filter(s => s.release && !s.changed).map(s => s.name)]
      ];
  const present = groups.filter(([, , names]) => names.length > 0);
  for (const [id, title, names] of present) {
    lines.push(`  ${id}[${label(`${title}: ${someNames(names)}`)}]`);
    link(id);
  }
  if (present.length > 0) previous = present.map(([id]) => id);
  if (ran.includes('helm-sync') && (plan.charts ?? []).length > 0) {
    lines.push(`  chart[${label(`chart: ${someNames((plan.charts ?? []).map(c => `${c.name ?? c.path} ${c.version ?? ''}`.trim()))}`)}]`);
    link('chart');
    previous = ['chart'];
  }
  if (ran.includes('release')) {
    const tags = plan.release?.tags ?? [];
    lines.push(`  release[${label(tags.length > 0 ? `release: ${someNames(tags)}` : 'release: nothing')}]`);
    link('release');
  }
  lines.push('```');
  return lines.join('\n');
}

/** The pipeline's own part of the job summary: a table of the stages, then the diagram. */
export function pipelineSummary(timings: StageTiming[], plan: Plan | undefined): string {
  const parts = ['### imgver pipeline', '', markdownTable(['Stage', 'Time', 'Result'], timings.map(t => [t.stage, seconds(t.seconds * 1000), t.result]))];
  if (plan) parts.push('', planDiagram(plan, timings.map(t => t.stage)));
  return parts.join('\n') + '\n';
}
