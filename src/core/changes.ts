import type { PathGlob, PathGlobEngine } from './glob-engine.js';

/**
 * Which services changed: path filters matched against a diff, then the dependency closure. Pure: the diff comes
 * in as data (adapters/git.ts parses git's output), problems go out as data (the caller names file and line).
 * Globs are checked (globProblem) where they are read, so compiling them assumes they are valid.
 */
export const CHANGE_TYPES = ['added', 'modified', 'deleted', 'renamed'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface FileChange {
  status: ChangeType;
  /** The path; in a filter's matches, the path that matched (a rename's old path, when only that one did). */
  path: string;
  /** The old path of a rename. */
  previous?: string;
}

/**
 * How a filter's rules combine: `some` (default) applies them in order, gitignore-style; `every` (paths-filter's
 * predicate-quantifier) lists a file only when every rule holds for it, a `!glob` rule holding where glob does not match.
 */
export const QUANTIFIERS = ['some', 'every'] as const;
export type Quantifier = (typeof QUANTIFIERS)[number];

/** One line of a filter: a glob, maybe negated, maybe limited to some change types. */
export interface FilterRule {
  pattern: string;
  types?: ChangeType[];
}

export interface FilterSpec {
  name: string;
  rules: FilterRule[];
  /** Change types every rule of this filter is limited to (a rule's own types take precedence). */
  types?: ChangeType[];
  dependsOn: string[];
  quantifier?: Quantifier;
}

/** A problem in the filters, located by its key path (e.g. ['services', 'api', 'paths', 2]) so a caller can name the line. */
export interface FilterProblem {
  path: (string | number)[];
  message: string;
}

interface CompiledRule {
  negate: boolean;
  types?: Set<ChangeType>;
  /** `dir/**` (as 'dir/'): a string test, no glob engine needed; it matches `dir` itself too, as picomatch does. */
  prefix?: string;
  /** A literal path. */
  literal?: string;
  // `**/*<suffix>`: the last segment ends with it.
  suffix?: string;
  // `**/<basename>`: the last segment is it.
  basename?: string;
  glob?: PathGlob;
  /** Directory prefixes ('' for the root) under which this rule can match, for the index. */
  dirs: string[];
}

export interface CompiledFilter {
  name: string;
  rules: CompiledRule[];
  every?: boolean;
}

/** Checks one glob; returns why it is invalid, or undefined. */
export function globProblem(pattern: string): string | undefined {
  const body = normalizeGlob(pattern).glob;
  if (body.trim() === '') return 'is empty';
  if (body !== body.trim()) return 'has leading or trailing spaces';
  if (body.startsWith('/')) return `starts with '/': paths are relative to the repository root (write '${body.replace(/^\/+/, '')}')`;
  if (/(^|\/)\.\.(\/|$)/.test(body)) return "has a '..' segment: paths are relative to the repository root";
  if (/\\$/.test(body)) return 'ends with a lone backslash';
  // Only brackets, braces, extglob groups and escapes can be unbalanced.
  if (!/[[\]{}()\\]/.test(body)) return undefined;
  let braces = 0;
  let bracketOpen = false;
  // Open parentheses, innermost last: extglob groups (`!(`, `@(`, `+(`, `*(`, `?(`) and plain ones, which are literal.
  const groups: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (bracketOpen) {
      if (c === ']') bracketOpen = false;
      else if (c === '/') return "has an unclosed '[' (escape a literal one as \\[)";
      continue;
    }
    if (c === '(') groups.push('!@+*?'.includes(body[i - 1] ?? '') ? `${body[i - 1]}(` : '(');
    else if (c === ')' && groups.length > 0) groups.pop();
    else if (c === '[') bracketOpen = true;
    else if (c === '{') braces++;
    else if (c === '}' && --braces < 0) return "has a '}' without its '{' (escape a literal one as \\})";
  }
  if (bracketOpen) return "has an unclosed '[' (escape a literal one as \\[)";
  if (braces > 0) return "has an unclosed '{' (escape a literal one as \\{)";
  const open = groups.find(group => group !== '(');
  if (open) return `has an unclosed extglob group '${open}': expected ')' to close it, as in ${open}a|b) (escape a literal one as ${open[0]}\\()`;
  return undefined;
}

