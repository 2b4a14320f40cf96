import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../../../dist/cli.js');

/** Runs the bundled CLI, reading its stdout only after `delayMs`, or closing it after the first chunk. */
function runCli(args: string[], reader: { delayMs?: number; closeEarly?: boolean }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    // Listening but paused: the pipe fills while the child writes, and nothing is read until the delay is over.
    child.stdout.on('data', chunk => {
      stdout += chunk;
      if (reader.closeEarly) child.stdout.destroy();
    });
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), reader.delayMs ?? 0);
    const exited = new Promise<number | null>(done => child.on('exit', code => done(code)));
    const drained = new Promise(done => child.stdout.on('close', done));
    void Promise.all([exited, drained]).then(([code]) => resolve({ code, stdout, stderr }));
  });
}

describe('CLI output straight to the descriptors', () => {
  it('writes the whole output in order to a reader that starts late', async () => {
    const { code, stdout } = await runCli(['compute-version', '--help'], { delayMs: 300 });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^imgver compute-version: /);
    expect(stdout.trimEnd()).toMatch(/\n {2}\S[\s\S]*$/);
  });

  it('stops quietly when the reader goes away (a pipe into head)', async () => {
    const { code, stderr } = await runCli(['--help'], { closeEarly: true });
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
