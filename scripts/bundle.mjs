// The bundle in dist/, built so that a run loads as few modules as it can: Node's ESM loader pays for every module
// file it resolves, reads and links, and with code splitting alone the common actions' code came in some twenty
// chunks. So it is built in three parts:
//
// - dist/kernel.js: one module holding every module the entries load statically and the code of the actions that
//   must start fast (KERNEL_ROOTS), with whatever those load statically. It exports one loader per source module
//   (m0, m1, …): behind each, esbuild's lazy initialiser runs that module's top-level code on first use only.
// - dist/cli.js and dist/action.js: single files that read what they need from the kernel.
// - under dist/lazy/ (split, sharing dist/chunks/), every module the kernel loads on demand: heavy adapters, the
//   other actions, the config file reader. Their imports of a kernel module read it from the kernel too, so each
//   module exists once (one UserError class, one set of caches).
//
// The kernel loads its on-demand modules as `#lazy/<name>.js` and the rest reach the kernel as `#kernel`; both are
// written as relative paths.
import { build } from 'esbuild';
import { isBuiltin } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** Actions whose start-up is measured and must be fast (bench/compute-version, bench/detect-changes). */
const KERNEL_ROOTS = ['src/actions/compute-version.ts', 'src/actions/detect-changes.ts'];
const ENTRIES = { cli: 'src/runtime/cli-main.ts', action: 'src/runtime/action-main.ts' };
// `require` for the built-in modules bundled code asks for (nothing else is left outside the bundle):
// process.getBuiltinModule where Node has it (20.16+), which spares loading node:module and making a require.
const BANNER =
  "const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);";

/**
 * Node's built-in modules, imported statically, are required instead: an ESM import of one reads every export of
 * it, and `node:fs`'s lazy `ReadStream` getter alone pulls in the whole streams stack at start-up.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, args =>
      args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'builtin' } : undefined
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, args => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  }
};

/** A stable file name for an on-demand module: src/adapters/registry/index.ts → adapters-registry-index. */
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
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { [name]: true } });
        if (resolved.errors.length > 0 || resolved.external || !resolved.path) return undefined;
        return decide(resolved.path, args);
      });
    }
  };
}

/**
 * Writes esbuild's output files with the placeholders `#kernel` and `#lazy/<name>` turned into paths relative to
 * each file: Node resolves a relative specifier faster than one through the package's "imports" map.
 */
function writeOutputs(files) {
  for (const file of files) {
    const kernel = relative(dirname(file.path), resolve(distOf(file.path), 'kernel.js'));
    const lazy = relative(dirname(file.path), resolve(distOf(file.path), 'lazy'));
    const text = file.text.replaceAll('"#kernel"', JSON.stringify(dotted(kernel))).replaceAll('"#lazy/', `"${dotted(lazy)}/`);
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, text);
  }
}

/** The dist/ directory a built file lies in. */
function distOf(path) {
  return path.slice(0, path.lastIndexOf('/dist/') + '/dist'.length);
}

/** A relative path as an import specifier: it must start with ./ or ../. */
function dotted(path) {
  return path.startsWith('.') ? path : `./${path}`;
}

