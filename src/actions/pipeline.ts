import { parse } from 'yaml';
import { UserError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { pipelineSummary, seconds, stageResult, type StageTiming } from '../core/pipeline-summary.js';
import { parseImageRef, tagOf } from '../core/image-ref.js';
import { credentialsRegistry } from './registry-inputs.js';
import { commonInputs, inputValue, parseBoolean, type RawInputs } from './inputs.js';
import { planInput } from '../adapters/plan-input.js';
import { PIPELINE_STAGES, findSpec } from './specs.js';
import { COMMON_INPUTS, REGISTRY_INPUTS } from './spec.js';
import { subRun } from './sub-run.js';
import type { StageCall, StageResult } from './types.js';
import { workingDirectoryOf } from '../adapters/files.js';

type Switch = boolean | 'auto';

/** Inputs of the pipeline that go to the stages that have them, as given. */
const SHARED = [...Object.keys(COMMON_INPUTS), ...Object.keys(REGISTRY_INPUTS), 'dry-run', 'write', 'reserve', 'bump', 'version-source', 'on-conflict', 'github-release', 'token', 'moving-tags'];

function parseSwitch(raw: RawInputs, name: string, fallback: Switch): Switch {
  const value = inputValue(raw, name);
  if (value === undefined) return fallback;
  if (value === 'auto') return 'auto';
  return parseBoolean(value, name);
}

/** stage-inputs: a YAML mapping of stage name → {input: value}, checked against each stage's inputs. */
export function parseStageInputs(text: string | undefined): Record<string, Record<string, string>> {
  if (!text?.trim()) return {};
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UserError(`Input 'stage-inputs' is not YAML: ${(error as Error).message.split('\n')[0]}`, { input: 'stage-inputs' });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError("Input 'stage-inputs' must map stage names to inputs, e.g. build-tag-push: {platforms: linux/amd64}", { input: 'stage-inputs' });
  }
  const out: Record<string, Record<string, string>> = {};
  for (const [stage, inputs] of Object.entries(value as Record<string, unknown>)) {
    const spec = PIPELINE_STAGES.find(s => s.name === stage) && findSpec(stage);
    if (!spec) throw new UserError(`Input 'stage-inputs' names "${stage}", which is not a stage (${PIPELINE_STAGES.map(s => s.name).join(', ')})`, { input: 'stage-inputs' });
    if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) throw new UserError(`Input 'stage-inputs': ${stage} must map input names to values`, { input: 'stage-inputs' });
    out[stage] = {};
    for (const [name, v] of Object.entries(inputs as Record<string, unknown>)) {
      if (!spec.inputs[name]) throw new UserError(`Input 'stage-inputs': ${stage} has no input "${name}" (see imgver ${stage} --help)`, { input: 'stage-inputs' });
      out[stage][name] = Array.isArray(v) ? v.join('\n') : String(v);
    }
  }
  return out;
}

/**
 * The whole chain in one step: detect-changes → compute-version → build-tag-push → helm-sync → release, each stage
 * handing its plan to the next, each switchable, every stage's outputs re-exported under its prefix.
 */
