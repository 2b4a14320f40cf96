import { DEFAULT_BUMP_RULES, type BumpLevel, type BumpRules, type Detector } from './bump-rules.js';
import { splitLines } from './lines.js';
import type { ChangeType } from './changes.js';

/** imgver.yaml as written (kebab-case keys), validated against schema/imgver.schema.json. */
interface RawService {
  paths?: string[];
  image?: string;
  context?: string;
  dockerfile?: string;
  tags?: string[] | string;
  flavor?: string[] | string;
  labels?: string[] | string;
  annotations?: string[] | string;
  'version-file'?: string;
  'tag-format'?: string;
  'change-types'?: ChangeType[];
  'depends-on'?: string[];
  matrix?: Record<string, unknown>;
}

interface RawLib {
  paths: string[];
  'change-types'?: ChangeType[];
  'depends-on'?: string[];
}

interface RawChartImage {
  path: string;
  form?: 'fields' | 'reference';
  digest?: boolean;
  repository?: boolean;
  file?: string;
}

interface RawChart {
  path: string;
  version?: ChartVersionMode;
  service?: string;
  'app-version'?: string | boolean;
  'image-tag'?: string;
  'values-files'?: string[];
  images?: Record<string, string | RawChartImage>;
  push?: string;
}

export interface RawConfig {
  version?: {
    source?: VersionSource;
    scheme?: Scheme;
    'tag-format'?: string;
    file?: string;
    'file-mode'?: 'exact' | 'bump';
    'file-fields'?: Record<string, string | number | boolean>;
    changelog?: string | boolean;
    'trigger-paths'?: string[];
    initial?: string;
    build?: string;
    'from-branch'?: boolean;
  };
  bump?: {
    default?: BumpLevel;
    detect?: Detector[];
    types?: Record<string, BumpLevel | 'premajor' | 'preminor' | 'prepatch'>;
    'major-pattern'?: string;
    'minor-pattern'?: string;
    'patch-pattern'?: string;
    'search-body'?: boolean;
    'ignore-pattern'?: string;
    'without-commits'?: boolean;
    'pre-1'?: { breaking?: BumpLevel; feature?: BumpLevel };
    'each-commit'?: boolean;
  };
  prerelease?: {
    enabled?: boolean;
    id?: string;
    branches?: Record<string, string | boolean | null>;
    numbering?: 'start-at-0' | 'bare-then-1';
    aware?: boolean;
    'keep-label'?: boolean;
  };
  image?: string;
  tags?: string[] | string;
  flavor?: string[] | string;
  labels?: string[] | string;
  annotations?: string[] | string;
  services?: Record<string, RawService | null>;
  libs?: Record<string, RawLib>;
  charts?: RawChart[];
  deploy?: { kubernetes?: string[] };
}

export type ChartVersionMode = 'release' | 'bump' | 'keep';

/** Where one service's image goes in a chart's values files. */
export interface ChartImageConfig {
  service: string;
  /** The value path as written (keys joined by dots). */
  path: string;
  form: 'fields' | 'reference';
  /** undefined: write the digest where a digest key exists (fields) / always (reference). */
  digest?: boolean;
  repository: boolean;
  file?: string;
}

export interface ChartConfig {
  path: string;
  version: ChartVersionMode;
  service?: string;
  /** A template, or false to leave appVersion alone. */
  appVersion: string | false;
  imageTag?: string;
  valuesFiles: string[];
  images: ChartImageConfig[];
  push?: string;
}

export type VersionSource = 'ref' | 'git-tag' | 'file' | 'registry';
export type Scheme = 'unified' | 'per-service';

export interface ServiceConfig {
  name: string;
  image: string;
  context: string;
  dockerfile: string;
  paths: string[];
  tags?: string[];
  flavor?: string[];
  labels?: string[];
  annotations?: string[];
  versionFile?: string;
  tagFormat?: string;
  changeTypes?: ChangeType[];
  dependsOn: string[];
  /** Extra fields of the service's matrix entry. */
  matrix?: Record<string, unknown>;
}

/** Shared code without an image: only there to be depended on. */
export interface LibConfig {
  name: string;
  paths: string[];
  changeTypes?: ChangeType[];
  dependsOn: string[];
}

export interface VersionConfig {
  /** undefined when the config does not say: the action picks git-tag, or metadata-action's behaviour for one image. */
  source?: VersionSource;
  scheme: Scheme;
  tagFormat?: string;
  file?: string;
  fileMode: 'exact' | 'bump';
  fileFields: Record<string, string>;
  changelog?: string | false;
  triggerPaths?: string[];
  initial: string;
  build?: string;
  /** Only tags of the version a branch is named after (release/v3.2) count: semantic-version's version_from_branch. */
  fromBranch: boolean;
}

export interface PrereleaseConfig {
  enabled: boolean;
  id: string;
  branches: Record<string, string | boolean | null>;
  numbering: 'start-at-0' | 'bare-then-1';
  aware: boolean;
  keepLabel: boolean;
}

export interface Config {
  /** Where the config came from, for messages; undefined when there is no file. */
  file?: string;
  version: VersionConfig;
  bump: BumpRules;
  prerelease: PrereleaseConfig;
  tags?: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  /** The image template services without an image of their own use, e.g. ghcr.io/acme/{{service}}. */
  imageTemplate: string;
  services: ServiceConfig[];
  libs: LibConfig[];
  charts: ChartConfig[];
  /** Where the deployments live: Kubernetes manifests and kustomizations k8s-sync keeps in step (paths or globs). */
  deploy: { kubernetes: string[] };
}

