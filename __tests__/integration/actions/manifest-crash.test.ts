import { describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest, renderEnvFile } from '../../../src/core/manifest.js';

/**
 * The version manifest under real processes of the CLI: many `imgver manifest update` at once, and runs killed with
 * SIGKILL at any point. Plans carry their digests, so no registry is needed.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist/cli.js');
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const plan = (name: string, tag: string, n: number) =>
  JSON.stringify({ schema: 1, services: [{ name, image: `registry.local/acme/${name.replace(/\n/g, '')}`, version: tag, release: true, tags: [`registry.local/acme/${name}:${tag}`], digest: digest(n) }] });

function update(dir: string, planJson: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise(resolveRun => {
    execFile('node', [cli, 'manifest', 'update', '--plan', planJson], { cwd: dir, env: { ...process.env, GITHUB_ACTIONS: '', ...env } }, (error, stdout, stderr) => {
      resolveRun({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Everything a run may leave behind it: temporary files (.<name>.imgver-<pid>-…) and lock files, anywhere under dir. */
function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    // Entries typed by the listing itself: a run still going may remove a file between a listing and a stat.
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (/\.imgver-|\.lock$/.test(entry.name)) found.push(path);
    }
  };
  walk('');
  return found;
}

/** Every backup holds a whole manifest. */
function badBackups(dir: string): string[] {
  const backups = join(dir, '.version-backups');
  if (!existsSync(backups)) return [];
  return readdirSync(backups)
    .filter(name => !name.startsWith('.'))
    .filter(name => {
      const text = readFileSync(join(backups, name), 'utf8');
      try {
        return text.length === 0 || Object.keys(parseManifest(text, name).services).length === 0;
      } catch {
        return true;
      }
    });
}

/** versions.env says what the manifest says. */
function envAgrees(dir: string): boolean {
  const manifest = parseManifest(readFileSync(join(dir, 'version-manifest.yaml'), 'utf8'), 'version-manifest.yaml');
  return readFileSync(join(dir, 'versions.env'), 'utf8') === renderEnvFile(manifest);
}

