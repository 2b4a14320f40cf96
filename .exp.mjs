import { build } from 'esbuild';
const heavy = /^(@aws-sdk|@smithy|@octokit|@actions\/github|undici|tar|yaml|js-yaml|diff|@actions\/tool-cache|@actions\/http-client)(\/|$)/;
const stub = { name: 'stub', setup(b) { b.onResolve({ filter: heavy }, a => ({ path: a.path, namespace: 'stub' })); b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {}', loader: 'js' })); } };
const common = { absWorkingDir: '/work/main', entryPoints: ['src/runtime/.exp-cli.ts'], bundle: true, splitting: false, platform: 'node', target: 'node20', minify: true, logLevel: 'error', plugins: [stub], define: { IMGVER_VERSION: '"0"' } };
await build({ ...common, format: 'cjs', outfile: '.exp/cli.cjs' });
await build({ ...common, format: 'esm', outfile: '.exp/cli.js', banner: { js: "import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);" } });
