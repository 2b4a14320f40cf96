import semver from './semver.js';
import type { BumpLevel } from './bump-rules.js';
import type { ChartConfig, ChartImageConfig } from './config.js';
import { UserError } from './errors.js';
import { isVersionTag, stripLeadingV } from './version-tag.js';
import type { PlanService } from './plan.js';
import { renderTemplate, type TemplateVars } from './template.js';
import { dockerSafeVersion } from './version.js';
import { parseValuePath, pathText, type Marker, type ValuePath, type YamlEdit } from './value-path.js';
import type { YamlFile } from './yaml-file.js';

/** What helm-sync reads from a Chart.yaml. */
export interface ChartFacts {
  name: string;
  version: string;
  appVersion?: string;
  dependencies: { index: number; name: string; version?: string; repository?: string }[];
}

/** The facts of a Chart.yaml, read once (yaml-file.ts). */
export function chartFactsOf(chart: Pick<YamlFile, 'read' | 'items'>, file: string): ChartFacts {
  const name = chart.read(['name']);
  const version = chart.read(['version']);
  if (!name) throw new UserError(`${file}: no chart name (expected name: <chart> at the top level)`, { file });
  if (version === undefined) throw new UserError(`${file}: no chart version (expected version: 1.2.3 at the top level)`, { file });
  const dependencies: ChartFacts['dependencies'] = [];
  (chart.items(['dependencies']) ?? []).forEach((kind, index) => {
    if (kind !== 'map') return;
    const field = (key: string) => chart.read(['dependencies', index, key]);
    dependencies.push({ index, name: field('name') ?? '', version: field('version'), repository: field('repository') });
  });
  return { name, version, appVersion: chart.read(['appVersion']), dependencies };
}

/** A `file://` dependency's directory relative to the chart, or undefined for a repository dependency. */
export function localDependencyPath(repository: string | undefined): string | undefined {
  return repository?.startsWith('file://') ? repository.slice('file://'.length) : undefined;
}

/** The release a chart follows: a strict SemVer version (no leading v), and how it was bumped. */
export interface ChartRelease {
  version: string;
  bump?: BumpLevel;
}

/** A release version as Helm needs it: strict SemVer 2, a leading v stripped. */
export function chartSemver(text: string, where: string): string {
  const trimmed = stripLeadingV(text);
  const parsed = semver.parse(trimmed);
  const valid = parsed && `${parsed.version}${parsed.build.length > 0 ? `+${parsed.build.join('.')}` : ''}`;
  if (!valid || valid !== trimmed) {
    throw new UserError(`${where}: "${text}" is not a SemVer version: expected 1.2.3 or v1.2.3 (optionally -rc.1 or +build)`);
  }
  return valid;
}

/** The chart's new version and appVersion, by the chart's version mode. */
export function nextChartVersions(
  chart: ChartConfig,
  facts: ChartFacts,
  release: ChartRelease,
  vars: TemplateVars,
  where: string
): { version: string; appVersion?: string } {
  const appVersion = chart.appVersion === false ? undefined : renderTemplate(chart.appVersion, { ...vars, version: release.version });
  if (chart.version === 'keep') return { version: facts.version, appVersion };
  if (chart.version === 'release') return { version: release.version, appVersion };
  // Versioned apart: the chart's own version moves as the release does, once (a re-run finds appVersion already set).
  const own = semver.valid(facts.version);
  if (!own) throw new UserError(`${where}: version "${facts.version}" is not SemVer, so it cannot be bumped (version: bump)`);
  const synced = appVersion !== undefined && facts.appVersion === appVersion;
  const level = release.bump && release.bump !== 'none' ? release.bump : 'patch';
  return { version: synced ? own : semver.inc(own, level)!, appVersion };
}

export function chartYamlEdits(facts: ChartFacts, next: { version: string; appVersion?: string }, localVersions: Map<number, string>): YamlEdit[] {
  const edits: YamlEdit[] = [];
  if (next.version !== facts.version) edits.push({ path: ['version'], value: next.version });
  if (next.appVersion !== undefined) edits.push({ path: ['appVersion'], value: next.appVersion, quote: true, insert: true });
  for (const [index, version] of localVersions) edits.push({ path: ['dependencies', index, 'version'], value: version, insert: true });
  return edits;
}

/** One image as a chart receives it. */
export interface ImageRelease {
  name: string;
  /** undefined for names the plan does not know (a chart-only repository): the file keeps its repository. */
  repository?: string;
  tag: string;
  digest?: string;
  version: string;
}

/**
 * The tag a chart points at for a plan service: the image tag that carries the full version (1.2.3, v1.2.3,
 * 1.2.3-api), so the chart never follows a floating tag such as latest.
 */
export function imageReleaseOf(service: PlanService, imageTag: string | undefined, vars: TemplateVars): ImageRelease {
  const version = service.version!;
  const own = (service.tags ?? [])
    .map(ref => splitReference(ref))
    .filter(ref => ref.repository.toLowerCase() === service.image.toLowerCase())
    .map(ref => ref.tag ?? '');
  const isVersion = isVersionTag(version);
  const tag = imageTag ? renderTemplate(imageTag, { ...vars, version, service: service.name }) : own.find(isVersion) ?? dockerSafeVersion(version);
  return { name: service.name, repository: service.image, tag, digest: service.digest, version };
}