export async function bundle(root, define) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'linked',
    banner: { js: BANNER },
    define,
    logLevel: 'warning'
  };
  const abs = input => resolve(root, input);

  // 1. The module graph, from a plain split build that is not written.
  const analysis = await build({ ...common, entryPoints: ENTRIES, outdir: 'dist', splitting: true, write: false, metafile: true, plugins: [builtinsByRequire] });
  const inputs = analysis.metafile.inputs;
  const staticImports = input => (inputs[input]?.imports ?? []).filter(i => !i.external && (i.kind === 'import-statement' || i.kind === 'require-call'));
  const kernel = new Set();
  const queue = [...KERNEL_ROOTS, ...Object.values(ENTRIES).flatMap(entry => staticImports(entry).map(i => i.path))];
  while (queue.length > 0) {
    const input = queue.pop();
    if (kernel.has(input) || Object.values(ENTRIES).includes(input)) continue;
    kernel.add(input);
    queue.push(...staticImports(input).map(i => i.path));
  }
  // What other code reaches in the kernel goes through namespaces: every module of imgver's own, and any package
  // module written as ESM (a CommonJS one may be required by other code, and is then simply bundled twice).
  const shared = [...kernel].filter(input => input.startsWith('src/') || (input.startsWith('node_modules/') && inputs[input].format === 'esm')).sort();
  const lazy = new Map();
  for (const input of kernel) {
    for (const i of inputs[input]?.imports ?? []) {
      if (i.kind === 'dynamic-import' && !i.external && !kernel.has(i.path)) lazy.set(abs(i.path), lazyName(i.path));
    }
  }

  // 2. Each shared module's export names, to re-export them from its namespace.
  const exportsPass = await build({
    absWorkingDir: root,
    entryPoints: shared,
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
  const namespaceOf = new Map(shared.map((input, index) => [abs(input), `m${index}`]));

  // 3. The kernel: one module, its on-demand imports left to the lazy modules.
  const kernelBuild = await build({
    ...common,
    stdin: {
      // A loader per module rather than `export * as`: that would run every module's top-level code when the kernel
      // loads; behind import() esbuild wraps each module in a lazy initialiser, so only what a run uses is run.
      contents: shared.map(input => `export const ${namespaceOf.get(abs(input))} = () => import(${JSON.stringify(abs(input))});`).join('\n'),
      resolveDir: root,
      loader: 'js',
      sourcefile: 'kernel.js'
    },
    outfile: 'dist/kernel.js',
    write: false,
    plugins: [
      builtinsByRequire,
      afterResolve('kernel-lazy', ['dynamic-import'], path => (lazy.has(path) ? { path: `#lazy/${lazy.get(path)}.js`, external: true } : undefined))
    ]
  });
  writeOutputs(kernelBuild.outputFiles);

  // 4. The lazy modules (split, sharing chunks) and the entries (each one file: an entry that shared a chunk would
  // load it too), reading kernel modules from the kernel.
  const fromKernel = [
    builtinsByRequire,
    { name: 'kernel-external', setup: b => b.onResolve({ filter: /^#(kernel$|lazy\/)/ }, args => ({ path: args.path, external: true })) },
    // Paths relative to the root: chunk names hash them, and dist/ must come out the same in any checkout.
    afterResolve('from-kernel', ['import-statement', 'dynamic-import'], path => (namespaceOf.has(path) ? { path: relative(root, path), namespace: 'from-kernel' } : undefined)),
    {
      name: 'from-kernel-load',
      setup: b =>
        b.onLoad({ filter: /.*/, namespace: 'from-kernel' }, args => {
          const namespace = namespaceOf.get(abs(args.path));
          const names = exportNames.get(abs(args.path)) ?? [];
          const named = names.filter(name => name !== 'default');
          return {
            contents: [
              `import { ${namespace} } from '#kernel';`,
              `const namespace = await ${namespace}();`,
              named.length > 0 ? `export const { ${named.join(', ')} } = namespace;` : '',
              names.includes('default') ? `export default namespace.default;` : ''
            ].join('\n'),
            loader: 'js',
            resolveDir: root
          };
        })
    }
  ];
  const lazyBuild = await build({
    ...common,
    write: false,
    entryPoints: Object.fromEntries([...lazy].map(([path, name]) => [`lazy/${name}`, path])),
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    plugins: fromKernel
  });
  writeOutputs(lazyBuild.outputFiles);
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const entryBuild = await build({ ...common, write: false, entryPoints: [entry], outfile: `dist/${name}.js`, plugins: fromKernel });
    writeOutputs(entryBuild.outputFiles);
  }
  return { kernel: shared.map(input => relative(root, abs(input))), lazy: [...lazy.values()] };
}
