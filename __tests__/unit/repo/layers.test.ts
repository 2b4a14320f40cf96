import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
type Layers = {
  importsOf(file: string, text: string): { path: string; typeOnly: boolean }[];
  breachOf(from: string, to: string): string | undefined;
  cyclesOf(graph: Map<string, string[]>): string[][];
  checkLayers(root: string): { files: number; breaches: { edge: string; why: string }[]; stale: string[]; cycles: string[][] };
};
const load = async (): Promise<Layers> => import(pathToFileURL(join(root, 'scripts/check-layers.mjs')).href);

describe('the layer rules of src/ (scripts/check-layers.mjs, run by npm run lint)', () => {
  it('the source tree keeps them: no breach beyond the listed ones, none listed that is gone, no import cycle', async () => {
    const { checkLayers } = await load();
    const result = checkLayers(root);
    expect(result.files).toBeGreaterThan(50);
    expect(result.breaches).toEqual([]);
    expect(result.stale).toEqual([]);
    expect(result.cycles).toEqual([]);
  });

  it.each([
    ['src/core/plan.ts', 'src/core/errors.ts', undefined],
    ['src/core/config-file.ts', 'src/generated/config-validator.ts', undefined],
    ['src/core/plan.ts', 'src/adapters/files.ts', 'core imports adapters'],
    ['src/core/plan.ts', 'src/actions/types.ts', 'core imports actions'],
    ['src/adapters/git.ts', 'src/core/errors.ts', undefined],
    ['src/adapters/git.ts', 'src/actions/inputs.ts', 'an adapter imports actions'],
    ['src/adapters/git.ts', 'src/runtime/log.ts', 'an adapter imports a front door'],
    ['src/actions/k8s-sync.ts', 'src/adapters/git.ts', undefined],
    ['src/actions/k8s-sync.ts', 'src/actions/inputs.ts', undefined],
    ['src/actions/k8s-sync.ts', 'src/actions/helm-sync.ts', 'a stage imports another stage'],
    ['src/actions/k8s-sync.ts', 'src/runtime/stages.ts', 'actions import a front door'],
    ['src/actions/inputs.ts', 'src/actions/k8s-sync.ts', 'a shared module of actions imports a stage'],
    ['src/runtime/stages.ts', 'src/actions/k8s-sync.ts', undefined]
  ])('%s importing %s: %s', async (from, to, why) => {
    const { breachOf } = await load();
    expect(breachOf(from, to)).toBe(why);
  });

  it.each([
    ['static', "import { a } from './b.js';", [{ path: 'src/core/b.ts', typeOnly: false }]],
    ['type-only', "import type { A } from '../adapters/b.js';", [{ path: 'src/adapters/b.ts', typeOnly: true }]],
    ['re-export', "export { a } from './b.js';", [{ path: 'src/core/b.ts', typeOnly: false }]],
    ['side effect', "import './b.js';", [{ path: 'src/core/b.ts', typeOnly: false }]],
    ['multi-line', "import {\n  a,\n  b\n} from './b.js';", [{ path: 'src/core/b.ts', typeOnly: false }]],
    ['dynamic', "const m = await import('../actions/x.js');", [{ path: 'src/actions/x.ts', typeOnly: false }]],
    ['typeof import()', "type M = typeof import('./b.js');", [{ path: 'src/core/b.ts', typeOnly: true }]],
    ['import().Name', "let x: import('./b.js').B;", [{ path: 'src/core/b.ts', typeOnly: true }]],
    ['a package', "import semver from 'semver';", []]
  ])('reads a %s import', async (_what, text, expected) => {
    const { importsOf } = await load();
    expect(importsOf('src/core/a.ts', text)).toEqual(expected);
  });

  it.each([
    ['none', { a: ['b'], b: ['c'], c: [] }, []],
    ['two files', { a: ['b'], b: ['a'] }, [['a', 'b', 'a']]],
    ['three files, found once', { a: ['b'], b: ['c'], c: ['a'] }, [['a', 'b', 'c', 'a']]],
    ['a diamond is no cycle', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, []]
  ])('cycles: %s', async (_what, graph, expected) => {
    const { cyclesOf } = await load();
    expect(cyclesOf(new Map(Object.entries(graph)))).toEqual(expected);
  });
});