const MAGIC = /[*?[\]{}()!+@\\]/;

/** A leading '!' negates, except in '!(', picomatch's extglob group (`!(a|b)`: anything but a or b). */
function normalizeGlob(pattern: string): { negate: boolean; glob: string } {
  const negate = pattern.startsWith('!') && !pattern.startsWith('!(');
  return { negate, glob: (negate ? pattern.slice(1) : pattern).replace(/^(\.\/)+/, '') };
}

type SimpleGlob = { prefix: string } | { literal: string } | { suffix: string } | { basename: string };

// `**`, `dir/**`, a literal path, `**/*.ext` or `**/name`: matched with string tests, no glob engine.
function simpleGlob(glob: string): SimpleGlob | undefined {
  if (glob === '**') return { prefix: '' };
  if (glob.endsWith('/**') && !MAGIC.test(glob.slice(0, -3)) && glob.length > 3) return { prefix: glob.slice(0, -2) };
  if (!MAGIC.test(glob)) return { literal: glob.replace(/\/+/g, '/') };
  const anyDir = glob.match(/^\*\*\/(\*?)([^/]+)$/);
  if (anyDir && !MAGIC.test(anyDir[2])) return anyDir[1] ? { suffix: anyDir[2] } : { basename: anyDir[2] };
  return undefined;
}

/** Whether some of these globs need the glob engine (anything beyond `dir/**` and literal paths). */
export function needsGlobEngine(patterns: string[]): boolean {
  return [...new Set(patterns)].some(pattern => simpleGlob(normalizeGlob(pattern).glob) === undefined);
}

function compileRule(rule: FilterRule, filterTypes: ChangeType[] | undefined, engine?: PathGlobEngine): CompiledRule {
  const { negate, glob } = normalizeGlob(rule.pattern);
  const types = rule.types ?? filterTypes;
  const typeSet = types ? new Set(types) : undefined;
  const simple = simpleGlob(glob);
  if (simple && 'prefix' in simple) return { negate, types: typeSet, prefix: simple.prefix, dirs: [simple.prefix.slice(0, -1)] };
  if (simple && 'suffix' in simple) return { negate, types: typeSet, suffix: simple.suffix, dirs: [''] };
  if (simple && 'basename' in simple) return { negate, types: typeSet, basename: simple.basename, dirs: [''] };
  if (simple) {
    const literal = simple.literal;
    const slash = literal.lastIndexOf('/');
    return { negate, types: typeSet, literal, dirs: [slash === -1 ? '' : literal.slice(0, slash)] };
  }
  if (!engine) throw new Error(`glob "${rule.pattern}" needs the glob engine, which the caller did not pass`);
  const compiled = engine(glob);
  return { negate, types: typeSet, glob: compiled, dirs: compiled.bases };
}

function ruleMatches(rule: CompiledRule, path: string): boolean {
  if (rule.prefix !== undefined) return path.startsWith(rule.prefix) || (path.length === rule.prefix.length - 1 && rule.prefix.startsWith(path));
  if (rule.literal !== undefined) return path === rule.literal;
  if (rule.suffix !== undefined) return path.endsWith(rule.suffix);
  if (rule.basename !== undefined) return path === rule.basename || path.endsWith('/' + rule.basename);
  return rule.glob!.match(path);
}

