import { splitLines } from '../core/lines.js';
import type { Plan } from '../core/plan.js';
import type { CommonInputs } from './inputs.js';
import type { RegistryInputs } from './registry-input-fields.js';

/** helm-sync's typed inputs (read by its getInputs), apart from the stage: release runs helm-sync with inputs it builds. */
export interface HelmSyncInputs extends CommonInputs, RegistryInputs {
  plan?: Plan;
  charts: string[];
  version?: string;
  appVersion?: string;
  imageTag?: string;
  push?: string;
  writeOnly: boolean;
  dryRun: boolean;
  force: boolean;
  lint: boolean;
  packageDir?: string;
}

/**
 * What release runs helm-sync with to write a plan's charts back (the chart files follow a recomputed version): every
 * input at its default but the working directory, the plan's charts and write-only.
 */
export function chartWriteBackInputs(workingDirectory: string, plan: Plan): HelmSyncInputs {
  return {
    workingDirectory,
    config: 'imgver.yaml',
    configGiven: false,
    overrides: { event: undefined, ref: undefined, sha: undefined, defaultBranch: undefined },
    plan,
    charts: splitLines((plan.charts ?? []).map(c => c.path)),
    writeOnly: true,
    dryRun: false,
    force: false,
    lint: true,
    insecureRegistries: []
  };
}
