import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { CHANGE_TYPES, globProblem, type ChangeType, type FilterRule, type FilterSpec } from './changes.js';
import { UserError } from './errors.js';

/**
 * The `filters` input in dorny/paths-filter's syntax, so its users switch without rewriting:
 *
 *   shared: &shared
 *     - 'libs/**'
 *   api:
 *     - *shared               # lists nest (anchors), they are flattened
 *     - 'api/**'
 *     - added|modified: 'api/migrations/**'
 *
 * One difference, on purpose: rules apply in order and a `!glob` excludes what earlier globs included
 * (gitignore-style), instead of matching every path the glob does not (`!(a|b)`, an extglob group, is a glob). With
 * predicate-quantifier `every`, every rule must hold, `!glob` holding where glob does not match, as in paths-filter.
 */
export function parseFiltersInput(text: string, input = 'filters'): FilterSpec[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const fail = (message: string, node?: Node | null): never => {
    const offset = node && 'range' in node && node.range ? node.range[0] : 0;
    const line = lineCounter.linePos(offset).line;
    throw new UserError(`Input '${input}' line ${line}: ${message}`, { input });
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new UserError(`Input '${input}' line ${line}: ${error.message.split('\n')[0]}`, { input });
  }
  const root = doc.contents;
  if (!isMap(root)) fail('expected a mapping of filter names to lists of globs (dorny/paths-filter syntax), e.g. api: [api/**], or the path of a file holding them', root);
  const specs: FilterSpec[] = [];
  for (const pair of (root as { items: { key: unknown; value: unknown }[] }).items) {
    const key = pair.key as Node;
    if (!isScalar(key) || typeof key.value !== 'string' || key.value === '') fail('a filter name must be a non-empty string', key);
    const name = (key as { value: string }).value;
    const rules: FilterRule[] = [];
    collectRules(doc, pair.value as Node | null, undefined, rules, fail, name);
    if (rules.length === 0) fail(`filter "${name}" has no globs`, key);
    specs.push({ name, rules, dependsOn: [] });
  }
  return specs;
}

function collectRules(
  doc: Document,
  node: Node | null,
  types: ChangeType[] | undefined,
  rules: FilterRule[],
  fail: (message: string, node?: Node | null) => never,
  name: string
): void {
  if (isAlias(node)) {
    collectRules(doc, node.resolve(doc) as Node | null, types, rules, fail, name);
  } else if (isSeq(node)) {
    for (const item of node.items) collectRules(doc, item as Node | null, types, rules, fail, name);
  } else if (isScalar(node) && typeof node.value === 'string') {
    const problem = globProblem(node.value);
    if (problem) fail(`filter "${name}": glob "${node.value}" ${problem}`, node);
    rules.push({ pattern: node.value, types });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node;
      const text = isScalar(key) ? String(key.value) : '';
      // As paths-filter reads them: trimmed, in any case, empty parts skipped.
      const parsed = text
        .split('|')
        .map(t => t.trim().toLowerCase())
        .filter(t => t !== '');
      const unknown = parsed.find(t => !(CHANGE_TYPES as readonly string[]).includes(t));
      if (parsed.length === 0) fail(`filter "${name}": "${text}" names no change type: expected ${CHANGE_TYPES.join(', ')}, joined with |`, key);
      if (unknown !== undefined) {
        fail(`filter "${name}": unknown change type "${unknown}" in "${text}": expected ${CHANGE_TYPES.join(', ')}, joined with |`, key);
      }
      collectRules(doc, pair.value as Node | null, parsed as ChangeType[], rules, fail, name);
    }
  } else {
    fail(`filter "${name}": expected a glob or a list of globs`, node);
  }
}
