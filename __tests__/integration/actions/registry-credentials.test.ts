/**
 * Credentials only go to the registry they are for: the username and password inputs are scoped to the `registry`
 * input, or to the run's only registry; several registries and no `registry` is an error before any request carries
 * them. Two real registries (htpasswd) on 127.0.0.1, each behind a proxy that records Authorization headers; the CLI
 * takes the password from stdin or IMGVER_PASSWORD, never only from argv. Which registry they are for, from the inputs
 * alone: __tests__/unit/actions/registry-inputs.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { runAction } from '../../helpers/run-action.js';
import { Registries } from '../../../src/adapters/registry/index.js';
import { parseImageRef } from '../../../src/core/image-ref.js';
import { seedImage, startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../../../dist/cli.js');
const CI = { username: 'ci', password: 's3cret' };
const OTHER = { username: 'other', password: 'pw-other' };
const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

function runCli(args: string[], options: { env: NodeJS.ProcessEnv; stdin?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [cli, ...args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

describe('credentials only go to the registry they are for (two real registries with htpasswd)', () => {
  let a: TestRegistry;
  let b: TestRegistry;
  let proxyA: FaultProxy;
  let proxyB: FaultProxy;
  let env: NodeJS.ProcessEnv;
  const cwd = mkdtempSync(join(tmpdir(), 'imgver-creds-'));

  /** api on registry A (ci's), web on registry B (someone else's): both unchanged, retagged by registry API. */
  const plan = (version: string, previous: string, names = ['api', 'web']): Plan => ({
    schema: 1,
    services: names.map(name => {
      const host = name === 'api' ? proxyA.host : proxyB.host;
      return { name, image: `${host}/demo/${name}`, changed: false, version, previous, tags: [`${host}/demo/${name}:${version}`, `${host}/demo/${name}:latest`] };
    })
  });

  beforeAll(async () => {
    a = await startRegistry({ htpasswd: CI });
    b = await startRegistry({ htpasswd: OTHER });
    proxyA = await startFaultProxy(a.url);
    proxyB = await startFaultProxy(b.url);
    await seedImage(a.url, 'demo/api', '1.0.0', 'api', { authorization: basic(CI) });
    await seedImage(b.url, 'demo/web', '1.0.0', 'web', { authorization: basic(OTHER) });
    // B's own credentials come from the Docker config, as docker login leaves them.
    const dockerConfig = mkdtempSync(join(tmpdir(), 'imgver-dockercfg-'));
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [proxyB.host]: { auth: Buffer.from(`${OTHER.username}:${OTHER.password}`).toString('base64') } } }));
    env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_CONFIG: dockerConfig, IMGVER_DOCKER: '/usr/bin/docker' };
  });
  afterAll(async () => {
    await Promise.all([proxyA.stop(), proxyB.stop()]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('without registry, a plan over two registries is an error naming both, and no request carries the credentials', async () => {
    await expect(runAction('build-tag-push', { plan: JSON.stringify(plan('1.0.1', '1.0.0')), ...CI }, { cwd, env })).rejects.toThrow(
      `Inputs 'username' and 'password' are given without 'registry', and this run talks to 2 registries (${proxyA.host}, ${proxyB.host}): set registry to the one they are for`
    );
    expect([...proxyA.authorizations, ...proxyB.authorizations]).not.toContain(basic(CI));
  });

  it('with registry, they go to that registry only; the other keeps its own (Docker config) credentials', async () => {
    const result = await runAction('build-tag-push', { plan: JSON.stringify(plan('1.0.1', '1.0.0')), ...CI, registry: proxyA.host }, { cwd, env });
    expect(JSON.parse(result.outputs.retagged)).toEqual(['api', 'web']);
    expect(proxyA.authorizations).toContain(basic(CI));
    expect(proxyB.authorizations).toContain(basic(OTHER));
    expect(proxyB.authorizations).not.toContain(basic(CI));
  });

  it("without registry, a plan on one registry scopes them to it", async () => {
    const result = await runAction('build-tag-push', { plan: JSON.stringify(plan('1.0.2', '1.0.0', ['api'])), ...CI }, { cwd, env });
    expect(JSON.parse(result.outputs.retagged)).toEqual(['api']);
    expect(proxyB.authorizations).not.toContain(basic(CI));
  });

  it('the registry input of every action says no other registry gets the credentials', async () => {
    const { REGISTRY_INPUTS } = await import('../../../src/actions/spec.js');
    expect(REGISTRY_INPUTS.registry.description).toMatch(/only|never/);
  });

  describe('the CLI takes the password without putting it in argv', () => {
    it.each([
      ['--password-stdin', ['--password-stdin'], { stdin: `${CI.password}\n` }],
      ['IMGVER_PASSWORD', [], { extraEnv: { IMGVER_PASSWORD: CI.password } }]
    ] as const)('%s', async (_name, flags, how) => {
      const version = _name === 'IMGVER_PASSWORD' ? '1.0.4' : '1.0.3';
      const args = ['build-tag-push', '--plan', JSON.stringify(plan(version, '1.0.0', ['api'])), '--username', CI.username, ...flags, '--json'];
      const { code, stdout, stderr } = await runCli(args, { env: { ...env, ...('extraEnv' in how ? how.extraEnv : {}) }, stdin: 'stdin' in how ? how.stdin : '' });
      expect(stderr).not.toContain(CI.password);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).retagged).toEqual(['api']);
      expect(proxyA.authorizations).toContain(basic(CI));
    });

    it('--password and --password-stdin together are an error; --help says how to pass a password', async () => {
      const both = await runCli(['build-tag-push', '--password', 'x', '--password-stdin'], { env, stdin: 'y' });
      expect(both.code).toBe(1);
      expect(both.stderr).toContain('--password and --password-stdin given together');
      const help = await runCli(['build-tag-push', '--help'], { env });
      expect(help.stdout).toContain('--password-stdin');
      expect(help.stdout).toContain('IMGVER_PASSWORD');
    });
  });
});

describe('credentials without a registry, when the registries are not known up front (deploy-manifest)', () => {
  it('go to the first registry asked for; a second registry is an error, not a second recipient', async () => {
    const registries = new Registries({ env: {}, credentials: { username: 'ci', password: 's3cret' } });
    await registries.for(parseImageRef('127.0.0.1:5001/acme/api'));
    await expect(registries.for(parseImageRef('127.0.0.1:5002/acme/api'))).rejects.toThrow(
      'The username and password were given without a registry and went to 127.0.0.1:5001; this run also talks to 127.0.0.1:5002: set the registry input'
    );
  });
});
