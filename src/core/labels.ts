import { UserError } from './errors.js';
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
  /** Where the extra lines come from, for errors: an input (labels, annotations) or a config key. */
  source?: { name: string; input?: string; file?: string };
  /** Annotation lines may name their levels first (manifest:key=value, index,manifest:key=value). */
  annotations?: boolean;
}

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]\s]+\])?$/;

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
    const source = input.source ?? { name: "Input 'labels'", input: 'labels' };
    const fail = (why: string): never => {
      throw new UserError(`${source.name}: ${JSON.stringify(line)} ${why}`, { input: source.input, file: source.file });
    };
    if (at <= 0) fail(`is not key=value${at === 0 ? ' (the key is empty)' : ''}`);
    let key = rendered.slice(0, at);
    const colon = key.lastIndexOf(':');
    if (colon !== -1) {
      if (!input.annotations) fail('has a key with ":" (label keys are letters, digits, ., _, - and /)');
      const levels = key.slice(0, colon).split(',');
      const bad = levels.find(level => !LEVEL.test(level.trim()));
      if (bad !== undefined) fail(`names the level "${bad}": expected manifest, index, manifest-descriptor or index-descriptor before the key`);
      key = rendered.slice(0, at);
    }
    if (!LABEL_KEY.test(key.slice(colon + 1))) fail('has a key that is not letters, digits, ., _, - and /');
    map.set(key, rendered.slice(at + 1));
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
