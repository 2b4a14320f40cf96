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
 * What release runs helm-sync with to write a plan's charts back (the chart files follow a recomputed version): release's
 * own working directory, config file and context overrides, the plan's charts and write-only; every other input at its
 * default.
 */
export function chartWriteBackInputs(release: CommonInputs, plan: Plan): HelmSyncInputs {
  return {
    workingDirectory: release.workingDirectory,
    config: release.config,
    configGiven: release.configGiven,
    overrides: release.overrides,
    plan,
    charts: splitLines((plan.charts ?? []).map(c => c.path)),
    writeOnly: true,
    dryRun: false,
    force: false,
    lint: true,
    insecureRegistries: []
  };
}
