import { build } from 'esbuild';
import { isBuiltin } from 'node:module';
const only = { name: 'only-cv', setup(b) {
  b.onResolve({ filter: /actions\/index\.js$/ }, a => ({ path: 'idx', namespace: 'only' }));
  b.onLoad({ filter: /.*/, namespace: 'only' }, () => ({ contents: "import * as cv from '/work/main/src/actions/compute-version.ts'; export const ACTIONS = { 'compute-version': async () => cv };", loader: 'ts', resolveDir: '/work/main/src/actions' }));
} };
const builtinsByRequire = { name: 'b', setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, args => args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'builtin' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, args => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
} };
const r = await build({ absWorkingDir: '/work/main', entryPoints: { cli: 'src/runtime/cli.ts' }, outdir: '.exp', bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', minify: true, logLevel: 'error', plugins: [only, builtinsByRequire], metafile: true,
  banner: { js: "import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);" },
  define: { IMGVER_VERSION: '"0"' } });
for (const [o, m] of Object.entries(r.metafile.outputs)) console.log(o, m.bytes);
