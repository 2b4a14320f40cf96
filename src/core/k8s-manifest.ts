import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { UserError } from './errors.js';
import { parseImageRef } from './image-ref.js';
import { splitReference } from './chart.js';
import { lineStartAfter, renderScalar } from './yaml-edit.js';

/**
 * Kubernetes manifests and kustomizations kept in step with a release, edited surgically: the `yaml` library finds
 * each image scalar (containers and initContainers of Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods;
 * `images:` entries of a kustomization) and only its bytes are replaced, in every document of a multi-document file.
 * The version goes on the workload and its pod template as an annotation under imgver's own prefix. The edited text
 * is parsed again and must hold exactly the intended values, or the file is left alone.
 */

/** What one service deploys now. */
export interface K8sImage {
  service: string;
  /** The service's image repository, e.g. ghcr.io/acme/web. */
  repository: string;
  tag: string;
  digest?: string;
  version: string;
}

export interface K8sOptions {
  /** Pin by digest when one is known (repo:tag@sha256:…, kustomize newTag + digest). */
  pinDigest: boolean;
  /** Annotation prefix (imgver.dev); undefined: no annotations. */
  annotationPrefix?: string;
}

export interface K8sChange {
  file: string;
  line: number;
  service: string;
  what: string;
  from: string | null;
  to: string | null;
}

export interface K8sFileResult {
  text: string;
  changes: K8sChange[];
  warnings: string[];
}

/** What a file says a service runs (for rollback from the repository's history). */
export interface K8sDeployed {
  service: string;
  tag?: string;
  digest?: string;
  version?: string;
  file: string;
  line: number;
}