/** Compiles filters whose globs were checked where they were read (config file, filters input). */
export function compileFilters(specs: FilterSpec[], engine?: PathGlobEngine): CompiledFilter[] {
  // Compiled rules are never changed, so filters that share a rule (a `!**/*.md` in every service) share its compilation.
  const compiled = new Map<string, CompiledRule>();
  const compileOnce = (rule: FilterRule, filterTypes: ChangeType[] | undefined) => {
    const types = rule.types ?? filterTypes;
    const key = types ? `${rule.pattern}\0${types.join(',')}` : rule.pattern;
    let result = compiled.get(key);
    if (!result) compiled.set(key, (result = compileRule(rule, filterTypes, engine)));
    return result;
  };
  return specs.map(spec => ({ name: spec.name, rules: spec.rules.map(rule => compileOnce(rule, spec.types)), every: spec.quantifier === 'every' }));
}

/**
 * Matches changes to filters. Each filter's rules apply in order, gitignore-style: a later `!glob` excludes what an
 * earlier glob included, and a later glob includes again (or, with `every`, all must hold). Rules are indexed by their
 * literal directory prefix, and the filters that could match under a directory are worked out once per directory, so
 * a file is tested only against those: the cost grows with files, not files × services.
 *
 * A rename offers its new path (as renamed and as added) and its old one (as renamed and as deleted): a filter lists
 * each path that it matched, as dorny/paths-filter does with git's renames off (a deletion and an addition).
 */
export function matchChanges(filters: CompiledFilter[], changes: FileChange[]): Map<string, FileChange[]> {
  const candidatesFor = filtersByDirectory(filters);
  const matched: FileChange[][] = filters.map(() => []);
  const test = (f: number, path: string, type: ChangeType) => filterMatches(filters[f], path, type);
  // Filters that list a rename's old path: git ordered the rename by its new path, so their lists are sorted again.
  const resort = new Set<number>();
  for (const change of changes) {
    const { path, status, previous } = change;
    if (status !== 'renamed' || previous === undefined) {
      for (const f of candidatesFor(path)) if (test(f, path, status)) matched[f].push(change);
      continue;
    }
    const byNew = new Set(candidatesFor(path).filter(f => test(f, path, 'renamed') || test(f, path, 'added')));
    for (const f of candidatesFor(previous)) {
      if (!test(f, previous, 'renamed') && !test(f, previous, 'deleted')) continue;
      matched[f].push({ ...change, path: previous });
      resort.add(f);
    }
    for (const f of byNew) matched[f].push(change);
  }
  for (const f of resort) matched[f].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return new Map(filters.map((filter, f) => [filter.name, matched[f]]));
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * For a path, the filters with an including rule indexed at its directory or at one of its ancestors ('' is the root),
 * or at the path itself (`dir/**` matches `dir` too), in filter order; remembered per directory. Only including rules
 * are indexed: a filter none of whose including rules can match a path cannot match it. An `every` filter with no
 * including rule (only `!glob`s) can match anywhere, so it is indexed at the root.
 */
function filtersByDirectory(filters: CompiledFilter[]): (path: string) => number[] {
  const indexed = new Map<string, number[]>();
  const index = (dir: string, f: number) => {
    const list = indexed.get(dir);
    if (!list) indexed.set(dir, [f]);
    else if (list.at(-1) !== f) list.push(f);
  };
  filters.forEach((filter, f) => {
    let including = false;
    for (const rule of filter.rules) {
      if (rule.negate) continue;
      including = true;
      for (const dir of rule.dirs) index(dir, f);
    }
    if (!including && filter.every) index('', f);
  });
  const memo = new Map<string, number[]>();
  const candidatesIn = (dir: string): number[] => {
    let list = memo.get(dir);
    if (list) return list;
    const inherited = dir === '' ? [] : candidatesIn(directoryOf(dir));
    const own = indexed.get(dir);
    list = own ? [...new Set([...inherited, ...own])].sort((a, b) => a - b) : inherited;
    memo.set(dir, list);
    return list;
  };
  return path => {
    const inDirectory = candidatesIn(directoryOf(path));
    const atPath = indexed.get(path);
    return atPath ? [...new Set([...inDirectory, ...atPath])].sort((a, b) => a - b) : inDirectory;
  };
}

/** Whether one rule holds for a path of a change type: it matches, or for a `!glob`, it does not. */
function ruleHolds(rule: CompiledRule, path: string, type: ChangeType): boolean {
  if (rule.types && !rule.types.has(type)) return false;
  return ruleMatches(rule, path) !== rule.negate;
}

/** A filter's rules in their written order, later ones deciding; with `every`, all of them must hold. */
function filterMatches(filter: { rules: CompiledRule[]; every?: boolean }, path: string, type: ChangeType): boolean {
  if (filter.every) return filter.rules.every(rule => ruleHolds(rule, path, type));
  let hit = false;
  for (const rule of filter.rules) {
    if (rule.negate !== hit) continue;
    if (rule.types && !rule.types.has(type)) continue;
    if (ruleMatches(rule, path)) hit = !rule.negate;
  }
  return hit;
}

/** An ordered list of globs (no change types) as a path test: compute-version's trigger paths. */
export function pathMatcher(patterns: string[], engine?: PathGlobEngine): (path: string) => boolean {
  const filter = { rules: patterns.map(pattern => compileRule({ pattern }, undefined, engine)) };
  return path => filterMatches(filter, path, 'modified');
}

/** Unknown names and cycles in depends-on. */
export function dependencyProblems(
  specs: { name: string; dependsOn: string[] }[],
  where: (name: string, index: number) => (string | number)[]
): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const names = new Set(specs.map(s => s.name));
  const byName = new Map(specs.map(s => [s.name, s]));
  for (const spec of specs) {
    spec.dependsOn.forEach((dep, i) => {
      if (!names.has(dep)) {
        problems.push({ path: where(spec.name, i), message: `depends on "${dep}", which is neither a service nor a lib (known: ${[...names].join(', ')})` });
      } else if (dep === spec.name) problems.push({ path: where(spec.name, i), message: 'depends on itself' });
    });
  }
  if (problems.length > 0) return problems;
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)!.dependsOn) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const spec of specs) {
    const cycle = visit(spec.name);
    if (cycle) {
      problems.push({ path: where(cycle[0], byName.get(cycle[0])!.dependsOn.indexOf(cycle[1])), message: `dependency cycle: ${cycle.join(' → ')}` });
      break;
    }
  }
  return problems;
}

