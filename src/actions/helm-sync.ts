import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import semver from '../core/semver.js';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  chartSemver,
  chartYamlEdits,
  imageReleaseOf,
  localDependencyPath,
  nextChartVersions,
  orderCharts,
  readChartFacts,
  valuesEdits,
  valuesFileView,
  type ChartFacts,
  type ImageRelease
} from '../core/chart.js';
import { maxLevel, type BumpLevel } from '../core/bump.js';
import { normalizeChart, releaseTagFormat, type ChartConfig, type Config } from '../core/config.js';
import { refTag, shortSha } from '../core/context.js';
import { UserError } from '../core/errors.js';
import { isLoopbackHost, parseImageRef } from '../core/image-ref.js';
import { splitLines } from '../core/lines.js';
import { withWritten, type Plan, type PlanChart } from '../core/plan.js';
import { renderTemplate, type TemplateVars } from '../core/template.js';
import { compileTagFormat, dockerSafeVersion } from '../core/version.js';
import { editYaml, findMarkers, parseYamlFile, type Marker, type YamlEdit } from '../core/yaml-edit.js';
import { readTextIfExists, writeFilesAtomically, type FileWrite, workingDirectoryOf, resolveInside } from '../adapters/files.js';
import { Git } from '../adapters/git.js';
import { CHART_LAYER_MEDIA_TYPE, Helm, archiveFingerprint, archiveTime, type PackagedChart } from '../adapters/helm.js';
import type { RunContext } from '../core/context.js';
import { openRegistries, registryInputs, type RegistryInputs } from './registry-inputs.js';
import { commonInputs, inputValue, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import type { ActionResult, ActionRun } from './types.js';
import { escapeMarkdown, markdownTable, type Cell } from '../core/markdown.js';

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

export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): HelmSyncInputs {
  const str = (name: string) => inputValue(raw, name);
  const bool = (name: string, fallback: boolean) => (str(name) === undefined ? fallback : parseBoolean(raw[name]!, name));
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
    writeOnly: bool('write-only', false),
    dryRun: bool('dry-run', false),
    force: bool('force', false),
    lint: bool('lint', true),
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

function chartsToSync(inputs: HelmSyncInputs, config: Config): ChartConfig[] {
  if (inputs.charts.length > 0) {
    // normalizeChart tidies the path the way the config's paths are tidied (./ and trailing slashes dropped).
    return inputs.charts.map(path => normalizeChart({ path })).map(given => config.charts.find(c => c.path === given.path) ?? given);
  }
  if (config.charts.length === 0) {
    throw new UserError(
      `No charts to sync: list them under charts: in ${inputs.config} (path, images) or give the charts input (chart directories, one a line)`,
      { input: 'charts' }
    );
  }
  return config.charts;
}

/** The version a chart follows: the version input, else the plan, else the pushed tag. */
function releaseFor(chart: ChartConfig, inputs: HelmSyncInputs, config: Config, context: RunContext): { version: string; bump?: Plan['services'][number]['bump']; from: string } {
  if (inputs.version) return { version: chartSemver(inputs.version, "Input 'version'"), from: 'the version input' };
  const planServices = inputs.plan?.services.filter(s => s.version) ?? [];
  if (planServices.length > 0) {
    if (chart.service) {
      const service = planServices.find(s => s.name === chart.service);
      if (!service) {
        throw new UserError(`charts ${chart.path}: service: ${chart.service} has no version in the plan (services with one: ${planServices.map(s => s.name).join(', ')})`);
      }
      return { version: chartSemver(service.version!, `Plan service ${service.name}`), bump: service.bump, from: `service ${service.name}` };
    }
    const mapped = planServices.filter(s => chart.images.some(i => i.service === s.name));
    const candidates = mapped.length > 0 ? mapped : planServices;
    const versions = [...new Set(candidates.map(s => s.version!))];
    if (versions.length > 1) {
      throw new UserError(
        `charts ${chart.path}: the plan's services have different versions (${candidates.map(s => `${s.name} ${s.version}`).join(', ')}): set service: in the chart's config to the one the chart follows, or give the version input`
      );
    }
    const bump = candidates.reduce<BumpLevel>((level, s) => maxLevel(level, s.bump ?? 'none'), 'none');
    return { version: chartSemver(versions[0], 'The plan'), bump, from: 'the plan' };
  }
  const tag = refTag(context.ref);
  if (tag !== undefined) {
    const format = compileTagFormat(releaseTagFormat(config, 'unified', undefined));
    // With the default format, a bare 1.2.3 tag is a release too (the leading v is optional for charts).
    const version = format.parse(tag) ?? (format.format === 'v{{version}}' && /^\d/.test(tag) ? semver.valid(tag) ?? undefined : undefined);
    if (version) return { version, from: `tag ${tag}` };
    throw new UserError(
      `Tag ${tag} is not a release tag: expected ${format.render('1.2.3')}${format.format === 'v{{version}}' ? ' or 1.2.3' : ''} (tag format ${format.format}, a SemVer version such as 1.2.3 or 1.2.3-rc.1); set version.tag-format in ${inputs.config} if your tags differ`,
      { input: 'ref' }
    );
  }
  throw new UserError(
    `helm-sync needs a version: give the plan input (from compute-version), the version input, or run on a pushed tag (v1.2.3); ${context.ref} is not a tag`,
    { input: 'version' }
  );
}

/** Every name a chart updates gets an image: the plan's, or (a chart-only repository) the release's tag. */
function imagesFor(names: Set<string>, chart: ChartConfig, inputs: HelmSyncInputs, version: string, vars: TemplateVars): Map<string, ImageRelease> {
  const planServices = inputs.plan?.services ?? [];
  const imageTag = inputs.imageTag ?? chart.imageTag;
  const images = new Map<string, ImageRelease>();
  for (const name of names) {
    const service = planServices.find(s => s.name === name);
    if (service?.version) {
      images.set(name, imageReleaseOf(service, imageTag, vars));
    } else if (planServices.length === 0) {
      const template = imageTag ?? (vars.tag ? '{{tag}}' : '{{version}}');
      images.set(name, { name, tag: dockerSafeVersion(renderTemplate(template, { ...vars, version, service: name })), version });
    }
  }
  return images;
}

async function readChart(cwd: string, chart: ChartConfig): Promise<{ facts: ChartFacts; chartText: string; file: string }> {
  const file = join(chart.path, 'Chart.yaml');
  const chartText = await readTextIfExists(resolveInside(cwd, file, { name: `Chart ${chart.path} (charts in the config or the charts input)`, input: 'charts' }, 'file'));
  if (chartText === undefined) throw new UserError(`Chart ${chart.path}: ${file} not found (a chart directory holds Chart.yaml)`, { file });
  return { facts: readChartFacts(chartText, file), chartText, file };
}

/** The directories of a chart's file:// dependencies, relative to the working directory, by dependency index. */
function localDependencyDirs(cwd: string, chartPath: string, facts: ChartFacts): { index: number; version?: string; dir: string }[] {
  return facts.dependencies.flatMap(dep => {
    const sub = localDependencyPath(dep.repository);
    return sub === undefined ? [] : [{ index: dep.index, version: dep.version, dir: relative(cwd, resolve(cwd, chartPath, sub)) || '.' }];
  });
}

async function planChart(cwd: string, chart: ChartConfig, facts: ChartFacts, chartText: string, inputs: HelmSyncInputs, config: Config, context: RunContext, newVersions: Map<string, string>, log: ActionRun['log']): Promise<ChartWork> {
  const release = releaseFor(chart, inputs, config, context);
  const tag = refTag(context.ref);
  const vars: TemplateVars = { version: release.version, tag: tag ?? '', sha: shortSha(context.sha) };
  const configured = inputs.appVersion !== undefined ? { ...chart, appVersion: inputs.appVersion } : chart;
  const next = nextChartVersions(configured, facts, release, vars, `charts ${chart.path}`);
  log.info(`${facts.name} (${chart.path}): version ${facts.version} → ${next.version}${next.appVersion !== undefined ? `, appVersion ${next.appVersion}` : ''} (from ${release.from})`);

  const localVersions = new Map<number, string>();
  for (const dep of localDependencyDirs(cwd, chart.path, facts)) {
    const subVersion: string = newVersions.get(dep.dir) ?? (await readChart(cwd, normalizeChart({ path: dep.dir }))).facts.version;
    if (dep.version !== subVersion) localVersions.set(dep.index, subVersion);
  }

  const chartFile = join(chart.path, 'Chart.yaml');
  const writes: FileWrite[] = [];
  const chartEdit = editYaml(chartText, chartYamlEdits(facts, next, localVersions), chartFile);
  if (chartEdit.text !== chartText) writes.push({ path: chartFile, text: chartEdit.text });

  // Values files: the configured images and the marker comments.
  const views = [];
  const markers = new Map<string, Marker[]>();
  const texts = new Map<string, string>();
  const parses = new Map<string, ReturnType<typeof parseYamlFile>>();
  for (const name of chart.valuesFiles) {
    const file = join(chart.path, name);
    const text = await readTextIfExists(resolveInside(cwd, file, { name: `Values file ${file} (values-files of chart ${chart.path})` }, 'file'));
    if (text === undefined) {
      if (name === 'values.yaml' && chart.images.length === 0) continue;
      throw new UserError(`Chart ${chart.path}: values file ${file} not found (values-files lists it)`, { file });
    }
    texts.set(file, text);
    const parsed = parseYamlFile(text, file);
    parses.set(file, parsed);
    views.push(valuesFileView(file, parsed.doc));
    markers.set(file, findMarkers(text, file, parsed));
  }
  const names = new Set([...chart.images.map(i => i.service), ...[...markers.values()].flat().map(m => m.name)]);
  const images = imagesFor(names, chart, inputs, release.version, vars);
  const planNames = inputs.plan?.services.map(s => s.name) ?? [];
  const known = (name: string) =>
    planNames.length > 0 && !planNames.includes(name) ? `"${name}" is not a service of the plan (${planNames.join(', ')})` : `the plan has no version for "${name}"`;
  const { edits, warnings } = valuesEdits(chart.path, chart.images, markers, views, images, known);
  for (const warning of warnings) log.warning(warning);
  for (const [file, list] of edits) {
    const text = texts.get(file)!;
    const result = editYaml(text, list as YamlEdit[], file, parses.get(file));
    for (const change of result.changes) log.info(`  ${file}:${change.line} ${change.path}: ${change.from ?? '(none)'} → ${change.to}`);
    if (result.text !== text) writes.push({ path: file, text: result.text });
  }
  newVersions.set(chart.path, next.version);
  return {
    config: chart,
    path: chart.path,
    facts,
    version: next.version,
    appVersion: next.appVersion ?? facts.appVersion,
    valuesFiles: [...texts.keys()],
    writes,
    changedDependencies: localVersions.size > 0
  };
}

interface PushTarget {
  work: ChartWork;
  packaged: PackagedChart;
  destination: string;
  repository: string;
  host: string;
  tag: string;
  existing?: { digest: string; same: boolean };
}

export async function run(plan: Plan | undefined, runCtx: ActionRun): Promise<ActionResult> {
  const { log } = runCtx;
  const inputs = getInputs(runCtx.inputs, runCtx.given, plan);
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  // Checked before any file is written.
  const packageDir = inputs.packageDir ? resolveInside(cwd, inputs.packageDir, 'package-dir', 'directory') : undefined;
  const config = await runCtx.config(cwd, inputs.config, inputs.configGiven);
  const charts = chartsToSync(inputs, config);
  const git = new Git(cwd);
  const context = await runCtx.runContext({ cwd, overrides: inputs.overrides, git: async () => ((await git.isRepository()) ? git : undefined) });

  // 1. Decide every edit of every chart in memory, subcharts before the umbrella charts that depend on them.
  const read = await Promise.all(charts.map(async chart => ({ chart, ...(await readChart(cwd, chart)) })));
  const withDeps = read.map(r => ({ ...r, path: r.chart.path, localDeps: localDependencyDirs(cwd, r.chart.path, r.facts).map(d => d.dir) }));
  const newVersions = new Map<string, string>();
  const work: ChartWork[] = [];
  await log.group('Chart edits', async () => {
    for (const item of orderCharts(withDeps)) {
      work.push(await planChart(cwd, item.chart, item.facts, item.chartText, inputs, config, context, newVersions, log));
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
  const originals: FileWrite[] = await Promise.all(writes.map(async w => ({ path: inside(w.path), text: (await readTextIfExists(inside(w.path))) ?? '' })));
  await writeFilesAtomically(writes.map(w => ({ path: inside(w.path), text: w.text })));
  if (writes.length > 0) log.info(`Wrote ${changedFiles.join(', ')}`);
  if (inputs.writeOnly) return result(work, changedFiles, [], inputs, false);

  const targets: PushTarget[] = [];
  const packages = new Map<string, PackagedChart>();
  const registries = openRegistries(inputs, runCtx, {
    hosts: work.flatMap(w => {
      const destination = inputs.push ?? w.config.push;
      return destination ? [parseImageRef(`${destination.replace(/^oci:\/\//, '').replace(/\/+$/, '')}/${w.facts.name}`).registry] : [];
    })
  });
  const helm = new Helm(cwd, runCtx.env, line => log.info(line));
  try {
    const outDir = packageDir ?? await mkdtemp(join(runCtx.env.RUNNER_TEMP || tmpdir(), 'imgver-charts-'));
    await mkdir(outDir, { recursive: true });
    const mtime = archiveTime(runCtx.env, context.commitDate);
    // 3. Dependencies, lint and package every chart before anything is pushed.
    for (const w of work) {
      await log.group(`helm: ${w.facts.name} ${w.version}`, async () => {
        if (w.facts.dependencies.length > 0) {
          const lockFile = join(w.path, 'Chart.lock');
          const lock = await readTextIfExists(resolve(cwd, lockFile));
          await helm.dependencies(w.path, w.changedDependencies || lock === undefined);
          if ((await readTextIfExists(resolve(cwd, lockFile))) !== lock) changedFiles.push(lockFile);
        }
        if (inputs.lint) {
          const notes = await helm.lint(w.path, w.valuesFiles.filter(f => !f.endsWith('/values.yaml')));
          for (const note of notes) log.info(note);
        }
        const packaged = await helm.package(w.path, outDir, w.facts.name, w.version, mtime);
        packages.set(w.path, packaged);
        log.info(`packaged ${relative(cwd, packaged.file) || packaged.file} (${packaged.digest})`);
      });
    }
    // 4. Read what each destination holds: a conflict anywhere stops the run before any push.
    const conflicts: string[] = [];
    for (const w of work) {
      const destination = inputs.push ?? w.config.push;
      if (!destination) continue;
      const base = destination.replace(/^oci:\/\//, '').replace(/\/+$/, '');
      const ref = parseImageRef(`${base}/${w.facts.name}`);
      const target: PushTarget = {
        work: w,
        packaged: packages.get(w.path)!,
        destination: `oci://${base}`,
        repository: ref.repository,
        host: ref.registry,
        tag: dockerSafeVersion(w.version)
      };
      const registry = await registries.for(ref);
      const manifest = await registry.manifest(ref.repository, target.tag);
      if (manifest) {
        const layers = (JSON.parse(manifest.bytes.toString('utf8')) as { layers?: { mediaType: string; digest: string }[] }).layers ?? [];
        const layer = layers.find(l => l.mediaType === CHART_LAYER_MEDIA_TYPE);
        let same = layer?.digest === target.packaged.digest;
        if (!same && layer) {
          const blob = await registry.blob(ref.repository, layer.digest);
          same = !!blob && (await archiveFingerprint(blob)) === (await archiveFingerprint(await readFile(target.packaged.file)));
        }
        target.existing = { digest: manifest.digest, same };
        if (!same) conflicts.push(`${base}/${w.facts.name}:${target.tag} (${manifest.digest})`);
      }
      targets.push(target);
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

  // 5. Push (a version that holds this very chart already is left alone: re-runs push nothing).
  const pushedCharts: { path: string; ref: string; digest: string; status: 'pushed' | 'exists' }[] = [];
  await log.group('Push', async () => {
    for (const target of targets) {
      const ref = `${target.destination}/${target.work.facts.name}:${target.tag}`;
      if (target.existing?.same) {
        log.info(`${ref} already holds this chart (${target.existing.digest}): nothing to push`);
        pushedCharts.push({ path: target.work.path, ref, digest: target.existing.digest, status: 'exists' });
        continue;
      }
      const credentials = await registries.loginCredentials(parseImageRef(`${target.host}/${target.repository}`));
      if (credentials) log.mask(credentials.password);
      const plainHttp = isLoopbackHost(target.host) || inputs.insecureRegistries.includes(target.host);
      const digest = await helm.push(target.packaged.file, target.destination, { plainHttp, host: target.host, credentials });
      const registry = await registries.for(parseImageRef(`${target.host}/${target.repository}`));
      const stored = await registry.digest(target.repository, target.tag);
      if (stored !== digest) throw new UserError(`${ref}: helm pushed ${digest}, but the registry answers ${stored ?? 'nothing'} for the tag`);
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
): ActionResult {
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
  return { plan, outputs: { charts: JSON.stringify(charts), 'changed-files': JSON.stringify(changedFiles), plan: JSON.stringify(plan) }, summary };
}
