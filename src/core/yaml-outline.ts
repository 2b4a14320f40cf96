import type { Marker, MarkerField, ValuePath, YamlChange, YamlEdit, YamlEditResult } from './value-path.js';
import { MARKER_FIELDS, pathText } from './value-path.js';
import { applySplices, type TextSplice } from './text-splices.js';

/**
 * A line scanner for the block YAML people keep charts in (Chart.yaml, values.yaml): nested mappings and sequences,
 * plain and quoted one-line scalars, one-line flow collections and block scalars (both kept whole), comments and
 * blank lines. It finds where each scalar sits so an edit replaces those bytes only, and it is cheap: no YAML parser
 * is loaded. Anything outside that subset (anchors, aliases, tags, multi-line plain or quoted scalars, several
 * documents, tabs, duplicate keys, a question it cannot answer for certain) throws OutlineDeclined, and the caller
 * uses the full parser (yaml-edit.ts) instead, which also gives the error messages for files that are not valid.
 */
export class OutlineDeclined extends Error {
  constructor(reason: string) {
    super(`outline declined: ${reason}`);
  }
}

function decline(reason: string): never {
  throw new OutlineDeclined(reason);
}

type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'EMPTY';

export interface OutlineScalar {
  kind: 'scalar';
  style: ScalarStyle;
  start: number;
  end: number;
  line: number;
  /** The string the scalar holds; null for an empty value or ~/null. */
  value: string | null;
  /** A plain scalar YAML reads as a number or boolean: its string form is the parser's to say. */
  typed: boolean;
}

/** Kept whole: a block scalar or a one-line flow collection. */
interface OutlineOpaque {
  kind: 'opaque';
  start: number;
  end: number;
  line: number;
}

interface OutlineEntry {
  key: string;
  line: number;
  column: number;
  value: OutlineNode;
}

export interface OutlineMap {
  kind: 'map';
  entries: OutlineEntry[];
  /** The entries' values by key (keys are unique: the scanner declines a duplicate). */
  byKey: Map<string, OutlineNode>;
}

interface OutlineSeq {
  kind: 'seq';
  items: OutlineNode[];
}

export type OutlineNode = OutlineScalar | OutlineOpaque | OutlineMap | OutlineSeq;

interface Line {
  /** Offset of the line's first character. */
  at: number;
  indent: number;
  text: string;
  /** 1-based. */
  number: number;
}

