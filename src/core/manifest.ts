import semver from './semver.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { UserError } from './errors.js';

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
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { services: {} };
  if (!isMap(root)) return fail(root, 'a version manifest is a mapping with services: (see schema/version-manifest.schema.json)');
  const manifest: VersionManifest = { services: {} };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (key === 'environment') {
      if (!isScalar(value) || typeof value.value !== 'string') fail(value ?? (pair.key as Node), 'environment must be a name');
      manifest.environment = String((value as { value: unknown }).value);
    } else if (key === 'services') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) return fail(value, 'services must map each service name to its entry');
      for (const item of value.items) {
        const name = isScalar(item.key) ? String(item.key.value) : '';
        manifest.services[name] = parseService(item.value as Node | null, name, fail);
      }
    } else {
      fail(pair.key as Node, `unknown key "${key}" (expected environment or services)`);
    }
  }
  return manifest;
}

type Fail = (node: Node | null | undefined, message: string) => never;

function parseService(node: Node | null, name: string, fail: Fail): ManifestService {
  if (!isMap(node)) return fail(node, `service ${name} must be a mapping with image, current_tag, image_digest, updated_at, custom, history`);
  const field = (key: string) => node.items.find(p => isScalar(p.key) && p.key.value === key)?.value as Node | null | undefined;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!['image', 'current_tag', 'image_digest', 'updated_at', 'custom', 'history'].includes(key)) {
      fail(pair.key as Node, `unknown key "${key}" in service ${name} (expected image, current_tag, image_digest, updated_at, custom, history)`);
    }
  }
  const text = (key: string, required: boolean, pattern?: RegExp, expected?: string): string | undefined => {
    const value = field(key);
    if (value === undefined || (isScalar(value) && value.value === null)) {
      if (required) fail(node, `service ${name} has no ${key}`);
      return undefined;
    }
    const raw = isScalar(value) ? value.value : undefined;
    if (raw === undefined || typeof raw === 'object') return fail(value, `${key} of service ${name} must be a string`);
    const string = String(raw);
    if (pattern && !pattern.test(string)) fail(value, `${key} of service ${name} is "${string}": expected ${expected}`);
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
      const get = (key: string) => {
        const value = item.items.find(p => isScalar(p.key) && p.key.value === key)?.value;
        return isScalar(value) && value.value !== null ? String(value.value) : undefined;
      };
      const tag = get('tag');
      if (!tag) return fail(item, `a history entry of service ${name} has no tag`);
      const digest = get('digest');
      if (digest && !DIGEST.test(digest)) fail(item, `history digest "${digest}" of service ${name}: expected sha256:<64 hex>`);
      const reason = get('reason');
      entries.push({ tag, ...(digest ? { digest } : {}), time: get('time') ?? '', ...(reason === 'rollback' ? { reason } : {}) });
    }
  }
  const digest = text('image_digest', false, DIGEST, 'sha256:<64 hex>');
  return {
    image: text('image', true)!,
    current_tag: text('current_tag', true)!,
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
  const current = manifest.services[name];
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
  return { manifest: { ...manifest, services: { ...manifest.services, [name]: service } }, changed: true };
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
    const key = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
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

/** Whether a tag names a release (X.Y.Z, vX.Y.Z, 1.64): the entries `resolve` fills in are the ones that do not. */
export function isReleaseTag(tag: string): boolean {
  return /^v?\d+(\.\d+){1,2}([-+][0-9A-Za-z.+-]+)?$/.test(tag);
}

/** Release-looking tags with a comparable version: 1.64 counts as 1.64.0. */
export function releaseVersions(tags: string[]): { tag: string; version: string }[] {
  return tags
    .filter(isReleaseTag)
    .map(tag => ({ tag, version: semver.valid(semver.coerce(tag.replace(/^v/, ''), { includePrerelease: true })?.version ?? '') }))
    .filter((t): t is { tag: string; version: string } => !!t.version);
}
