#!/usr/bin/env node
// The layer rules of src/ (docs/ARCHITECTURE.md), checked on the imports of every source file:
//   core/      imports core/ (and src/generated/) only, besides packages and Node's modules
//   adapters/  imports no stage and no front door
//   actions/   a stage imports no other stage and no front door; the shared modules of actions/ (SHARED_ACTION_MODULES)
//              import no stage
//   runtime/   the front doors, may import anything
// and no import cycle between source files (type-only imports left out: they vanish at build time).
// `node scripts/check-layers.mjs` prints every breach and exits 1 when there is one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Modules of actions/ that are not stages: what stages share (input parsing, specs, the stage types) and the typed
 * version computation compute-version and release both run (with its sources, write-back and release notes).
 */
export const SHARED_ACTION_MODULES = [
  'inputs.ts',
  'registry-inputs.ts',
  'registry-input-fields.ts',
  'helm-sync-inputs.ts',
  'progress.ts',
  'spec.ts',
  'specs.ts',
  'stage-specs.ts',
  'types.ts',
  'sub-run.ts',
  'stage-run.ts',
  'version-computation.ts',
  'version-sources.ts',
  'version-writes.ts',
  'release-notes.ts'
].map(f => `src/actions/${f}`);

/**
 * Breaches the code still has, each with why it is still there. The check fails on any other breach, and on an entry
 * here that no longer happens, so the list only shrinks.
 */
export const KNOWN_BREACHES = [];

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** A source text's imports of other source files: `{ path, typeOnly }`, paths relative to the root. */
export function importsOf(file, text) {
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[2] ?? match[3];
    if (!specifier.startsWith('.')) continue;
    // `typeof import('…')` and `import('…').Name` in a type position are type-only too.
    const dynamic = match[3] !== undefined;
    const typeOnly =
      match[1] !== undefined || (dynamic && (/typeof\s*$/.test(text.slice(Math.max(0, match.index - 10), match.index)) || text[match.index + match[0].length] === '.'));
    const path = normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
    found.push({ path, typeOnly });
  }
  return found;
}

const layerOf = path => /^src\/(core|adapters|actions|runtime|generated|types)\//.exec(path)?.[1];
const isStage = path => layerOf(path) === 'actions' && !SHARED_ACTION_MODULES.includes(path);

/** Why `from` must not import `to`, or undefined when it may. */
export function breachOf(from, to) {
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === 'core' && b !== 'core' && b !== 'generated') return `core imports ${b ?? 'outside src'}`;
  if (a === 'adapters' && (b === 'actions' || b === 'runtime')) return `an adapter imports ${b === 'runtime' ? 'a front door' : 'actions'}`;
  if (a === 'actions' && b === 'runtime') return 'actions import a front door';
  if (a === 'actions' && isStage(to) && from !== to) return isStage(from) ? 'a stage imports another stage' : 'a shared module of actions imports a stage';
  return undefined;
}

/** Cycles in a graph of file → files it imports: each as the files around it (the first repeated at the end), once. */
export function cyclesOf(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const seen = new Set();
  const visit = node => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function sourceFiles(root, dir = 'src') {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap(entry => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every breach and cycle of the source tree at `root`. */
export function checkLayers(root) {
  const breaches = [];
  const graph = new Map();
  for (const file of sourceFiles(root)) {
    const imports = importsOf(file, readFileSync(join(root, file), 'utf8'));
    graph.set(file, [...new Set(imports.filter(i => !i.typeOnly && i.path.endsWith('.ts')).map(i => i.path))]);
    for (const { path } of imports) {
      const why = breachOf(file, path);
      if (why) breaches.push({ edge: `${file} -> ${path}`, why });
    }
  }
  const unique = [...new Map(breaches.map(b => [b.edge, b])).values()];
  return {
    files: graph.size,
    breaches: unique.filter(b => !KNOWN_BREACHES.includes(b.edge)),
    known: unique.filter(b => KNOWN_BREACHES.includes(b.edge)),
    stale: KNOWN_BREACHES.filter(edge => !unique.some(b => b.edge === edge)),
    cycles: cyclesOf(graph)
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const result = checkLayers(join(dirname(fileURLToPath(import.meta.url)), '..'));
  for (const b of result.breaches) console.error(`layer breach: ${b.edge} (${b.why})`);
  for (const edge of result.stale) console.error(`layer check: ${edge} is in KNOWN_BREACHES but no longer happens: take it out of scripts/check-layers.mjs`);
  for (const cycle of result.cycles) console.error(`import cycle: ${cycle.join(' -> ')}`);
  console.log(`layers: ${result.files} files, ${result.breaches.length} breach(es) (${result.known.length} known), ${result.cycles.length} cycle(s)`);
  process.exitCode = result.breaches.length + result.stale.length + result.cycles.length > 0 ? 1 : 0;
}
