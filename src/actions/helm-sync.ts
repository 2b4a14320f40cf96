import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { chartFactsOf, localDependencyPath, nextChartVersions, orderCharts, type ChartFacts } from '../core/chart.js';
import { chartEdits, chartReadsRunContext, chartsToSync, releaseFor } from '../core/chart-release.js';
import { normalizeChart, type ChartConfig, type Config } from '../core/config.js';
import { parseConfigByOutline } from '../core/config-outline.js';
import { refTag, shortSha } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { isLoopbackHost, parseImageRef } from '../core/image-ref.js';
import { splitLines } from '../core/lines.js';
import { withWritten, type Plan, type PlanChart } from '../core/plan.js';
import type { TemplateVars } from '../core/template.js';
import { dockerSafeVersion } from '../core/version.js';
import { withYamlFiles } from '../core/yaml-file.js';
import { readTextIfExists, writeFilesAtomically, type FileWrite, workingDirectoryOf, resolveInside } from '../adapters/files.js';
import { Git } from '../adapters/git.js';
import type { PackagedChart } from '../adapters/helm.js';
import type { Registries } from '../adapters/registry/index.js';
import type { RunContext } from '../core/context.js';
import { registryInputs } from './registry-input-fields.js';
import type { HelmSyncInputs } from './helm-sync-inputs.js';
import { booleanInput, commonInputs, inputValue, type RawInputs } from './inputs.js';
import type { StageResult, StageContext } from './types.js';
import { escapeMarkdown, markdownTable, type Cell } from '../core/markdown.js';

export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): HelmSyncInputs {
  const str = (name: string) => inputValue(raw, name);
  // none (or false): no upload, whatever the charts' push: says.
  const push = /^(none|false)$/i.test(str('push') ?? '') ? '' : str('push');
  if (push && !/^oci:\/\/[^/]+/.test(push)) {
    throw new UserError(`Input 'push' is set to invalid value '${push}': expected an OCI destination such as oci://ghcr.io/acme/charts`, { input: 'push' });
  }
  return {
    ...commonInputs(raw, given),
    plan,
    charts: splitLines(raw.charts),
    version: str('version'),
    appVersion: str('app-version'),
    imageTag: str('image-tag'),
    push,
    writeOnly: booleanInput(raw, 'write-only', false),
    dryRun: booleanInput(raw, 'dry-run', false),
    force: booleanInput(raw, 'force', false),
    lint: booleanInput(raw, 'lint', true),
    packageDir: str('package-dir'),
    ...registryInputs(raw)
  };
}

/** A chart as this run sees it: config, files read, and the edits decided (nothing written yet). */
interface ChartWork {
  config: ChartConfig;
  /** Directory relative to the working directory. */
  path: string;
  facts: ChartFacts;
  version: string;
  appVersion?: string;
  valuesFiles: string[];
  writes: FileWrite[];
  changedDependencies: boolean;
}

async function readChart(cwd: string, chart: ChartConfig): Promise<{ facts: ChartFacts; chartText: string; file: string }> {
  const file = join(chart.path, 'Chart.yaml');
  const chartText = await readTextIfExists(resolveInside(cwd, file, { name: `Chart ${chart.path} (charts in the config or the charts input)`, input: 'charts' }, 'file'));
  if (chartText === undefined) throw new UserError(`Chart ${chart.path}: ${file} not found (a chart directory holds Chart.yaml)`, { file });
  const facts = await withYamlFiles([{ file, text: chartText }], ([chartYaml]) => chartFactsOf(chartYaml, file));
  return { facts, chartText, file };
}

/** The directories of a chart's file:// dependencies, relative to the working directory, by dependency index. */
function localDependencyDirs(cwd: string, chartPath: string, facts: ChartFacts): { index: number; version?: string; dir: string }[] {
  return facts.dependencies.flatMap(dep => {
    const sub = localDependencyPath(dep.repository);
    return sub === undefined ? [] : [{ index: dep.index, version: dep.version, dir: relative(cwd, resolve(cwd, chartPath, sub)) || '.' }];
  });
}

