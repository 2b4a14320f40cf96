import semver from './semver.js';
import { maxLevel } from './bump.js';
import type { BumpLevel } from './bump-rules.js';
import { chartSemver, chartYamlEdits, imageReleaseOf, valuesEdits, type ChartFacts, type ImageRelease } from './chart.js';
import { normalizeChart, releaseTagFormat, type ChartConfig, type Config } from './config.js';
import { refTag } from './context.js';
import { UserError } from './errors.js';
import type { Plan, PlanService } from './plan.js';
import { renderTemplate, templateNames, type TemplateVars } from './template.js';
import type { YamlChange } from './value-path.js';
import { dockerSafeVersion } from './version.js';
import { compileTagFormat } from './version-tag.js';
import type { YamlFile } from './yaml-file.js';

/** What helm-sync was asked, as far as the rules below need it. */
export interface ChartRequest {
  plan?: Plan;
  /** Chart directories given as input (else the config's charts). */
  charts: string[];
  version?: string;
  imageTag?: string;
  /** The config file's name, for messages. */
  config: string;
}

/** The release a chart follows and where it came from (for the log). */
export interface ChartReleaseSource {
  version: string;
  bump?: BumpLevel;
  from: string;
}

export function chartsToSync(request: ChartRequest, config: Config): ChartConfig[] {
  if (request.charts.length > 0) {
    // normalizeChart tidies the path the way the config's paths are tidied (./ and trailing slashes dropped).
    return request.charts.map(path => normalizeChart({ path })).map(given => config.charts.find(c => c.path === given.path) ?? given);
  }
  if (config.charts.length === 0) {
    throw new UserError(
      `No charts to sync: list them under charts: in ${request.config} (path, images) or give the charts input (chart directories, one a line)`,
      { input: 'charts' }
    );
  }
  return config.charts;
}

/** The version a chart follows: the version input, else the plan, else the pushed tag. */
export function releaseFor(chart: ChartConfig, request: ChartRequest, config: Config, ref: string): ChartReleaseSource {
  if (request.version) return { version: chartSemver(request.version, "Input 'version'"), from: 'the version input' };
  const planServices = request.plan?.services.filter(s => s.version) ?? [];
  if (planServices.length > 0) {
    if (chart.service) {
      const service = planServices.find(s => s.name === chart.service);
      if (!service) {
        throw new UserError(`charts ${chart.path}: service: ${chart.service} has no version in the plan (services with one: ${planServices.map(s => s.name).join(', ')})`);
      }
      return { version: chartSemver(service.version!, `Plan service ${service.name}`), bump: service.bump, from: `service ${service.name}` };
    }
    const imaged = new Set(chart.images.map(i => i.service));
    const mapped = planServices.filter(s => imaged.has(s.name));
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
  const tag = refTag(ref);
  if (tag !== undefined) {
    const format = compileTagFormat(releaseTagFormat(config, 'unified', undefined));
    // With the default format, a bare 1.2.3 tag is a release too (the leading v is optional for charts).
    const version = format.parse(tag) ?? (format.format === 'v{{version}}' && /^\d/.test(tag) ? semver.valid(tag) ?? undefined : undefined);
    if (version) return { version, from: `tag ${tag}` };
    throw new UserError(
      `Tag ${tag} is not a release tag: expected ${format.render('1.2.3')}${format.format === 'v{{version}}' ? ' or 1.2.3' : ''} (tag format ${format.format}, a SemVer version such as 1.2.3 or 1.2.3-rc.1); set version.tag-format in ${request.config} if your tags differ`,
      { input: 'ref' }
    );
  }
  throw new UserError(
    `helm-sync needs a version: give the plan input (from compute-version), the version input, or run on a pushed tag (v1.2.3); ${ref} is not a tag`,
    { input: 'version' }
  );
}

/**
 * Whether a chart's edits read the run's ref or commit (its tag or sha): the version comes from the ref, a chart-only
 * repository tags its images from it, or a template names {{tag}} or {{sha}}. A run that reads neither resolves no
 * run context, so a file-edit-only run starts no git process. `chart` carries the appVersion this run renders.
 */
export function chartReadsRunContext(chart: ChartConfig, request: ChartRequest): boolean {
  const services = request.plan?.services ?? [];
  if (!request.version && !services.some(s => s.version)) return true;
  if (services.length === 0) return true;
  const templates = [chart.appVersion === false ? undefined : chart.appVersion, request.imageTag ?? chart.imageTag];
  return templates.some(t => t !== undefined && templateNames(t).some(name => name === 'tag' || name === 'sha'));
}

/** Every name a chart updates gets an image: the plan's, or (a chart-only repository) the release's tag. */
export function imagesFor(names: Set<string>, chart: ChartConfig, request: ChartRequest, version: string, vars: TemplateVars): Map<string, ImageRelease> {
  const planServices = request.plan?.services ?? [];
  // The first service of each name, as a search of the list would find it.
  const byName = new Map<string, PlanService>();
  for (const s of planServices) if (!byName.has(s.name)) byName.set(s.name, s);
  const imageTag = request.imageTag ?? chart.imageTag;
  const images = new Map<string, ImageRelease>();
  for (const name of names) {
    const service = byName.get(name);
    if (service?.version) {
      images.set(name, imageReleaseOf(service, imageTag, vars));
    } else if (planServices.length === 0) {
      const template = imageTag ?? (vars.tag ? '{{tag}}' : '{{version}}');
      images.set(name, { name, tag: dockerSafeVersion(renderTemplate(template, { ...vars, version, service: name })), version });
    }
  }
  return images;
}

/** A chart's file edits, decided in memory: the new texts of the files that change and what changed in them. */
export interface ChartEdits {
  writes: { path: string; text: string }[];
  changes: { file: string; change: YamlChange }[];
  warnings: string[];
}

/**
 * The edits of one chart: version, appVersion and local dependency versions in Chart.yaml, then every configured
 * image and marker comment of its values files. Pure, so it can run again over files read by the other YAML reader.
 */
export function chartEdits(
  chart: ChartConfig,
  request: ChartRequest,
  facts: ChartFacts,
  next: { version: string; appVersion?: string },
  localVersions: Map<number, string>,
  chartFile: YamlFile,
  valuesFiles: YamlFile[],
  release: ChartReleaseSource,
  vars: TemplateVars
): ChartEdits {
  const writes: ChartEdits['writes'] = [];
  const chartEdit = chartFile.edit(chartYamlEdits(facts, next, localVersions));
  if (chartEdit.text !== chartFile.text) writes.push({ path: chartFile.file, text: chartEdit.text });

  const markers = new Map(valuesFiles.map(f => [f.file, f.markers()]));
  const names = new Set([...chart.images.map(i => i.service), ...[...markers.values()].flat().map(m => m.name)]);
  const images = imagesFor(names, chart, request, release.version, vars);
  const planNames = request.plan?.services.map(s => s.name) ?? [];
  const known = (name: string) =>
    planNames.length > 0 && !planNames.includes(name) ? `"${name}" is not a service of the plan (${planNames.join(', ')})` : `the plan has no version for "${name}"`;
  const { edits, warnings } = valuesEdits(chart.path, chart.images, markers, valuesFiles, images, known);
  const changes: ChartEdits['changes'] = [];
  for (const file of valuesFiles) {
    const result = file.edit(edits.get(file.file) ?? []);
    changes.push(...result.changes.map(change => ({ file: file.file, change })));
    if (result.text !== file.text) writes.push({ path: file.file, text: result.text });
  }
  return { writes, changes, warnings };
}