export const DEFAULT_TAG_FORMAT = { unified: 'v{{version}}', 'per-service': '{{service}}/v{{version}}' } as const;

/** The git tag format of a release: the input, else the service's, else the config's, else the scheme's default. */
export function releaseTagFormat(config: Config, scheme: Scheme, override?: string, service?: ServiceConfig): string {
  return override ?? service?.tagFormat ?? config.version.tagFormat ?? DEFAULT_TAG_FORMAT[scheme];
}

const ruleList = (value: string[] | string | undefined): string[] | undefined =>
  value === undefined ? undefined : splitLines(value);

/** Builds the typed config from a raw (already valid) object. Exported for callers that have no file. */
export function normalizeConfig(raw: RawConfig, file?: string): Config {
  const v = raw.version ?? {};
  const b = raw.bump ?? {};
  const p = raw.prerelease ?? {};
  const imageTemplate = raw.image ?? '{{service}}';
  const imageParts = imageTemplate.split(/\{\{\s*service\s*\}\}/);
  const services = Object.entries(raw.services ?? {}).map(([name, s]): ServiceConfig => {
    const svc = s ?? {};
    const context = trimSlash(svc.context ?? name);
    return {
      name,
      image: svc.image ?? imageParts.join(name),
      context,
      dockerfile: svc.dockerfile ?? (context === '.' ? 'Dockerfile' : `${context}/Dockerfile`),
      paths: svc.paths ?? [context === '.' ? '**' : `${context}/**`],
      tags: ruleList(svc.tags),
      flavor: ruleList(svc.flavor),
      labels: ruleList(svc.labels),
      annotations: ruleList(svc.annotations),
      versionFile: svc['version-file'],
      tagFormat: svc['tag-format'],
      changeTypes: svc['change-types'],
      dependsOn: svc['depends-on'] ?? [],
      matrix: svc.matrix
    };
  });
  const libs = Object.entries(raw.libs ?? {}).map(
    ([name, lib]): LibConfig => ({ name, paths: lib.paths, changeTypes: lib['change-types'], dependsOn: lib['depends-on'] ?? [] })
  );
  return {
    file,
    version: {
      source: v.source,
      scheme: v.scheme ?? 'unified',
      tagFormat: v['tag-format'],
      file: v.file,
      fileMode: v['file-mode'] ?? 'exact',
      fileFields: Object.fromEntries(Object.entries(v['file-fields'] ?? {}).map(([k, val]) => [k, String(val)])),
      changelog: v.changelog === true ? 'CHANGELOG.md' : v.changelog,
      triggerPaths: v['trigger-paths'],
      initial: v.initial ?? '0.0.0',
      build: v.build,
      fromBranch: v['from-branch'] ?? false
    },
    bump: {
      default: b.default ?? DEFAULT_BUMP_RULES.default,
      detect: b.detect ?? DEFAULT_BUMP_RULES.detect,
      // github-tag-action's pre* kinds: the bump of the level; whether it is a prerelease is the branch's business.
      types: Object.fromEntries(Object.entries(b.types ?? {}).map(([type, level]) => [type, level.replace(/^pre/, '') as BumpLevel])),
      majorPattern: b['major-pattern'],
      minorPattern: b['minor-pattern'],
      patchPattern: b['patch-pattern'],
      searchBody: b['search-body'] ?? DEFAULT_BUMP_RULES.searchBody,
      ignorePattern: b['ignore-pattern'],
      withoutCommits: b['without-commits'] ?? false,
      pre1: b['pre-1'] ?? {},
      eachCommit: b['each-commit'] ?? false
    },
    prerelease: {
      enabled: p.enabled ?? false,
      id: p.id ?? 'rc',
      branches: p.branches ?? {},
      numbering: p.numbering ?? 'start-at-0',
      aware: p.aware ?? true,
      keepLabel: p['keep-label'] ?? false
    },
    tags: ruleList(raw.tags),
    flavor: ruleList(raw.flavor) ?? [],
    labels: ruleList(raw.labels) ?? [],
    annotations: ruleList(raw.annotations) ?? [],
    imageTemplate,
    services,
    libs,
    charts: (raw.charts ?? []).map(normalizeChart),
    deploy: { kubernetes: raw.deploy?.kubernetes ?? [] }
  };
}

export function normalizeChart(raw: RawChart): ChartConfig {
  const appVersion = raw['app-version'];
  return {
    path: trimSlash(raw.path),
    version: raw.version ?? 'release',
    service: raw.service,
    appVersion: appVersion === false ? false : appVersion === true || appVersion === undefined ? '{{version}}' : appVersion,
    imageTag: raw['image-tag'],
    valuesFiles: raw['values-files'] ?? ['values.yaml'],
    images: Object.entries(raw.images ?? {}).map(([service, target]) => {
      const t = typeof target === 'string' ? { path: target } : target;
      return { service, path: t.path, form: t.form ?? 'fields', digest: t.digest, repository: t.repository ?? false, file: t.file };
    }),
    push: raw.push
  };
}

function trimSlash(path: string): string {
  const trimmed = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

export function emptyConfig(): Config {
  return normalizeConfig({});
}

