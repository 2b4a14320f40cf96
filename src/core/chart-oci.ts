/**
 * A chart as an OCI artifact, byte for byte the way helm pushes one: the chart's metadata as the config blob (JSON in
 * the field order and escaping of helm's Go structs), the archive as the one layer, and an OCI image manifest carrying
 * helm's annotations. Pure: the caller uploads the blobs and the manifest.
 */

export const CHART_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const CHART_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

export interface BlobDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

type Metadata = Record<string, unknown>;

/** Chart.yaml's fields in the order helm's metadata struct declares them; all omitted when empty. */
const METADATA_FIELDS = [
  'name', 'home', 'sources', 'version', 'description', 'keywords', 'maintainers', 'icon', 'apiVersion', 'condition', 'tags',
  'appVersion', 'deprecated', 'annotations', 'kubeVersion', 'dependencies', 'type'
] as const;
const MAINTAINER_FIELDS = ['name', 'email', 'url'] as const;
/** A dependency's fields; name and repository are written even when empty. */
const DEPENDENCY_FIELDS = ['name', 'version', 'repository', 'condition', 'tags', 'enabled', 'import-values', 'alias'] as const;
const DEPENDENCY_ALWAYS = new Set(['name', 'repository']);

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || value === false ||
  (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/** A string as helm's metadata holds it: text, never a number or a boolean YAML happened to read. */
const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** A map with its keys sorted, as Go writes every map; nested values likewise. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(key => [key, sortedDeep((value as Record<string, unknown>)[key])]));
  }
  return value;
}

function ordered(source: Record<string, unknown>, fields: readonly string[], always: Set<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = source[field];
    if (always.has(field) || !isEmpty(value)) out[field] = value ?? '';
  }
  return out;
}

/** JSON text as Go's encoding/json writes it: <, >, & and the two line separators escaped, \b and \f spelled out. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\\(.)/g, (escape, c: string) => (c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : escape));
}

/** The config blob helm writes for a chart: its metadata (the Chart.yaml inside the archive) as JSON. */
export function chartConfigJson(metadata: Metadata): string {
  const strings = (list: unknown) => (Array.isArray(list) ? list.map(text) : list);
  const normalized: Metadata = {
    ...Object.fromEntries(['name', 'home', 'version', 'description', 'icon', 'apiVersion', 'condition', 'tags', 'appVersion', 'kubeVersion', 'type'].map(k => [k, text(metadata[k])])),
    sources: strings(metadata.sources),
    keywords: strings(metadata.keywords),
    deprecated: metadata.deprecated === true,
    annotations: metadata.annotations && typeof metadata.annotations === 'object' ? Object.fromEntries(Object.entries(metadata.annotations).map(([k, v]) => [k, text(v)])) : undefined,
    maintainers: Array.isArray(metadata.maintainers)
      ? metadata.maintainers.map(m => ordered(Object.fromEntries(MAINTAINER_FIELDS.map(k => [k, text((m as Metadata)?.[k])])), MAINTAINER_FIELDS))
      : undefined,
    dependencies: Array.isArray(metadata.dependencies)
      ? metadata.dependencies.map(d => {
          const dep = (d ?? {}) as Metadata;
          return ordered(
            { ...Object.fromEntries(['name', 'version', 'repository', 'condition', 'alias'].map(k => [k, text(dep[k])])), tags: strings(dep.tags), enabled: dep.enabled === true, 'import-values': dep['import-values'] },
            DEPENDENCY_FIELDS,
            DEPENDENCY_ALWAYS
          );
        })
      : undefined
  };
  return goJson(orderedSorted(normalized));
}

/** The metadata in helm's field order, with every map inside (annotations, import-values) sorted as Go sorts maps. */
function orderedSorted(normalized: Metadata): Metadata {
  const out = ordered(normalized, METADATA_FIELDS);
  if (out.annotations) out.annotations = sortedDeep(out.annotations);
  if (Array.isArray(out.dependencies)) {
    out.dependencies = out.dependencies.map(dep => {
      const d = dep as Metadata;
      return d['import-values'] === undefined ? d : { ...d, 'import-values': sortedDeep(d['import-values']) };
    });
  }
  return out;
}

/**
 * The manifest annotations helm sets: description, title, version, url, created, the first source, the maintainers as
 * authors, then the chart's own annotations (which may not replace title or version).
 */
export function chartAnnotations(metadata: Metadata, created: Date): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (key: string, value: unknown) => {
    if (text(value).trim() !== '') out[key] = text(value);
  };
  add('org.opencontainers.image.description', metadata.description);
  add('org.opencontainers.image.title', metadata.name);
  add('org.opencontainers.image.version', metadata.version);
  add('org.opencontainers.image.url', metadata.home);
  add('org.opencontainers.image.created', created.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (Array.isArray(metadata.sources) && metadata.sources.length > 0) add('org.opencontainers.image.source', metadata.sources[0]);
  if (Array.isArray(metadata.maintainers) && metadata.maintainers.length > 0) {
    const authors = metadata.maintainers.map(m => {
      const { name, email } = (m ?? {}) as Metadata;
      return `${text(name)}${text(email) ? ` (${text(email)})` : ''}`;
    });
    add('org.opencontainers.image.authors', authors.join(', '));
  }
  const own = metadata.annotations && typeof metadata.annotations === 'object' ? (metadata.annotations as Metadata) : {};
  for (const [key, value] of Object.entries(own)) {
    if (key !== 'org.opencontainers.image.title' && key !== 'org.opencontainers.image.version') out[key] = text(value);
  }
  return out;
}

/** The OCI image manifest helm pushes for a chart (no top-level mediaType, annotations sorted). */
export function chartManifestJson(config: BlobDescriptor, layer: BlobDescriptor, annotations: Record<string, string>): string {
  const descriptor = (d: BlobDescriptor) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size });
  const manifest: Record<string, unknown> = { schemaVersion: 2, config: descriptor(config), layers: [descriptor(layer)] };
  if (Object.keys(annotations).length > 0) manifest.annotations = sortedDeep(annotations);
  return goJson(manifest);
}
