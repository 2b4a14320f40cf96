import { COMMON_INPUTS, REGISTRY_INPUTS, type ActionSpec } from './spec.js';
import { buildTagPushSpec, computeVersionSpec, deployManifestSpec, detectChangesSpec, helmSyncSpec, k8sSyncSpec, releaseSpec } from './stage-specs.js';

/** The pipeline's stages in order, and the prefix of each one's outputs in the pipeline's outputs. */
export const PIPELINE_STAGES = [
  { name: 'detect-changes', prefix: 'detect', spec: detectChangesSpec },
  { name: 'compute-version', prefix: 'version', spec: computeVersionSpec },
  { name: 'build-tag-push', prefix: 'build', spec: buildTagPushSpec },
  { name: 'helm-sync', prefix: 'helm', spec: helmSyncSpec },
  { name: 'k8s-sync', prefix: 'k8s', spec: k8sSyncSpec },
  { name: 'release', prefix: 'release', spec: releaseSpec }
] as const;

const passThrough = (name: string, spec: ActionSpec, input: string) => ({ ...spec.inputs[input], description: `${name}: ${spec.inputs[input].description}` });

export const pipelineSpec: ActionSpec = {
  name: 'pipeline',
  title: 'imgver',
  description:
    'The whole chain in one step: detect-changes → compute-version → build-tag-push → helm-sync → k8s-sync → release, each stage handing its plan to the next and switchable by input; every stage output re-exported under its prefix (detect-, version-, build-, helm-, k8s-, release-).',
  inputs: {
    ...COMMON_INPUTS,
    'detect-changes': { description: 'Run detect-changes first, so unchanged services are retagged, not rebuilt (true or false).', default: 'true', boolean: true },
    'build-tag-push': { description: 'Build and push the images (true or false).', default: 'true', boolean: true },
    'helm-sync': { description: 'Sync, package and push the charts: auto (when the config has charts), true or false.', default: 'auto' },
    'k8s-sync': { description: 'Update the Kubernetes manifests and kustomizations: auto (when the config has deploy.kubernetes), true or false.', default: 'auto' },
    release: { description: 'Commit, tag and push the release, and publish GitHub Releases when github-release is set (true or false).', default: 'false', boolean: true },
    'dry-run': { description: 'Every stage shows what it would do; nothing is written back, built, pushed, committed or tagged.', default: 'false', boolean: true },
    write: passThrough('compute-version', computeVersionSpec, 'write'),
    reserve: passThrough('compute-version', computeVersionSpec, 'reserve'),
    bump: passThrough('compute-version', computeVersionSpec, 'bump'),
    'version-source': passThrough('compute-version', computeVersionSpec, 'version-source'),
    'on-conflict': passThrough('release', releaseSpec, 'on-conflict'),
    'moving-tags': passThrough('release', releaseSpec, 'moving-tags'),
    'github-release': passThrough('release', releaseSpec, 'github-release'),
    token: passThrough('release', releaseSpec, 'token'),
    ...REGISTRY_INPUTS,
    'stage-inputs': {
      description: 'Any other stage input, as YAML: stage name → {input: value}, e.g. build-tag-push: {platforms: linux/amd64,linux/arm64, unchanged: skip}.',
      multiline: true
    }
  },
  outputs: {
    plan: { description: 'The plan after the last stage that ran.', json: true },
    stages: { description: 'JSON array of the stages that ran.', json: true },
    ...Object.fromEntries(
      PIPELINE_STAGES.flatMap(stage =>
        Object.entries(stage.spec.outputs).map(([name, output]) => [`${stage.prefix}-${name}`, { ...output, description: `${stage.name}: ${output.description}` }])
      )
    )
  }
};

export const mergePlansSpec: ActionSpec = {
  name: 'merge-plans',
  title: 'imgver merge-plans',
  description:
    'Collect the plans of a fan-out (one build-tag-push job per service, each uploading its plan) into one plan for helm-sync and release; a service whose job failed or was cancelled is reported, never silently dropped.',
  inputs: {
    'working-directory': COMMON_INPUTS['working-directory'],
    plan: { description: 'The plan the jobs started from (compute-version’s). Default: the first fragment.' },
    plans: { description: 'The fragments, one a line: a plan file, a directory of them (as actions/download-artifact leaves them), or a plan’s JSON.', multiline: true },
    expected: { description: 'The services that must have a fragment: a JSON array (detect-changes’ changed) or one a line. Default: the plan’s changed services.' },
    'allow-missing': { description: 'Carry on, with a warning, when an expected service has no fragment.', default: 'false', boolean: true }
  },
  outputs: {
    plan: { description: 'The merged plan: each service’s entry from the job that handled it (digest, action, pushed tags).', json: true },
    merged: { description: 'JSON array of the services merged from fragments.', json: true },
    missing: { description: 'JSON array of the expected services without a fragment.', json: true }
  }
};

/** Every action with a plan output also hands it on as a file (on a runner), for plans too large to pass as an input. */
for (const spec of [detectChangesSpec, computeVersionSpec, buildTagPushSpec, helmSyncSpec, k8sSyncSpec, releaseSpec, pipelineSpec, mergePlansSpec]) {
  spec.outputs['plan-file'] = {
    description: 'The plan as a JSON file under RUNNER_TEMP (set on a runner): pass it as the next step’s plan input when the plan outgrows an input (128 KiB, a few hundred services).'
  };
}

for (const spec of [computeVersionSpec, buildTagPushSpec, helmSyncSpec, k8sSyncSpec, releaseSpec, deployManifestSpec, mergePlansSpec]) {
  spec.inputs.plan = { ...spec.inputs.plan, description: `${spec.inputs.plan.description} The JSON, or the path of a file holding it (an earlier step's plan-file).` };
}

export const ACTION_SPECS: ActionSpec[] = [detectChangesSpec, computeVersionSpec, buildTagPushSpec, helmSyncSpec, k8sSyncSpec, releaseSpec, deployManifestSpec, mergePlansSpec, pipelineSpec];

/** Commands of the CLI only (no action.yml): imgver init writes a repository's config and workflow. */
export const initSpec: ActionSpec = {
  name: 'init',
  title: 'imgver init',
  description:
    'Look at this repository (Dockerfiles, charts, version files, tags, workflows) and write a commented imgver.yaml and a starter workflow, saying why it chose each value. Never overwrites without --force.',
  inputs: {
    'working-directory': COMMON_INPUTS['working-directory'],
    config: { description: 'The config file to write, relative to working-directory.', default: 'imgver.yaml' },
    workflow: { description: 'The workflow to write (none: no workflow).', default: '.github/workflows/imgver.yml' },
    image: { description: 'The image name template, e.g. ghcr.io/acme/{{service}} (default: found in the charts, the workflows or the remote).' },
    force: { description: 'Overwrite the config and workflow when they exist.', default: 'false', boolean: true },
    'dry-run': { description: 'Print what would be written; write nothing.', default: 'false', boolean: true }
  },
  outputs: {
    'config-file': { description: 'The config file written.' },
    'workflow-file': { description: 'The workflow written (empty: none).' },
    services: { description: 'JSON array of the services found.', json: true },
    findings: { description: 'JSON array of {what, why}: each thing found and each value chosen, with the reason.', json: true }
  }
};

export const CLI_SPECS: ActionSpec[] = [initSpec];

export function findSpec(name: string): ActionSpec | undefined {
  return ACTION_SPECS.find(spec => spec.name === name) ?? CLI_SPECS.find(spec => spec.name === name);
}
