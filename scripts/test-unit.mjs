#!/usr/bin/env node
/**
 * `npm run test:unit`: the unit tier with a PATH that holds only `node`, so a unit test that reaches for git, docker,
 * skopeo, helm or any other program fails here instead of passing on a machine that happens to have it.
 * Prints the wall time. Arguments pass through to jest (`npm run test:unit -- core/version`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const bin = mkdtempSync(join(tmpdir(), 'imgver-node-only-'));
symlinkSync(process.execPath, join(bin, 'node'));

const env = { ...process.env, PATH: bin, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' ') };
const started = process.hrtime.bigint();
const child = spawn(process.execPath, [jest, '--selectProjects', 'unit', ...process.argv.slice(2)], { env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  rmSync(bin, { recursive: true, force: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`unit tier: ${seconds.toFixed(1)} s, PATH=${bin} (node only)`);
  process.exit(code ?? (signal ? 1 : 0));
});
