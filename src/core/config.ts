import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { UserError } from './errors.js';
import { DEFAULT_BUMP_RULES, type BumpLevel, type BumpRules, type Detector } from './bump.js';
import { splitLines } from './rule-lines.js';
import validateConfig from '../generated/config-validator.js';

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
}

interface RawConfig {
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
  };
  bump?: {
    default?: BumpLevel;
    detect?: Detector[];
    types?: Record<string, BumpLevel>;
    'major-pattern'?: string;
    'minor-pattern'?: string;
    'patch-pattern'?: string;
    'search-body'?: boolean;
    'ignore-pattern'?: string;
    'without-commits'?: boolean;
    'pre-1'?: { breaking?: BumpLevel; feature?: BumpLevel };
  };
  prerelease?: {
    enabled?: boolean;
    id?: string;
    branches?: Record<string, string | boolean | null>;
    numbering?: 'start-at-0' | 'bare-then-1';
    aware?: boolean;
  };
  image?: string;
  tags?: string[] | string;
  flavor?: string[] | string;
  labels?: string[] | string;
  annotations?: string[] | string;
  services?: Record<string, RawService | null>;
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
}

export interface PrereleaseConfig {
  enabled: boolean;
  id: string;
  branches: Record<string, string | boolean | null>;
  numbering: 'start-at-0' | 'bare-then-1';
  aware: boolean;
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
  services: ServiceConfig[];
}

export const DEFAULT_TAG_FORMAT = { unified: 'v{{version}}', 'per-service': '{{service}}/v{{version}}' } as const;

const ruleList = (value: string[] | string | undefined): string[] | undefined =>
  value === undefined ? undefined : splitLines(value);

/** Builds the typed config from a raw (already valid) object. Exported for callers that have no file. */
export function normalizeConfig(raw: RawConfig, file?: string): Config {
  const v = raw.version ?? {};
  const b = raw.bump ?? {};
  const p = raw.prerelease ?? {};
  const imageTemplate = raw.image ?? '{{service}}';
  const services = Object.entries(raw.services ?? {}).map(([name, s]): ServiceConfig => {
    const svc = s ?? {};
    const context = trimSlash(svc.context ?? name);
    return {
      name,
      image: svc.image ?? imageTemplate.replace(/\{\{\s*service\s*\}\}/g, name),
      context,
      dockerfile: svc.dockerfile ?? (context === '.' ? 'Dockerfile' : `${context}/Dockerfile`),
      paths: svc.paths ?? [context === '.' ? '**' : `${context}/**`],
      tags: ruleList(svc.tags),
      flavor: ruleList(svc.flavor),
      labels: ruleList(svc.labels),
      annotations: ruleList(svc.annotations),
      versionFile: svc['version-file'],
      tagFormat: svc['tag-format']
    };
  });
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
      build: v.build
    },
    bump: {
      default: b.default ?? DEFAULT_BUMP_RULES.default,
      detect: b.detect ?? DEFAULT_BUMP_RULES.detect,
      types: b.types ?? {},
      majorPattern: b['major-pattern'],
      minorPattern: b['minor-pattern'],
      patchPattern: b['patch-pattern'],
      searchBody: b['search-body'] ?? DEFAULT_BUMP_RULES.searchBody,
      ignorePattern: b['ignore-pattern'],
      withoutCommits: b['without-commits'] ?? false,
      pre1: b['pre-1'] ?? {}
    },
    prerelease: {
      enabled: p.enabled ?? false,
      id: p.id ?? 'rc',
      branches: p.branches ?? {},
      numbering: p.numbering ?? 'start-at-0',
      aware: p.aware ?? true
    },
    tags: ruleList(raw.tags),
    flavor: ruleList(raw.flavor) ?? [],
    labels: ruleList(raw.labels) ?? [],
    annotations: ruleList(raw.annotations) ?? [],
    services
  };
}