/** YAML 1.2 core schema: plain scalars that read as null, booleans or numbers. */
const NULL_PLAIN = /^(~|null|Null|NULL)$/;
const TYPED_PLAIN = /^(true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const JSON_ESCAPES = /\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/;

function contentLines(text: string): Line[] {
  if (/[\t\r\uFEFF]/.test(text)) decline('tabs, carriage returns or a byte order mark');
  const lines: Line[] = [];
  let at = 0;
  let number = 0;
  let started = false;
  for (const raw of text.split('\n')) {
    number++;
    // Spaces counted without a copy of the line; any other white space as trimStart sees it.
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    if (indent < raw.length && /\s/.test(raw[indent])) indent = raw.length - raw.trimStart().length;
    if (indent < raw.length && raw[indent] !== '#') {
      if (((raw[0] === '-' || raw[0] === '.') && /^(---|\.\.\.)(\s|$)/.test(raw)) || raw[0] === '%') {
        // One leading document marker is common in values files; anything more is another shape.
        if (started || !/^---\s*(#.*)?$/.test(raw)) decline('document markers or directives');
      } else {
        started = true;
        lines.push({ at, indent, text: raw, number });
      }
    }
    at += raw.length + 1;
  }
  return lines;
}

/** Where the comment of a line starts (a # after white space, outside quotes), from `from` on. */
function commentStart(text: string, from: number): number {
  // indexOf rather than a loop over the characters: a cold run scans thousands of lines once.
  for (let i = text.indexOf('#', from); i !== -1; i = text.indexOf('#', i + 1)) if (i === 0 || text[i - 1] === ' ') return i;
  return text.length;
}

/** The quote that closes the scalar opened at `start` (a backslash escapes in "…", '' is a quote in '…'), or text.length. */
export function closingQuote(text: string, start: number): number {
  const quote = text[start];
  let from = start + 1;
  for (;;) {
    const at = text.indexOf(quote, from);
    if (at === -1) return text.length;
    if (quote === '"') {
      const escape = text.indexOf('\\', from);
      if (escape !== -1 && escape < at) {
        from = escape + 2;
        continue;
      }
    } else if (text[at + 1] === "'") {
      from = at + 2;
      continue;
    }
    return at;
  }
}

class Scanner {
  private i = 0;

  constructor(
    private readonly lines: Line[],
    private readonly source: string
  ) {}

  /** The value of a line (the only one) from `from` on, as the scanner reads it where nothing follows the line. */
  lastValue(from: number): OutlineNode {
    this.i = this.lines.length;
    return this.value(this.lines[0], from, 0);
  }

  document(): OutlineMap {
    if (this.lines.length === 0) decline('no content');
    const first = this.lines[0];
    if (first.indent !== 0 || this.isSeqItem(first, 0)) decline('the top level is not a mapping');
    const map = this.map(0, 0);
    if (this.i < this.lines.length) decline(`unexpected indentation at line ${this.lines[this.i].number}`);
    return map;
  }

  private isSeqItem(line: Line, column: number): boolean {
    return line.text[column] === '-' && (line.text.length === column + 1 || line.text[column + 1] === ' ');
  }

  /** A mapping whose keys sit at `column`; the first key may start mid-line (after a sequence's "- "). */
  private map(column: number, firstColumn: number): OutlineMap {
    const map: OutlineMap = { kind: 'map', entries: [], byKey: new Map() };
    let col = firstColumn;
    let first = true;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (!first && line.indent !== column) break;
      if (this.isSeqItem(line, col)) break;
      first = false;
      const entry = this.entry(line, col, column);
      if (map.byKey.has(entry.key)) decline(`duplicate key ${entry.key}`);
      map.byKey.set(entry.key, entry.value);
      map.entries.push(entry);
      col = column;
      const next = this.lines[this.i];
      if (next && next.indent > column) decline(`unexpected indentation at line ${next.number}`);
    }
    if (map.entries.length === 0) decline(`no mapping at line ${this.lines[this.i]?.number}`);
    return map;
  }

  private entry(line: Line, col: number, column: number): OutlineEntry {
    const text = line.text;
    let key: string;
    let after: number;
    const quote = text[col];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, col + 1);
      if (close === -1 || text[close + 1] !== ':' || !/^( |$)/.test(text.slice(close + 2, close + 3))) decline(`a key at line ${line.number}`);
      key = text.slice(col + 1, close);
      if (key.includes('\\')) decline(`an escaped key at line ${line.number}`);
      after = close + 1;
    } else {
      if (/[-?:,[\]{}#&*!|>'"%@`]/.test(quote) || text.startsWith('<<', col)) decline(`a key at line ${line.number}`);
      let colon = text.indexOf(':', col);
      while (colon !== -1 && colon + 1 < text.length && text[colon + 1] !== ' ') colon = text.indexOf(':', colon + 1);
      if (colon === -1) decline(`no mapping key at line ${line.number}`);
      key = text.slice(col, colon).trimEnd();
      if (key.includes(' #') || NULL_PLAIN.test(key) || TYPED_PLAIN.test(key)) decline(`a key at line ${line.number}`);
      after = colon;
    }
    this.i++;
    return { key, line: line.number, column: col, value: this.value(line, after + 1, column) };
  }

  /**
   * The value that starts after a key's colon (or, `item`, a sequence's dash) at `from`, owned by a node at `column`.
   * A mapping's value may be a sequence at the key's own column; after an empty item, a dash there is the next item.
   */
  private value(line: Line, from: number, column: number, item = false): OutlineNode {
    const text = line.text;
    let start = from;
    while (text[start] === ' ') start++;
    const comment = commentStart(text, start);
    if (start >= comment) {
      const next = this.lines[this.i];
      if (next && (next.indent > column || (!item && next.indent === column && this.isSeqItem(next, column)))) return this.nested(next);
      return { kind: 'scalar', style: 'EMPTY', start: line.at + from, end: line.at + from, line: line.number, value: null, typed: false };
    }
    const c = text[start];
    if (c === '|' || c === '>') {
      if (!/^[|>][+-]?\s*(#.*)?$/.test(text.slice(start))) decline(`a block scalar header at line ${line.number}`);
      let end = line.at + text.length;
      while (this.i < this.lines.length && this.lines[this.i].indent > column) {
        const body = this.lines[this.i++];
        end = body.at + body.text.length;
      }
      return { kind: 'opaque', start: line.at + start, end, line: line.number };
    }
    let end: number;
    let scalar: OutlineScalar | undefined;
    if (c === '"' || c === "'") {
      const close = closingQuote(text, start);
      if (close >= text.length) decline(`a quoted scalar that goes on past line ${line.number}`);
      const raw = text.slice(start, close + 1);
      if (c === '"' && JSON_ESCAPES.test(raw)) decline(`an escape JSON does not have at line ${line.number}`);
      const value = c === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1).replace(/''/g, "'");
      end = close + 1;
      scalar = { kind: 'scalar', style: c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', start: line.at + start, end: line.at + end, line: line.number, value, typed: false };
    } else if (c === '{' || c === '[') {
      end = flowEnd(text, start) ?? decline(`a flow collection that goes on past line ${line.number}`);
    } else {
      if (/[&*!%@`,\]}#]/.test(c) || /^[-?:](\s|$)/.test(text.slice(start))) decline(`a value at line ${line.number}`);
      const raw = text.slice(start, comment).trimEnd();
      if (/: |:$/.test(raw)) decline(`a value at line ${line.number}`);
      end = start + raw.length;
      scalar = { kind: 'scalar', style: 'PLAIN', start: line.at + start, end: line.at + end, line: line.number, value: NULL_PLAIN.test(raw) ? null : raw, typed: TYPED_PLAIN.test(raw) };
    }
    if (!/^(\s+#.*|\s*)$/.test(text.slice(end))) decline(`more after the value at line ${line.number}`);
    const next = this.lines[this.i];
    if (next && next.indent > column) decline(`a value that goes on past line ${line.number}`);
    return scalar ?? { kind: 'opaque', start: line.at + start, end: line.at + end, line: line.number };
  }

  private nested(first: Line): OutlineNode {
    if (this.isSeqItem(first, first.indent)) return this.seq(first.indent);
    return this.map(first.indent, first.indent);
  }

  private seq(column: number): OutlineSeq {
    const seq: OutlineSeq = { kind: 'seq', items: [] };
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent !== column || !this.isSeqItem(line, column)) break;
      let start = column + 1;
      while (line.text[start] === ' ') start++;
      const rest = line.text.slice(start, commentStart(line.text, start));
      if (rest !== '' && this.isSeqItem(line, start)) decline(`a sequence in a sequence at line ${line.number}`);
      if (rest !== '' && /^([^\s"'[{][^#]*?|"[^"\\]*"|'[^']*'):( |$)/.test(rest) && !/^[|>]/.test(rest)) {
        seq.items.push(this.map(start, start));
      } else {
        this.i++;
        seq.items.push(this.value(line, column + 1, column, true));
      }
    }
    if (this.i < this.lines.length && this.lines[this.i].indent > column) decline(`unexpected indentation at line ${this.lines[this.i].number}`);
    void this.source;
    return seq;
  }
}

/** The end of a flow collection that closes on its line (quotes respected), or undefined. */
function flowEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
      if (i >= text.length) return undefined;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '#' && text[i - 1] === ' ') return undefined;
  }
  return undefined;
}

function child(node: OutlineNode | undefined, key: string | number): OutlineNode | undefined {
  if (!node) return undefined;
  if (node.kind === 'map') return typeof key === 'string' ? node.byKey.get(key) : undefined;
  if (node.kind === 'seq') return typeof key === 'number' ? node.items[key] : undefined;
  if (node.kind === 'opaque') decline('a path into a flow collection or block scalar');
  return undefined;
}

/** What the parser would make of a plain scalar with this text: a plain string that reads back as itself. */
export function plainReadsBack(value: string): boolean | undefined {
  if (value === '' || /^\s|\s$|[\n\r\t]|: | #|:$/.test(value)) return false;
  // The words YAML 1.1 reads as booleans or null: the parser decides, as yaml-edit's isPlainSafe does.
  if (/^(true|false|null|yes|no|on|off|y|n)$/i.test(value)) return undefined;
  if (NULL_PLAIN.test(value) || TYPED_PLAIN.test(value)) return false;
  if (/^[A-Za-z0-9][A-Za-z0-9._/@+-]*(:[A-Za-z0-9._/@+-]+)*$/.test(value)) return true;
  return undefined;
}

function render(value: string, style: ScalarStyle | undefined, quote: boolean): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE' || quote) return JSON.stringify(value);
  const plain = plainReadsBack(value) ?? decline(`whether ${value} can be written plain`);
  return plain ? value : JSON.stringify(value);
}

/** Every scalar's value by path (collections and kept-whole nodes by their kind or text), for the check after an edit. */
function flatten(node: OutlineNode, text: string, prefix: string, out: Map<string, string | null>): Map<string, string | null> {
  if (node.kind === 'scalar') out.set(prefix, node.typed ? `typed:${text.slice(node.start, node.end)}` : node.value);
  else if (node.kind === 'opaque') out.set(prefix, `opaque:${text.slice(node.start, node.end)}`);
  else if (node.kind === 'map') {
    out.set(prefix, 'map');
    for (const e of node.entries) flatten(e.value, text, `${prefix}\u0000${e.key}`, out);
  } else {
    out.set(prefix, 'seq');
    node.items.forEach((item, i) => flatten(item, text, `${prefix}\u0000#${i}`, out));
  }
  return out;
}

const pathKey = (path: ValuePath) => path.map(k => `\u0000${typeof k === 'number' ? `#${k}` : k}`).join('');

/** A block YAML file as the scanner sees it. Every method may throw OutlineDeclined. */
export class YamlOutline {
  readonly root: OutlineMap;

  constructor(
    readonly text: string,
    readonly file: string
  ) {
    this.root = new Scanner(contentLines(text), text).document();
  }

  node(path: ValuePath): OutlineNode | undefined {
    let node: OutlineNode | undefined = this.root;
    for (const key of path) node = child(node, key);
    return node;
  }

  has(path: ValuePath): boolean {
    return this.node(path) !== undefined;
  }

  /** The string at a path: undefined for a missing path, null, or a collection. */
  read(path: ValuePath): string | undefined {
    const node = this.node(path);
    if (node?.kind === 'opaque') decline(`the value of ${pathText(path)}`);
    if (node?.kind !== 'scalar') return undefined;
    if (node.typed) decline(`the typed value of ${pathText(path)}`);
    return node.value ?? undefined;
  }

  /** The same edits and result as yaml-edit's editYaml, for files the scanner reads. */
  edit(edits: YamlEdit[]): YamlEditResult {
    const { text } = this;
    if (edits.length === 0) return { text, changes: [] };
    const splices: TextSplice[] = [];
    const changes: YamlChange[] = [];
    /** Every value the edits set, by path key; the scalars they replace (or fill in), for the check below. */
    const intended: [string, string][] = [];
    const replaced: { node: OutlineScalar; splice: TextSplice; value: string }[] = [];
    let inserted = false;
    for (const edit of edits) {
      const node = this.node(edit.path);
      if (node === undefined) {
        const parent = this.node(edit.path.slice(0, -1));
        const key = edit.path[edit.path.length - 1];
        if (!edit.insert || parent?.kind !== 'map' || parent.entries.length === 0 || typeof key !== 'string') decline('a missing value the parser explains');
        const last = parent.entries[parent.entries.length - 1];
        if (last.value.kind !== 'scalar' || last.value.style === 'EMPTY') decline('an insert after a nested or empty value');
        const indent = parent.entries[0].column;
        const newline = text.indexOf('\n', last.value.end);
        const at = newline === -1 ? text.length : newline + 1;
        const plainKey = plainReadsBack(key) ?? decline(`whether key ${key} can be written plain`);
        const keyText = plainKey ? key : JSON.stringify(key);
        const line = `${' '.repeat(indent)}${keyText}: ${render(edit.value, undefined, !!edit.quote)}`;
        splices.push({ start: at, end: at, text: at === text.length && !text.endsWith('\n') ? `\n${line}` : `${line}\n` });
        changes.push({ path: pathText(edit.path), line: text.slice(0, Math.max(0, at - 1)).split('\n').length + 1, from: null, to: edit.value });
        intended.push([pathKey(edit.path), edit.value]);
        inserted = true;
        continue;
      }
      if (node.kind !== 'scalar' || node.typed) decline(`an edit of ${pathText(edit.path)}`);
      const empty = node.style === 'EMPTY';
      const rendered = render(edit.value, empty ? undefined : node.style, !!edit.quote);
      intended.push([pathKey(edit.path), edit.value]);
      if (!empty && text.slice(node.start, node.end) === rendered) continue;
      const splice = empty ? { start: node.start, end: node.start, text: ` ${rendered}` } : { start: node.start, end: node.end, text: rendered };
      splices.push(splice);
      replaced.push({ node, splice, value: edit.value });
      changes.push({ path: pathText(edit.path), line: node.line, from: node.value, to: edit.value });
    }
    if (splices.length === 0) return { text, changes: [] };
    const out = applySplices(text, splices);
    if (!inserted && this.linesReadBack(replaced)) return { text: out, changes: changes.sort((a, b) => a.line - b.line) };
    // The check: the edited text scans to the same tree with exactly the intended values changed.
    const expected = flatten(this.root, text, '', new Map());
    for (const [key, value] of intended) expected.set(key, value);
    let again: Map<string, string | null>;
    try {
      const outline = new YamlOutline(out, this.file);
      again = flatten(outline.root, out, '', new Map());
    } catch (error) {
      if (error instanceof OutlineDeclined) decline('the edited text');
      throw error;
    }
    if (again.size !== expected.size || [...expected].some(([k, v]) => again.get(k) !== v)) decline('an edit that changed more than its value');
    return { text: out, changes: changes.sort((a, b) => a.line - b.line) };
  }

  /**
   * The check of edits that only replace (or fill in) scalars, a line each, without scanning the whole file again:
   * every other line is the same, and what the scanner makes of a line depends on the lines after it only through
   * their indentation, so the edited text scans to the same tree when each edited line, scanned from where its value
   * starts, holds exactly the new string there. False: the caller scans the whole edited text.
   */
  private linesReadBack(replaced: { node: OutlineScalar; splice: TextSplice; value: string }[]): boolean {
    const { text } = this;
    const lines = new Set<number>();
    for (const { node, splice, value } of replaced) {
      // A line break (a value written in single quotes as it is) makes more lines; what the scanner declines, too.
      if (lines.has(node.line) || /[\n\t\r\uFEFF]/.test(splice.text)) return false;
      lines.add(node.line);
      const lineStart = text.lastIndexOf('\n', node.start - 1) + 1;
      const lineEnd = text.indexOf('\n', node.start);
      const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
      const edited = line.slice(0, splice.start - lineStart) + splice.text + line.slice(splice.end - lineStart);
      let again: OutlineNode;
      try {
        again = new Scanner([{ at: 0, indent: 0, text: edited, number: node.line }], edited).lastValue(node.start - lineStart);
      } catch (error) {
        if (error instanceof OutlineDeclined) return false;
        throw error;
      }
      if (again.kind !== 'scalar' || again.style === 'EMPTY' || again.typed || again.value !== value) return false;
    }
    return true;
  }

  /** `# imgver: <service>[:<field>]` comments, as yaml-edit's findMarkers reads them. */
  markers(): Marker[] {
    const { text } = this;
    if (!text.includes('imgver:')) return [];
    const byLine = new Map<number, { path: ValuePath; node: OutlineNode }>();
    const walk = (node: OutlineNode, path: ValuePath) => {
      if (node.kind === 'map') node.entries.forEach(e => walk(e.value, [...path, e.key]));
      else if (node.kind === 'seq') node.items.forEach((item, i) => walk(item, [...path, i]));
      else if (!byLine.has(node.line)) byLine.set(node.line, { path, node });
    };
    walk(this.root, []);
    const markers: Marker[] = [];
    let lineAt = 0;
    text.split('\n').forEach((content, i) => {
      const m = content.match(/#\s*imgver:\s*([^\s#]*)\s*$/);
      const at = lineAt;
      lineAt += content.length + 1;
      if (!m) return;
      const line = i + 1;
      const target = byLine.get(line);
      const [name, field = 'tag', extra] = m[1].split(':');
      if (!name || extra !== undefined || !MARKER_FIELDS.includes(field as MarkerField)) decline('a marker the parser explains');
      if (!target || target.node.kind !== 'scalar' || target.node.style === 'EMPTY' || target.node.end > at + (m.index ?? 0)) decline(`the marker at line ${line}`);
      markers.push({ name, field: field as MarkerField, line, path: target.path });
    });
    return markers;
  }
}