describe('imgver manifest under concurrency and crashes (real CLI processes)', () => {
  it('12 updates at once, one service each: all 12 kept, every run exits 0, one backup per change, nothing left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-race-'));
    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => update(dir, plan(`svc-${i + 1}`, '1.0.0', i + 1))));
    expect(runs.filter(r => r.code !== 0).map(r => r.stderr.trim().split('\n').at(-1))).toEqual([]);
    const manifest = parseManifest(readFileSync(join(dir, 'version-manifest.yaml'), 'utf8'), 'version-manifest.yaml');
    expect(Object.keys(manifest.services).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `svc-${i + 1}`).sort());
    expect(envAgrees(dir)).toBe(true);
    expect(readdirSync(join(dir, '.version-backups'))).toHaveLength(11);
    expect(badBackups(dir)).toEqual([]);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it.each([
    ['a tag with a newline', plan('db', '1.0\nDB_PASSWORD=attacker', 1), 'version-manifest.yaml: the tag of service db is "1.0\\nDB_PASSWORD=attacker": expected an image tag'],
    ['a service name with a newline', plan('db\nDB_PASSWORD=attacker', '1.0', 1), 'version-manifest.yaml: a service name is "db\\nDB_PASSWORD=attacker": expected letters']
  ])('a plan with %s is refused before anything is written: no new variable in versions.env', async (_name, planJson, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-inject-'));
    expect((await update(dir, plan('db', '0.9', 9))).code).toBe(0);
    const before = [readFileSync(join(dir, 'version-manifest.yaml'), 'utf8'), readFileSync(join(dir, 'versions.env'), 'utf8')];
    const run = await update(dir, planJson);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect([readFileSync(join(dir, 'version-manifest.yaml'), 'utf8'), readFileSync(join(dir, 'versions.env'), 'utf8')]).toEqual(before);
    expect(readFileSync(join(dir, 'versions.env'), 'utf8')).not.toContain('DB_PASSWORD');
    expect(leftovers(dir)).toEqual([]);
  }, 30_000);

  it("a lock held by a live process is waited for; a dead process's lock (kill -9) is broken", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-lock-'));
    const lock = join(dir, '.version-manifest.yaml.lock');
    const owner = (pid: number) => `${JSON.stringify({ pid, host: hostname(), since: new Date().toISOString(), id: 'test' })}\n`;
    writeFileSync(lock, owner(process.pid));
    const waiting = update(dir, plan('api', '1.0.0', 1));
    await new Promise(r => setTimeout(r, 1500));
    expect(existsSync(join(dir, 'version-manifest.yaml'))).toBe(false);
    rmSync(lock);
    expect((await waiting).code).toBe(0);
    expect(readFileSync(join(dir, 'versions.env'), 'utf8')).toContain('API_TAG=1.0.0\n');

    const dead = spawn('node', ['-e', '0']);
    await new Promise(r => dead.once('exit', r));
    writeFileSync(lock, owner(dead.pid!));
    const run = await update(dir, plan('api', '1.1.0', 2));
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'versions.env'), 'utf8')).toContain('API_TAG=1.1.0\n');
    expect(leftovers(dir)).toEqual([]);
  }, 30_000);

  it('a change that fails writes nothing: no manifest, no directory made for its lock, no lock left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-fail-'));
    const run = await new Promise<Run>(resolveRun =>
      execFile('node', [cli, 'manifest', 'rollback', '--environment', 'prod', '--service', 'api'], { cwd: dir, env: { ...process.env, GITHUB_ACTIONS: '' } }, (error, stdout, stderr) =>
        resolveRun({ code: error ? 1 : 0, stdout, stderr })
      )
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Version manifest deploy/prod/version-manifest.yaml does not exist');
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);

  it('after a crash between the manifest and versions.env, the next run brings versions.env in line (not "nothing changed")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-pair-'));
    await update(dir, plan('api', '1.0.0', 1));
    const oldEnv = readFileSync(join(dir, 'versions.env'), 'utf8');
    await update(dir, plan('api', '1.1.0', 2));
    // What a crash after the manifest's rename and before versions.env's leaves.
    writeFileSync(join(dir, 'versions.env'), oldEnv);
    const again = await update(dir, plan('api', '1.1.0', 2));
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'versions.env'), 'utf8')).toContain('API_TAG=1.1.0\n');
    expect(envAgrees(dir)).toBe(true);
    expect(again.stderr).toContain('versions.env did not match version-manifest.yaml');
  }, 30_000);

  it('kill -9 at any point of 30 updates: the manifest always parses, every backup is whole, and the next run leaves the pair consistent and nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-manifest-kill-'));
    for (let i = 1; i <= 3; i++) expect((await update(dir, plan(`svc-${i}`, '1.0.0', i))).code).toBe(0);
    // A slow write (a pause between the halves of each file) widens the windows the kills land in.
    const env = { ...process.env, GITHUB_ACTIONS: '', IMGVER_TEST_SLOW_WRITE_MS: '15' };
    const started = Date.now();
    const timed = await update(dir, plan('svc-1', '1.0.1', 101), { IMGVER_TEST_SLOW_WRITE_MS: '15' });
    const runMs = Date.now() - started;
    expect(timed.code).toBe(0);
    let killed = 0;
    const problems: string[] = [];
    for (let i = 0; i < 30; i++) {
      const tag = `1.0.${i + 2}`;
      const child = spawn('node', [cli, 'manifest', 'update', '--plan', plan(`svc-${(i % 3) + 1}`, tag, 200 + i)], { cwd: dir, env, stdio: 'ignore' });
      const exited = new Promise<number | null>(r => child.once('exit', code => r(code)));
      // Half the kills at a random moment of a run, half as soon as a temporary file shows (in the middle of a write).
      const before = new Set(leftovers(dir));
      const deadline = Date.now() + (i % 2 === 0 ? Math.random() * runMs * 1.2 : runMs * 3);
      while (Date.now() < deadline && child.exitCode === null) {
        if (i % 2 === 1 && leftovers(dir).some(name => name.includes('.imgver-') && !before.has(name))) break;
        await new Promise(r => setTimeout(r, 3));
      }
      if (child.exitCode === null && child.kill('SIGKILL')) killed++;
      await exited;
      try {
        parseManifest(readFileSync(join(dir, 'version-manifest.yaml'), 'utf8'), 'version-manifest.yaml');
      } catch (error) {
        problems.push(`after kill ${i}: ${(error as Error).message}`);
      }
      problems.push(...badBackups(dir).map(name => `after kill ${i}: backup ${name} is not a whole manifest`));
    }
    expect({ killed: killed > 15, problems }).toEqual({ killed: true, problems: [] });
    // What the last kills left (a run killed before it took the lock cleared nothing) goes with the next whole run.
    const final = await update(dir, plan('svc-1', '2.0.0', 999));
    expect(final.code).toBe(0);
    expect(envAgrees(dir)).toBe(true);
    expect(readFileSync(join(dir, 'versions.env'), 'utf8')).toContain('SVC_1_TAG=2.0.0\n');
    expect(leftovers(dir)).toEqual([]);
    expect(badBackups(dir)).toEqual([]);
  }, 120_000);
});