function trimSlash(path: string): string {
  const trimmed = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

export function emptyConfig(): Config {
  return normalizeConfig({});
}

interface AjvError {
  instancePath: string;
  /** Set on errors about a property name (propertyNames). */
  propertyName?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Parses and validates imgver.yaml text. Every error names the file, the line and the key. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    if (error.code === 'DUPLICATE_KEY') {
      const duplicate = findDuplicateKey(parseDocument(text, { uniqueKeys: false }).contents, lineCounter, []);
      if (duplicate) {
        throw new UserError(`${file}:${duplicate.line}: ${duplicate.path}: duplicate key (keys must be unique)`, { file, line: duplicate.line });
      }
    }
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new UserError(`${file}:${line}: ${error.message.split('\n')[0]}`, { file, line });
  }
  const raw = (doc.toJS() ?? {}) as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`${file}:1: expected a mapping of settings (version, bump, prerelease, tags, services, …)`, { file, line: 1 });
  }
  if (!validateConfig(raw)) {
    const errors = (validateConfig as unknown as { errors: AjvError[] }).errors;
    const error = pickError(errors);
    const { line, key } = locate(doc, lineCounter, error);
    throw new UserError(`${file}:${line}: ${key ? `${key}: ` : ''}${describe(error)}`, { file, line });
  }
  const config = normalizeConfig(raw as RawConfig, file);
  checkServices(config, doc, lineCounter);
  return config;
}

function findDuplicateKey(node: unknown, lineCounter: LineCounter, path: string[]): { line: number; path: string } | undefined {
  if (!isMap(node)) return undefined;
  const seen = new Set<string>();
  for (const item of node.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const key = String(item.key.value);
    if (seen.has(key)) return { line: lineCounter.linePos(item.key.range?.[0] ?? 0).line, path: [...path, key].join('.') };
    seen.add(key);
    const inner = findDuplicateKey(item.value, lineCounter, [...path, key]);
    if (inner) return inner;
  }
  return undefined;
}

/** With anyOf in the schema Ajv reports every branch; the deepest, most specific error is the useful one. */
function pickError(errors: AjvError[]): AjvError {
  const specific = errors.filter(e => e.keyword !== 'anyOf');
  const pool = specific.length > 0 ? specific : errors;
  return pool.reduce((best, e) => {
    const depth = (x: AjvError) => x.instancePath.split('/').length + (x.keyword === 'type' ? 0 : 0.5);
    return depth(e) > depth(best) ? e : best;
  });
}

function describe(error: AjvError): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(error.params.additionalProperty)}"`;
    case 'enum':
      return `expected one of ${(error.params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `expected ${String(error.params.type).replace(',', ' or ')}`;
    case 'propertyNames':
      return `invalid name: expected lowercase letters, digits, '.', '_' or '-'`;
    case 'pattern':
      if (error.propertyName !== undefined) return `invalid name: expected lowercase letters, digits, '.', '_' or '-'`;
      return `does not match ${String(error.params.pattern)}`;
    default:
      return error.message ?? error.keyword;
  }
}

function locate(doc: Document, lineCounter: LineCounter, error: AjvError): { line: number; key: string } {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map(seg => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(seg => (/^\d+$/.test(seg) ? Number(seg) : seg));
  let offset = 0;
  let keyPath = path.join('.');
  const node = doc.getIn(path, true) as Node | undefined;
  if (node && 'range' in node && node.range) offset = node.range[0];
  const extraKey =
    error.keyword === 'additionalProperties'
      ? String(error.params.additionalProperty)
      : error.keyword === 'propertyNames'
        ? String(error.params.propertyName)
        : error.propertyName;
  if (extraKey !== undefined) {
    const parent = path.length === 0 ? doc.contents : node;
    if (isMap(parent)) {
      const pair = parent.items.find(item => isPair(item) && isScalar(item.key) && String(item.key.value) === extraKey);
      if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    keyPath = [...path, extraKey].join('.');
  }
  return { line: lineCounter.linePos(offset).line, key: keyPath };
}

function keyLine(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find(item => isPair(item) && isScalar(item.key) && String(item.key.value) === String(path.at(-1)));
  return pair && isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
}

function checkServices(config: Config, doc: Document, lineCounter: LineCounter): void {
  const file = config.file;
  if (config.version.scheme === 'unified' && config.version.tagFormat && /\{\{\s*service\s*\}\}/.test(config.version.tagFormat)) {
    const line = keyLine(doc, lineCounter, ['version', 'tag-format']);
    throw new UserError(`${file}:${line}: version.tag-format: {{service}} needs scheme per-service (unified has one tag per release)`, {
      file,
      line
    });
  }
  for (const service of config.services) {
    if (service.tagFormat && config.version.scheme === 'unified') {
      const line = keyLine(doc, lineCounter, ['services', service.name, 'tag-format']);
      throw new UserError(`${file}:${line}: services.${service.name}.tag-format: only the per-service scheme has a tag format per service`, {
        file,
        line
      });
    }
  }
}
