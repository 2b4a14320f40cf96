// The bundle in dist/, built so that a run of a common action loads as little as it can. Two costs decide it:
// Node's ESM loader, which a run pays for once it loads any ES module (some 3 ms: its own code and fs/promises), then
// again per module file it resolves, reads and links; and compiling code the run never uses. So dist/ is built in
// three kinds of part:
//
// - CommonJS parts, loaded with require(): dist/kernel.js holds every module the entries load statically and the code
//   of compute-version and detect-changes (KERNEL_ROOTS), with whatever those load statically; dist/parts/<name>.js
//   holds what one of SATELLITE_ROOTS (the other actions that must start fast, the config file reader, the registry
//   client, the branch and the path glob engines, csv-parse for quoted rule lines) loads statically beyond the kernel.
//   Each part exports one loader per source module (m0, m1, …): behind each, esbuild's lazy initialiser runs that
//   module's top-level code on first use only.
// - dist/cli.js and dist/action.js: CommonJS entries reading what they need from the kernel. A compute-version or
//   detect-changes run loads CommonJS files only, and never starts the ESM loader.
// - under dist/lazy/ (ES modules, split, sharing dist/chunks/), every other module a part loads on demand: heavy
//   adapters, the other actions. Their imports of a module of a part read it from that part, so each module exists
//   once (one UserError class, one set of caches).
// - dist/parts/pkg-<name>.js: a CommonJS package that common runs never need (DEFERRED_PACKAGES), behind a stand-in
//   that requires it on the first use of one of its exports; the same for a module of imgver's own that common runs
//   never call (DEFERRED_MODULES), in dist/parts/<name>.js. Built-in modules that Node has not loaded before a
//   script runs are required on first use too.
//
// Every file ships with its source map (file.js.map, without the sources' text): an unexpected error prints its stack
// mapped to the TypeScript sources (src/runtime/stack.ts). So nothing rewrites a file's text after esbuild wrote it and
// its map: a reference to a part or an on-demand module is resolved to its final path, relative to the file's
// directory, before esbuild prints it.
//
// The start-up path, what dist/cli.js and dist/action.js load before any action code asks for more (the entries and
// dist/kernel.js), must not reach a heavy module (HEAVY_PACKAGES): the build fails naming the chain of imports.
import { build } from 'esbuild';
import { createRequire, isBuiltin } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Actions whose start-up is measured tightest (bench/compute-version, bench/detect-changes): their code is in the kernel. */
const KERNEL_ROOTS = ['src/actions/compute-version.ts', 'src/actions/detect-changes.ts'];
/**
 * Other actions that must start fast (bench/helm-sync): each a CommonJS part of its own, so a compute-version or
 * detect-changes run does not compile their code (helm-sync's is some 30 KB), and no ESM loader starts. Held to the
 * same rule as the kernel: no heavy package on their static path.
 */
const FAST_ACTION_ROOTS = ['src/actions/helm-sync.ts'];
/** Modules those actions load on demand on their common paths: CommonJS parts of their own, so no ESM loader starts. */
const SATELLITE_ROOTS = [...FAST_ACTION_ROOTS, 'src/core/config-file.ts', 'src/adapters/registry/index.ts', 'src/actions/registry-inputs.ts', 'src/adapters/helm.ts', 'node_modules/minimatch/dist/esm/index.js', 'src/core/path-glob.ts', 'src/core/csv-reader.ts'];
const ENTRIES = { cli: 'src/runtime/cli-main.ts', action: 'src/runtime/action-main.ts' };
/**
 * CommonJS packages whose code runs on the first use of one of their exports, not when a module importing them starts:
 * each takes from one to several milliseconds to compile and start (semver builds some forty regular expressions,
 * dayjs and pep440 their tables), and a common run needs none of them (core/semver.ts answers the usual questions on
 * its own). js-yaml (some 44 KB) reads imgver.yaml only when the line scanner declines it, so helm-sync's write-only
 * run, which reads the config that way, does not compile it with the config reader's part. Each is a part of its own,
 * dist/parts/pkg-<name>.js, required on that first use.
 */
