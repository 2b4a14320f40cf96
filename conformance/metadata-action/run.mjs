#!/usr/bin/env node
// docker/metadata-action's own test tables (__tests__/meta.test.ts), replayed through `imgver compute-version`.
//
// The cases are data: meta-cases.json (inputs and expected answers, each naming its table and row) and events.json
// (the GITHUB_* variables and the parts of the event payloads their fixtures hold). How their test set-up maps onto
// imgver's command line:
// - Their tests pin the clock (Date and moment) at 2020-01-10T00:30:00Z; here SOURCE_DATE_EPOCH says that instant,
//   and the commit timestamps of the payloads say it too (their moment mock renders every date, commit dates
//   included, as that instant).
// - Their tests answer GitHub's repository API with fixtures/repo.json; imgver makes no API call and reads the same
//   fields from the event payload's `repository`, so each run's payload carries them.
// - Each case runs twice where it has images: with its images, and with no image (`--version-source metadata`),
//   where metadata-action answers with bare tag names.
// - Runs happen in a real git repository, except the cases with no ref at all, which run outside any repository
//   (inside one, imgver reads the branch from git, as metadata-action's `context: git` does).
// - Their parser tables (tag.test.ts, flavor.test.ts, image.test.ts, meta.test.ts's isRawStatement: parse-cases.json)
//   check what a line parses to.
//   imgver shows that through what the line does: each runs on a push of tag v1.2.3; a line they reject must fail
//   with one clean error (no stack trace); a flavor or images line they accept must give the tags its parsed form
//   gives there; a tag rule they accept must be accepted.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo, imgver, report } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { repository, events } = JSON.parse(readFileSync(join(here, 'events.json'), 'utf8'));
const metaCases = JSON.parse(readFileSync(join(here, 'meta-cases.json'), 'utf8'));
const parseCases = JSON.parse(readFileSync(join(here, 'parse-cases.json'), 'utf8'));
const inputCases = JSON.parse(readFileSync(join(here, 'inputs-cases.json'), 'utf8'));
const differences = JSON.parse(readFileSync(join(here, 'differences.json'), 'utf8'));

const PINNED = '2020-01-10T00:30:00.000Z';
const PINNED_EPOCH = String(Date.parse(PINNED) / 1000);

const repo = Repo.create({ branch: 'master' });
repo.commit('initial commit', { 'Dockerfile': 'FROM scratch\n' });
const outside = mkdtempSync(join(tmpdir(), 'imgver-conf-'));
Repo.created.push(outside);

/** The environment and event payload file of one of their fixtures, mapped as the header says. */
function environment(eventName, extra = {}) {
  const event = events[eventName];
  if (!event) throw new Error(`no fixture ${eventName} in events.json`);
  const payload = structuredClone(event.payload ?? {});
  const { source: _source, ...repoFields } = repository;
  payload.repository = { ...repoFields, default_branch: payload.repository?.default_branch ?? repoFields.default_branch };
  if (payload.head_commit) payload.head_commit.timestamp = PINNED;
  for (const commit of payload.commits ?? []) commit.timestamp = PINNED;
  const dir = mkdtempSync(join(tmpdir(), 'imgver-conf-'));
  Repo.created.push(dir);
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  const env = { ...event.env, GITHUB_ACTIONS: 'true', GITHUB_EVENT_PATH: path, SOURCE_DATE_EPOCH: PINNED_EPOCH, ...extra };
  for (const [key, value] of Object.entries(env)) if (value === '') delete env[key];
  return env;
}

function args(inputs, { withImages }) {
  const out = ['compute-version', '--json'];
  if (withImages) for (const image of inputs.images ?? []) out.push('--images', image);
  else out.push('--version-source', 'metadata');
  for (const [input, flag] of [['tags', 'tags'], ['flavor', 'flavor'], ['labels', 'labels'], ['annotations', 'annotations']]) {
    for (const line of inputs[input] ?? []) out.push(`--${flag}`, line);
  }
  if (inputs.sepTags !== undefined) out.push(`--sep-tags=${inputs.sepTags}`);
  return out;
}

const lines = text => (text === '' ? [] : text.split('\n'));
/** The tag names of image:tag references, in order, once each (metadata-action's tags when there is no image). */
const tagNames = tags => tags.map(tag => tag.slice(tag.lastIndexOf(':') + 1)).filter((tag, i, all) => all.indexOf(tag) === i);

function runCase(c, { withImages }) {
  const env = environment(c.event, c.env);
  const cwd = env.GITHUB_REF ? repo.dir : outside;
  const result = imgver(args(c.inputs, { withImages }), { cwd, env });
  // A documented difference where imgver refuses the input: its answer is a clean error (exit 1, no stack trace).
  const refusal = differences[c.name]?.error;
  if (refusal) {
    assert.equal(result.code, 1, `exit code (expected imgver's clean error ${refusal})`);
    assert.match(result.stderr, new RegExp(refusal));
    assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    return;
  }
  if (result.code !== 0 || !result.json) throw new Error(`exit ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const out = result.json;
  const { expect } = c;
  if (expect.version) {
    assert.equal(out.version, expect.version.main ?? '', 'version output');
    const tags = withImages ? expect.tags : tagNames(expect.tags);
    assert.deepEqual(lines(out.tags), tags, 'tags output');
    assert.deepEqual(lines(out.labels), expect.labels, 'labels output');
    assert.deepEqual(lines(out.annotations), expect.annotations.map(a => `manifest:${a}`), 'annotations output');
  }
  if (expect.json) {
    const json = withImages ? expect.json : { ...expect.json, tags: expect.json['tag-names'] };
    assert.deepEqual(out.json, json, 'json output');
  }
  if (expect.tagsJoined !== undefined) {
    const joined = withImages ? expect.tagsJoined : tagNames(expect.tagsJoined.split(c.inputs.sepTags)).join(c.inputs.sepTags);
    assert.equal(out.tags, joined, 'tags output');
  }
}

/** The tags a parsed flavor gives to `type=semver,pattern={{version}}` on tag v1.2.3, as metadata-action builds them. */
function flavorTags(flavor) {
  const tags = [`${flavor.prefix}1.2.3${flavor.suffix}`];
  if (flavor.latest !== 'false') tags.push(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`);
  return tags;
}