export const DEFAULT_ANNOTATION_PREFIX = 'imgver.dev';
const WORKLOAD_POD_SPEC: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template']
};
const CONTAINER_LISTS = ['initContainers', 'containers'];
const TEMPLATE_EXPRESSION = /\$\{|\{\{|\$\(|\{%/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ANNOTATION_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The annotation prefix: a DNS subdomain of imgver's choosing, never one Kubernetes reserves. */
export function checkAnnotationPrefix(prefix: string, where: string): string {
  const p = prefix.trim().replace(/\/$/, '');
  if (!DNS_SUBDOMAIN.test(p) || p.length > 253) {
    throw new UserError(`${where} is "${prefix}": expected a DNS subdomain such as imgver.dev (lower-case letters, digits, - and .)`, { input: 'annotation-prefix' });
  }
  if (/(^|\.)(kubernetes\.io|k8s\.io)$/.test(p)) {
    throw new UserError(`${where} is "${prefix}": kubernetes.io and k8s.io are reserved for Kubernetes; use a prefix of your own (default imgver.dev)`, { input: 'annotation-prefix' });
  }
  return p;
}

/** The annotation a service's version is written under, e.g. imgver.dev/web.version. */
export function versionAnnotation(prefix: string, service: string): string | undefined {
  const name = `${service}.version`;
  return name.length <= 63 && ANNOTATION_NAME.test(name) ? `${prefix}/${name}` : undefined;
}

/** A repository as registries see it (docker.io/library/nginx for nginx), or undefined when it is not an image name. */
export function repositoryKey(repository: string): string | undefined {
  try {
    const ref = parseImageRef(repository);
    return `${ref.registry}/${ref.repository}`;
  } catch {
    return undefined;
  }
}

function lastSegment(repository: string): string {
  return repository.split('/').pop()!.toLowerCase();
}

export function isKustomizationFile(file: string): boolean {
  return /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file);
}

/**
 * An image reference, tag or digest that reads back as the same string when written plain: a `/` or a letter after
 * a digit-free start rules out numbers, booleans and null, and the characters rule out comments and indicators. Saves
 * parsing each value again (renderScalar's check) for the thousands of references a large release writes.
 */
const PLAIN_REFERENCE = /^[a-z0-9][a-z0-9._\-/]*(:[A-Za-z0-9_][A-Za-z0-9._-]*)?(@sha256:[0-9a-f]{64})?$/;
function render(value: string, style: Scalar.Type | undefined): string {
  if ((style === undefined || style === 'PLAIN') && value.includes('/') && PLAIN_REFERENCE.test(value)) return value;
  return renderScalar(value, style, false);
}

interface Splice {
  start: number;
  end: number;
  text: string;
  seq: number;
}

/** Parses every document of a file; a syntax error names the file and line. */
export function parseManifests(text: string, file: string): { docs: Document[]; lines: LineCounter } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const line = lines.linePos(error.pos[0]).line;
      throw new UserError(`${file} line ${line}: not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
    }
    // Only a file that may hold an alias (`*name` after a space, [, { or a comma) is walked for one.
    if (/(?:^|[\s[{,])\*[^\s,\]}]/m.test(text)) {
      visit(doc, {
        Alias(_key, alias) {
          if (alias.resolve(doc) === undefined) {
            const line = lines.linePos(alias.range?.[0] ?? 0).line;
            throw new UserError(`${file} line ${line}: not valid YAML: *${alias.source} names no anchor of its document (anchors do not reach across ---)`, { file, line });
          }
        }
      });
    }
  }
  return { docs: list, lines };
}

const mapAt = (node: unknown, path: string[]): YAMLMap | undefined => {
  let at = node;
  for (const key of path) {
    if (!isMap(at)) return undefined;
    at = at.get(key, true);
  }
  return isMap(at) ? at : undefined;
};

const pairOf = (map: YAMLMap, key: string): Pair<Scalar, Node | null> | undefined =>
  map.items.find(p => isScalar(p.key) && p.key.value === key) as Pair<Scalar, Node | null> | undefined;

/** One image scalar of a container, with the workload that holds it. */
interface ContainerImage {
  doc: Document;
  node: Scalar | Node;
  value?: string;
  /** The maps that get the version annotation's parent: the object's metadata and the pod template's. */
  workload: { kind: string; name: string; holders: { map: YAMLMap; path: string[] }[] };
  path: (string | number)[];
}

function containerImages(doc: Document): ContainerImage[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const kind = root.get('kind');
  if (typeof kind !== 'string' || !(kind in WORKLOAD_POD_SPEC)) return [];
  const templatePath = WORKLOAD_POD_SPEC[kind];
  const template = templatePath.length === 0 ? root : mapAt(root, templatePath);
  const spec = template && mapAt(template, ['spec']);
  if (!spec) return [];
  const name = String(mapAt(root, ['metadata'])?.get('name') ?? '');
  const holders = [{ map: root, path: [] as string[] }];
  if (templatePath.length > 0) holders.push({ map: template!, path: templatePath });
  const workload = { kind, name, holders };
  const out: ContainerImage[] = [];
  for (const list of CONTAINER_LISTS) {
    const seq = spec.get(list, true);
    if (!isSeq(seq)) continue;
    seq.items.forEach((item, i) => {
      if (!isMap(item)) return;
      const node = item.get('image', true) as Node | undefined;
      if (!node) return;
      const value = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
      out.push({ doc, node, value, workload, path: [...templatePath, 'spec', list, i, 'image'] });
    });
  }
  return out;
}

interface KustomizeEntry {
  item: YAMLMap;
  index: number;
  repository: string;
  line: number;
}

function kustomizeEntries(doc: Document, file: string, lines: LineCounter): KustomizeEntry[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const kind = root.get('kind');
  const apiVersion = root.get('apiVersion');
  const isKustomization = kind === 'Kustomization' || (typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/')) || isKustomizationFile(file);
  if (!isKustomization) return [];
  const images = root.get('images', true);
  if (!isSeq(images)) return [];
  return images.items.flatMap((item, index) => {
    if (!isMap(item)) return [];
    const name = item.get('newName') ?? item.get('name');
    if (typeof name !== 'string') return [];
    return [{ item: item as YAMLMap, index, repository: name, line: lines.linePos((item as YAMLMap).range?.[0] ?? 0).line }];
  });
}

type Matcher = ReturnType<typeof buildMatcher>;
/** Built once per list of images (a run passes the same list for every file). */
const matchers = new WeakMap<readonly K8sImage[], Matcher>();
function matcher(images: K8sImage[]): Matcher {
  let found = matchers.get(images);
  if (!found) matchers.set(images, (found = buildMatcher(images)));
  return found;
}

/** The service whose repository a reference names; ambiguous when several services share it. */
function buildMatcher(images: K8sImage[]) {
  const byKey = new Map<string, K8sImage[]>();
  const bySegment = new Map<string, K8sImage[]>();
  for (const image of images) {
    const key = repositoryKey(image.repository);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), image]);
    const segment = lastSegment(image.repository);
    bySegment.set(segment, [...(bySegment.get(segment) ?? []), image]);
  }
  return {
    exact: (repository: string) => {
      const key = repositoryKey(repository);
      return key ? byKey.get(key) ?? [] : [];
    },
    /** Whether a text can name any of the images at all (the last part of a repository is in every way to write it). */
    mentioned: (text: string) => {
      const lower = text.toLowerCase();
      for (const segment of bySegment.keys()) if (lower.includes(segment)) return true;
      return false;
    },
    /** Services a templated reference may mean (by the last path part of its repository). */
    loose: (reference: string) => {
      const parts = reference.split(/[/:@]/).map(p => p.toLowerCase());
      return [...new Set(parts.flatMap(p => bySegment.get(p) ?? []))];
    }
  };
}

function detectIndentStep(text: string): number {
  let step = Infinity;
  for (const m of text.matchAll(/^( +)[^ \-#\n]/gm)) step = Math.min(step, m[1].length);
  return Number.isFinite(step) ? step : 2;
}

/**
 * Updates one file for the release: every container image and kustomize `images:` entry of a service, and the
 * version annotations of the workloads that run it. Nothing else in the file changes.
 */
export function updateK8sFile(text: string, file: string, images: K8sImage[], options: K8sOptions): K8sFileResult {
  const match = matcher(images);
  // A file that names none of the images has nothing to change: it is not parsed (the 199 other services' files of a
  // release of one service).
  if (!match.mentioned(text)) return { text, changes: [], warnings: [] };
  const { docs, lines } = parseManifests(text, file);
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const splices: Splice[] = [];
  const changes: K8sChange[] = [];
  const warnings: string[] = [];
  const expected: (() => void)[] = [];
  const step = detectIndentStep(text);
  let seq = 0;
  const splice = (start: number, end: number, replacement: string) => splices.push({ start, end, text: replacement, seq: seq++ });

  const replaceScalar = (node: Scalar, value: string, keyEnd?: number) => {
    const [start, end] = node.range!;
    if (start === end) {
      // `newTag:` with nothing after it: the value goes after the colon.
      const colon = keyEnd === undefined ? -1 : text.indexOf(':', keyEnd);
      if (colon === -1) return false;
      splice(colon + 1, colon + 1, ` ${render(value, undefined)}`);
    } else {
      splice(start, end, render(value, node.type));
    }
    expected.push(() => {
      node.value = value;
    });
    return true;
  };
  /** Adds lines at the end of a block mapping, at its indentation (each line: [extra indent levels, text]). */
  const insertInto = (map: YAMLMap, body: [number, string][], apply: () => void): boolean => {
    if (map.flow || map.items.length === 0) return false;
    const first = map.items[0].key as Node;
    const last = map.items[map.items.length - 1];
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range)![1];
    const indent = first.range![0] - text.lastIndexOf('\n', first.range![0] - 1) - 1;
    const at = lineStartAfter(text, lastEnd);
    const rendered = body.map(([level, line]) => `${' '.repeat(indent + level * step)}${line}`).join('\n');
    splice(at, at, at === text.length && !text.endsWith('\n') ? `\n${rendered}` : `${rendered}\n`);
    expected.push(apply);
    return true;
  };
  const keyValue = (key: string, value: string) => `${key}: ${renderScalar(value, undefined, false)}`;
  const removePair = (map: YAMLMap, pair: Pair<Scalar, Node | null>): boolean => {
    const keyStart = pair.key.range![0];
    const end = (pair.value?.range ?? pair.key.range)![1];
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    if (map.flow || text.slice(lineStart, keyStart).trim() !== '' || text.slice(keyStart, end).includes('\n')) return false;
    splice(lineStart, lineStartAfter(text, end), '');
    expected.push(() => {
      map.delete(pair.key.value);
    });
    return true;
  };
  const record = (offset: number, service: string, what: string, from: string | null, to: string | null) =>
    changes.push({ file, line: lineOf(offset), service, what, from, to });

  /** The version annotations of every service a workload runs: missing keys go in with one insertion per mapping. */
  const annotate = (workload: ContainerImage['workload'], images: K8sImage[], where: number) => {
    if (!options.annotationPrefix) return;
    const wanted: { key: string; image: K8sImage }[] = [];
    for (const image of images) {
      const key = versionAnnotation(options.annotationPrefix, image.service);
      if (key) wanted.push({ key, image });
      else warnings.push(`${file} line ${lineOf(where)}: service "${image.service}" cannot name a Kubernetes annotation: no version annotation written`);
    }
    if (wanted.length === 0) return;
    const keys = wanted.map(w => w.key).join(', ');
    for (const holder of workload.holders) {
      const metadata = mapAt(holder.map, ['metadata']);
      const path = [...holder.path, 'metadata'].join('.');
      const at = holder.map.range?.[0] ?? where;
      const skip = (offset: number, why: string, what = keys) => warnings.push(`${file} line ${lineOf(offset)}: ${workload.kind} ${workload.name}: ${why}: ${what} not written`);
      const lines = (level: number, list: typeof wanted): [number, string][] => list.map(w => [level, keyValue(w.key, w.image.version)]);
      const recordAll = (offset: number, list: typeof wanted) => list.forEach(w => record(offset, w.image.service, `${path}.annotations.${w.key}`, null, w.image.version));
      const asMap = (list: typeof wanted) => Object.fromEntries(list.map(w => [w.key, w.image.version]));
      if (!metadata) {
        if (holder.map.get('metadata', true) !== undefined) skip(at, `${path} is not a mapping`);
        else if (insertInto(holder.map, [[0, 'metadata:'], [1, 'annotations:'], ...lines(2, wanted)], () => holder.map.set('metadata', { annotations: asMap(wanted) }))) recordAll(at, wanted);
        else skip(at, `${holder.path.join('.') || 'the object'} is a flow mapping`);
        continue;
      }
      const annotations = metadata.get('annotations', true);
      if (isMap(annotations)) {
        const missing: typeof wanted = [];
        for (const w of wanted) {
          const pair = pairOf(annotations, w.key);
          const what = `${path}.annotations.${w.key}`;
          if (!pair) missing.push(w);
          else if (!isScalar(pair.value)) skip(pair.key.range![0], `${what} is not a plain value`, w.key);
          else {
            const current = pair.value.value === null ? null : String(pair.value.value);
            if (current === w.image.version) continue;
            if (replaceScalar(pair.value, w.image.version, pair.key.range![1])) record(pair.key.range![0], w.image.service, what, current, w.image.version);
            else skip(pair.key.range![0], `${what} has no value to replace`, w.key);
          }
        }
        if (missing.length === 0) continue;
        if (insertInto(annotations, lines(0, missing), () => missing.forEach(w => annotations.set(w.key, w.image.version)))) recordAll(annotations.range![0], missing);
        else skip(annotations.range?.[0] ?? at, `${path}.annotations is a flow mapping`, missing.map(w => w.key).join(', '));
      } else if (annotations === undefined) {
        if (insertInto(metadata, [[0, 'annotations:'], ...lines(1, wanted)], () => metadata.set('annotations', asMap(wanted)))) recordAll(metadata.range![0], wanted);
        else skip(metadata.range?.[0] ?? at, `${path} is a flow mapping`);
      } else {
        skip(metadata.range?.[0] ?? at, `${path}.annotations is not a mapping`);
      }
    }
  };

  for (const doc of docs) {
    // Containers.
    // Per workload: the services it runs, annotated once all its containers are seen.
    const running = new Map<ContainerImage['workload'], { images: K8sImage[]; where: number }>();
    for (const site of containerImages(doc)) {
      const line = lineOf(site.node.range?.[0] ?? 0);
      if (isAlias(site.node)) {
        const target = site.node.resolve(doc);
        const value = isScalar(target) ? String(target.value) : '';
        if (match.exact(splitReference(value).repository).length > 0) {
          warnings.push(`${file} line ${line}: image is an alias (*${site.node.source}): the anchored value is updated where it is defined`);
        }
        continue;
      }
      if (!isScalar(site.node) || site.value === undefined) continue;
      const value = site.value;
      const ref = splitReference(value);
      if (TEMPLATE_EXPRESSION.test(value)) {
        const maybe = match.loose(value);
        if (maybe.length > 0) warnings.push(`${file} line ${line}: image "${value}" is built from a template expression: not updated (${maybe.map(m => m.service).join(', ')} may be meant)`);
        continue;
      }
      const services = match.exact(ref.repository);
      if (services.length === 0) continue;
      if (services.length > 1) {
        warnings.push(`${file} line ${line}: image "${value}" is ambiguous: services ${services.map(s => s.service).join(', ')} share ${ref.repository}; not updated`);
        continue;
      }
      const image = services[0];
      if (site.node.type === 'BLOCK_LITERAL' || site.node.type === 'BLOCK_FOLDED') {
        warnings.push(`${file} line ${line}: image of ${site.workload.kind} ${site.workload.name} is a block scalar: not updated`);
        continue;
      }
      const pin = options.pinDigest && image.digest;
      const next = `${ref.repository}:${image.tag}${pin ? `@${image.digest}` : ''}`;
      if (next !== value) {
        replaceScalar(site.node, next);
        record(site.node.range![0], image.service, `${site.workload.kind}/${site.workload.name} ${site.path.slice(-3, -1).join('[')}] image`, value, next);
        if (options.pinDigest && !image.digest && ref.digest) {
          warnings.push(`${file} line ${line}: no digest is known for ${image.service} (pass build-tag-push's plan to pin it): the old digest was dropped so the new tag is what deploys`);
        }
      }
      const entry = running.get(site.workload) ?? { images: [], where: site.node.range![0] };
      if (!entry.images.includes(image)) entry.images.push(image);
      running.set(site.workload, entry);
    }

    for (const [workload, { images: list, where }] of running) annotate(workload, list, where);

    // Kustomize images: entries.
    const entries = kustomizeEntries(doc, file, lines);
    const seen = new Map<string, KustomizeEntry>();
    for (const entry of entries) {
      const services = match.exact(entry.repository);
      if (services.length === 0) continue;
      const key = repositoryKey(entry.repository)!;
      const earlier = seen.get(key);
      if (earlier) {
        throw new UserError(
          `${file} line ${entry.line}: images[${entry.index}] is a second entry for ${entry.repository} (the first is at line ${earlier.line}): kustomize would apply only one; keep one entry per image`,
          { file, line: entry.line }
        );
      }
      seen.set(key, entry);
    }
    for (const entry of seen.values()) {
      const services = match.exact(entry.repository);
      if (services.length > 1) {
        warnings.push(`${file} line ${entry.line}: images[${entry.index}] ${entry.repository} is ambiguous: services ${services.map(s => s.service).join(', ')} share it; not updated`);
        continue;
      }
      const image = services[0];
      const what = `images[${entry.index}]`;
      const setField = (field: string, value: string) => {
        const pair = pairOf(entry.item, field);
        const fail = (node: Node, why: string): never => {
          const line = lineOf(node.range?.[0] ?? 0);
          throw new UserError(`${file} line ${line}: ${what}.${field} ${why}`, { file, line });
        };
        if (pair) {
          if (pair.value && !isScalar(pair.value)) fail(pair.value, 'is not a plain value (expected a tag or digest)');
          const node = pair.value as Scalar | null;
          if (!node) fail(pair.key, 'has no value to replace: write a placeholder (e.g. "")');
          if (node!.type === 'BLOCK_LITERAL' || node!.type === 'BLOCK_FOLDED') fail(node!, 'is a block scalar: expected a one-line value');
          const current = node!.value === null ? null : String(node!.value);
          if (current === value) return;
          if (!replaceScalar(node!, value, pair.key.range![1])) fail(pair.key, 'has no value to replace: write a placeholder (e.g. "")');
          record(pair.key.range![0], image.service, `${what}.${field}`, current, value);
        } else if (insertInto(entry.item, [[0, keyValue(field, value)]], () => entry.item.set(field, value))) {
          record(entry.item.range![0], image.service, `${what}.${field}`, null, value);
        } else {
          warnings.push(`${file} line ${entry.line}: ${what} is a flow mapping: ${field} not written`);
        }
      };
      setField('newTag', image.tag);
      const digestPair = pairOf(entry.item, 'digest');
      if (options.pinDigest && image.digest) setField('digest', image.digest);
      else if (digestPair) {
        const current = isScalar(digestPair.value) && digestPair.value.value !== null ? String(digestPair.value.value) : null;
        if (removePair(entry.item, digestPair)) {
          record(digestPair.key.range![0], image.service, `${what}.digest`, current, null);
          if (options.pinDigest) warnings.push(`${file} line ${entry.line}: no digest is known for ${image.service} (pass build-tag-push's plan to pin it): the old digest was dropped so the new tag is what deploys`);
        } else {
          warnings.push(`${file} line ${entry.line}: ${what}.digest could not be removed: the old digest still pins the old image`);
        }
      }
    }
  }

  if (splices.length === 0) return { text, changes: [], warnings };
  splices.sort((a, b) => b.start - a.start || b.seq - a.seq);
  let out = text;
  for (const s of splices) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  for (const apply of expected) apply();
  verify(out, docs, file);
  return { text: out, changes: changes.sort((a, b) => a.line - b.line), warnings };
}