const DEFERRED_PACKAGES = ['semver', 'dayjs', '@renovatebot/pep440', 'js-yaml'];
/**
 * Modules of imgver's own deferred the same way, each a part of its own (dist/parts/<name>.js): the plan validator is
 * some 22 KB of generated code that only a run given a plan file (or plan JSON) calls.
 */
const DEFERRED_MODULES = ['src/generated/plan-validator.js'];
/**
 * Packages the start-up path must not load (checked on the modules bundled into the entries and the kernel): each
 * costs from several to hundreds of milliseconds of parsing, and none is needed before an action asks for it.
 */
export const HEAVY_PACKAGES = [
  '@aws-sdk', '@smithy', '@aws-crypto', '@actions/github', '@actions/http-client', '@actions/core', '@octokit', 'undici',
  'tunnel', 'yaml', 'js-yaml', 'tar', 'minipass', 'csv-parse', 'picomatch', 'minimatch', 'ajv', 'diff'
];
// ES modules get `require` for the built-in modules bundled code asks for (nothing else is left outside the bundle):
// process.getBuiltinModule where Node has it (20.16+), which spares loading node:module and making a require.
const ESM_BANNER =
  "const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);";

/** Built-in modules Node has loaded before it runs a script: requiring one costs nothing. */
const LOADED_AT_START = new Set(['node:events', 'node:buffer', 'node:path', 'node:querystring', 'node:async_hooks', 'node:timers', 'node:util', 'node:fs', 'node:url']);

/**
 * A built-in module's code in the bundle: require it. One that Node has not loaded yet is required on first use of
 * one of its exports, not when the module importing it starts: node:module costs a few milliseconds of source-map and
 * loader code, node:crypto and node:child_process ten times more, and most runs never touch the code that imports
 * them. Its exports are getters, one per name the module has in the Node running the build; bundled code reads an
 * import's binding at each use (`import_x.name`), so the first read loads the module.
 */
function builtinModule(name) {
  if (LOADED_AT_START.has(name)) return `module.exports = require(${JSON.stringify(name)});`;
  const names = Object.keys(createRequire(import.meta.url)(name)).filter(key => key !== 'default' && key !== '__esModule');
  return [
    'let loaded;',
    `const load = () => (loaded ??= require(${JSON.stringify(name)}));`,
    `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { get: () => load()[name], enumerable: true });`
  ].join('\n');
}

/**
 * Node's built-in modules are required instead of imported: an ESM import of one reads every export of it, and
 * `node:fs`'s lazy `ReadStream` getter alone pulls in the whole streams stack at start-up. In CommonJS output a
 * dynamic import() of one is required too, since any import() starts the ESM loader; ES modules keep theirs.
 */
function builtinsByRequire(kinds, { loadedExternal = false } = {}) {
  return {
    name: 'builtins-by-require',
    setup(build) {
      build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, args => {
        if (!kinds.includes(args.kind) || !isBuiltin(args.path)) return undefined;
        const path = args.path.replace(/^(node:)?/, 'node:');
        // CommonJS output requires an external module where it is imported, and reads a named import from it as it is;
        // a bundled one is copied first, a getter per export (~100 for node:fs) in every module importing it.
        if (loadedExternal && LOADED_AT_START.has(path)) return { path, external: true };
        return { path, namespace: 'builtin' };
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, args => ({ contents: builtinModule(args.path), loader: 'js' }));
    }
  };
}
const STATIC_BUILTINS = builtinsByRequire(['import-statement']);
const ALL_BUILTINS = builtinsByRequire(['import-statement', 'dynamic-import'], { loadedExternal: true });

/** The package a module path belongs to (`node_modules/dayjs/plugin/utc.js` → `dayjs`), if any. */
function packageOf(input) {
  return /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
}

/** What a module is deferred as: its package, or the module itself when it is one of DEFERRED_MODULES. */
function deferredUnit(input) {
  return DEFERRED_MODULES.includes(input) ? input : packageOf(input);
}

/**
 * A deferred module (DEFERRED_PACKAGES, DEFERRED_MODULES) where code outside its package imports it: a stand-in with the shape of its
 * module.exports (a function that calls the real one, or an object), each property a getter, that requires the part
 * holding the real module on first use. Bundled code reads an import of a CommonJS module at each use
 * (`import_x.default`, `import_x.name`), so nothing runs the real module before that. `exports`: the real module's.
 */
