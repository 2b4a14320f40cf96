import { YamlOutline, closingQuote, type OutlineNode } from './yaml-outline.js';

/**
 * The data of a YAML file read by yaml-outline.ts's line scanner instead of a YAML library: block YAML of one-line
 * values (plain, quoted, or flow collections of those), as imgver.yaml and Chart.yaml mostly are, read without
 * loading js-yaml or the `yaml` library (several milliseconds each to load and start). Anything the scanner is not
 * sure both read the same way (a block scalar, a nested flow collection, a number other than a plain integer,
 * anything yaml-outline.ts declines) is left to them: undefined.
 */

class NotPlainData extends Error {}

function notPlain(): never {
  throw new NotPlainData();
}

const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const BOOLEANS = new Map([...['true', 'True', 'TRUE'].map(word => [word, true] as const), ...['false', 'False', 'FALSE'].map(word => [word, false] as const)]);
const INTEGER = /^(0|-?[1-9][0-9]{0,14})$/;

/**
 * A plain scalar as both libraries read it: null, a boolean, a plain integer or a string. js-yaml reads more as
 * numbers than the core schema's forms (1_000, 0b1): anything else that starts like a number, or with an indicator,
 * is theirs to say, except a version such as 1.2.3 (no number of either has two dots).
 */
function plainData(raw: string): unknown {
  if (NULLS.has(raw)) return null;
  const boolean = BOOLEANS.get(raw);
  if (boolean !== undefined) return boolean;
  if (INTEGER.test(raw)) return Number(raw);
  if (/^[-+.0-9?:]/.test(raw) && !/^[0-9][^.]*\.[^.]*\./.test(raw)) notPlain();
  return raw;
}

/**
 * A one-line flow collection of scalars (`[a, 'b']`, `{source: file}`, `{}`), as yaml-outline.ts keeps it whole.
 * Anything more (nesting, a trailing comma, a colon in a plain scalar, an indicator) is left to js-yaml.
 */
function flowData(source: string): unknown {
  let i = 0;
  const skip = () => {
    while (source[i] === ' ') i++;
  };
  const scalar = (stops: string): unknown => {
    skip();
    const c = source[i];
    if (c === '"' || c === "'") {
      const close = closingQuote(source, i);
      if (close >= source.length) notPlain();
      const raw = source.slice(i, close + 1);
      i = close + 1;
      if (c === "'") return raw.slice(1, -1).replace(/''/g, "'");
      if (/\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(raw)) notPlain();
      return JSON.parse(raw) as string;
    }
    if (c === undefined || /[-?:,[\]{}#&*!|>%@`]/.test(c)) notPlain();
    let end = i;
    while (end < source.length && !stops.includes(source[end])) end++;
    const raw = source.slice(i, end).trimEnd();
    i = end;
    if (/[:[\]{}]| #/.test(raw)) notPlain();
    return plainData(raw);
  };
  const close = source[0] === '[' ? ']' : '}';
  const items: unknown[] = [];
  const object: Record<string, unknown> = {};
  i = 1;
  skip();
  if (source[i] === close) i++;
  else {
    for (;;) {
      if (close === ']') items.push(scalar(',]'));
      else {
        const key = scalar(':,}');
        if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(object, key) || source[i] !== ':' || source[i + 1] !== ' ') notPlain();
        i++;
        object[key] = scalar(',}');
      }
      skip();
      if (source[i] === close) {
        i++;
        break;
      }
      if (source[i] !== ',') notPlain();
      i++;
      skip();
      if (source[i] === close) notPlain();
    }
  }
  skip();
  if (i !== source.length) notPlain();
  return close === ']' ? items : object;
}

function dataOf(node: OutlineNode, text: string): unknown {
  switch (node.kind) {
    case 'map': {
      const object: Record<string, unknown> = {};
      for (const entry of node.entries) {
        // A key that may read as a number (1_000) is js-yaml's to say; it defines __proto__ as an own key.
        if (/^[-+.0-9?:]/.test(entry.key) || entry.key === '__proto__') notPlain();
        object[entry.key] = dataOf(entry.value, text);
      }
      return object;
    }
    case 'seq':
      return node.items.map(item => dataOf(item, text));
    case 'opaque': {
      const source = text.slice(node.start, node.end);
      // A block scalar is left to js-yaml.
      return source[0] === '[' || source[0] === '{' ? flowData(source) : notPlain();
    }
    case 'scalar':
      if (node.style === 'EMPTY') return null;
      return node.style === 'PLAIN' ? plainData(text.slice(node.start, node.end)) : node.value;
  }
}

/**
 * The data a YAML library reads from `text` (js-yaml with its core schema, the `yaml` library with YAML 1.2's), or
 * undefined when the scanner cannot be sure of it.
 */
export function outlineData(text: string): unknown {
  try {
    return dataOf(new YamlOutline(text, '').root, text);
  } catch {
    // OutlineDeclined, NotPlainData, or a double-quoted value JSON does not read: js-yaml decides.
    return undefined;
  }
}
