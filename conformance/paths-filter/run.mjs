#!/usr/bin/env node
// dorny/paths-filter's test cases (cases.mjs) replayed through `imgver detect-changes --filters …` in real git
// repositories: real commits, renames and deletions (or staged and unstaged changes for base HEAD). Each scenario runs
// twice: with no imgver.yaml, and with one that gives every filter an image (filters become services with images), and
// must give the peer's answer both times: per filter, the `<name>` output (true/false), `<name>_count`, the files listed
// (`<name>_files` in the list-files format, JSON when the case names none), and `changes`.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { imgver, report, Repo } from '../lib.mjs';
import { cases } from './cases.mjs';

const VARIANTS = [
  { name: 'without an image', config: undefined },
  { name: 'with an image', config: 'image: ghcr.io/acme/{{service}}\n' }
];

/** One commit of base files, then one of the changes; returns the repository and the base commit. */
function committed(changes) {
  const repo = Repo.create();
  const before = ['seed.txt', ...(changes.modified ?? []), ...(changes.deleted ?? []), ...(changes.renamed ?? []).map(([from]) => from)];
  const base = repo.commit('base', Object.fromEntries(before.map(path => [path, `base ${path}\n`])));
  for (const path of changes.added ?? []) repo.write(path, `added ${path}\n`);
  for (const path of changes.modified ?? []) repo.write(path, `modified ${path}\n`);
  for (const path of changes.deleted ?? []) repo.git('rm', '-q', '--', path);
  for (const [from, to] of changes.renamed ?? []) {
    mkdirSync(dirname(join(repo.dir, to)), { recursive: true });
    repo.git('mv', '--', from, to);
  }
  repo.commit('change');
  return { repo, base };
}

/**
 * master: A (seed.txt, main.txt, tag v1) → B (main.txt edited), with a 40-character branch name at B; feature branches
 * off A and adds feature.txt. From feature, a merge-base base gives [feature.txt]; B itself gives [feature.txt, main.txt].
 */
function fork() {
  const repo = Repo.create({ branch: 'master' });
  repo.commit('A', { 'seed.txt': 'seed\n', 'main.txt': 'one\n' });
  repo.tag('v1');
  const tip = repo.commit('B', { 'main.txt': 'two\n' });
  repo.git('branch', 'This_is_very_long_name_for_a_branch_1111');
  repo.git('checkout', '-q', '-b', 'feature', 'v1');
  repo.commit('C', { 'feature.txt': 'feature\n' });
  return { repo, shaOfMaster: tip };
}

/** Staged, unstaged and untracked changes on top of one commit. */
function worktree({ staged = {}, unstaged = {}, untracked = {} }) {
  const repo = Repo.create();
  repo.commit('base', Object.fromEntries(['seed.txt', ...Object.keys(unstaged)].map(path => [path, `base ${path}\n`])));
  for (const [path, text] of Object.entries(staged)) repo.write(path, text).git('add', '--', path);
  for (const [path, text] of Object.entries(unstaged)) repo.write(path, text);
  for (const [path, text] of Object.entries(untracked)) repo.write(path, text);
  return { repo };
}

function replay(c, scenario, variant) {
  let repo;
  let base = c.options?.base;
  if (scenario.history === 'fork') {
    const made = fork();
    repo = made.repo;
    base = scenario.base === '<sha of master>' ? made.shaOfMaster : scenario.base;
  } else if (scenario.worktree) {
    repo = worktree(scenario.worktree).repo;
  } else {
    const made = committed(scenario.changes);
    repo = made.repo;
    base ??= made.base;
  }
  // Untracked, so it is in no diff; detect-changes reads it all the same.
  if (variant.config) repo.write('imgver.yaml', variant.config);
  const listFiles = c.options?.['list-files'] ?? 'json';
  const args = ['detect-changes', '--filters', c.filters, '--base', base, '--list-files', listFiles, '--json'];
  if (c.options?.['predicate-quantifier']) args.push('--predicate-quantifier', c.options['predicate-quantifier']);
  const result = imgver(args, { cwd: repo.dir });
  const where = `(${variant.name})`;
  if (scenario.error) {
    assert.equal(result.code, 1, `${where} expected exit 1 and an error, got exit ${result.code}: ${result.stderr}`);
    assert.match(result.stderr, scenario.error, `${where} the error does not say what the peer's does`);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `${where} a stack trace for a user mistake`);
    return;
  }
  assert.equal(result.code, 0, `${where} exit ${result.code}: ${result.stderr}`);
  const outputs = result.json;
  for (const [name, files] of Object.entries(scenario.expect ?? {})) {
    assert.equal(outputs[name], String(files.length > 0), `${where} ${name}: expected ${files.length > 0}, got ${outputs[name]}`);
    assert.equal(outputs[`${name}_count`], String(files.length), `${where} ${name}_count: expected ${files.length}, got ${outputs[`${name}_count`]}`);
    const listed = outputs[`${name}_files`];
    assert.deepEqual(listed === undefined ? outputs.files?.[name] : JSON.parse(listed), files, `${where} ${name}_files`);
  }
  for (const [name, text] of Object.entries(scenario.listed ?? {})) {
    assert.equal(outputs[`${name}_files`], text, `${where} ${name}_files (list-files: ${listFiles})`);
  }
  // --json prints the changes output parsed (the step output is its JSON text).
  if (scenario.expectChanges) assert.deepEqual(outputs.changes, scenario.expectChanges, `${where} changes`);
}

await report(
  'paths-filter',
  cases.map(c => ({
    name: c.source.split(' › ').slice(1).join(' › '),
    source: c.source,
    differs: c.differs,
    run: () => {
      for (const scenario of c.scenarios) for (const variant of VARIANTS) replay(c, scenario, variant);
    }
  }))
);