function deferredModule(partFile, loader, exports) {
  const names = Object.keys(exports).filter(name => name !== '__esModule');
  return [
    'let real;',
    `const load = () => (real ??= require('#part/${partFile}').${loader}());`,
    typeof exports === 'function'
      ? 'module.exports = function deferred(...args) { return new.target ? Reflect.construct(load(), args, new.target) : Reflect.apply(load(), this, args); };'
      : 'module.exports = {};',
    `for (const name of ${JSON.stringify(names)}) Object.defineProperty(module.exports, name, { get: () => load()[name], enumerable: true });`,
    exports.__esModule ? "Object.defineProperty(module.exports, '__esModule', { value: true });" : ''
  ].join('\n');
}

/**
 * The stand-in for a deferred ES module of imgver's own whose default export is a function (a generated validator).
 * The importers are ES modules in Node's mode, where a default import of CommonJS is its module.exports: so
 * module.exports is the function itself, a proxy that calls the real one and reads its properties (`validate.errors`)
 * and the module's named exports from the real module, loaded on first use.
 */
function deferredDefaultFunction(partFile, loader, input, real) {
  if (typeof real.default !== 'function') throw new Error(`${input}: a deferred module of imgver's own must export a function as default`);
  const named = Object.keys(real).filter(name => name !== 'default');
  return [
    'let real;',
    `const load = () => (real ??= require('#part/${partFile}').${loader}());`,
    `const named = new Set(${JSON.stringify(named)});`,
    'module.exports = new Proxy(function deferred() {}, {',
    '  apply: (_, self, args) => Reflect.apply(load().default, self, args),',
    '  get: (_, key) => (named.has(key) ? load()[key] : Reflect.get(load().default, key))',
    '});'
  ].join('\n');
}

/**
 * The ending of a stand-in's path: a stand-in is CommonJS code, and esbuild would read one named after an ES module
 * file (js-yaml resolves to dist/js-yaml.mjs) as an ES module, where its `module.exports` is the part's own.
 */
const STAND_IN = '.stand-in.cjs';

/** A stable file name for a module: src/adapters/registry/index.ts → adapters-registry-index. */
function lazyName(input) {
  return input
    .replace(/^src\//, '')
    .replace(/^node_modules\//, 'pkg-')
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-');
}

/**
 * Calls `decide(resolvedPath, args)` for every import of the kinds given, after esbuild resolved it; what `decide`
 * returns replaces the resolution (undefined keeps it).
 */
function afterResolve(name, kinds, decide) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter: /.*/ }, async args => {
        if (!kinds.includes(args.kind) || args.pluginData?.[name] || isBuiltin(args.path) || args.path.startsWith('#')) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { ...args.pluginData, [name]: true } });
        if (resolved.errors.length > 0 || resolved.external || !resolved.path) return undefined;
        return decide(resolved.path, args);
      });
    }
  };
}

/** Writes esbuild's output files (code and maps) as they are: references are final paths already. */
function writeOutputs(files) {
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
}

/** A file of dist/ (`kernel.js`, `lazy/x.mjs`) as an import specifier from a file in the directory `fromDir` of dist/. */
function specifier(fromDir, file) {
  return dotted(relative(fromDir, file));
}

/** Module path → the module that imports it on the shortest static path from `roots`, for naming a chain. */
function importChain(inputs, roots, target) {
  const via = new Map(roots.map(root => [root, undefined]));
  const queue = [...roots];
  while (queue.length > 0) {
    const input = queue.shift();
    if (input === target) break;
    for (const i of inputs[input]?.imports ?? []) {
      if (i.external || !(i.kind === 'import-statement' || i.kind === 'require-call') || via.has(i.path)) continue;
      via.set(i.path, input);
      queue.push(i.path);
    }
  }
  const chain = [];
  for (let at = target; at !== undefined; at = via.get(at)) chain.unshift(at);
  return chain;
}

/**
 * Light modules of heavy packages, allowed on the start-up path: @actions/core's runner-protocol parts (workflow
 * commands and file commands) need nothing but Node's os, fs and crypto; its index pulls in the HTTP client.
 */
