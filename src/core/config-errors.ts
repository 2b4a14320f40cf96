import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { UserError } from './errors.js';
import { normalizeConfig, type Config, type RawConfig } from './config.js';
import validateConfig from '../generated/config-validator-detailed.js';
import type { FilterProblem } from './changes.js';
import { configProblems } from './config-checks.js';

/**
 * The slow path of reading imgver.yaml, taken only when config-file.ts found a problem: YAML parsed again with
 * positions, so every error names the file, the line and the key.
 */
interface AjvError {
  instancePath: string;
  /** Set on errors about a property name (propertyNames). */
  propertyName?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Parses and validates imgver.yaml text, throwing the first problem with its file, line and key. */
export function locateConfigError(text: string, file: string): Config {
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
  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (error) {
    // The yaml library stops alias expansion that would blow up (a "billion laughs" file) with a ReferenceError.
    throw new UserError(`${file}: ${(error as Error).message.replace(/ indicates.*$/, '')}: YAML anchors and aliases expand to too much`, { file });
  }
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
  const [problem] = configProblems(config);
  if (problem) throwProblem(config, doc, lineCounter, problem);
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

function nodeLine(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number {
  const node = doc.getIn(path, true) as Node | undefined;
  if (node && 'range' in node && node.range) return lineCounter.linePos(node.range[0]).line;
  return keyLine(doc, lineCounter, path) ?? 1;
}

function throwProblem(config: Config, doc: Document, lineCounter: LineCounter, problem: FilterProblem): never {
  const file = config.file;
  const line = nodeLine(doc, lineCounter, problem.path);
  throw new UserError(`${file}:${line}: ${problem.path.join('.')}: ${problem.message}`, { file, line });
}