/** repo:tag@digest → parts; a port in the registry host is not a tag. */
export function splitReference(reference: string): { repository: string; tag?: string; digest?: string } {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

export interface ValuesFileView {
  file: string;
  has(path: ValuePath): boolean;
  read(path: ValuePath): string | undefined;
}

export interface ValuesEditsResult {
  edits: Map<string, YamlEdit[]>;
  warnings: string[];
}

/**
 * The edits of a chart's values files: each configured image (images: in the config) in every file that has its
 * path, then each marker comment. A configured path found in none of the files is an error.
 */
export function valuesEdits(
  chartPath: string,
  targets: ChartImageConfig[],
  markers: Map<string, Marker[]>,
  files: ValuesFileView[],
  images: Map<string, ImageRelease>,
  knownNames: (name: string) => string | undefined
): ValuesEditsResult {
  const edits = new Map<string, YamlEdit[]>(files.map(f => [f.file, []]));
  const warnings: string[] = [];
  const imageOf = (name: string, where: string): ImageRelease => {
    const image = images.get(name);
    if (!image) throw new UserError(`${where}: ${knownNames(name) ?? `no image is known for "${name}"`}`);
    return image;
  };
  const noDigest = (image: ImageRelease, file: string, path: string) =>
    warnings.push(`${file}: ${path}: no digest is known for ${image.name} (pass build-tag-push's plan to pin it); the digest was cleared so the new tag is what deploys`);

  for (const target of targets) {
    const where = `charts ${chartPath}: images.${target.service}`;
    const path = parseValuePath(target.path, where);
    const image = imageOf(target.service, where);
    const candidates = target.file ? files.filter(f => f.file === target.file || f.file.endsWith(`/${target.file}`)) : files;
    const hits = candidates.filter(f => f.has(path));
    if (hits.length === 0) {
      throw new UserError(`${where}: ${pathText(path)} is in none of ${candidates.map(f => f.file).join(', ') || target.file}: expected ${target.form === 'fields' ? `a mapping with a tag key at ${pathText(path)}` : `a value at ${pathText(path)}`}`);
    }
    for (const view of hits) {
      const list = edits.get(view.file)!;
      const origin = `images.${target.service}`;
      if (target.form === 'reference') {
        list.push({ path, value: referenceValue(image, view.read(path), target.digest !== false), origin });
        if (!image.digest && target.digest === true) noDigest(image, view.file, pathText(path));
        continue;
      }
      list.push({ path: [...path, 'tag'], value: image.tag, insert: true, origin });
      if (target.repository) {
        if (!image.repository) throw new UserError(`${where}: repository: true, but the plan has no image for ${target.service}`);
        list.push({ path: [...path, 'repository'], value: image.repository, insert: true, origin });
      }
      const digestPath = [...path, 'digest'];
      if (target.digest === true || (target.digest === undefined && view.has(digestPath))) {
        if (!image.digest && (view.read(digestPath) ?? '') !== '') noDigest(image, view.file, pathText(digestPath));
        list.push({ path: digestPath, value: image.digest ?? '', insert: true, origin });
      }
    }
  }

  for (const view of files) {
    for (const marker of markers.get(view.file) ?? []) {
      const where = `${view.file} line ${marker.line}`;
      const image = imageOf(marker.name, where);
      const origin = `marker at line ${marker.line}`;
      const value = (() => {
        switch (marker.field) {
          case 'tag':
            return image.tag;
          case 'version':
            return image.version;
          case 'digest':
            if (!image.digest) noDigest(image, view.file, pathText(marker.path));
            return image.digest ?? '';
          case 'repository':
            if (!image.repository) throw new UserError(`${where}: the plan has no image for ${marker.name}, so its repository is unknown`);
            return image.repository;
          case 'reference':
            return referenceValue(image, view.read(marker.path), true);
        }
      })();
      edits.get(view.file)!.push({ path: marker.path, value, origin });
    }
  }
  return { edits, warnings };
}

function referenceValue(image: ImageRelease, current: string | undefined, withDigest: boolean): string {
  const repository = image.repository ?? (current ? splitReference(current).repository : undefined);
  if (!repository) throw new UserError(`No repository is known for ${image.name}: the value is empty and the plan has no image for it`);
  return `${repository}:${image.tag}${withDigest && image.digest ? `@${image.digest}` : ''}`;
}

/** Charts ordered so that a chart comes after the local subcharts it depends on (umbrella charts last). */
export function orderCharts<T extends { path: string; localDeps: string[] }>(charts: T[]): T[] {
  const byPath = new Map(charts.map(c => [c.path, c]));
  const done = new Set<string>();
  const out: T[] = [];
  const visiting = new Set<string>();
  const visit = (chart: T) => {
    if (done.has(chart.path)) return;
    if (visiting.has(chart.path)) throw new UserError(`Charts depend on each other in a cycle through ${chart.path}`);
    visiting.add(chart.path);
    for (const dep of chart.localDeps) {
      const sub = byPath.get(dep);
      if (sub) visit(sub);
    }
    visiting.delete(chart.path);
    done.add(chart.path);
    out.push(chart);
  };
  charts.forEach(visit);
  return out;
}
