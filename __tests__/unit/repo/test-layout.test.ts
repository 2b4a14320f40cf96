import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
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

  it('has a directory of src/ for every layer it names', () => {
    expect(readdirSync(join(root, 'src')).filter(name => LAYERS.includes(name)).sort()).toEqual([...LAYERS].sort());
  });
});