/**
 * Their isRawStatement table: whether a semver pattern is `{{raw}}` alone. It shows on a prerelease tag, which keeps
 * its raw form under such a pattern and is written as its version under any other. The pattern is quoted as a CSV
 * field, since one of theirs holds a comma.
 */
function runRawStatementCase(c) {
  const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v2.0.8-beta.67', GITHUB_SHA: repo.git('rev-parse', 'HEAD') };
  const result = imgver(['compute-version', '--json', '--images', 'user/app', '--tags', `type=semver,"pattern=${c.pattern.replace(/"/g, '""')}"`], { cwd: repo.dir, env });
  if (result.code !== 0 || !result.json) throw new Error(`exit ${result.code}: ${result.stderr.trim().split('\n').pop()}`);
  assert.equal(result.json.version, c.isRaw ? 'v2.0.8-beta.67' : '2.0.8-beta.67');
}

function runParseCase(c) {
  if (c.kind === 'raw-statement') return runRawStatementCase(c);
  const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_SHA: repo.git('rev-parse', 'HEAD') };
  const flags = { tags: [], flavor: [], images: ['user/app'] };
  flags[c.kind] = c.lines;
  if (c.kind === 'flavor') flags.tags = ['type=semver,pattern={{version}}'];
  const argv = ['compute-version', '--json', ...Object.entries(flags).flatMap(([flag, lines]) => lines.flatMap(line => [`--${flag}`, line]))];
  const result = imgver(argv, { cwd: repo.dir, env });
  if (c.invalid) {
    assert.equal(result.code, 1, `expected an error, got exit ${result.code}: ${result.stdout.slice(0, 200)}`);
    assert.match(result.stderr, /imgver compute-version: error: /);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    return;
  }
  if (result.code !== 0 || !result.json) throw new Error(`exit ${result.code}: ${result.stderr.trim().split('\n').pop()}`);
  if (c.kind === 'flavor') assert.deepEqual(lines(result.json['tag-names']), flavorTags(c.parsed), 'tag names');
  if (c.kind === 'images') {
    const expected = c.parsed.filter(image => image.enable).flatMap(image => [`${image.name.toLowerCase()}:v1.2.3`, `${image.name.toLowerCase()}:latest`]);
    assert.deepEqual(lines(result.json.tags), expected, 'tags');
  }
}

const cases = [];
const skipped = [];
/**
 * Their getInputs table: each input as the runner passes it (one multi-line value). What they parse it to shows in
 * the outputs: every image tagged, separators used, comment lines dropped, `#` inside a value kept.
 */
function runInputCase(c) {
  const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_SHA: repo.git('rev-parse', 'HEAD') };
  const argv = ['compute-version', '--json', ...Object.entries(c.inputs).map(([name, value]) => `--${name}=${value}`)];
  if (!c.inputs.images) argv.push('--images=user/app');
  const result = imgver(argv, { cwd: repo.dir, env });
  if (result.code !== 0 || !result.json) throw new Error(`exit ${result.code}: ${result.stderr.trim().split('\n').pop()}`);
  const out = result.json;
  const { parsed } = c;
  const images = parsed.images ?? ['user/app'];
  const names = parsed.tags ? ['v-1foo-bar'] : ['v1.2.3', 'latest'];
  assert.equal(out.tags, images.flatMap(image => names.map(name => `${image}:${name}`)).join(parsed.sepTags), 'tags');
  const labels = out.labels.split(parsed.sepLabels);
  const annotations = out.annotations.split(parsed.sepAnnotations);
  assert.equal(labels.length, 8 + (parsed.labels?.length ?? 0), 'label count');
  assert.equal(annotations.length, 8 + (parsed.annotations ? parsed.annotations.filter(a => !/\.(url|source)=/.test(a)).length : 0), 'annotation count');
  for (const label of parsed.labels ?? []) assert.ok(labels.includes(label), `label ${label}`);
  for (const annotation of parsed.annotations ?? []) assert.ok(annotations.includes(`manifest:${annotation}`), `annotation ${annotation}`);
}

// A documented difference says why, and what imgver answers instead (checked like any other answer).
const withDifference = c => {
  const { why, ...answer } = differences[c.name] ?? {};
  return { ...c, ...answer, differs: why };
};
for (const c of inputCases) cases.push({ name: c.name, source: c.source, run: () => runInputCase(c) });
for (const c of parseCases.map(withDifference)) cases.push({ name: c.name, source: c.source, differs: c.differs, run: () => runParseCase(c) });
for (const c of metaCases) {
  if (c.expect.bake || c.expect.bakeTags) {
    skipped.push(c);
    continue;
  }
  const variants = (c.inputs.images ?? []).length > 0 ? [true, false] : [false];
  for (const withImages of variants) {
    const name = `${c.name}${withImages ? '' : ' (no image)'}`;
    const differs = differences[name]?.why ?? differences[c.name]?.why;
    cases.push({ name, source: c.source, differs, run: () => runCase(c, { withImages }) });
  }
}
if (skipped.length) console.log(`  not run: ${skipped.length} bake-file cases (${skipped.map(c => c.name).join(', ')}): imgver writes no bake file, see the README`);
await report('metadata-action', cases);
