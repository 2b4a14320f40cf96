import { LineCounter, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parse, parseDocument, visit, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { UserError } from './errors.js';
import type { YamlFile } from './yaml-file.js';
import { applySplices, type TextSplice } from './text-splices.js';
import { MARKER_FIELDS, pathText, type Marker, type MarkerField, type ValuePath, type YamlChange, type YamlEdit, type YamlEditResult } from './value-path.js';

/**
 * Surgical edits of YAML files people maintain by hand (values.yaml, Chart.yaml). The `yaml` Document API finds
 * each target scalar and its source range; only those bytes are replaced, so every comment, blank line, quote style,
 * anchor and block scalar elsewhere stays byte for byte. The result is parsed again and must equal the original
 * with exactly the intended values changed, or nothing is written.
 */


function yamlErrorOf(doc: Document, file: string, lines: LineCounter): UserError | undefined {
  const error = doc.errors[0];
  if (!error) return undefined;
  const line = lines.linePos(error.pos[0]).line;
  return new UserError(`${file} line ${line}: not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
}

export function parseYamlFile(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const error = yamlErrorOf(doc, file, lines);
  if (error) throw error;
  return { doc, lines };
}

export function renderScalar(value: string, style: Scalar.Type | undefined, quote: boolean): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE' || quote || !isPlainSafe(value)) return JSON.stringify(value);
  return value;
}

const plainSafe = new Map<string, boolean>();

/** A value written plain must read back as the same string: `1.2` would become a number, `a #b` a comment. */
export function isPlainSafe(value: string): boolean {
  if (value === '' || /^\s|\s$|[\n\r\t]/.test(value)) return false;
  // A word that starts with a letter and holds no indicator is a plain string in YAML 1.1 and 1.2 alike (numbers
  // start with a digit, sign or dot; the bare booleans and nulls are excluded): most tags, digests and repositories.
  if (/^[A-Za-z][A-Za-z0-9._/@+-]*(:[A-Za-z0-9._/@+-]+)*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value)) return true;
  // The same tags and digests go into many files: each is parsed once.
  const known = plainSafe.get(value);
  if (known !== undefined) return known;
  let safe: boolean;
  try {
    const back = parse(`k: ${value}
`) as { k?: unknown } | null;
    safe = back?.k === value;
  } catch {
    safe = false;
  }
  if (plainSafe.size > 10_000) plainSafe.clear();
  plainSafe.set(value, safe);
  return safe;
}

/** The mapping that holds a node and the pair, found by walking the document. */
function pairOf(doc: Document, target: Node): { map: YAMLMap; pair: { key: unknown; value: unknown } } | undefined {
  let found: { map: YAMLMap; pair: { key: unknown; value: unknown } } | undefined;
  visit(doc, {
    Pair(_key, pair, path) {
      if (pair.value === target) {
        const parent = path[path.length - 1];
        if (isMap(parent)) found = { map: parent, pair };
        return visit.BREAK;
      }
      return undefined;
    }
  });
  return found;
}

export function lineStartAfter(text: string, position: number): number {
  if (position > 0 && text[position - 1] === '\n') return position;
  const newline = text.indexOf('\n', position);
  return newline === -1 ? text.length : newline + 1;
}

/**
 * Applies the edits. An edit whose value is already there changes nothing (a re-run writes no file).
 * Throws a UserError naming the file, line and path when a target is missing, an alias, or not a scalar.
 */
export function editYaml(text: string, edits: YamlEdit[], file: string, parsed?: { doc: Document; lines: LineCounter }): YamlEditResult {
  if (edits.length === 0) return { text, changes: [] };
  // The caller's parse of this same text, when it has one: the edits change scalars in place, so it stays valid.
  const { doc, lines } = parsed ?? parseYamlFile(text, file);
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const splices: TextSplice[] = [];
  const changes: YamlChange[] = [];
  const inserts: { path: ValuePath; value: string }[] = [];
  const where = (edit: YamlEdit) => `${file}: ${pathText(edit.path)}${edit.origin ? ` (${edit.origin})` : ''}`;

  for (const edit of edits) {
    const node = doc.getIn(edit.path, true) as Node | undefined;
    if (node === undefined || node === null) {
      const parentPath = edit.path.slice(0, -1);
      const parent = (parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true)) as Node | undefined;
      if (!edit.insert || !isMap(parent) || parent.flow || parent.items.length === 0 || typeof edit.path[edit.path.length - 1] !== 'string') {
        const line = isCollection(parent) && parent.range ? ` (the mapping at line ${lineOf(parent.range[0])})` : '';
        throw new UserError(`${where(edit)} not found${line}: expected a key with a scalar value there`, { file });
      }
      const first = parent.items[0].key as Node;
      const last = parent.items[parent.items.length - 1];
      const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range)![1];
      const indent = first.range![0] - text.lastIndexOf('\n', first.range![0] - 1) - 1;
      const at = lineStartAfter(text, lastEnd);
      const key = String(edit.path[edit.path.length - 1]);
      const line = `${' '.repeat(indent)}${isPlainSafe(key) ? key : JSON.stringify(key)}: ${renderScalar(edit.value, undefined, !!edit.quote)}`;
      splices.push({ start: at, end: at, text: at === text.length && !text.endsWith('\n') ? `\n${line}` : `${line}\n` });
      changes.push({ path: pathText(edit.path), line: lineOf(Math.max(0, at - 1)) + 1, from: null, to: edit.value });
      inserts.push({ path: edit.path, value: edit.value });
      continue;
    }
    const line = node.range ? lineOf(node.range[0]) : undefined;
    if (isAlias(node)) {
      throw new UserError(`${where(edit)} line ${line} is an alias (*${node.source}): change the anchored value instead, or point the path at it`, { file, line });
    }
    if (!isScalar(node)) {
      const kind = isMap(node) ? 'a mapping' : isSeq(node) ? 'a sequence' : 'not a scalar';
      throw new UserError(`${where(edit)} line ${line} is ${kind}: expected a scalar value (a tag, digest or version)`, { file, line });
    }
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      throw new UserError(`${where(edit)} line ${line} is a block scalar: expected a one-line value`, { file, line });
    }
    const [start, end] = node.range!;
    const empty = start === end;
    const rendered = renderScalar(edit.value, empty ? undefined : node.type, !!edit.quote);
    const current = node.value === null || node.value === undefined ? null : String(node.value);
    if (!empty && text.slice(start, end) === rendered) continue;
    if (empty) {
      const owner = pairOf(doc, node);
      const keyEnd = (owner?.pair.key as Node | undefined)?.range?.[1];
      const colon = keyEnd === undefined ? -1 : text.indexOf(':', keyEnd);
      if (colon === -1) throw new UserError(`${where(edit)} line ${line}: cannot place a value here: write a placeholder (e.g. "")`, { file, line });
      splices.push({ start: colon + 1, end: colon + 1, text: ` ${rendered}` });
    } else {
      splices.push({ start, end, text: rendered });
    }
    changes.push({ path: pathText(edit.path), line: line ?? 0, from: current, to: edit.value });
    node.value = edit.value;
  }

  if (splices.length === 0) return { text, changes: [] };
  const out = applySplices(text, splices);
  for (const insert of inserts) doc.setIn(insert.path, insert.value);
  verifyEdit(out, doc, file);
  return { text: out, changes: changes.sort((a, b) => a.line - b.line) };
}