export async function run(_plan: Plan | undefined, runCtx: StageCall): Promise<StageResult> {
  const raw = runCtx.inputs;
  const common = commonInputs(raw, runCtx.given);
  const cwd = workingDirectoryOf(runCtx.cwd, common.workingDirectory);
  const switches: Record<string, Switch> = {
    'detect-changes': parseSwitch(raw, 'detect-changes', true),
    'compute-version': true,
    'build-tag-push': parseSwitch(raw, 'build-tag-push', true),
    'helm-sync': parseSwitch(raw, 'helm-sync', 'auto'),
    'k8s-sync': parseSwitch(raw, 'k8s-sync', 'auto'),
    release: parseSwitch(raw, 'release', false)
  };
  const stageInputs = parseStageInputs(raw['stage-inputs']);
  const dryRun = parseBoolean(raw['dry-run'] ?? '', 'dry-run');
  const detectGiven = runCtx.given.has('detect-changes');
  if (switches['helm-sync'] === 'auto' || switches['k8s-sync'] === 'auto' || !detectGiven) {
    const config = await runCtx.config(cwd, common.config, common.configGiven);
    if (switches['helm-sync'] === 'auto') switches['helm-sync'] = config.charts.length > 0;
    if (switches['k8s-sync'] === 'auto') switches['k8s-sync'] = config.deploy.kubernetes.length > 0;
    // Version-only (no service, no image): the whole repository is one unit, so there is nothing to detect.
    if (!detectGiven && config.services.length === 0) switches['detect-changes'] = false;
  }

  let plan: Plan | undefined;
  /** Every registry the pipeline's images (from the plan so far) and charts go to. */
  const pipelineRegistries = async (): Promise<string[]> => {
    const images = (plan?.services ?? []).flatMap(s => [s.image, ...(s.tags ?? []).map(t => tagOf(t).image)]);
    const charts = switches['helm-sync'] === true ? (await runCtx.config(cwd, common.config, common.configGiven)).charts.map(c => stageInputs['helm-sync']?.push ?? c.push) : [];
    const destinations = charts.filter((d): d is string => !!d).map(d => d.replace(/^oci:\/\//, '').replace(/\/+$/, '') + '/chart');
    return [...images, ...destinations].map(name => parseImageRef(name).registry);
  };
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const ran: string[] = [];
  const timings: StageTiming[] = [];
  for (const stage of PIPELINE_STAGES) {
    const spec = findSpec(stage.name)!;
    // A plan without any image (version-only) has nothing to build or push.
    const imageless = stage.name === 'build-tag-push' && plan !== undefined && plan.services.every(s => s.image === '');
    if (imageless && switches[stage.name] === true) runCtx.log.info('build-tag-push: skipped, the plan has no image (version only)');
    if (switches[stage.name] !== true || imageless) {
      for (const name of Object.keys(spec.outputs)) outputs[`${stage.prefix}-${name}`] = '';
      continue;
    }
    const inputs: Record<string, string> = {};
    for (const name of SHARED) if (spec.inputs[name] && runCtx.given.has(name) && raw[name] !== undefined) inputs[name] = raw[name]!;
    // A dry run writes nothing back either: compute-version's write would change files the later stages only show.
    if (dryRun && stage.name === 'compute-version') inputs.write = 'false';
    Object.assign(inputs, stageInputs[stage.name]);
    // The plan goes on as an object; a plan given in stage-inputs is read as the front doors read one.
    const stagePlan = spec.inputs.plan ? (planInput(inputs) ?? plan) : undefined;
    // Credentials without a registry are for the one registry of the whole pipeline (images and charts), not one per stage.
    if (spec.inputs.registry && inputs.username && inputs.password && !inputs.registry) {
      const registry = credentialsRegistry({ username: inputs.username, password: inputs.password, insecureRegistries: [] }, await pipelineRegistries());
      if (registry) inputs.registry = registry;
    }
    const action = await runCtx.stage(stage.name);
    const started = performance.now();
    const result = await runCtx.log.group(`imgver ${stage.name}`, () => action.run(stagePlan, subRun(runCtx, spec.inputs, inputs, stage.name, true)));
    const elapsed = performance.now() - started;
    for (const [name, value] of Object.entries(result.outputs)) outputs[`${stage.prefix}-${name}`] = value;
    if (result.plan) plan = result.plan;
    if (result.summary) summaries.push(result.summary);
    ran.push(stage.name);
    // A final line per stage, outside its group: a long run's log shows where the time went at a glance.
    const what = stageResult(stage.name, plan, result.outputs);
    timings.push({ stage: stage.name, seconds: elapsed / 1000, result: what });
    runCtx.log.info(`imgver ${stage.name}: ${seconds(elapsed)}${what ? `, ${what}` : ''}`);
  }
  return {
    plan,
    outputs: { ...outputs, plan: plan ? JSON.stringify(plan) : '', stages: JSON.stringify(ran) },
    summary: [pipelineSummary(timings, plan), ...summaries].join('\n')
  };
}
