#!/usr/bin/env node
// npm run conformance: every peer's cases (conformance/<peer>/run.mjs), each in its own process; a table of pass
// rates at the end; exit 1 when any case fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

const dir = join(root, 'conformance');
const only = process.argv.slice(2);
const peers = readdirSync(dir, { withFileTypes: true })
  .filter(entry => entry.isDirectory() && existsSync(join(dir, entry.name, 'run.mjs')))
  .map(entry => entry.name)
  .filter(name => only.length === 0 || only.includes(name))
  .sort();
const rows = [];
let failed = false;
for (const peer of peers) {
  const result = spawnSync(process.execPath, [join(dir, peer, 'run.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(result.stdout);
  const summary = result.stdout.match(/^(\S+): (\d+)\/(\d+) passed/m);
  rows.push({ peer, summary: summary ? `${summary[2]}/${summary[3]}` : 'no summary', code: result.status });
  if (result.status !== 0 || !summary || summary[2] !== summary[3]) failed = true;
}
console.log('\npeer                          passed');
for (const row of rows) console.log(`${row.peer.padEnd(30)}${row.summary}${row.code === 0 ? '' : ` (exit ${row.code})`}`);
process.exit(failed ? 1 : 0);