/** The edited text must parse and hold exactly the intended document. */
function verifyEdit(out: string, expected: Document, file: string): void {
  const again = parseDocument(out, { uniqueKeys: false });
  const same = again.errors.length === 0 && JSON.stringify(again.toJS({ maxAliasCount: -1 })) === JSON.stringify(expected.toJS({ maxAliasCount: -1 }));
  if (!same) {
    throw new UserError(`${file}: imgver could not change it without altering other values (please report this file's shape); nothing was written`, { file });
  }
}


const MARKER = /#\s*imgver:\s*([^\s#]*)\s*$/;

/**
 * `# imgver: api` (or `api:digest`, `api:repository`, `api:reference`, `api:version`) at the end of a line marks
 * the scalar on that line for update.
 */
export function findMarkers(text: string, file: string, parsed?: { doc: Document; lines: LineCounter }): Marker[] {
  if (!text.includes('imgver:')) return [];
  const { doc, lines } = parsed ?? parseYamlFile(text, file);
  const scalars = new Map<number, { path: ValuePath; end: number }>();
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || !node.range) return;
      const at: ValuePath = [];
      for (let i = 0; i < path.length; i++) {
        const step = path[i];
        if (isPair(step)) at.push((step.key as Scalar | null)?.value as string);
        else if (isSeq(step)) {
          const child = path[i + 1] ?? node;
          at.push(step.items.indexOf(child as never));
        }
      }
      const line = lines.linePos(node.range[0]).line;
      if (!scalars.has(line)) scalars.set(line, { path: at, end: node.range[1] });
    }
  });
  const markers: Marker[] = [];
  const textLines = text.split('\n');
  let offset = 0;
  textLines.forEach((content, i) => {
    const m = content.match(MARKER);
    const line = i + 1;
    if (m) {
      const commentAt = offset + (m.index ?? 0);
      const target = scalars.get(line);
      const [name, field = 'tag', extra] = m[1].split(':');
      if (!name || extra !== undefined || !MARKER_FIELDS.includes(field as MarkerField)) {
        throw new UserError(`${file} line ${line}: marker "${m[0].trim()}" is not "# imgver: <service>" or "# imgver: <service>:<${MARKER_FIELDS.join('|')}>"`, { file, line });
      }
      if (!target || target.end > commentAt) {
        throw new UserError(`${file} line ${line}: marker "${m[0].trim()}" is not on a line with a scalar value to update`, { file, line });
      }
      markers.push({ name, field: field as MarkerField, line, path: target.path });
    }
    offset += content.length + 1;
  });
  return markers;
}


/** A file read with the full parser, behind the same questions yaml-outline.ts answers (see yaml-file.ts). */
export function documentFile(text: string, file: string): YamlFile {
  const parsed = parseYamlFile(text, file);
  const { doc } = parsed;
  return {
    file,
    text,
    has: path => doc.hasIn(path),
    read: path => {
      const value = doc.getIn(path);
      return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
    },
    items: path => {
      const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
      return isSeq(node) ? node.items.map(item => (isMap(item) ? 'map' : isSeq(item) ? 'seq' : 'scalar')) : undefined;
    },
    edit: edits => editYaml(text, edits, file, parsed),
    markers: () => findMarkers(text, file, parsed)
  };
}
