// Shared by the next-version peers (semantic-version, both github-tag-actions, release-please): a case is a list of
// steps replayed in a real git repository, each `run` step running the real CLI twice (version-only, and with an
// image and version-source git-tag) and comparing imgver's outputs with the peer's expected answer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Repo, cli, tempFile } from './lib.mjs';

export const IMAGE = 'registry.local/acme/app';

/**
 * Steps: ['commit', message, dir?] (a new empty file test<N> under dir, as the peers' tests do),
 * ['empty', message] (git commit --allow-empty), ['tag', name, ref?], ['git', ...args],
 * ['run', { config?, args?, env? }, expected]. expected: { version, core, tag, previous, release, bump, error }.
 * `core` compares only X.Y.Z (the peer's format adds a build counter imgver has no equivalent of).
 */
export async function replay(c, { branch = 'main' } = {}) {
  const repo = Repo.create({ branch: c.branch ?? branch });
  let file = 0;
  for (const step of c.steps) {
    const [kind, ...rest] = step;
    if (kind === 'commit') {
      const [message, dir] = rest;
      repo.commit(message, { [`${dir ? `${dir}/` : ''}test${++file}`]: '' });
    } else if (kind === 'empty') repo.commit(rest[0]);
    else if (kind === 'tag') repo.git('tag', rest[0], rest[1] ?? 'HEAD');
    else if (kind === 'git') repo.git(...rest);
    else if (kind === 'run') await runStep(repo, rest[0], rest[1]);
    else throw new Error(`unknown step ${kind}`);
  }
}

/** The CLI as lib.mjs's imgver() runs it (a clean environment), but without blocking: cases run side by side. */
function imgverAsync(args, { cwd, env = {} }) {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC' };
  return new Promise(done => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, json });
    });
  });
}

async function runStep(repo, run, expected) {
  const args = ['compute-version', '--json', ...(run.args ?? [])];
  // The config lives outside the repository and is given by its absolute path.
  if (run.config) args.push('--config', tempFile('imgver.yaml', run.config));
  for (const withImage of [false, true]) {
    const full = withImage ? [...args, '--images', IMAGE, '--version-source', 'git-tag'] : args;
    const result = await imgverAsync(full, { cwd: repo.dir, env: run.env });
    const label = withImage ? ' (with an image)' : '';
    if (expected.error) {
      assert.notEqual(result.code, 0, `expected an error${label}`);
      assert.match(result.stderr, expected.error);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      continue;
    }
    assert.equal(result.code, 0, `imgver failed${label}: ${result.stderr.split('\n').slice(-3).join(' ')}`);
    const out = result.json;
    const plan = out.plan.services[0];
    if (expected.version !== undefined) assert.equal(out.version, expected.version, `version${label}`);
    if (expected.core !== undefined) assert.equal(out.version, expected.core.replace(/[+.]\d+$/, ''), `version core of ${expected.core}${label}`);
    if (expected.previous !== undefined) assert.equal(out.previous, expected.previous, `previous${label}`);
    if (expected.release !== undefined) assert.equal(out.release, String(expected.release), `release${label}`);
    if (expected.bump !== undefined) assert.equal(out.bump, expected.bump, `bump${label}`);
    if (expected.tag !== undefined) {
      assert.equal(expected.release === false ? renderTag(run, out.version) : plan.releaseTag, expected.tag, `tag${label}`);
    }
    if (expected.prerelease !== undefined) assert.equal(out.prerelease, String(expected.prerelease), `prerelease${label}`);
    if (withImage && out.release === 'true') {
      assert.ok(out.tags.split('\n').includes(`${IMAGE}:${out.version.replace(/\+/g, '_')}`), `tags of the image hold ${out.version}: ${out.tags}`);
    }
    if (!withImage && out.release === 'true') {
      assert.ok(out['tag-names'].split('\n').includes(out.version.replace(/\+/g, '_')), `bare tags hold ${out.version}: ${out['tag-names']}`);
    }
  }
}

/** The tag of a version under the run's tag-format (for expectations on a commit that releases nothing). */
function renderTag(run, version) {
  const format = run.config?.match(/tag-format:\s*"([^"]*)"/)?.[1] ?? 'v{{version}}';
  return format.replace('{{version}}', version);
}

/** A YAML config from a few lines (the peer's inputs translated, see each peer's README table). */
export const yaml = lines => lines.filter(Boolean).join('\n') + '\n';

/**
 * Every case through replay, for report(): the cases start side by side (a few at a time, each its own repository
 * and processes) and report() takes their outcomes in order.
 */
export function runnable(cases, concurrency = Math.max(2, Math.min(4, availableParallelism()))) {
  const queue = cases.map((c, i) => i);
  const outcomes = new Array(cases.length);
  const settle = [];
  for (let i = 0; i < cases.length; i++) settle.push(new Promise(resolve => (outcomes[i] = resolve)));
  const worker = async () => {
    while (queue.length > 0) {
      const i = queue.shift();
      try {
        await replay(cases[i]);
        outcomes[i]({ ok: true });
      } catch (error) {
        outcomes[i]({ ok: false, error });
      }
    }
  };
  for (let w = 0; w < concurrency; w++) worker();
  return cases.map((c, i) => ({
    ...c,
    run: async () => {
      const outcome = await settle[i];
      if (!outcome.ok) throw outcome.error;
    }
  }));
}