async function planChart(cwd: string, chart: ChartConfig, facts: ChartFacts, chartText: string, inputs: HelmSyncInputs, config: Config, runContext: () => Promise<RunContext>, newVersions: Map<string, string>, log: StageContext['log']): Promise<ChartWork> {
  const configured = inputs.appVersion !== undefined ? { ...chart, appVersion: inputs.appVersion } : chart;
  // Nothing below reads the ref or the commit unless this says so: the placeholders are never rendered.
  const context = chartReadsRunContext(configured, inputs) ? await runContext() : { ref: '', sha: '' };
  const release = releaseFor(chart, inputs, config, context.ref);
  const vars: TemplateVars = { version: release.version, tag: refTag(context.ref) ?? '', sha: shortSha(context.sha) };
  const next = nextChartVersions(configured, facts, release, vars, `charts ${chart.path}`);
  log.info(`${facts.name} (${chart.path}): version ${facts.version} → ${next.version}${next.appVersion !== undefined ? `, appVersion ${next.appVersion}` : ''} (from ${release.from})`);

  const localVersions = new Map<number, string>();
  for (const dep of localDependencyDirs(cwd, chart.path, facts)) {
    const subVersion: string = newVersions.get(dep.dir) ?? (await readChart(cwd, normalizeChart({ path: dep.dir }))).facts.version;
    if (dep.version !== subVersion) localVersions.set(dep.index, subVersion);
  }

  const values: { file: string; text: string }[] = [];
  for (const name of chart.valuesFiles) {
    const file = join(chart.path, name);
    const text = await readTextIfExists(resolveInside(cwd, file, { name: `Values file ${file} (values-files of chart ${chart.path})` }, 'file'));
    if (text === undefined) {
      if (name === 'values.yaml' && chart.images.length === 0) continue;
      throw new UserError(`Chart ${chart.path}: values file ${file} not found (values-files lists it)`, { file });
    }
    values.push({ file, text });
  }
  const chartFile = join(chart.path, 'Chart.yaml');
  const edits = await withYamlFiles([{ file: chartFile, text: chartText }, ...values], ([chartYaml, ...valuesYaml]) =>
    chartEdits(chart, inputs, facts, next, localVersions, chartYaml, valuesYaml, release, vars)
  );
  for (const warning of edits.warnings) log.warning(warning);
  // One write for all the lines: a values file of a hundred services makes hundreds of them.
  if (edits.changes.length > 0) log.info(edits.changes.map(({ file, change }) => `  ${file}:${change.line} ${change.path}: ${change.from ?? '(none)'} → ${change.to}`).join('\n'));
  newVersions.set(chart.path, next.version);
  return {
    config: chart,
    path: chart.path,
    facts,
    version: next.version,
    appVersion: next.appVersion ?? facts.appVersion,
    valuesFiles: values.map(v => v.file),
    writes: edits.writes,
    changedDependencies: localVersions.size > 0
  };
}

interface PushTarget {
  work: ChartWork;
  destination: string;
  repository: string;
  host: string;
  tag: string;
}

export async function run(_plan: Plan | undefined, inputs: HelmSyncInputs, runCtx: StageContext): Promise<StageResult> {
  const { log } = runCtx;
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  // Checked before any file is written.
  const packageDir = inputs.packageDir ? resolveInside(cwd, inputs.packageDir, 'package-dir', 'directory') : undefined;
  // Chart repositories keep imgver.yaml in the block YAML the chart files are in: the scanner reads it (no js-yaml).
  const config = await runCtx.config(cwd, inputs.config, inputs.configGiven, parseConfigByOutline);
  const charts = chartsToSync(inputs, config);
  const git = new Git(cwd);
  // Resolved on first use only (git processes on a machine without GITHUB_* variables): see chartReadsRunContext.
  const runContext = () => runCtx.runContext({ cwd, overrides: inputs.overrides, git: async () => ((await git.isRepository()) ? git : undefined) });

  // 1. Decide every edit of every chart in memory, subcharts before the umbrella charts that depend on them.
  const read = await Promise.all(charts.map(async chart => ({ chart, ...(await readChart(cwd, chart)) })));
  const withDeps = read.map(r => ({ ...r, path: r.chart.path, localDeps: localDependencyDirs(cwd, r.chart.path, r.facts).map(d => d.dir) }));
  const newVersions = new Map<string, string>();
  const work: ChartWork[] = [];
  await log.group('Chart edits', async () => {
    for (const item of orderCharts(withDeps)) {
      work.push(await planChart(cwd, item.chart, item.facts, item.chartText, inputs, config, runContext, newVersions, log));
    }
  });
  const writes = work.flatMap(w => w.writes);
  const changedFiles = writes.map(w => w.path);

  if (inputs.dryRun) {
    const { createTwoFilesPatch } = await import('diff');
    await log.group('Dry run: the changes helm-sync would write', async () => {
      for (const write of writes) {
        const before = (await readTextIfExists(resolve(cwd, write.path))) ?? '';
        log.info(createTwoFilesPatch(`a/${write.path}`, `b/${write.path}`, before, write.text, undefined, undefined, { context: 3 }).trimEnd());
      }
      if (writes.length === 0) log.info('Every chart is already in step: nothing would change.');
      const destination = inputs.push;
      for (const w of work) {
        const dest = destination ?? w.config.push;
        if (!inputs.writeOnly) log.info(`would lint and package ${w.facts.name} ${w.version}${dest ? ` and push it to ${dest}` : ''}`);
      }
    });
    return result(work, changedFiles, [], inputs, true);
  }

  // 2. Write the files; any failure before the first push puts the old contents back.
  const inside = (path: string) => resolveInside(cwd, path, { name: `The file ${path}` });
  const targets = writes.map(w => ({ path: inside(w.path), text: w.text }));
  // What is put back when the release fails before its first push: a write-only run puts nothing back.
  const originals: FileWrite[] = inputs.writeOnly ? [] : await Promise.all(targets.map(async t => ({ path: t.path, text: (await readTextIfExists(t.path)) ?? '' })));
  await writeFilesAtomically(targets);
  if (writes.length > 0) log.info(`Wrote ${changedFiles.join(', ')}`);
  if (inputs.writeOnly) return result(work, changedFiles, [], inputs, false);

  return releaseCharts(runCtx, inputs, cwd, packageDir, runContext, work, changedFiles, originals);
}