export const LIGHT_MODULES = ['@actions/core/lib/command.js', '@actions/core/lib/file-command.js', '@actions/core/lib/utils.js'];

/** The heavy package a bundled input belongs to, if any. */
export function heavyPackageOf(input) {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) return undefined;
  if (LIGHT_MODULES.some(light => input.endsWith(`node_modules/${light}`))) return undefined;
  const name = match[1];
  return HEAVY_PACKAGES.find(heavy => name === heavy || (heavy.startsWith('@') && !heavy.includes('/') && name.startsWith(`${heavy}/`)));
}

/**
 * Fails when the start-up path reaches a heavy module: `bundled` are the inputs of the files it loads, `inputs` the
 * module graph (esbuild's metafile), `roots` where the start-up path starts.
 */
export function checkStartupPath(bundled, inputs, roots) {
  const heavy = bundled.filter(input => heavyPackageOf(input) !== undefined);
  if (heavy.length === 0) return;
  // One chain per package: the first of its modules reached.
  const first = [...new Map(heavy.map(input => [heavyPackageOf(input), input]).reverse()).values()];
  const lines = first.slice(0, 8).map(input => `  ${heavyPackageOf(input)}: ${importChain(inputs, roots, input).join(' -> ')}`);
  throw new Error(
    `The start-up path (dist/cli.js, dist/action.js, dist/kernel.js and the fast actions' parts) reaches ${heavy.length} module(s) of heavy packages:\n${lines.join('\n')}\n` +
      'Import them with a dynamic import() where they are needed (see HEAVY_PACKAGES in scripts/bundle.mjs).'
  );
}

/** A relative path as an import specifier: it must start with ./ or ../. */
function dotted(path) {
  return path.startsWith('.') ? path : `./${path}`;
}

