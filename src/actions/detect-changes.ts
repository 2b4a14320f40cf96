import { compileFilters, dependencyClosure, matchChanges, needsGlobEngine, QUANTIFIERS, type ChangeReason, type FileChange, type FilterSpec, type Quantifier } from '../core/changes.js';
import { decideBases, diffKey, pushShortcut, type BaseDecision } from '../core/change-base.js';
import { changeOutputs, changeReport, changeSummary, chunkMatrix, buildUnits, diffLine, runBase, unitOutcomes } from '../core/change-report.js';
import { loadPathGlobEngine } from '../core/glob-engine.js';
import { LIST_FORMATS, type ListFormat } from '../core/list-files.js';
import { shortSha } from '../core/context.js';
import { UserError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { BaseFinder } from '../adapters/base-finder.js';
import { Git } from '../adapters/git.js';
import { pathKind, readTextIfExists, resolveInside, workingDirectoryOf, writeTempFile } from '../adapters/files.js';
import { commonInputs, inputValue, numberInput, oneOfInput, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import type { StageContext, StageResult } from './types.js';
import { detectChangesSpec } from './stage-specs.js';

export interface DetectChangesInputs extends CommonInputs {
  filters?: string;
  base?: string;
  head?: string;
  all: boolean;
  maxFiles: number;
  matrixSize: number;
  tagFormat?: string;
  listFiles: ListFormat;
  predicateQuantifier: Quantifier;
}

export function getInputs(raw: RawInputs, given: Set<string> = new Set()): DetectChangesInputs {
  const str = (name: string) => inputValue(raw, name);
  return {
    ...commonInputs(raw, given),
    filters: str('filters') ? raw.filters : undefined,
    base: str('base'),
    head: str('head'),
    all: parseBoolean(raw.all ?? '', 'all'),
    maxFiles: numberInput(raw, 'max-files', 100),
    matrixSize: numberInput(raw, 'matrix-size', 256, { max: 256 }),
    tagFormat: str('tag-format'),
    listFiles: oneOfInput(raw, 'list-files', LIST_FORMATS, 'none', { lowerCase: true }),
    predicateQuantifier: oneOfInput(raw, 'predicate-quantifier', QUANTIFIERS, 'some')
  };
}

/** The filters input: inline YAML, or (as paths-filter reads it) one line without a ':' naming the file holding them. */
async function readFilters(inputs: DetectChangesInputs, cwd: string): Promise<FilterSpec[] | undefined> {
  if (inputs.filters === undefined) return undefined;
  let text = inputs.filters;
  const single = text.trim();
  if (!single.includes('\n') && !single.includes(':')) {
    const path = resolveInside(cwd, single, 'filters');
    const kind = pathKind(path);
    if (kind === 'file') text = (await readTextIfExists(path)) ?? '';
    else if (kind) throw new UserError(`Input 'filters' names ${single}, which is not a file (in ${cwd})`, { input: 'filters' });
    else if (/\.ya?ml$/.test(single)) throw new UserError(`Input 'filters' names the file ${single}, which does not exist (in ${cwd})`, { input: 'filters' });
  }
  const { parseFiltersInput } = await import('../core/filters-input.js');
  return parseFiltersInput(text);
}

const FIXED_OUTPUTS = new Set(Object.keys(detectChangesSpec.outputs));

/** detect-changes: which services and libs changed, and the plan that starts with them. */
export async function run(_plan: Plan | undefined, inputs: DetectChangesInputs, call: StageContext): Promise<StageResult> {
  const { log, env } = call;
  const cwd = workingDirectoryOf(call.cwd, inputs.workingDirectory);
  const onRunner = env.GITHUB_ACTIONS === 'true';
  let gitCalls = 0;
  const git = new Git(cwd, {
    trustCheckout: onRunner,
    trace: (argv, ms, code) => {
      gitCalls++;
      log.debug(`git ${argv.join(' ')} → ${code} (${ms} ms)`);
    }
  });
  const context = await call.runContext({ cwd, overrides: inputs.overrides, git: async () => git });
  // A push's diff needs no config: git runs it while the config is read.
  const shortcut = pushShortcut(context, inputs);
  const earlyDiff = shortcut ? git.tryDiff(shortcut.base, shortcut.head) : undefined;
  earlyDiff?.catch(() => undefined);
  const config = await call.config(cwd, inputs.config, inputs.configGiven);
  const units = buildUnits(config, await readFilters(inputs, cwd));
  if (units.length === 0) {
    throw new UserError(`Nothing to detect: list services in ${inputs.config} (services: {api: {}, web: {}}) or give the filters input`, { input: 'filters' });
  }
  const lookup = new BaseFinder(git, log, context, onRunner);
  const patterns = units.flatMap(u => u.spec.rules.map(r => r.pattern));
  const engine = needsGlobEngine(patterns) ? await loadPathGlobEngine() : undefined;
  if (inputs.predicateQuantifier === 'every') for (const unit of units) unit.spec.quantifier = 'every';
  const filters = compileFilters(
    units.map(u => u.spec),
    engine
  );

  const decide = (optimistic: boolean) => decideBases({ lookup, context, request: inputs, config, units, optimistic });
  let decisions = await decide(true);
  let optimisticChanges: FileChange[] | undefined;
  const first = decisions.values().next().value;
  if (first?.optimistic) {
    // The optimistic decision is the push shortcut, whose diff was started early.
    optimisticChanges = await (earlyDiff ?? git.tryDiff(first.base!, first.head));
    if (!optimisticChanges) decisions = await decide(false);
  }
  // One diff per distinct base (per-service release tags may give several), and the dependency closure within it:
  // a service counts its dependencies' changes since its own base.
  const diffs = new Map<string, FileChange[]>();
  const closures = new Map<BaseDecision, Map<string, ChangeReason>>();
  for (const decision of new Set(decisions.values())) {
    if (decision.skip) continue;
    if (decision.warning) log.warning(decision.warning);
    const key = diffKey(decision);
    let changes = diffs.get(key);
    if (!changes) {
      changes =
        decision.optimistic && optimisticChanges
          ? optimisticChanges
          : decision.all
            ? await git.listFiles(decision.head)
            : decision.worktree
              ? await git.diffWorktree()
              : await git.diff(decision.base!, decision.head);
      diffs.set(key, changes);
    }
    closures.set(
      decision,
      dependencyClosure(
        units.map(u => u.spec),
        matchChanges(filters, changes)
      )
    );
  }
  const outcomes = unitOutcomes(units, decisions, closures);
  const { base, distinct, first: firstDecision } = runBase(decisions);
  log.info(`Base ${base ? shortSha(base) : distinct > 1 ? '(per service)' : '(none)'} → head ${shortSha(firstDecision.head)}: ${firstDecision.why}`);
  for (const [key, changes] of diffs) log.info(diffLine(key, changes.length));

  const report = changeReport({ units, outcomes, maxFiles: inputs.maxFiles, ref: context.ref, sha: context.sha, base, head: firstDecision.head });
  // Quiet logs: changed ones at info, a skipped one at debug, the rest in one debug line.
  for (const line of report.lines) {
    if (line.changed) log.info(`${line.name}: changed (${line.why})`);
    else if (line.skipped) log.debug(`${line.name}: unchanged (${line.why})`);
  }
  const unchangedNames = report.lines.filter(l => !l.changed && !l.skipped).map(l => l.name);
  if (unchangedNames.length > 0) log.debug(`No matching change: ${unchangedNames.join(', ')}`);
  let filesPath = '';
  if (report.truncated && env.RUNNER_TEMP) {
    // On a runner the full lists go to a file in its temp dir, which the runner removes after the job.
    filesPath = writeTempFile(env.RUNNER_TEMP, 'imgver-changes-', 'files.json', JSON.stringify(report.filesFull));
    log.info(`More than ${inputs.maxFiles} files for some filters: the outputs list the first ${inputs.maxFiles}; all are in ${filesPath}`);
  } else if (report.truncated) {
    // Elsewhere nothing would remove such a file: the full lists are the <filter>_files outputs (list-files).
    log.info(`More than ${inputs.maxFiles} files for some filters: the outputs list the first ${inputs.maxFiles}; --list-files json gives every file in <filter>_files`);
  }
  const matrices = chunkMatrix(report.matrixEntries, inputs.matrixSize);
  if (matrices.length > 1) {
    log.warning(
      `${report.matrixEntries.length} changed services is over ${inputs.matrixSize} jobs per matrix: matrix holds the first ${inputs.matrixSize}; use the matrices output (${matrices.length} chunks) for the rest`
    );
  }
  if (units.some(u => u.spec.name === 'changes')) log.info('A filter is named changes: the changes output is its true/false, not the list of filters that changed');
  const outputs = changeOutputs({
    units,
    report,
    matrices,
    base,
    head: firstDecision.head,
    filesPath,
    listFiles: inputs.listFiles,
    fixed: FIXED_OUTPUTS,
    warn: message => log.warning(message)
  });
  log.debug(`${gitCalls} git calls`);
  return { plan: report.plan, outputs, summary: changeSummary(report, units, base, firstDecision) };
}
