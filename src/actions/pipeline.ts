import { parse } from 'yaml';
import { UserError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { pipelineSummary, seconds, stageResult, type StageTiming } from '../core/pipeline-summary.js';
import { parseImageRef, tagOf } from '../core/image-ref.js';
import { credentialsRegistry } from './registry-inputs.js';
import { commonInputs, inputValue, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import { planInput } from '../adapters/plan-input.js';
import { PIPELINE_STAGES, findSpec } from './specs.js';
import { COMMON_INPUTS, REGISTRY_INPUTS } from './spec.js';
import { runWithRawInputs } from './stage-run.js';
import { subContext, withDefaults } from './sub-run.js';
import type { StageContext, StageResult } from './types.js';
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

export interface PipelineInputs extends CommonInputs {
  /** Which stages run (auto: decided from the config). */
  switches: Record<string, Switch>;
  /** Whether the user set detect-changes (without it, a version-only config skips it). */
  detectGiven: boolean;
  dryRun: boolean;
  /** The pipeline's inputs the user set that go on to the stages that have them (SHARED), as given. */
  shared: Record<string, string>;
  stageInputs: Record<string, Record<string, string>>;
}

export function getInputs(raw: RawInputs, given: Set<string> = new Set()): PipelineInputs {
  const common = commonInputs(raw, given);
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
  const shared: Record<string, string> = {};
  for (const name of SHARED) if (given.has(name) && raw[name] !== undefined) shared[name] = raw[name]!;
  return { ...common, switches, detectGiven: given.has('detect-changes'), dryRun, shared, stageInputs };
}

/**
 * The whole chain in one step: detect-changes → compute-version → build-tag-push → helm-sync → release, each stage
 * handing its plan to the next, each switchable, every stage's outputs re-exported under its prefix.
 */
export async function run(_plan: Plan | undefined, inputs: PipelineInputs, runCtx: StageContext): Promise<StageResult> {
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  const { stageInputs, dryRun, detectGiven } = inputs;
  const switches = { ...inputs.switches };
  if (switches['helm-sync'] === 'auto' || switches['k8s-sync'] === 'auto' || !detectGiven) {
    const config = await runCtx.config(cwd, inputs.config, inputs.configGiven);
    if (switches['helm-sync'] === 'auto') switches['helm-sync'] = config.charts.length > 0;
    if (switches['k8s-sync'] === 'auto') switches['k8s-sync'] = config.deploy.kubernetes.length > 0;
    // Version-only (no service, no image): the whole repository is one unit, so there is nothing to detect.
    if (!detectGiven && config.services.length === 0) switches['detect-changes'] = false;
  }

  let plan: Plan | undefined;
  /** Every registry the pipeline's images (from the plan so far) and charts go to. */
  const pipelineRegistries = async (): Promise<string[]> => {
    const images = (plan?.services ?? []).flatMap(s => [s.image, ...(s.tags ?? []).map(t => tagOf(t).image)]);
    const charts = switches['helm-sync'] === true ? (await runCtx.config(cwd, inputs.config, inputs.configGiven)).charts.map(c => stageInputs['helm-sync']?.push ?? c.push) : [];
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
    // The stage's inputs are strings (the pipeline's own, stage-inputs): they become its typed inputs as at a front door.
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(inputs.shared)) if (spec.inputs[name]) values[name] = value;
    // A dry run writes nothing back either: compute-version's write would change files the later stages only show.
    if (dryRun && stage.name === 'compute-version') values.write = 'false';
    Object.assign(values, stageInputs[stage.name]);
    // The plan goes on as an object; a plan given in stage-inputs is read as the front doors read one.
    const stagePlan = spec.inputs.plan ? (planInput(values) ?? plan) : undefined;
    // Credentials without a registry are for the one registry of the whole pipeline (images and charts), not one per stage.
    if (spec.inputs.registry && values.username && values.password && !values.registry) {
      const registry = credentialsRegistry({ username: values.username, password: values.password, insecureRegistries: [] }, await pipelineRegistries());
      if (registry) values.registry = registry;
    }
    const action = await runCtx.stage(stage.name);
    const started = performance.now();
    const call = subContext(runCtx, stage.name, true);
    const result = await runCtx.log.group(`imgver ${stage.name}`, () => runWithRawInputs(action, spec, stagePlan, withDefaults(spec.inputs, values), new Set(Object.keys(values)), call));
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
    outputs: { ...outputs, stages: JSON.stringify(ran) },
    summary: [pipelineSummary(timings, plan), ...summaries].join('\n')
  };
}