export async function bundle(root, define) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: !process.env.IMGVER_NO_MINIFY,
    legalComments: 'linked',
    // Module paths as the checkout sees them (node_modules may be a link to a shared install).
    preserveSymlinks: true,
    sourcemap: 'linked',
    sourcesContent: false,
    define,
    // Package paths as node_modules/… even where node_modules is a link to a shared install.
    preserveSymlinks: true,
    logLevel: 'warning'
  };
  const cjs = { ...common, format: 'cjs' };
  const esm = { ...common, format: 'esm', banner: { js: ESM_BANNER }, outExtension: { '.js': '.mjs' } };
  const abs = input => resolve(root, input);

  // 1. The module graph, from a plain split build that is not written.
  const analysis = await build({ ...common, format: 'esm', entryPoints: ENTRIES, outdir: 'dist', splitting: true, write: false, metafile: true, plugins: [STATIC_BUILTINS] });
  const inputs = analysis.metafile.inputs;
  const staticImports = input => (inputs[input]?.imports ?? []).filter(i => !i.external && (i.kind === 'import-statement' || i.kind === 'require-call'));
  const entryInputs = new Set(Object.values(ENTRIES));
  const placed = new Set(entryInputs);
  // The modules of deferred packages that code outside the package imports: the ones read through a stand-in.
  const deferredEntries = new Map([...DEFERRED_PACKAGES, ...DEFERRED_MODULES].map(name => [name, new Set()]));
  for (const [input, { imports }] of Object.entries(inputs)) {
    for (const i of imports) {
      const name = deferredUnit(i.path);
      if (!i.external && deferredEntries.has(name) && deferredUnit(input) !== name) deferredEntries.get(name).add(i.path);
    }
  }
  const deferredFrom = (importer, input) => deferredEntries.get(deferredUnit(input))?.has(input) && deferredUnit(importer) !== deferredUnit(input);
  /** A part: the static closure of its roots, less what earlier parts hold and the deferred packages' modules. */
  const closure = roots => {
    const modules = new Set();
    const queue = [...roots];
    while (queue.length > 0) {
      const input = queue.pop();
      if (modules.has(input) || placed.has(input)) continue;
      modules.add(input);
      queue.push(...staticImports(input).filter(i => !deferredFrom(input, i.path)).map(i => i.path));
    }
    for (const input of modules) placed.add(input);
    return modules;
  };
  const parts = [
    { file: 'kernel.js', modules: closure([...KERNEL_ROOTS, ...[...entryInputs].flatMap(entry => staticImports(entry).map(i => i.path))]) },
    ...SATELLITE_ROOTS.map(root => ({ file: `parts/${lazyName(root)}.js`, modules: closure([root]) })),
    ...[...deferredEntries]
      .filter(([, entries]) => entries.size > 0)
      .map(([name, entries]) => ({
        file: DEFERRED_MODULES.includes(name) ? `parts/${lazyName(name)}.js` : `parts/pkg-${lazyName(name.replace(/^@/, ''))}.js`,
        modules: closure([...entries].sort()),
        deferred: [...entries].sort()
      }))
  ];
  // What other code reaches in a part goes through its loaders: every module of imgver's own, and any package module
  // written as ESM (a CommonJS one may be required by other code, and is then simply bundled twice), that code outside
  // the part imports. A module with a loader gets a namespace object, a getter per export, built when the part loads.
  const importersOf = new Map();
  for (const [input, { imports }] of Object.entries(inputs)) {
    for (const i of imports) if (!i.external) importersOf.set(i.path, (importersOf.get(i.path) ?? new Set()).add(input));
  }
  const loaderOf = new Map();
  const deferredOf = new Map();
  for (const part of parts) {
    part.shared = [...part.modules]
      .filter(input => !part.deferred?.includes(input) && (input.startsWith('src/') || (input.startsWith('node_modules/') && inputs[input].format === 'esm')))
      .filter(input => [...(importersOf.get(input) ?? [])].some(importer => !part.modules.has(importer)))
      .sort();
    for (const input of part.shared) loaderOf.set(abs(input), { file: part.file, name: `m${loaderOf.size + deferredOf.size}` });
    for (const input of part.deferred ?? []) deferredOf.set(abs(input), { file: part.file, name: `m${loaderOf.size + deferredOf.size}` });
  }
  const lazy = new Map();
  for (const part of parts) {
    for (const input of part.modules) {
      for (const i of inputs[input]?.imports ?? []) {
        if (i.kind === 'dynamic-import' && !i.external && !placed.has(i.path)) lazy.set(abs(i.path), lazyName(i.path));
      }
    }
  }

  // 2. Each shared module's export names, to re-export them where it is read from its part.
  const exportsPass = await build({
    absWorkingDir: root,
    preserveSymlinks: true,
    entryPoints: [...loaderOf.keys(), ...DEFERRED_MODULES.map(abs)],
    outdir: 'exports-pass',
    outbase: root,
    bundle: false,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'warning'
  });
  const exportNames = new Map(Object.values(exportsPass.metafile.outputs).filter(o => o.entryPoint).map(o => [abs(o.entryPoint), o.exports]));

  /**
   * Where an import goes, for a build of `format` output (of the part `ownPart`, if it is one): a module some other
   * part holds is read through that part's loader, by a small module that requires the part (CommonJS output) or
   * imports it (ESM output, where a part's default export is its module.exports); from a part, an on-demand module is
   * the lazy module built for it. `fromDir`: the directory, in dist/, of the files the build writes.
   */
  const placement = (format, ownPart, fromDir) => [
    afterResolve('placement', ['import-statement', 'dynamic-import', 'require-call'], (path, args) => {
      // CommonJS output only: in an ES module, a deferred package is bundled as it is (the module is on demand already).
      const deferred = format === 'cjs' && deferredOf.get(path);
      if (deferred && deferred.file !== ownPart && deferredFrom(relative(root, args.importer), relative(root, path))) return { path: `${relative(root, path)}${STAND_IN}`, namespace: 'deferred' };
      const loader = loaderOf.get(path);
      // Paths relative to the root: chunk names hash them, and dist/ must come out the same in any checkout.
      if (loader) return loader.file === ownPart ? undefined : { path: relative(root, path), namespace: `from-part-${format}` };
      if (ownPart !== undefined && args.kind === 'dynamic-import' && lazy.has(path)) return { path: specifier(fromDir, `lazy/${lazy.get(path)}.mjs`), external: true };
      return undefined;
    }),
    {
      name: 'from-part-load',
      setup: b =>
        b.onLoad({ filter: /.*/, namespace: `from-part-${format}` }, args => {
          const { file, name } = loaderOf.get(abs(args.path));
          const names = exportNames.get(abs(args.path)) ?? [];
          const named = names.filter(n => n !== 'default');
          return {
            contents: [
              // ESM reads a part with require too: an import of a CommonJS file makes Node lex its whole source for
              // export names first (~100 ms for the parts and the kernel together).
              format === 'cjs'
                ? `const part = require('#part/${file}');`
                : `import { createRequire } from 'node:module';\nconst part = createRequire(import.meta.url)(${JSON.stringify(specifier(fromDir, file))});`,
              `const namespace = part.${name}();`,
              named.length > 0 ? `export const { ${named.join(', ')} } = namespace;` : '',
              names.includes('default') ? 'export default namespace.default;' : ''
            ].join('\n'),
            loader: 'js',
            resolveDir: root
          };
        })
    },
    {
      name: 'deferred-load',
      setup: b =>
        b.onLoad({ filter: /.*/, namespace: 'deferred' }, async args => {
          const input = args.path.slice(0, -STAND_IN.length);
          const { file, name } = deferredOf.get(abs(input));
          const contents = DEFERRED_MODULES.includes(input)
            ? deferredDefaultFunction(file, name, input, await import(pathToFileURL(abs(input)).href))
            : deferredModule(file, name, createRequire(import.meta.url)(abs(input)));
          return { contents, loader: 'js', resolveDir: root };
        })
    },
    { name: 'part-external', setup: b => b.onResolve({ filter: /^#part\// }, args => ({ path: specifier(fromDir, args.path.slice('#part/'.length)), external: true })) }
  ];

  // 3. The parts: one CommonJS module each, a memoised loader per shared module (a require of an ES module in the
  // bundle runs its lazy initialiser and gives its exports).
  const startupInputs = [];
  for (const part of parts) {
    const partBuild = await build({
      ...cjs,
      stdin: {
        contents: [...part.shared, ...(part.deferred ?? [])]
          .map(input => {
            const { name } = loaderOf.get(abs(input)) ?? deferredOf.get(abs(input));
            return `let ${name}n; export const ${name} = () => (${name}n ??= require(${JSON.stringify(abs(input))}));`;
          })
          .join('\n'),
        resolveDir: root,
        loader: 'js',
        sourcefile: part.file
      },
      outfile: `dist/${part.file}`,
      write: false,
      metafile: true,
      plugins: [ALL_BUILTINS, ...placement('cjs', part.file, dirname(part.file))]
    });
    writeOutputs(partBuild.outputFiles);
    if (part === parts[0] || FAST_ACTION_ROOTS.some(root => part.file === `parts/${lazyName(root)}.js`)) startupInputs.push(...Object.keys(partBuild.metafile.inputs));
  }

  // 4. The lazy modules (ESM, split, sharing chunks) and the entries (CommonJS, each one file).
  const lazyBuild = await build({
    ...esm,
    write: false,
    entryPoints: Object.fromEntries([...lazy].map(([path, name]) => [`lazy/${name}`, path])),
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // lazy/ and chunks/ lie at the same depth: a path from one is a path from the other.
    plugins: [STATIC_BUILTINS, ...placement('esm', undefined, 'lazy')]
  });
  writeOutputs(lazyBuild.outputFiles);
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const entryBuild = await build({
      ...cjs,
      // The hashbang is printed by esbuild, so that the map counts its line.
      banner: name === 'cli' ? { js: '#!/usr/bin/env node' } : undefined,
      write: false,
      metafile: true,
      entryPoints: [entry],
      outfile: `dist/${name}.js`,
      plugins: [ALL_BUILTINS, ...placement('cjs', '', '.')]
    });
    writeOutputs(entryBuild.outputFiles);
    startupInputs.push(...Object.keys(entryBuild.metafile.inputs));
  }
  checkStartupPath(startupInputs, inputs, [...entryInputs, ...KERNEL_ROOTS, ...FAST_ACTION_ROOTS]);
  return { parts: parts.map(part => ({ file: part.file, modules: [...part.shared, ...(part.deferred ?? [])] })), lazy: [...lazy.values()] };
}
