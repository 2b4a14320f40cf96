/**
 * package-lock.json must hold the native packages of every platform: npm ci installs only what the lockfile lists, so a
 * lock resolved on one machine without the others' optional packages leaves a Mac or an arm64 runner without the
 * @swc/core binary (the test transform) or the unrs-resolver binding (jest's resolver).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

interface LockPackage {
  version?: string;
  os?: string[];
  cpu?: string[];
  optionalDependencies?: Record<string, string>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockPackage> };
const packages = lock.packages;

/** Where Node would find `name` from the package at `from` (its own node_modules, then each parent's). */
function locate(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

describe('package-lock.json installs on every platform', () => {
  it('is a lockfile v3 (npm 9+), which records optional platform packages', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('every optional dependency of every locked package has an entry of its own, at its pinned version', () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(packages)) {
      for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
        const at = locate(path, name);
        if (!at) missing.push(`${path || '(root)'} → ${name}@${range}`);
        else if (/^\d+\.\d+\.\d+$/.test(range) && packages[at].version !== range) missing.push(`${path} → ${name}@${range} (locked ${packages[at].version})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each([
    ['@swc/core', 'darwin', 'arm64'],
    ['@swc/core', 'darwin', 'x64'],
    ['@swc/core', 'linux', 'arm64'],
    ['@swc/core', 'win32', 'x64'],
    ['unrs-resolver', 'darwin', 'arm64'],
    ['unrs-resolver', 'darwin', 'x64'],
    ['unrs-resolver', 'linux', 'arm64'],
    ['unrs-resolver', 'win32', 'x64'],
    ['esbuild', 'darwin', 'arm64'],
    ['esbuild', 'linux', 'arm64']
  ])('%s has a native package for %s-%s', (parent, os, cpu) => {
    const entry = packages[`node_modules/${parent}`];
    expect(entry).toBeDefined();
    const natives = Object.keys(entry.optionalDependencies ?? {})
      .map(name => packages[locate(`node_modules/${parent}`, name) ?? ''])
      .filter((pkg): pkg is LockPackage => !!pkg);
    expect(natives.some(pkg => pkg.os?.includes(os) && pkg.cpu?.includes(cpu))).toBe(true);
  });
});
