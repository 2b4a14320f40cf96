import semver from './semver.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml';
import { UserError } from './errors.js';
import { isValidImageName, isValidTag } from './tag-rules.js';
import validateManifest from '../generated/manifest-validator.js';
import { releaseVersions } from './version-tag.js';

/**
 * The version manifest of one deployment (environment): what each service runs, by tag and digest, and its last
 * versions for rollback. Read and written here in memory; the manifest store does the disk I/O and the backups.
 */
export interface ManifestEntry {
  tag: string;
  digest?: string;
  time: string;
  /** Why this version left (rollback: it was rolled back from, so a later rollback never returns to it). */
  reason?: 'rollback';
}

export interface ManifestService {
  image: string;
  current_tag: string;
  image_digest?: string;
  updated_at: string;
  /** A hand-set tag (a hotfix), not a release version. */
  custom: boolean;
  history: ManifestEntry[];
}

export interface VersionManifest {
  environment?: string;
  services: Record<string, ManifestService>;
}

export const DEFAULT_HISTORY = 5;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A service name: it becomes a versions.env variable (API_IMAGE) and a YAML key, so nothing that could break either. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const EXPECTED = {
  name: "letters, digits, '.', '_' and '-', starting with a letter or digit (at most 128)",
  tag: "an image tag: letters, digits, '_', '.' and '-', not starting with '.' or '-' (at most 128)",
  image: 'an image name such as ghcr.io/acme/api, without a tag',
  digest: 'sha256:<64 hex>'
};