function verify(out: string, expected: Document[], file: string): void {
  const again = parseAllDocuments(out, { uniqueKeys: false });
  const list = Array.isArray(again) ? again : [];
  const js = (docs: Document[]) => JSON.stringify(docs.map(d => d.toJS({ maxAliasCount: -1 })));
  if (list.length !== expected.length || list.some(d => d.errors.length > 0) || js(list) !== js(expected)) {
    throw new UserError(`${file}: imgver could not change it without altering other values (please report this file's shape); nothing was written`, { file });
  }
}

/**
 * What a file says each of the given services runs: the reference (or kustomize entry) and the version annotation.
 * Used to find the previous release in the repository's history.
 */
export function deployedIn(text: string, file: string, images: { service: string; repository: string }[], annotationPrefix?: string): K8sDeployed[] {
  let parsed: { docs: Document[]; lines: LineCounter };
  try {
    parsed = parseManifests(text, file);
  } catch {
    return [];
  }
  const { docs, lines } = parsed;
  const match = matcher(images.map(i => ({ ...i, tag: '', version: '' })));
  const found: K8sDeployed[] = [];
  for (const doc of docs) {
    for (const site of containerImages(doc)) {
      if (!isScalar(site.node) || site.value === undefined || TEMPLATE_EXPRESSION.test(site.value)) continue;
      const ref = splitReference(site.value);
      const services = match.exact(ref.repository);
      if (services.length !== 1) continue;
      const key = annotationPrefix ? versionAnnotation(annotationPrefix, services[0].service) : undefined;
      const annotations = mapAt(site.workload.holders[site.workload.holders.length - 1].map, ['metadata', 'annotations']);
      const version = key && annotations ? annotations.get(key) : undefined;
      found.push({
        service: services[0].service,
        tag: ref.tag,
        digest: ref.digest,
        version: version === undefined || version === null ? undefined : String(version),
        file,
        line: lines.linePos(site.node.range?.[0] ?? 0).line
      });
    }
    for (const entry of kustomizeEntries(doc, file, lines)) {
      const services = match.exact(entry.repository);
      if (services.length !== 1) continue;
      const tag = entry.item.get('newTag');
      const digest = entry.item.get('digest');
      found.push({
        service: services[0].service,
        tag: tag === undefined || tag === null ? undefined : String(tag),
        digest: typeof digest === 'string' && digest ? digest : undefined,
        file,
        line: entry.line
      });
    }
  }
  return found;
}
