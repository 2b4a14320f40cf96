import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveInside } from '../../../src/adapters/files.js';
import { TestRepo } from '../../helpers/repo.js';

/**
 * Nothing is written outside the working directory: version files, changelogs, manifests, env files, backups, charts
 * and package directories given as `..` paths, absolute paths, or through symlinked directories are refused with an
 * error naming the input, and neither the repository nor anything outside it changes.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');

/** Every file and link under `dir` with its content (links: their target), to compare before and after. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      if (name === '.git' && sub === '') continue;
      const rel = join(sub, name);
      const stat = lstatSync(join(dir, rel));
      if (stat.isSymbolicLink()) files[rel] = `-> ${readlinkSync(join(dir, rel))}`;
      else if (stat.isDirectory()) walk(rel);
      else files[rel] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return files;
}

describe('resolveInside', () => {
  let base: string;
  let work: string;
  let outside: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'imgver-inside-'));
    work = join(base, 'work');
    outside = join(base, 'outside');
    mkdirSync(join(work, 'deploy'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(work, 'linked'));
    symlinkSync('deploy', join(work, 'alias'));
    symlinkSync(join(base, 'nowhere'), join(work, 'dangling'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it.each([
    ['a plain path', 'deploy/prod/m.yaml'],
    ['a path that does not exist yet', 'new/dir/file'],
    ['.. that stays inside', 'deploy/../VERSION'],
    ['a symlink to a directory inside', 'alias/m.yaml']
  ])('accepts %s', (_what, path) => {
    expect(resolveInside(work, path, 'manifest')).toBe(join(work, path));
  });

  it.each([
    ['..', '../x'],
    ['.. deeper', 'deploy/../../outside/x'],
    ['an absolute path', '/etc/passwd'],
    ['a symlinked directory leading out', 'linked/x'],
    ['a symlink leading out, itself', 'linked'],
    ['a dangling symlink', 'dangling'],
    ['a path under a dangling symlink', 'dangling/x'],
    ['an empty path', ''],
    ['a NUL byte', 'a\0b']
  ])('refuses %s, naming the input', (_what, path) => {
    expect(() => resolveInside(work, path, 'manifest')).toThrow(/^Input 'manifest'/);
  });
});

describe('the CLI writes nothing outside the working directory', () => {
  let base: string;
  let outside: string;
  let repo: TestRepo;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'imgver-escape-'));
    outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'VERSION'), '0.1.0\n');
    writeFileSync(join(outside, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n- x\n');
    writeFileSync(join(outside, 'version-manifest.yaml'), 'services: {}\n');
    repo = new TestRepo(join(base, 'repo'));
    mkdirSync(repo.dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'test@imgver.local');
    repo.git('config', 'user.name', 'imgver test');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  function expectRefused(args: string[], input: RegExp, files: Record<string, string> = {}, links: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) repo.write(path, text);
    for (const [path, target] of Object.entries(links)) {
      mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
      symlinkSync(target, join(repo.dir, path));
    }
    repo.commit('init');
    const beforeRepo = snapshot(repo.dir);
    const beforeOutside = snapshot(outside);
    const result = spawnSync(process.execPath, [cli, ...args], { cwd: repo.dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(input) });
    expect(result.stderr).toMatch(/outside the working directory|symlink to nothing/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(repo.dir)).toEqual(beforeRepo);
    expect(snapshot(outside)).toEqual(beforeOutside);
    expect(repo.git('status', '--porcelain')).toBe('');
  }

  const config = (version: string) => ({ 'imgver.yaml': `image: ghcr.io/acme/{{service}}\nservices:\n  app:\nversion:\n${version}` });

  it('manifest set --environment ../../outside', () => {
    expectRefused(['manifest', 'set', '--environment', '../../outside', '--service', 'api', '--tag', '1.0.0'], /Input 'environment'/);
  });
  it('manifest set --manifest ../outside/version-manifest.yaml', () => {
    expectRefused(['manifest', 'set', '--manifest', '../outside/version-manifest.yaml', '--service', 'api', '--tag', '1.0.0'], /Input 'manifest'/);
  });
  it('manifest set --manifest with an absolute path', () => {
    expectRefused(['manifest', 'set', '--manifest', join(outside, 'version-manifest.yaml'), '--service', 'api', '--tag', '1.0.0'], /Input 'manifest'/);
  });
  it('manifest set --versions-env (the env-file input) ../outside/versions.env', () => {
    expectRefused(['manifest', 'set', '--environment', 'prod', '--versions-env', '../outside/versions.env', '--service', 'api', '--tag', '1.0.0'], /Input 'env-file'/);
  });
  it('manifest set into a deploy directory that is a symlink out', () => {
    expectRefused(['manifest', 'set', '--environment', 'prod', '--service', 'api', '--tag', '1.0.0'], /Input 'environment'.*symlink/, {}, { 'deploy/prod': outside });
  });
  it('manifest set with .version-backups a symlink out', () => {
    expectRefused(['manifest', 'set', '--manifest', 'm.yaml', '--service', 'api', '--tag', '1.0.0'], /backup directory/, { 'm.yaml': 'services: {}\n' }, { '.version-backups': outside });
  });
  it('compute-version --write with version.file ../outside/VERSION', () => {
    expectRefused(['compute-version', '--write', '--version-source', 'file'], /Version file \.\.\/outside\/VERSION/, config('  source: file\n  file: ../outside/VERSION\n'));
  });
  it('compute-version --write with the version file in a symlinked directory', () => {
    expectRefused(['compute-version', '--write', '--version-source', 'file'], /Version file linked\/VERSION/, config('  source: file\n  file: linked/VERSION\n'), { linked: outside });
  });
  it('compute-version --write with version.changelog ../outside/CHANGELOG.md', () => {
    expectRefused(['compute-version', '--write', '--bump', 'patch'], /Changelog \.\.\/outside\/CHANGELOG\.md/, config('  changelog: ../outside/CHANGELOG.md\n'));
  });
  it('compute-version --version-file through a dangling symlink', () => {
    expectRefused(['compute-version', '--write', '--version-source', 'file', '--version-file', 'gone/VERSION'], /symlink to nothing/, { 'imgver.yaml': 'image: ghcr.io/acme/{{service}}\nservices:\n  app:\n' }, { gone: join(base, 'nowhere') });
  });
  it('compute-version --config ../outside/imgver.yaml', () => {
    writeFileSync(join(outside, 'imgver.yaml'), 'image: ghcr.io/acme/app\n');
    expectRefused(['compute-version', '--config', '../outside/imgver.yaml'], /Input 'config'/);
  });
  it('detect-changes --filters ../outside/filters.yaml', () => {
    writeFileSync(join(outside, 'filters.yaml'), 'api: [api/**]\n');
    expectRefused(['detect-changes', '--filters', '../outside/filters.yaml', '--all'], /Input 'filters'/);
  });
  it('helm-sync --charts ../outside/chart', () => {
    mkdirSync(join(outside, 'chart'));
    writeFileSync(join(outside, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    expectRefused(['helm-sync', '--charts', '../outside/chart', '--ref', 'refs/tags/v1.2.3', '--write-only'], /Chart \.\.\/outside\/chart/);
  });
  it('helm-sync on a chart directory that is a symlink out', () => {
    mkdirSync(join(outside, 'chart'));
    writeFileSync(join(outside, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    expectRefused(['helm-sync', '--charts', 'chart', '--ref', 'refs/tags/v1.2.3', '--write-only'], /Chart chart.*symlink/, {}, { chart: join(outside, 'chart') });
  });
  it('helm-sync --package-dir ../outside/pkg', () => {
    expectRefused(['helm-sync', '--charts', 'chart', '--ref', 'refs/tags/v1.2.3', '--package-dir', '../outside/pkg'], /package-dir|Input 'package-dir'/, {
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.2.3\nappVersion: 1.2.3\n'
    });
  });
  it('release --files ../outside/VERSION', () => {
    expectRefused(['release', '--files', '../outside/VERSION', '--dry-run', '--ref', 'refs/heads/main', '--plan', '{"schema":1,"services":[{"name":"app","image":"ghcr.io/acme/app","version":"1.0.0","release":true,"releaseTag":"v1.0.0"}]}'], /Input 'files'/);
  });
});
