import { maxLevel } from '../core/bump.js';
import type { BumpLevel } from '../core/bump-rules.js';
import type { ServiceConfig, VersionSource } from '../core/config.js';
import { annotationLines, labelLines } from '../core/labels.js';
import { markdownTable, type Cell } from '../core/markdown.js';
import type { Plan, VersionRequest } from '../core/plan.js';
import type { StageResult, StageContext } from './types.js';
import { commonInputs, numberInput, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import { computeVersions, parseVersionRequest, type ServiceTags } from './version-computation.js';

export interface ComputeVersionInputs extends CommonInputs {
  /** What the versions are computed from (the inputs that shape them). */
  request: VersionRequest;
  images: string[];
  service?: string;
  plan?: Plan;
  /** `metadata`: docker/metadata-action's mode (tags from the ref and event, no version computed). */
  versionSource?: VersionSource | 'metadata';
  tagFormat?: string;
  versionFile?: string;
  bump: BumpLevel | 'auto';
  prerelease?: string;
  tags?: string[];
  flavor?: string[];
  labels?: string[];
  annotations?: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  write: boolean;
  reserve: boolean;
  /** How many versions reserve: true tries before giving up. */
  maxAttempts: number;
}

/** Every input parsed once, here; nothing else reads raw inputs. */
export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): ComputeVersionInputs {
  const request = parseVersionRequest(raw, given);
  const sep = (name: string) => raw[name] ?? '\n';
  return {
    ...commonInputs(raw, given),
    request,
    images: request.images ?? [],
    service: request.service,
    plan,
    versionSource: request.source,
    tagFormat: request.tagFormat,
    versionFile: request.versionFile,
    bump: request.bump ?? 'auto',
    prerelease: request.prerelease,
    tags: request.tags,
    flavor: request.flavor,
    labels: request.labels,
    annotations: request.annotations,
    sepTags: sep('sep-tags'),
    sepLabels: sep('sep-labels'),
    sepAnnotations: sep('sep-annotations'),
    // A dry run computes and prints, and changes nothing: no write-back, no reserved tag.
    write: parseBoolean(raw.write ?? '', 'write') && !parseBoolean(raw['dry-run'] ?? '', 'dry-run'),
    reserve: parseBoolean(raw.reserve ?? '', 'reserve') && !parseBoolean(raw['dry-run'] ?? '', 'dry-run'),
    maxAttempts: numberInput(raw, 'max-attempts', 10, { max: 50 })
  };
}

export async function run(_plan: Plan | undefined, inputs: ComputeVersionInputs, runCtx: StageContext): Promise<StageResult> {
  const computed = await computeVersions(inputs.request, runCtx, {
    plan: inputs.plan,
    workingDirectory: inputs.workingDirectory,
    write: inputs.write,
    reserve: inputs.reserve,
    maxAttempts: inputs.maxAttempts
  });
  const annotationLevels = (runCtx.env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest').split(',').map(l => l.trim()).filter(Boolean);
  return { plan: computed.plan, outputs: buildOutputs({ ...computed, inputs, annotationLevels }), summary: summaryTable(computed.plan) };
}

function buildOutputs(args: {
  plan: Plan;
  perService: Record<string, ServiceTags>;
  services: ServiceConfig[];
  inputs: ComputeVersionInputs;
  annotationLevels: string[];
  scheme: string;
  singleImage: boolean;
  writtenFiles: string[];
  releaseBefore: Map<string, string | undefined>;
}): Record<string, string> {
  const { plan, perService, services, inputs, annotationLevels } = args;
  const planned = plan.services.filter(s => services.some(c => c.name === s.name));
  const only = services.length === 1 ? perService[services[0].name] : undefined;
  const onlyPlan = services.length === 1 ? planned[0] : undefined;
  const json = (s: (typeof perService)[string]) => ({
    tags: s.tags,
    'tag-names': s.tagNames,
    labels: s.labels,
    annotations: annotationLines(s.annotations, annotationLevels)
  });
  const unified = args.scheme === 'unified' ? planned[0] : onlyPlan;
  // With several services, only those that get a release are to be tagged.
  const tagged = planned.length === 1 ? planned : planned.filter(s => s.release || (s.prerelease && s.version));
  const allTags = tagged.flatMap(s => perService[s.name].tags);
  const allTagNames = [...new Set(tagged.flatMap(s => perService[s.name].tagNames))];
  const bump = planned.reduce<BumpLevel>((level, s) => (s.release ? maxLevel(level, s.bump ?? 'none') : level), 'none');
  const decider = planned.find(s => s.release && s.bump === bump && s.bumpCommit);
  const version = args.singleImage && !onlyPlan?.version ? (only?.main ?? '') : (unified?.version ?? '');
  return {
    version,
    tags: allTags.join(inputs.sepTags),
    'tag-names': allTagNames.join(inputs.sepTags),
    labels: only ? labelLines(only.labels).join(inputs.sepLabels) : '',
    annotations: only ? annotationLines(only.annotations, annotationLevels).join(inputs.sepAnnotations) : '',
    json: JSON.stringify(only ? json(only) : { services: Object.fromEntries(planned.map(s => [s.name, json(perService[s.name])])) }),
    versions: JSON.stringify(Object.fromEntries(planned.map(s => [s.name, s.version ?? '']))),
    changed: JSON.stringify(planned.filter(s => s.release || (s.prerelease && s.version)).map(s => s.name)),
    bump,
    'bump-commit': decider?.bumpCommit ?? '',
    previous: (unified ? args.releaseBefore.get(unified.name) : undefined) ?? unified?.previous ?? '',
    release: String(planned.some(s => s.release)),
    prerelease: String(planned.some(s => s.prerelease)),
    'written-files': JSON.stringify(args.writtenFiles)
  };
}

function summaryTable(plan: Plan): string {
  const rows = plan.services.map((s): Cell[] => [
    s.name,
    `${s.previous ?? '—'} → ${s.version ?? '—'}${s.release ? '' : ' (no release)'}`,
    s.bumpReason ?? '',
    { code: (s.tags ?? []).map(t => t.split(':').pop()).join(' ') }
  ]);
  return ['### imgver compute-version', '', markdownTable(['service', 'previous → next', 'why', 'tags'], rows), ''].join('\n');
}
