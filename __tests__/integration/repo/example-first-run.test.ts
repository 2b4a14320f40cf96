/**
 * The README's first command, `npm install && npm run example`, in a clean clone on a machine without Docker: the
 * second run (after a change to services/api only) must show api changed → 0.2.0, and web and worker unchanged with
 * a retag planned; the releases are real (tags and commits in the example's local origin).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A clone of the repository as it is now (committed or not): its tracked and unignored files, nothing ignored. */
function cleanClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  execFileSync('tar', ['-cf', join(dir, 'files.tar'), '--null', '--ignore-failed-read', '-T', '-'], { cwd: root, input: files.join('\0') });
  execFileSync('tar', ['-xf', 'files.tar'], { cwd: dir });
  // `npm install`: the packages this checkout already has (the tests run offline).
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('npm run example without Docker (a clean clone)', () => {
  it('releases 0.1.0, then after a change to services/api: api changed → 0.2.0, web and worker unchanged → retag planned', () => {
    const clone = cleanClone();
    const stdout = execFileSync('npm', ['run', '--silent', 'example'], {
      cwd: clone,
      encoding: 'utf8',
      // No Docker engine: the client the script would use does not exist. helm is there (as after setup-test-env.sh).
      env: { ...process.env, IMGVER_DOCKER: join(clone, 'no-docker-here'), IMGVER_HELM: join(root, '.tools/helm') },
      timeout: 120_000
    });
    const [first, second] = stdout.split('stages:').slice(1);
    expect(first).toMatch(/^api +yes +0\.1\.0 +would build localhost:5000\/example\/api:0\.1\.0$/m);
    expect(first).toContain('release: v0.1.0 on ');
    expect(second).toMatch(/^api +yes +0\.2\.0 +would build localhost:5000\/example\/api:0\.2\.0$/m);
    expect(second).toMatch(/^web +no +0\.2\.0 +would retag 0\.1\.0 → 0\.2\.0/m);
    expect(second).toMatch(/^worker +no +0\.2\.0 +would retag 0\.1\.0 → 0\.2\.0/m);
    expect(second).toContain('chart example 0.2.0 (appVersion 0.2.0): packaged example-0.2.0.tgz');
    expect(second).toContain('release: v0.2.0 on ');
    // Short and readable: two small tables.
    expect(stdout.trim().split('\n').length).toBeLessThanOrEqual(20);
  }, 180_000);
});
