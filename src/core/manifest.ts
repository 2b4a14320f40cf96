import semver from './semver.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { UserError } from './errors.js';
import { isValidImageName, isValidTag } from './tag-rules.js';
import { releaseVersions } from './version-tag.js';

// The release-tag rules are the tag vocabulary's; the version manifest's readers find them here too.
export { isReleaseTag, releaseVersions } from './version-tag.js';

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

/** Reads a manifest; every mistake names the file, the line and what was expected. */
export function parseManifest(text: string, file: string): VersionManifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const at = (node: Node | null | undefined) => (node?.range ? `${file}:${lineCounter.linePos(node.range[0]).line}` : file);
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${file}:${error.linePos?.[0].line ?? 1} is not valid YAML: ${message}`, { file, line: error.linePos?.[0].line });
  }
  const fail = (node: Node | null | undefined, message: string): never => {
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    throw new UserError(`${at(node)}: ${message}`, { file, line });
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { services: serviceMap() };
  if (!isMap(root)) return fail(root, 'a version manifest is a mapping with services: (see schema/version-manifest.schema.json)');
  const manifest: VersionManifest = { services: serviceMap() };
  for (const pair of root.items) {
    const key = keyOf(pair.key as Node | null, 'a key', fail);
    const value = pair.value as Node | null;
    if (key === 'environment') {
      if (!isScalar(value) || typeof value.value !== 'string') fail(value ?? (pair.key as Node), 'environment must be a name');
      const environment = String((value as { value: unknown }).value);
      if (!ENVIRONMENT_NAME.test(environment)) fail(value, `environment is ${JSON.stringify(environment)}: expected ${EXPECTED.name}`);
      manifest.environment = environment;
    } else if (key === 'services') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) return fail(value, 'services must map each service name to its entry');
      const keys = new Map<string, string>();
      for (const item of value.items) {
        const name = keyOf(item.key as Node | null, 'a service name', fail);
        if (!SERVICE_NAME.test(name)) fail(item.key as Node, `service name ${JSON.stringify(name)} is not allowed: expected ${EXPECTED.name}`);
        const other = keys.get(envKeyOf(name));
        if (other !== undefined) fail(item.key as Node, `services ${other} and ${name} would both be ${envKeyOf(name)}_IMAGE in the env file: rename one`);
        keys.set(envKeyOf(name), name);
        manifest.services[name] = parseService(item.value as Node | null, name, fail);
      }
    } else {
      fail(pair.key as Node, `unknown key "${key}" (expected environment or services)`);
    }
  }
  return manifest;
}

type Fail = (node: Node | null | undefined, message: string) => never;

/** A mapping key: a plain string only (a complex key, ? [a, b], or a number would silently become another name). */
function keyOf(node: Node | null, what: string, fail: Fail): string {
  if (!isScalar(node) || typeof node.value !== 'string') {
    return fail(node, `${what} must be a plain string${isScalar(node) ? ` (quote ${JSON.stringify(String(node.value))})` : ', not a complex key'}`);
  }
  return node.value;
}

function parseService(node: Node | null, name: string, fail: Fail): ManifestService {
  if (!isMap(node)) return fail(node, `service ${name} must be a mapping with image, current_tag, image_digest, updated_at, custom, history`);
  const field = (key: string) => node.items.find(p => isScalar(p.key) && p.key.value === key)?.value as Node | null | undefined;
  for (const pair of node.items) {
    const key = keyOf(pair.key as Node | null, `a key of service ${name}`, fail);
    if (!['image', 'current_tag', 'image_digest', 'updated_at', 'custom', 'history'].includes(key)) {
      fail(pair.key as Node, `unknown key "${key}" in service ${name} (expected image, current_tag, image_digest, updated_at, custom, history)`);
    }
  }
  const text = (key: string, required: boolean, valid?: (value: string) => boolean, expected?: string): string | undefined => {
    const value = field(key);
    if (value === undefined || (isScalar(value) && value.value === null)) {
      if (required) fail(node, `service ${name} has no ${key}`);
      return undefined;
    }
    const raw = isScalar(value) ? value.value : undefined;
    if (raw === undefined || typeof raw === 'object') return fail(value, `${key} of service ${name} must be a string`);
    const string = String(raw);
    if (valid && !valid(string)) fail(value, `${key} of service ${name} is ${JSON.stringify(string)}: expected ${expected}`);
    return string;
  };
  const custom = field('custom');
  if (custom !== undefined && !(isScalar(custom) && typeof custom.value === 'boolean')) fail(custom, `custom of service ${name} must be true or false`);
  const history = field('history');
  const entries: ManifestEntry[] = [];
  if (history !== undefined && !(isScalar(history) && history.value === null)) {
    if (!isSeq(history)) return fail(history, `history of service ${name} must be a list of {tag, digest, time}`);
    for (const item of history.items as Node[]) {
      if (!isMap(item)) return fail(item, `a history entry of service ${name} must be {tag, digest, time}`);
      for (const pair of item.items) keyOf(pair.key as Node | null, `a key of a history entry of service ${name}`, fail);
      const get = (key: string) => {
        const value = item.items.find(p => isScalar(p.key) && p.key.value === key)?.value;
        return isScalar(value) && value.value !== null ? String(value.value) : undefined;
      };
      const tag = get('tag');
      if (!tag) return fail(item, `a history entry of service ${name} has no tag`);
      if (!isValidTag(tag)) fail(item, `history tag ${JSON.stringify(tag)} of service ${name}: expected ${EXPECTED.tag}`);
      const digest = get('digest');
      if (digest && !DIGEST.test(digest)) fail(item, `history digest "${digest}" of service ${name}: expected sha256:<64 hex>`);
      const reason = get('reason');
      entries.push({ tag, ...(digest ? { digest } : {}), time: get('time') ?? '', ...(reason === 'rollback' ? { reason } : {}) });
    }
  }
  const digest = text('image_digest', false, d => DIGEST.test(d), EXPECTED.digest);
  return {
    image: text('image', true, isValidImageName, EXPECTED.image)!,
    current_tag: text('current_tag', true, isValidTag, EXPECTED.tag)!,
    ...(digest ? { image_digest: digest } : {}),
    updated_at: text('updated_at', false) ?? '',
    custom: custom !== undefined && isScalar(custom) ? custom.value === true : false,
    history: entries
  };
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

