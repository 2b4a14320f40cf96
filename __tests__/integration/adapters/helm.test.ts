import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Helm, archiveFingerprint, archiveTime, helmHoldsLogin, pushChart } from '../../../src/adapters/helm.js';
import { OciRegistry } from '../../../src/adapters/registry/oci.js';
import { chartFiles, helmBinary, helmEnv } from '../../helpers/helm.js';
import { skopeoRawDigest, startRegistry, type TestRegistry } from '../../helpers/registry.js';

function writeChart(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const T1 = new Date('2026-01-02T03:04:05Z');

describe('helm adapter (real helm, real registry on 127.0.0.1)', () => {
  let registry: TestRegistry;
  const env = helmEnv();
  const work = mkdtempSync(join(tmpdir(), 'imgver-helm-'));
  const helm = new Helm(work, env);

  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  it('reports the helm version it runs', async () => {
    expect(await helm.version()).toMatch(/^v[34]\.\d+\.\d+/);
  });

  it('packages reproducibly: touched files and another run give the same archive digest', async () => {
    const chart = writeChart(join(work, 'repro'), chartFiles('repro'));
    const first = await helm.package(chart, join(work, 'out1'), 'repro', '0.1.0', T1);
    utimesSync(join(chart, 'values.yaml'), new Date(), new Date('2030-05-05T00:00:00Z'));
    await new Promise(r => setTimeout(r, 1100));
    const second = await helm.package(chart, join(work, 'out2'), 'repro', '0.1.0', T1);
    expect(second.digest).toBe(first.digest);
    expect(readFileSync(second.file).equals(readFileSync(first.file))).toBe(true);
    // Another time gives another archive, with the same content fingerprint.
    const third = await helm.package(chart, join(work, 'out3'), 'repro', '0.1.0', new Date('2027-01-01T00:00:00Z'));
    expect(third.digest).not.toBe(first.digest);
    expect(await archiveFingerprint(readFileSync(third.file))).toBe(await archiveFingerprint(readFileSync(first.file)));
    const { stdout } = await promisify(execFile)('tar', ['tvzf', first.file]);
    expect(stdout).toContain('2026-01-02');
    expect(stdout).not.toMatch(/root|runner/);
  });

  it("reports a lint failure with the chart's own message", async () => {
    const files = chartFiles('broken');
    files['templates/deployment.yaml'] += '      {{ .Values.missing.deep }}\n';
    const chart = writeChart(join(work, 'broken'), files);
    await expect(helm.lint(chart, [])).rejects.toThrow(/Chart .*broken: helm lint --strict failed \(exit 1\):\n {2}\[ERROR\] templates\/: broken\/templates\/deployment\.yaml:\d+:\d+ executing .* nil pointer evaluating interface \{\}\.deep/);
  });

  it('pushes to the registry; helm pull gives back the same bytes, skopeo sees the same digest', async () => {
    const chart = writeChart(join(work, 'pushme'), chartFiles('pushme', { version: '1.2.3' }));
    const packaged = await helm.package(chart, join(work, 'out-push'), 'pushme', '1.2.3', T1);
    const digest = await helm.push(packaged.file, `oci://${registry.host}/charts`, { plainHttp: true, host: registry.host });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await skopeoRawDigest(registry.host, 'charts/pushme', '1.2.3')).toBe(digest);
    const pulled = join(work, 'pulled');
    mkdirSync(pulled);
    await promisify(execFile)(helmBinary(), ['pull', `oci://${registry.host}/charts/pushme`, '--version', '1.2.3', '--plain-http', '--destination', pulled], { env });
    expect(readFileSync(join(pulled, 'pushme-1.2.3.tgz')).equals(readFileSync(packaged.file))).toBe(true);
    // Pushing the same archive again stores the same manifest.
    expect(await helm.push(packaged.file, `oci://${registry.host}/charts`, { plainHttp: true, host: registry.host })).toBe(digest);
  });

  it("pushChart stores the manifest helm push stores for the same archive; helm pull and helm show chart agree", async () => {
    const files = chartFiles('viaclient', { version: '2.0.0+build.5' });
    files['Chart.yaml'] += 'home: https://example.com/a?b=1&c=<d>\nsources: [https://github.com/acme/viaclient]\nmaintainers:\n  - name: Ann\n    email: ann@example.com\n  - name: Bob\nannotations:\n  team: core\n';
    const chart = writeChart(join(work, 'viaclient'), files);
    const packaged = await helm.package(chart, join(work, 'out-client'), 'viaclient', '2.0.0+build.5', T1);
    const atT1 = new Helm(work, { ...env, SOURCE_DATE_EPOCH: String(T1.getTime() / 1000) });
    const byHelm = await atT1.push(packaged.file, `oci://${registry.host}/by-helm`, { plainHttp: true, host: registry.host });
    const client = new OciRegistry(registry.host);
    const byClient = await pushChart(client, 'by-client/viaclient', '2.0.0_build.5', packaged, 'viaclient', T1);
    expect(byClient).toBe(byHelm);
    expect(await skopeoRawDigest(registry.host, 'by-client/viaclient', '2.0.0_build.5')).toBe(byClient);
    const show = async (repo: string) =>
      (await promisify(execFile)(helmBinary(), ['show', 'chart', `oci://${registry.host}/${repo}/viaclient`, '--version', '2.0.0+build.5', '--plain-http'], { env })).stdout;
    expect(await show('by-client')).toBe(await show('by-helm'));
    // A second push of the same chart uploads no blob again and stores the same manifest.
    const before = client.requests;
    expect(await pushChart(client, 'by-client/viaclient', '2.0.0_build.5', packaged, 'viaclient', T1)).toBe(byClient);
    expect(client.requests - before).toBe(3);
  });

  it.each([
    ['a login for the host in HELM_REGISTRY_CONFIG', { 'registry.json': '{"auths":{"ghcr.io":{"auth":"eDp5"}}}' }, { HELM_REGISTRY_CONFIG: 'registry.json' }, true],
    ['a login for another host', { 'registry.json': '{"auths":{"quay.io":{"auth":"eDp5"}}}' }, { HELM_REGISTRY_CONFIG: 'registry.json' }, false],
    ['a URL-form key under HELM_CONFIG_HOME', { 'h/registry/config.json': '{"auths":{"https://ghcr.io/v2/":{}}}' }, { HELM_CONFIG_HOME: 'h' }, true],
    ['no registry config at all', {}, { HELM_CONFIG_HOME: 'none' }, false]
  ])('[%#] helmHoldsLogin: %s', async (_what, configFiles, vars, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'imgver-helm-login-'));
    writeChart(dir, configFiles);
    const absolute = Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, join(dir, value)]));
    expect(await helmHoldsLogin({ HOME: dir, ...absolute }, 'ghcr.io')).toBe(expected);
  });

  it.each([
    [{ SOURCE_DATE_EPOCH: '1700000000' }, undefined, '2023-11-14T22:13:20.000Z'],
    [{}, new Date('2026-03-04T05:06:07.890Z'), '2026-03-04T05:06:07.000Z'],
    [{}, undefined, '1980-01-01T00:00:00.000Z']
  ])('[%#] archive time from %o and commit date %s is %s', (envVars, commitDate, expected) => {
    expect(archiveTime(envVars, commitDate).toISOString()).toBe(expected);
  });

  it('refuses a SOURCE_DATE_EPOCH that is not seconds', () => {
    expect(() => archiveTime({ SOURCE_DATE_EPOCH: 'yesterday' }, undefined)).toThrow(/SOURCE_DATE_EPOCH is "yesterday": expected seconds since 1970/);
  });
});
