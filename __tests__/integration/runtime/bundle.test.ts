import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = join(root, 'dist');

function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => (entry.isDirectory() ? filesOf(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * Runs a bundled front door with a failure injected under the code of the bundle: every Date's toISOString throws (a
 * compute-version run serialises the run's date), an error no input can cause, so the run takes the "failed
 * unexpectedly, please report" path.
 */
function runWithInjectedFailure(entry: string, args: string[], env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-stack-'));
  try {
    const inject = join(dir, 'inject.cjs');
    writeFileSync(inject, "Date.prototype.toISOString = function injected() { throw new TypeError('injected failure'); };\n");
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ ref: 'refs/tags/v1.2.3', repository: { name: 'app', full_name: 'acme/app', default_branch: 'main' } }));
    return spawnSync(process.execPath, ['--require', inject, join(dist, entry), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/tags/v1.2.3',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'acme/app',
        ...env
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The frames of a stack that point into a file: `path:line:column`. */
function frames(stack: string): string[] {
  return [...stack.matchAll(/(\/[^\s()]+):(\d+):(\d+)/g)].map(m => `${relative(root, m[1])}:${m[2]}:${m[3]}`);
}

describe('source maps of the bundle', () => {
  it('ship beside every bundled file, without the sources text', () => {
    const code = filesOf(dist).filter(file => /\.m?js$/.test(file));
    expect(code.length).toBeGreaterThan(3);
    for (const file of code) {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
      expect(map.sourcesContent).toBeUndefined();
      expect(readFileSync(file, 'utf8')).toContain(`//# sourceMappingURL=${file.split('/').pop()}.map`);
    }
  });

  it('map every reference between the files to its final path: no text is rewritten after esbuild', () => {
    for (const file of filesOf(dist).filter(f => /\.m?js$/.test(f))) expect(readFileSync(file, 'utf8')).not.toMatch(/#(part|lazy)\//);
  });

  it.each([
    ['the CLI', 'cli.js', ['compute-version', '--images', 'ghcr.io/acme/app', '--version-source', 'ref'], {}],
    ['the action', 'action.js', ['compute-version'], { INPUT_IMAGES: 'ghcr.io/acme/app', 'INPUT_VERSION-SOURCE': 'ref' }]
  ])('%s prints an unexpected error with frames in the TypeScript sources, at the failing line', (_, entry, args, env) => {
    const result = runWithInjectedFailure(entry, args, env);
    const output = result.stdout + result.stderr;
    expect(result.status).toBe(2);
    expect(output).toContain('injected failure');
    const stack = frames(output);
    /** The source text at a mapped frame, from its column on. */
    const at = (frame: string) => {
      const [file, line, column] = frame.split(':');
      return readFileSync(join(root, file), 'utf8').split('\n')[Number(line) - 1].slice(Number(column) - 1);
    };
    // Under the injected function: the call that serialised a date; under the action, the front door's call of it.
    const caller = stack.find(frame => frame.startsWith('src/'));
    expect(caller).toBeDefined();
    expect(at(caller!)).toMatch(/^([\w.]+\.)?(toISOString|stringify)\(/);
    const door = stack.find(frame => frame.startsWith('src/runtime/'));
    expect(door).toBeDefined();
    expect(at(door!)).toMatch(/^(await )?(action\.run|runStage|stage\.run)\(/);
    expect(stack.filter(frame => frame.startsWith('dist/'))).toEqual([]);
  });

  it('leaves frames without a map as they are', async () => {
    const { mappedStack } = await import(pathToFileURL(join(root, 'src/runtime/stack.ts')).href);
    const error = new Error('plain');
    error.stack = 'Error: plain\n    at f (/nowhere/file.js:1:2)\n    at node:internal/main:3:4';
    expect(mappedStack(error)).toBe(error.stack);
    expect(mappedStack('text')).toBe('text');
  });
});

describe('the build-time check of the start-up path', () => {
  it.each([
    ['node_modules/yaml/dist/index.js', 'yaml'],
    ['node_modules/@aws-sdk/client-ecr/dist-cjs/index.js', '@aws-sdk'],
    ['node_modules/@smithy/core/dist-cjs/index.js', '@smithy'],
    ['node_modules/@actions/github/lib/github.js', '@actions/github'],
    ['node_modules/@octokit/core/dist-src/index.js', '@octokit'],
    ['node_modules/csv-parse/dist/esm/sync.js', 'csv-parse'],
    ['node_modules/tar/dist/esm/index.js', 'tar'],
    ['node_modules/undici/index.js', 'undici'],
    ['node_modules/semver/functions/parse.js', undefined],
    ['node_modules/yaml-language/index.js', undefined],
    ['node_modules/@actions/exec/lib/exec.js', undefined],
    ['src/core/config-file.ts', undefined]
  ])('%s is of the heavy package %s', async (input, heavy) => {
    const { heavyPackageOf } = await import(pathToFileURL(join(root, 'scripts/bundle.mjs')).href);
    expect(heavyPackageOf(input)).toBe(heavy);
  });

  it('fails naming the chain of static imports that reaches a heavy module', async () => {
    const { checkStartupPath } = await import(pathToFileURL(join(root, 'scripts/bundle.mjs')).href);
    const imports = (...paths: string[]) => ({ imports: paths.map(path => ({ path, kind: 'import-statement' })) });
    const inputs = {
      'src/runtime/cli-main.ts': imports('src/runtime/cli.ts'),
      'src/runtime/cli.ts': imports('src/core/config.ts'),
      'src/core/config.ts': imports('node_modules/yaml/dist/index.js'),
      'node_modules/yaml/dist/index.js': imports()
    };
    expect(() => checkStartupPath(Object.keys(inputs), inputs, ['src/runtime/cli-main.ts'])).toThrow(
      /yaml: src\/runtime\/cli-main\.ts -> src\/runtime\/cli\.ts -> src\/core\/config\.ts -> node_modules\/yaml\/dist\/index\.js/
    );
    expect(() => checkStartupPath(['src/runtime/cli.ts', 'node_modules/semver/functions/parse.js'], inputs, ['src/runtime/cli-main.ts'])).not.toThrow();
  });
});

describe('the parts of the bundle', () => {
  // A stand-in of a deferred package is CommonJS code: read as an ES module (a package resolving to an .mjs file, such
  // as js-yaml), its `module.exports = {}` would replace the exports of the part holding it.
  it.each(readdirSync(join(dist, 'parts')).filter(name => name.endsWith('.js')))('%s exports its loaders, each giving its module', name => {
    const script = `const part = require(${JSON.stringify(join(dist, 'parts', name))}); const names = Object.keys(part);
      if (names.length === 0 || names.some(n => !/^m\\d+$/.test(n) || typeof part[n] !== 'function')) throw new Error('exports: ' + names.join(', '));
      for (const n of names) if (part[n]() == null) throw new Error(n + ' gave nothing');`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('reads a config file the line scanner leaves to js-yaml (a deferred package of the bundle)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-parts-'));
    try {
      // `web:` with no value: the scanner declines it, so js-yaml reads the file.
      writeFileSync(join(dir, 'imgver.yaml'), 'image: ghcr.io/acme/{{service}}\nservices:\n  api:\n  web:\n');
      const result = spawnSync(process.execPath, [join(dist, 'cli.js'), 'compute-version', '--version-source', 'metadata', '--ref', 'refs/tags/v1.2.3', '--sha', 'a'.repeat(40), '--json'], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH }
      });
      expect(result.stderr).not.toContain('unexpectedly');
      expect(result.status).toBe(0);
      expect(Object.keys(JSON.parse(result.stdout).versions ?? {})).toEqual(['api', 'web']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
