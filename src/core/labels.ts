import { renderTemplate, type TemplateVars } from './template.js';
import type { RunContext } from './context.js';
import { globalVars } from './tag-rules.js';

/**
 * OCI labels and annotations (org.opencontainers.image.*) from the run context alone: no GitHub API call.
 * Extra `key=value` lines override the standard ones; the result is sorted by key, like metadata-action.
 */
export interface LabelInput {
  context: RunContext;
  title?: string;
  version?: string;
  extra: string[];
  vars: TemplateVars;
}

export function computeLabels(input: LabelInput): Record<string, string> {
  const { context } = input;
  const url = context.repo.htmlUrl ?? '';
  const standard: [string, string][] = [
    ['org.opencontainers.image.title', input.title ?? context.repo.name ?? ''],
    ['org.opencontainers.image.description', context.repo.description ?? ''],
    ['org.opencontainers.image.url', url],
    ['org.opencontainers.image.source', url],
    ['org.opencontainers.image.version', input.version ?? ''],
    ['org.opencontainers.image.created', context.now.toISOString()],
    ['org.opencontainers.image.revision', context.sha ?? ''],
    ['org.opencontainers.image.licenses', context.repo.license ?? '']
  ];
  const map = new Map(standard);
  const vars = input.extra.some(line => line.includes('{{')) ? globalVars(context, input.vars) : input.vars;
  for (const line of input.extra) {
    const rendered = renderTemplate(line, vars);
    const at = rendered.indexOf('=');
    if (at <= 0) continue;
    map.set(rendered.slice(0, at), rendered.slice(at + 1));
  }
  return Object.fromEntries([...map.entries()].sort((a, b) => compareLabelKeys(a[0], b[0])));
}

// Keys made only of these characters sort the same by code point as by the ICU root collation that
// localeCompare uses (`-` < `.` < digits < lowercase letters in both), without the ICU collator's start-up cost.
const PLAIN_KEY = /^[a-z0-9.-]*$/;

/** Label and annotation key order: localeCompare's, as docker/metadata-action sorts them. */
export function compareLabelKeys(a: string, b: string): number {
  if (PLAIN_KEY.test(a) && PLAIN_KEY.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

export function labelLines(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** Annotations as `level:key=value` lines; levels from DOCKER_METADATA_ANNOTATIONS_LEVELS, default manifest. */
export function annotationLines(annotations: Record<string, string>, levels: string[]): string[] {
  return levels.flatMap(level => labelLines(annotations).map(line => `${level}:${line}`));
}
