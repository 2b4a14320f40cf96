#!/usr/bin/env node
/**
 * `node scripts/test-tier.mjs unit|integration [jest arguments]`: one tier of the tests (the jest projects of
 * jest.config.js), then its wall time.
 * The unit tier runs with a PATH that holds only `node`, so a unit test that reaches for git, docker, skopeo, helm or
 * any other program fails here rather than passing on a machine that happens to have it.
 * Jest arguments go before --selectProjects, which would take a test path after it for a project name.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [tier, ...args] = process.argv.slice(2);
if (tier !== 'unit' && tier !== 'integration') {
  console.error('Usage: node scripts/test-tier.mjs unit|integration [jest arguments]');
  process.exit(2);
}
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' ') };
let nodeOnly;
if (tier === 'unit') {
  nodeOnly = mkdtempSync(join(tmpdir(), 'imgver-node-only-'));
  symlinkSync(process.execPath, join(nodeOnly, 'node'));
  env.PATH = nodeOnly;
}

const started = process.hrtime.bigint();
const child = spawn(process.execPath, [jest, ...args, '--selectProjects', tier], { env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  if (nodeOnly) rmSync(nodeOnly, { recursive: true, force: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${tier} tier: ${seconds.toFixed(1)} s${nodeOnly ? ' with PATH holding only node' : ''}`);
  process.exit(code ?? (signal ? 1 : 0));
});
