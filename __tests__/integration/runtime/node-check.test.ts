/**
 * The composite actions run the `node` first on PATH (a container: job's image, or what actions/setup-node set up):
 * each checks it is Node 20+ first, and otherwise fails saying what it found and what to do.
 */
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ACTION_SPECS } from '../../../src/actions/specs.js';
import { runComposite } from '../../helpers/composite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A directory holding a fake `node` that reports `version` (and would fail loudly if asked to run anything). */
function fakeNode(version: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-fake-node-'));
  mkdirSync(join(dir, 'bin'));
  const body = version === undefined ? 'exit 127' : `[ "$1" = --version ] && { echo ${version}; exit 0; }\necho "the bundle must not run on this node" >&2; exit 99`;
  writeFileSync(join(dir, 'bin', 'node'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, 'bin', 'node'), 0o755);
  return join(dir, 'bin');
}

function failure(actionYml: string, pathDir: string, path = `${pathDir}:/usr/bin:/bin`): { status: number; stdout: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'imgver-node-check-'));
  try {
    runComposite(actionYml, {}, { cwd, env: { PATH: path } });
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { status: e.status, stdout: e.stdout };
  }
  throw new Error('the action ran');
}

describe('the composite actions check the node on PATH first', () => {
  const files = [...ACTION_SPECS.map(spec => `actions/${spec.name}/action.yml`), 'action.yml'];

  it.each(files)('%s: a node that reports v18.19.0 fails with what was found and what to do', file => {
    const bin = fakeNode('v18.19.0');
    const { status, stdout } = failure(join(root, file), bin);
    expect(status).toBe(1);
    expect(stdout).toContain('::error title=imgver needs Node.js 20 or newer::');
    expect(stdout).toContain(`node on PATH is v18.19.0 (${bin}/node)`);
    expect(stdout).toContain('container: job');
    expect(stdout).toContain('actions/setup-node');
    expect(stdout).not.toContain('the bundle must not run');
  });

  it('no node at all is the same error, saying it is missing', () => {
    // A PATH with bash and nothing else.
    const bare = mkdtempSync(join(tmpdir(), 'imgver-no-node-'));
    symlinkSync('/bin/bash', join(bare, 'bash'));
    const { status, stdout } = failure(join(root, 'actions/compute-version/action.yml'), bare, bare);
    expect(status).toBe(1);
    expect(stdout).toContain('node on PATH is missing');
  });

  it.each(['v20.0.0', 'v22.11.0', 'v24.1.0'])('%s passes the check and runs the bundle', version => {
    const bin = fakeNode(version);
    const cwd = mkdtempSync(join(tmpdir(), 'imgver-node-check-'));
    // The fake node refuses to run the bundle: reaching it (exit 99) means the check let it through.
    expect(() => runComposite(join(root, 'actions/compute-version/action.yml'), {}, { cwd, env: { PATH: `${bin}:/usr/bin:/bin` } })).toThrow(
      /the bundle must not run on this node/
    );
  });
});