export interface ChangeReason {
  changed: boolean;
  /** Files that matched this filter directly. */
  files: FileChange[];
  /** The dependency chain that marked it changed, e.g. ['common'] or ['auth', 'common']. */
  via?: string[];
}

/**
 * Marks everything that depends, directly or transitively, on a changed filter. The recorded chain is a shortest one,
 * so "changed because of libs-common" reads the way the config says it.
 */
export function dependencyClosure(specs: { name: string; dependsOn: string[] }[], direct: Map<string, FileChange[]>): Map<string, ChangeReason> {
  const dependents = new Map<string, string[]>(specs.map(s => [s.name, []]));
  for (const spec of specs) for (const dep of spec.dependsOn) dependents.get(dep)?.push(spec.name);
  const result = new Map<string, ChangeReason>(specs.map(s => [s.name, { changed: (direct.get(s.name)?.length ?? 0) > 0, files: direct.get(s.name) ?? [] }]));
  const queue = specs.filter(s => result.get(s.name)!.changed).map(s => s.name);
  const chain = new Map<string, string[]>(queue.map(name => [name, []]));
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const dependent of dependents.get(name) ?? []) {
      if (chain.has(dependent)) continue;
      const via = [name, ...chain.get(name)!];
      chain.set(dependent, via);
      const reason = result.get(dependent)!;
      reason.changed = true;
      reason.via = via;
      queue.push(dependent);
    }
  }
  return result;
}
