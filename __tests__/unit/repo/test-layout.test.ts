import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * jest.config.js runs `__tests__/unit/**` and `__tests__/integration/**` only: a test file anywhere else would never
 * run. Under each tier the tree mirrors src/ (its layers), plus repo/ for checks of the repository itself.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tests = join(root, '__tests__');
const LAYERS = ['core', 'adapters', 'actions', 'runtime'];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return /\.test\.[cm]?[jt]s$/.test(entry.name) ? [relative(tests, path)] : [];
  });
}

describe('the test tree', () => {
  const files = testFiles(tests);

  it('finds the test files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('holds every test file under unit/ or integration/, then a layer of src/ or repo/', () => {
    const misplaced = files.filter(file => {
      const [tier, layer] = file.split('/');
      return !['unit', 'integration'].includes(tier) || ![...LAYERS, 'repo'].includes(layer);
    });
    expect(misplaced).toEqual([]);
  });

  // `npm run test:unit` proves it with a PATH holding only node; this holds when the unit project runs with a full PATH.
  it('keeps the unit tier off other programs: no child processes, no git, registry, helm or composite helpers, no dist/', () => {
    const reaching = files
      .filter(file => file.startsWith('unit/') && file !== 'unit/repo/test-layout.test.ts')
      .filter(file => /node:child_process|helpers\/(repo|registry|helm|composite|run-action|fault-proxy)\.js|dist\//.test(readFileSync(join(tests, file), 'utf8')));
    expect(reaching).toEqual([]);
  });

  it('has a directory of src/ for every layer it names', () => {
    expect(readdirSync(join(root, 'src')).filter(name => LAYERS.includes(name)).sort()).toEqual([...LAYERS].sort());
  });
});