/** Where a chart goes: oci://host/path and the repository and tag it gets there. */
function pushTarget(work: ChartWork, inputs: HelmSyncInputs): PushTarget | undefined {
  const destination = inputs.push ?? work.config.push;
  if (!destination) return undefined;
  const base = destination.replace(/^oci:\/\//, '').replace(/\/+$/, '');
  const ref = parseImageRef(`${base}/${work.facts.name}`);
  return { work, destination: `oci://${base}`, repository: ref.repository, host: ref.registry, tag: dockerSafeVersion(work.version) };
}

/**
 * Lint, package and push the written charts. Every chart is packaged and every destination read before the first
 * push; any failure until then puts the files' old contents back. The registry is read while helm lints and packages.
 */
async function releaseCharts(runCtx: StageContext, inputs: HelmSyncInputs, cwd: string, packageDir: string | undefined, runContext: () => Promise<RunContext>, work: ChartWork[], changedFiles: string[], originals: FileWrite[]): Promise<StageResult> {
  const { log } = runCtx;
  // The registry client loads while helm lints and packages (once the first processes are started: it is read with
  // require, which would hold them back); the registry is read only once every chart is packaged.
  let registryModule: Promise<typeof import('./registry-inputs.js')> | undefined;
  const { Helm, archiveTime, helmHoldsLogin, pushChart, storedChart } = await import('../adapters/helm.js');
  const targets = work.flatMap(w => pushTarget(w, inputs) ?? []);
  const packages = new Map<string, PackagedChart>();
  const helm = new Helm(cwd, runCtx.env, line => log.info(line));
  const existing = new Map<PushTarget, { digest: string; same: boolean }>();
  let registries!: Registries;
  let mtime!: Date;
  try {
    const outDir = packageDir ?? (await mkdtemp(join(runCtx.env.RUNNER_TEMP || tmpdir(), 'imgver-charts-')));
    await mkdir(outDir, { recursive: true });
    // SOURCE_DATE_EPOCH, when set, is the archive time: the commit's date is read only without it.
    mtime = archiveTime(runCtx.env, runCtx.env.SOURCE_DATE_EPOCH?.trim() ? undefined : (await runContext()).commitDate);
    for (const w of work) {
      await log.group(`helm: ${w.facts.name} ${w.version}`, async () => {
        if (w.facts.dependencies.length > 0) {
          const lockFile = join(w.path, 'Chart.lock');
          const lock = await readTextIfExists(resolve(cwd, lockFile));
          await helm.dependencies(w.path, w.changedDependencies || lock === undefined);
          if ((await readTextIfExists(resolve(cwd, lockFile))) !== lock) changedFiles.push(lockFile);
        }
        const packaging = helm.lintAndPackage(w.path, inputs.lint ? w.valuesFiles.filter(f => !f.endsWith('/values.yaml')) : undefined, outDir, w.facts.name, w.version, mtime);
        registryModule ??= new Promise(resolve => setImmediate(resolve)).then(() => import('./registry-inputs.js'));
        const packaged = await packaging;
        for (const note of packaged.notes) log.info(note);
        packages.set(w.path, packaged);
        log.info(`packaged ${relative(cwd, packaged.file) || packaged.file} (${packaged.digest})`);
      });
    }
    // What each destination holds: a conflict anywhere stops the run before any push.
    const { openRegistries } = await (registryModule ?? import('./registry-inputs.js'));
    registries = openRegistries(inputs, runCtx, { hosts: targets.map(t => t.host) });
    const conflicts: string[] = [];
    for (const target of targets) {
      const registry = await registries.for(parseImageRef(`${target.host}/${target.repository}`));
      const found = await storedChart(registry, target.repository, target.tag, packages.get(target.work.path)!);
      if (!found) continue;
      existing.set(target, found);
      if (!found.same) conflicts.push(`${target.destination.slice('oci://'.length)}/${target.work.facts.name}:${target.tag} (${found.digest})`);
    }
    if (conflicts.length > 0 && !inputs.force) {
      throw new UserError(
        `Chart version${conflicts.length > 1 ? 's' : ''} ${conflicts.join(', ')} already ${conflicts.length > 1 ? 'exist' : 'exists'} with other content; a released chart version is not overwritten. Release a new version, or set force: true to replace ${conflicts.length > 1 ? 'them' : 'it'}`,
        { input: 'force' }
      );
    }
  } catch (error) {
    if (originals.length > 0) {
      await writeFilesAtomically(originals);
      log.info(`Restored ${changedFiles.join(', ')}: nothing was pushed`);
    }
    throw error;
  }

  // Push (a version that holds this very chart already is left alone: re-runs push nothing).
  const pushedCharts: { path: string; ref: string; digest: string; status: 'pushed' | 'exists' }[] = [];
  await log.group('Push', async () => {
    for (const target of targets) {
      const ref = `${target.destination}/${target.work.facts.name}:${target.tag}`;
      const found = existing.get(target);
      if (found?.same) {
        log.info(`${ref} already holds this chart (${found.digest}): nothing to push`);
        pushedCharts.push({ path: target.work.path, ref, digest: found.digest, status: 'exists' });
        continue;
      }
      const image = parseImageRef(`${target.host}/${target.repository}`);
      const registry = await registries.for(image);
      const packaged = packages.get(target.work.path)!;
      let digest: string;
      // imgver's registry client pushes what helm push would (one helm process less), unless only helm holds the login.
      if (registry.pushBlob && !(await helmHoldsLogin(runCtx.env, target.host))) {
        digest = await pushChart({ pushBlob: registry.pushBlob.bind(registry), putManifest: registry.putManifest.bind(registry) }, target.repository, target.tag, packaged, target.work.facts.name, mtime);
      } else {
        const credentials = await registries.loginCredentials(image);
        if (credentials) log.mask(credentials.password);
        const plainHttp = isLoopbackHost(target.host) || inputs.insecureRegistries.includes(target.host);
        digest = await helm.push(packaged.file, target.destination, { plainHttp, host: target.host, credentials });
        const now = await registry.digest(target.repository, target.tag);
        if (now !== digest) throw new UserError(`${ref}: helm pushed ${digest}, but the registry answers ${now ?? 'nothing'} for the tag`);
      }
      log.info(`pushed ${ref} (${digest})`);
      pushedCharts.push({ path: target.work.path, ref, digest, status: 'pushed' });
    }
  });
  return result(work, changedFiles, pushedCharts, inputs, false, packages);
}

function result(
  work: ChartWork[],
  changedFiles: string[],
  pushed: { path: string; ref: string; digest: string; status: 'pushed' | 'exists' }[],
  inputs: HelmSyncInputs,
  dryRun: boolean,
  packages: Map<string, PackagedChart> = new Map()
): StageResult {
  const charts: PlanChart[] = work.map(w => {
    const push = pushed.find(p => p.path === w.path);
    const packaged = packages.get(w.path);
    return {
      path: w.path,
      name: w.facts.name,
      version: w.version,
      appVersion: w.appVersion,
      ref: push?.ref ?? '',
      digest: push?.digest ?? '',
      package: packaged?.file ?? '',
      archiveDigest: packaged?.digest ?? '',
      pushed: push?.status ?? 'none'
    };
  });
  const base: Plan = { ...(inputs.plan ?? { schema: 1, services: [] }), charts };
  const plan = dryRun ? base : withWritten(base, changedFiles);
  const summary = [
    `### imgver helm-sync${dryRun ? ' (dry run)' : inputs.writeOnly ? ' (write only)' : ''}`,
    '',
    markdownTable(
      ['Chart', 'Version', 'appVersion', 'Pushed', 'Digest'],
      charts.map((c): Cell[] => [`${c.name} (${c.path})`, c.version ?? '', c.appVersion ?? '', c.ref ? `${c.pushed}: ${c.ref}` : (c.pushed ?? ''), c.digest ? { code: `${c.digest.slice(0, 19)}…` } : ''])
    ),
    '',
    changedFiles.length > 0 ? `Files ${dryRun ? 'that would change' : 'changed'}: ${changedFiles.map(f => `<code>${escapeMarkdown(f)}</code>`).join(', ')}` : 'No file changed.',
    ''
  ].join('\n');
  return { plan, outputs: { charts: JSON.stringify(charts), 'changed-files': JSON.stringify(changedFiles) }, summary };
}
