import { LineCounter, parseDocument, Scalar } from 'yaml';
import { UserError } from './errors.js';
import { parseVersion } from './version.js';

/**
 * Version files, read and rewritten in memory (the files adapter does the disk I/O):
 * a plain VERSION file, a JSON field (`path.json#a.b`), package.json, or a Helm Chart.yaml.
 * Rewrites keep the rest of the file as it was.
 */
export type VersionFileKind = 'text' | 'json' | 'yaml';

export interface VersionFileSpec {
  /** Path of the file, without `#field`. */
  path: string;
  kind: VersionFileKind;
  /** Field path inside JSON/YAML files. */
  field: string[];
  /** The spec as the user wrote it, for messages. */
  spec: string;
}

export function parseVersionFileSpec(spec: string): VersionFileSpec {
  const [path, field] = spec.split('#', 2);
  const base = path.split('/').pop() ?? path;
  if (field !== undefined) {
    if (!field) throw new UserError(`Version file "${spec}": expected a field after '#', e.g. version.json#version`);
    return { path, kind: /\.ya?ml$/i.test(path) ? 'yaml' : 'json', field: field.split('.'), spec };
  }
  if (/\.json$/i.test(base)) return { path, kind: 'json', field: ['version'], spec };
  if (/\.ya?ml$/i.test(base)) return { path, kind: 'yaml', field: ['version'], spec };
  return { path, kind: 'text', field: [], spec };
}

export function readVersionFile(spec: VersionFileSpec, text: string): string {
  let value: unknown;
  let line = 1;
  if (spec.kind === 'text') {
    const lines = text.split(/\r?\n/);
    const index = lines.findIndex(l => l.trim().length > 0);
    value = index === -1 ? '' : lines[index].trim();
    line = index + 1;
  } else if (spec.kind === 'json') {
    const data = parseJson(spec, text);
    value = getField(data, spec);
    line = lineOfJsonField(text, spec.field.at(-1)!);
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (doc.errors.length > 0) {
      const l = lineCounter.linePos(doc.errors[0].pos[0]).line;
      throw new UserError(`${spec.path}:${l}: ${doc.errors[0].message.split('\n')[0]}`, { file: spec.path, line: l });
    }
    const node = doc.getIn(spec.field, true) as Scalar | undefined;
    if (node === undefined) throw new UserError(`${spec.path} has no field "${spec.field.join('.')}"`, { file: spec.path });
    value = node.value;
    if (node.range) line = lineCounter.linePos(node.range[0]).line;
  }
  const version = typeof value === 'string' || typeof value === 'number' ? parseVersion(String(value)) : undefined;
  if (!version) {
    throw new UserError(`${spec.path}:${line}: "${String(value)}" is not a version (expected SemVer such as 1.2.3)`, {
      file: spec.path,
      line
    });
  }
  return version;
}

/** The file with its version (and extra fields, JSON and YAML only) replaced. */
export function writeVersionFile(spec: VersionFileSpec, text: string, version: string, fields: Record<string, string> = {}): string {
  const extra = Object.keys(fields);
  if (spec.kind === 'text') {
    if (extra.length > 0) {
      throw new UserError(`version.file-fields (${extra.join(', ')}) need a JSON or YAML version file; ${spec.path} is plain text`);
    }
    const lines = text.split(/\r?\n/);
    const index = lines.findIndex(l => l.trim().length > 0);
    const hadV = index !== -1 && /^v\d/.test(lines[index].trim());
    const written = hadV ? `v${version}` : version;
    if (index === -1) return `${written}\n`;
    lines[index] = written;
    return lines.join(text.includes('\r\n') ? '\r\n' : '\n');
  }
  if (spec.kind === 'json') {
    const data = parseJson(spec, text);
    const parent = getParent(data, spec);
    parent[spec.field.at(-1)!] = version;
    for (const [key, value] of Object.entries(fields)) parent[key] = value;
    const indent = text.match(/^[ \t]+(?=")/m)?.[0] ?? '  ';
    return JSON.stringify(data, null, indent) + (text.endsWith('\n') ? '\n' : '');
  }
  const doc = parseDocument(text);
  const node = doc.getIn(spec.field, true);
  if (node instanceof Scalar) node.value = version;
  else doc.setIn(spec.field, version);
  for (const [key, value] of Object.entries(fields)) doc.setIn([...spec.field.slice(0, -1), key], value);
  return doc.toString();
}

function parseJson(spec: VersionFileSpec, text: string): Record<string, unknown> {
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('expected a JSON object');
    return data as Record<string, unknown>;
  } catch (error) {
    const line = jsonErrorLine(text, (error as Error).message);
    throw new UserError(`${spec.path}:${line}: not valid JSON: ${(error as Error).message}`, { file: spec.path, line });
  }
}

/** V8 gives either "at position N" or a quoted excerpt of the text around the error; either leads to the line. */
function jsonErrorLine(text: string, message: string): number {
  const position = /position (\d+)/.exec(message);
  if (position) return text.slice(0, Number(position[1])).split('\n').length;
  const excerpt = /"(?:\.\.\.)?([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(message)?.[1];
  const at = excerpt ? text.indexOf(excerpt) : -1;
  if (at === -1) return 1;
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  const offset = token ? excerpt!.lastIndexOf(token) : 0;
  return text.slice(0, at + Math.max(offset, 0)).split('\n').length;
}

function getParent(data: Record<string, unknown>, spec: VersionFileSpec): Record<string, unknown> {
  let node: unknown = data;
  for (const key of spec.field.slice(0, -1)) {
    node = (node as Record<string, unknown>)[key];
    if (!node || typeof node !== 'object') throw new UserError(`${spec.path} has no field "${spec.field.join('.')}"`, { file: spec.path });
  }
  return node as Record<string, unknown>;
}

function getField(data: Record<string, unknown>, spec: VersionFileSpec): unknown {
  const parent = getParent(data, spec);
  const key = spec.field.at(-1)!;
  if (!(key in parent)) throw new UserError(`${spec.path} has no field "${spec.field.join('.')}"`, { file: spec.path });
  return parent[key];
}

function lineOfJsonField(text: string, key: string): number {
  const at = text.indexOf(`"${key}"`);
  return at === -1 ? 1 : text.slice(0, at).split('\n').length;
}