/** The versions.env variable prefix of a service: API for api, MY_API for my-api. */
export function envKeyOf(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Every value a manifest writes checked before anything is written: a tag, image or service name with a newline or
 * an = would otherwise become a variable of its own in versions.env (DB_PASSWORD=…). `file` names the manifest.
 */
export function checkManifest(manifest: VersionManifest, file: string): void {
  const bad = (what: string, value: string, expected: string) => new UserError(`${file}: ${what} is ${JSON.stringify(value)}: expected ${expected}`, { file });
  if (manifest.environment !== undefined && !ENVIRONMENT_NAME.test(manifest.environment)) throw bad('the environment', manifest.environment, EXPECTED.name);
  const keys = new Map<string, string>();
  for (const [name, service] of Object.entries(manifest.services)) {
    if (!SERVICE_NAME.test(name)) throw bad('a service name', name, EXPECTED.name);
    const key = envKeyOf(name);
    const other = keys.get(key);
    if (other !== undefined) throw new UserError(`${file}: services ${other} and ${name} would both be ${key}_IMAGE in the env file: rename one`, { file });
    keys.set(key, name);
    if (typeof service.image !== 'string' || !isValidImageName(service.image)) throw bad(`the image of service ${name}`, String(service.image), EXPECTED.image);
    if (typeof service.current_tag !== 'string' || !isValidTag(service.current_tag)) throw bad(`the tag of service ${name}`, String(service.current_tag), EXPECTED.tag);
    if (service.image_digest !== undefined && !DIGEST.test(service.image_digest)) throw bad(`the digest of service ${name}`, service.image_digest, EXPECTED.digest);
    for (const entry of service.history) {
      if (!isValidTag(entry.tag)) throw bad(`a history tag of service ${name}`, entry.tag, EXPECTED.tag);
      if (entry.digest !== undefined && !DIGEST.test(entry.digest)) throw bad(`a history digest of service ${name}`, entry.digest, EXPECTED.digest);
    }
  }
}

/** Service maps without a prototype: a service named like an Object property (constructor) is just a service. */
const serviceMap = (entries: Record<string, ManifestService> = {}): Record<string, ManifestService> => Object.assign(Object.create(null) as Record<string, ManifestService>, entries);

/** The keys each level of a manifest takes, for "unknown key" errors (the schema's properties, in its order). */
const KEYS = {
  manifest: 'environment, services',
  service: 'image, current_tag, image_digest, updated_at, custom, history',
  entry: 'tag, digest, time, reason'
};

interface SchemaError {
  instancePath: string;
  /** Set when the problem is a property name (propertyNames). */
  propertyName?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

type Path = (string | number)[];

/**
 * Reads a manifest; every mistake names the file, the line, the field and what was expected. The shape is checked
 * against schema/version-manifest.schema.json (its validator is compiled at build time); what a schema cannot say is
 * checked here: keys that are plain strings, image names, and two services that would be one env variable.
 */
export function parseManifest(text: string, file: string): VersionManifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${file}:${error.linePos?.[0].line ?? 1} is not valid YAML: ${message}`, { file, line: error.linePos?.[0].line });
  }
  const fail = (node: Node | null | undefined, message: string): never => {
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    throw new UserError(`${line === undefined ? file : `${file}:${line}`}: ${message}`, { file, line });
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { services: serviceMap() };
  if (!isMap(root)) return fail(root, 'a version manifest is a mapping with services: (see schema/version-manifest.schema.json)');
  plainKeys(root, [], fail);
  let raw: unknown;
  try {
    raw = doc.toJS({ mapAsMap: false });
  } catch (error) {
    // The yaml library stops alias expansion that would blow up (a "billion laughs" file).
    throw new UserError(`${file}: ${(error as Error).message.replace(/ indicates.*$/, '')}: YAML anchors and aliases expand to too much`, { file });
  }
  // No services: key is a manifest of no services (the schema asks for the key; an environment-only file was always read).
  if ((raw as { services?: unknown }).services === undefined) raw = { ...(raw as object), services: null };
  if (!validateManifest(raw)) {
    const error = (validateManifest.errors as SchemaError[])[0];
    const path = pathOf(error);
    const node = (path.length === 0 ? root : doc.getIn(path, true)) as Node | undefined;
    const key = error.propertyName ?? (error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined);
    fail(key !== undefined ? keyNode(doc, path, key) : node, describeError(error, path, path.length === 0 ? raw : doc.getIn(path)));
  }
  const read = raw as { environment?: string; services?: Record<string, RawService> | null };
  const manifest: VersionManifest = { ...(read.environment !== undefined ? { environment: read.environment } : {}), services: serviceMap() };
  const keys = new Map<string, string>();
  for (const [name, service] of Object.entries(read.services ?? {})) {
    const other = keys.get(envKeyOf(name));
    if (other !== undefined) fail(keyNode(doc, ['services'], name), `services ${other} and ${name} would both be ${envKeyOf(name)}_IMAGE in the env file: rename one`);
    keys.set(envKeyOf(name), name);
    if (!isValidImageName(service.image)) fail(doc.getIn(['services', name, 'image'], true) as Node, `services.${name}.image is ${JSON.stringify(service.image)}: expected ${EXPECTED.image}`);
    manifest.services[name] = {
      image: service.image,
      current_tag: service.current_tag,
      ...(service.image_digest !== undefined ? { image_digest: service.image_digest } : {}),
      updated_at: service.updated_at ?? '',
      custom: service.custom === true,
      history: (service.history ?? []).map(entry => ({
        tag: entry.tag,
        ...(entry.digest !== undefined ? { digest: entry.digest } : {}),
        time: entry.time ?? '',
        ...(entry.reason === 'rollback' ? { reason: entry.reason } : {})
      }))
    };
  }
  return manifest;
}

interface RawService extends Omit<ManifestService, 'updated_at' | 'custom' | 'history'> {
  updated_at?: string;
  custom?: boolean;
  history?: { tag: string; digest?: string; time?: string; reason?: 'rollback' }[] | null;
}

type Fail = (node: Node | null | undefined, message: string) => never;

/** Every mapping key a plain string: a complex key (? [a, b]) or a number (1.10 → "1.1") would silently become another name. */
function plainKeys(node: unknown, path: Path, fail: Fail): void {
  if (isSeq(node)) node.items.forEach((item, i) => plainKeys(item, [...path, i], fail));
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || typeof key.value !== 'string') {
      const where = path.length === 0 ? 'a key' : path.length === 1 ? `a name in ${path[0]}` : `a key of ${fieldPath(path)}`;
      fail(key, `${where} must be a plain string${isScalar(key) ? ` (quote ${JSON.stringify(String(key.value))})` : ', not a complex key'}`);
    }
    plainKeys(pair.value, [...path, key.value as string], fail);
  }
}

/** services.api.history[0]: where in the manifest, as the error names it. */
function fieldPath(path: Path): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

function pathOf(error: SchemaError): Path {
  return error.instancePath
    .split('/')
    .slice(1)
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(segment => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The key node `key` of the mapping at `path`, for errors about the key itself. */
function keyNode(doc: Document, path: Path, key: string): Node | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  return map.items.find(pair => isScalar(pair.key) && pair.key.value === key)?.key as Node | undefined;
}

/** One schema error in words: the field (services.api.current_tag) and what it expected. */
function describeError(error: SchemaError, path: Path, value: unknown): string {
  const field = fieldPath(path);
  const at = field ? `${field}: ` : '';
  const level = path.length === 0 ? KEYS.manifest : path.length === 2 ? KEYS.service : KEYS.entry;
  const last = String(path.at(-1) ?? '');
  switch (error.keyword) {
    case 'required':
      return `${field || 'the manifest'} has no ${String(error.params.missingProperty)}`;
    case 'additionalProperties':
      return `${at}unknown key "${String(error.params.additionalProperty)}" (expected ${level})`;
    case 'type': {
      const type = String(error.params.type).split(',')[0];
      const expected = { object: 'a mapping', array: 'a list', boolean: 'true or false', string: 'a string (quote it)' }[type] ?? type;
      return `${at}expected ${expected}`;
    }
    case 'enum':
      return `${at}expected ${(error.params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(' or ')}`;
    case 'pattern':
      if (error.propertyName !== undefined) return `service name ${JSON.stringify(error.propertyName)} is not allowed: expected ${EXPECTED.name}`;
      return `${field} is ${JSON.stringify(value)}: expected ${/digest$/.test(last) ? EXPECTED.digest : /tag$/.test(last) ? EXPECTED.tag : EXPECTED.name}`;
    default:
      return `${at}${error.message ?? 'is not valid'}`;
  }
}
const HEADER = '# imgver version manifest: what each service of this deployment runs (schema/version-manifest.schema.json).\n';

export function renderManifest(manifest: VersionManifest): string {
  const body = {
    ...(manifest.environment ? { environment: manifest.environment } : {}),
    services: Object.fromEntries(
      Object.entries(manifest.services).map(([name, s]) => [
        name,
        {
          image: s.image,
          current_tag: s.current_tag,
          ...(s.image_digest ? { image_digest: s.image_digest } : {}),
          updated_at: s.updated_at,
          custom: s.custom,
          history: s.history.map(h => ({ tag: h.tag, ...(h.digest ? { digest: h.digest } : {}), time: h.time, ...(h.reason ? { reason: h.reason } : {}) }))
        }
      ])
    )
  };
  return HEADER + stringify(body, { lineWidth: 0 });
}

export interface NewVersion {
  image: string;
  tag: string;
  digest?: string;
  now: Date;
  custom?: boolean;
  /** The version being replaced leaves for this reason (rollback). */
  leaving?: ManifestEntry['reason'];
}

/** Records a service's new version; the one it replaces goes to the front of its history (at most `limit` kept). */
export function recordVersion(manifest: VersionManifest, name: string, next: NewVersion, limit = DEFAULT_HISTORY): { manifest: VersionManifest; changed: boolean } {
  const current = Object.hasOwn(manifest.services, name) ? manifest.services[name] : undefined;
  const time = next.now.toISOString();
  if (current && current.current_tag === next.tag && current.image_digest === next.digest && current.image === next.image && current.custom === !!next.custom) {
    return { manifest, changed: false };
  }
  const history = current
    ? [{ tag: current.current_tag, ...(current.image_digest ? { digest: current.image_digest } : {}), time: current.updated_at || time, ...(next.leaving ? { reason: next.leaving } : {}) }, ...current.history]
    : [];
  const service: ManifestService = {
    image: next.image,
    current_tag: next.tag,
    ...(next.digest ? { image_digest: next.digest } : {}),
    updated_at: time,
    custom: !!next.custom,
    history: history.slice(0, limit)
  };
  return { manifest: { ...manifest, services: serviceMap({ ...manifest.services, [name]: service }) }, changed: true };
}

/**
 * Where a rollback goes: the given tag (from the history, else undefined: the caller resolves it in the registry), or
 * the newest history entry that differs from what runs now and was not itself rolled back from.
 */
export function rollbackTarget(service: ManifestService, name: string, to?: string): ManifestEntry | undefined {
  if (to !== undefined) return service.history.find(h => h.tag === to);
  const target = service.history.find(h => h.reason !== 'rollback' && (h.tag !== service.current_tag || h.digest !== service.image_digest));
  if (!target) throw new UserError(`Service ${name} has no earlier version to roll back to (its history holds ${service.history.length} entr${service.history.length === 1 ? 'y' : 'ies'})`, { input: 'service' });
  return target;
}

/** The environment file docker-compose reads: <SERVICE>_IMAGE=repo:tag@digest and <SERVICE>_TAG=tag, per service. */
export function renderEnvFile(manifest: VersionManifest): string {
  const lines = ['# Generated by imgver from the version manifest: do not edit.'];
  for (const [name, s] of Object.entries(manifest.services)) {
    const key = envKeyOf(name);
    lines.push(`${key}_IMAGE=${s.image}:${s.current_tag}${s.image_digest ? `@${s.image_digest}` : ''}`, `${key}_TAG=${s.current_tag}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Release tags of a repository newer than the current one, newest first (1.64 counts as 1.64.0; prereleases only when current is one). */
export function newerTags(current: string, tags: string[]): string[] {
  const [base] = releaseVersions([current]);
  const pre = base !== undefined && semver.prerelease(base.version) !== null;
  return releaseVersions(tags)
    .filter(t => (pre || semver.prerelease(t.version) === null) && (base === undefined || semver.gt(t.version, base.version)))
    .sort((a, b) => semver.rcompare(a.version, b.version))
    .map(t => t.tag);
}

