import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Credentials } from './registry/credentials.js';
import type { Registry } from './registry/types.js';
import { CHART_CONFIG_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, chartAnnotations, chartConfigJson, chartManifestJson } from '../core/chart-oci.js';
import { execTool, type ExecResult } from './exec.js';
import { outlineData } from '../core/yaml-data.js';

export type HelmResult = ExecResult;

export type HelmOutput = (line: string) => void;

/** Media type of a chart archive in an OCI registry (what `helm push` stores as the layer). */
export const CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/**
 * The one exec choke point for helm. Only flags that helm v3 (3.13+) and v4 share are used; output is parsed only
 * where both print the same (`Digest: sha256:…` after a push, `[ERROR]` lines of lint).
 */
export class Helm {
  private versionText?: string;

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly output: HelmOutput = () => {},
    private readonly binary = env.IMGVER_HELM || 'helm'
  ) {}

  run(args: string[], options: { stdin?: string; quiet?: boolean; env?: Record<string, string> } = {}): Promise<HelmResult> {
    return execTool(this.binary, args, {
      cwd: this.cwd,
      env: { ...this.env, ...options.env },
      stdin: options.stdin,
      output: options.quiet ? undefined : this.output,
      missing: error => new UserError(`Cannot run ${this.binary} (${error.message}): is helm (v3.13+ or v4) installed and on PATH? (azure/setup-helm; or set IMGVER_HELM)`)
    });
  }

  /** e.g. v4.1.4; throws when helm is older than imgver needs. */
  async version(): Promise<string> {
    if (this.versionText) return this.versionText;
    const result = await this.run(['version', '--short'], { quiet: true });
    const match = result.stdout.match(/v(\d+)\.(\d+)\.\d+\S*/);
    if (result.code !== 0 || !match) throw new UserError(`${this.binary} version failed: ${(result.stderr || result.stdout).trim()}`);
    const [major, minor] = [Number(match[1]), Number(match[2])];
    if (major < 3 || (major === 3 && minor < 13)) {
      throw new UserError(`helm ${match[0]} is too old: imgver needs helm v3.13 or later (OCI push with --plain-http), or v4`);
    }
    this.versionText = match[0].replace(/\+.*$/, '');
    return this.versionText;
  }

  /**
   * A failed helm command: its problems, unless helm is too old for imgver (then that is the error). Asking helm its
   * version only here spares every successful run a process.
   */
  private async fail(what: string, chart: string, result: HelmResult): Promise<never> {
    await this.version();
    throw new UserError(`Chart ${chart}: helm ${what} failed (exit ${result.code}):\n  ${helmProblems(`${result.stdout}\n${result.stderr}`).join('\n  ')}`);
  }

  /** `dependency update` when Chart.lock is missing or out of step with Chart.yaml, else `dependency build`. */
  async dependencies(chartDir: string, update: boolean): Promise<void> {
    const args = update ? ['dependency', 'update', '--skip-refresh', chartDir] : ['dependency', 'build', '--skip-refresh', chartDir];
    let result = await this.run(args);
    if (!update && result.code !== 0 && /out of sync|Chart\.lock/i.test(result.stderr + result.stdout)) {
      result = await this.run(['dependency', 'update', '--skip-refresh', chartDir]);
    }
    if (result.code !== 0) await this.fail(`dependency ${update ? 'update' : 'build'}`, chartDir, result);
  }

  async lint(chartDir: string, valuesFiles: string[]): Promise<string[]> {
    const args = ['lint', '--strict', chartDir];
    for (const file of valuesFiles) args.push('--values', file);
    const result = await this.run(args);
    if (result.code !== 0) await this.fail('lint --strict', chartDir, result);
    return result.stdout.split('\n').filter(l => /^\[(WARNING|INFO)\]/.test(l.trim()));
  }

  /**
   * `helm package`, then the archive made reproducible: helm stamps entries with the time of packaging (v3) or the
   * files' modification times (v4), so a re-run or a fresh checkout would make a new digest. The entries are
   * written again in helm's order with one fixed time, no owner names and a fixed gzip header.
   */
  async package(chartDir: string, outDir: string, name: string, version: string, mtime: Date): Promise<PackagedChart> {
    const result = await this.run(['package', chartDir, '--destination', outDir]);
    if (result.code !== 0) await this.fail('package', chartDir, result);
    const file = join(outDir, `${name}-${version}.tgz`);
    await normalizeArchive(file, mtime);
    const bytes = await readFile(file);
    return { file, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
  }

  /**
   * `helm lint --strict` (unless `lintValues` is undefined: no lint) and `helm package` side by side: two processes
   * at once, and the archive is made reproducible while lint still runs. A failed lint removes the package.
   */
  async lintAndPackage(chartDir: string, lintValues: string[] | undefined, outDir: string, name: string, version: string, mtime: Date): Promise<PackagedChart & { notes: string[] }> {
    const [lint, packaged] = await Promise.allSettled([lintValues ? this.lint(chartDir, lintValues) : Promise.resolve([]), this.package(chartDir, outDir, name, version, mtime)]);
    if (lint.status === 'rejected') {
      await rm(join(outDir, `${name}-${version}.tgz`), { force: true });
      throw lint.reason;
    }
    if (packaged.status === 'rejected') throw packaged.reason;
    return { ...packaged.value, notes: lint.value };
  }

  /**
   * `helm push` to an oci:// destination. Credentials go in a registry config file of their own (mode 0600, removed
   * afterwards), never in argv; plain HTTP only for hosts that are loopback or listed insecure.
   */
  async push(file: string, destination: string, options: { plainHttp: boolean; host: string; credentials?: Credentials }): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'imgver-helm-'));
    try {
      const args = ['push', file, destination];
      if (options.plainHttp) args.push('--plain-http');
      if (options.credentials) {
        const configFile = join(dir, 'registry.json');
        const auth = Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64');
        // A new file in a fresh private directory: created with mode 0600, before any byte is written.
        await writeFile(configFile, JSON.stringify({ auths: { [options.host]: { auth } } }), { mode: 0o600 });
        args.push('--registry-config', configFile);
      }
      const result = await this.run(args);
      if (result.code !== 0) await this.fail(`push to ${destination}`, file, result);
      const digest = `${result.stdout}\n${result.stderr}`.match(/Digest:\s*(sha256:[0-9a-f]{64})/)?.[1];
      if (!digest) throw new UserError(`helm push to ${destination} printed no digest: ${result.stdout.trim()}`);
      return digest;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The lines that say what is wrong: lint's [ERROR]/[WARNING] entries with their indented continuation lines
 * (helm prints a template error over several), else helm's own `Error:` lines, else the last lines of output.
 */
export function helmProblems(output: string): string[] {
  const lines = output.split('\n');
  const found: string[] = [];
  let inEntry = false;
  for (const line of lines) {
    if (/^\[(ERROR|WARNING)\]/.test(line.trim())) {
      found.push(line.trim());
      inEntry = true;
    } else if (inEntry && /^\s+\S/.test(line)) {
      found[found.length - 1] += ` ${line.trim()}`;
    } else {
      inEntry = false;
    }
  }
  if (found.length > 0) return found;
  const errors = lines.map(l => l.trim()).filter(l => /^Error:/.test(l));
  return errors.length > 0 ? errors : lines.map(l => l.trim()).filter(Boolean).slice(-3);
}

export interface PackagedChart {
  file: string;
  digest: string;
  size: number;
}

/**
 * Rewrites a .tgz in place: same entries, same order and modes, one fixed time, no owners. Helm's archives are plain
 * ustar (Go's archive/tar with no format asked for), so the headers are patched in memory; an archive with anything
 * else in its headers (extended records carrying times or owners) is taken apart and written again with `tar`.
 */
export async function normalizeArchive(file: string, mtime: Date): Promise<void> {
  const { gunzipSync, gzipSync } = await import('node:zlib');
  const archive = gunzipSync(await readFile(file));
  const patched = patchTarHeaders(archive, Math.floor(mtime.getTime() / 1000));
  if (!patched) return rewriteArchive(file, mtime);
  await writeFile(`${file}.imgver-tmp`, gzipSync(patched, { level: 9 }));
  await rename(`${file}.imgver-tmp`, file);
  await utimes(file, mtime, mtime);
}

const BLOCK = 512;

/** A tar stream with every header's time, owner ids and names set; undefined when a header is not one this reads. */
export function patchTarHeaders(archive: Buffer, seconds: number): Buffer | undefined {
  const out = Buffer.from(archive);
  const field = (at: number, length: number, value: string) => {
    out.fill(0, at, at + length);
    out.write(value, at, 'latin1');
  };
  for (let at = 0; at + BLOCK <= out.length; ) {
    const header = out.subarray(at, at + BLOCK);
    if (header.every(b => b === 0)) break;
    const type = String.fromCharCode(header[156] || 0x30);
    const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
    if (!/^[0-9xgLK]$/.test(type) || Number.isNaN(size) || header.toString('latin1', 257, 262) !== 'ustar') return undefined;
    if (type === 'x' || type === 'g') {
      const records = out.toString('utf8', at + BLOCK, at + BLOCK + size);
      if (/^\d+ (mtime|atime|ctime|uid|gid|uname|gname)=/m.test(records)) return undefined;
    }
    field(at + 108, 8, '0000000');
    field(at + 116, 8, '0000000');
    field(at + 136, 12, seconds.toString(8).padStart(11, '0'));
    field(at + 265, 32, '');
    field(at + 297, 32, '');
    out.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = at; i < at + BLOCK; i++) sum += out[i];
    field(at + 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

/** The archive taken apart and written again with `tar`, for headers patchTarHeaders does not read. */
async function rewriteArchive(file: string, mtime: Date): Promise<void> {
  const tar = await import('tar');
  const dir = await mkdtemp(join(tmpdir(), 'imgver-chart-'));
  try {
    const entries: string[] = [];
    await tar.t({ file, onReadEntry: entry => void entries.push(entry.path) });
    await tar.x({ file, cwd: dir, preservePaths: false });
    const out = `${file}.imgver-tmp`;
    await tar.c({ file: out, cwd: dir, gzip: { level: 9 }, portable: true, mtime, noDirRecurse: true }, entries);
    await rename(out, file);
    await utimes(file, mtime, mtime);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What a chart archive holds, independent of times and compression: path, mode and content hash per file. */
export async function archiveFingerprint(bytes: Buffer): Promise<string> {
  const tar = await import('tar');
  const { Readable } = await import('node:stream');
  const parts: string[] = [];
  await new Promise<void>((resolvePromise, reject) => {
    const parser = new tar.Parser({
      onReadEntry: entry => {
        const hash = createHash('sha256');
        entry.on('data', (chunk: Buffer) => hash.update(chunk));
        entry.on('end', () => parts.push(`${entry.path} ${entry.type} ${(entry.mode ?? 0) & 0o111 ? 'x' : '-'} ${hash.digest('hex')}`));
      }
    });
    parser.on('end', () => resolvePromise());
    parser.on('error', reject);
    Readable.from([bytes]).pipe(parser as unknown as NodeJS.WritableStream);
  });
  return createHash('sha256').update(parts.sort().join('\n')).digest('hex');
}

/** The time stamped into chart archives: SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else the commit's time. */
export function archiveTime(env: NodeJS.ProcessEnv, commitDate: Date | undefined): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch) {
    if (!/^\d+$/.test(epoch)) throw new UserError(`SOURCE_DATE_EPOCH is "${epoch}": expected seconds since 1970 (e.g. git log -1 --format=%ct)`);
    return new Date(Number(epoch) * 1000);
  }
  // Whole seconds: tar headers hold no more, and the same commit must give the same archive.
  return new Date(Math.floor((commitDate ?? new Date(Date.UTC(1980, 0, 1))).getTime() / 1000) * 1000);
}

/**
 * What a registry holds at a chart's tag: undefined when nothing, else the manifest's digest and whether its chart is
 * this very chart (the same archive, or one with the same files: a re-run packs the same chart again).
 */
export async function storedChart(registry: Pick<Registry, 'manifest' | 'blob'>, repository: string, tag: string, packaged: PackagedChart): Promise<{ digest: string; same: boolean } | undefined> {
  const manifest = await registry.manifest(repository, tag);
  if (!manifest) return undefined;
  const layers = (JSON.parse(manifest.bytes.toString('utf8')) as { layers?: { mediaType: string; digest: string }[] }).layers ?? [];
  const layer = layers.find(l => l.mediaType === CHART_LAYER_MEDIA_TYPE);
  let same = layer?.digest === packaged.digest;
  if (!same && layer) {
    const blob = await registry.blob(repository, layer.digest);
    same = !!blob && (await archiveFingerprint(blob)) === (await archiveFingerprint(await readFile(packaged.file)));
  }
  return { digest: manifest.digest, same };
}

/** A file's bytes inside a ustar stream (helm's archives), by its path; undefined when absent. */
export function tarEntry(archive: Buffer, path: string): Buffer | undefined {
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every(b => b === 0)) return undefined;
    const cut = (from: number, to: number) => header.toString('utf8', from, to).replace(/\0.*$/s, '');
    const prefix = header.toString('latin1', 257, 262) === 'ustar' ? cut(345, 500) : '';
    const name = prefix ? `${prefix}/${cut(0, 100)}` : cut(0, 100);
    const size = parseInt(cut(124, 136).trim() || '0', 8);
    if (name === path) return archive.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}

const sha256Of = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * Pushes a packaged chart as helm push does (config blob, archive layer, OCI manifest under the tag), through imgver's
 * registry client; returns the manifest's digest. `created` is the manifest's creation annotation: the archive's time,
 * so the same commit gives the same manifest.
 */
export async function pushChart(registry: Pick<Registry, 'putManifest'> & Required<Pick<Registry, 'pushBlob'>>, repository: string, tag: string, packaged: PackagedChart, name: string, created: Date): Promise<string> {
  const { gunzipSync } = await import('node:zlib');
  const archive = await readFile(packaged.file);
  const chartYaml = tarEntry(gunzipSync(archive), `${name}/Chart.yaml`);
  if (!chartYaml) throw new UserError(`${packaged.file}: no ${name}/Chart.yaml inside the chart archive`);
  const text = chartYaml.toString('utf8');
  // The line scanner reads the Chart.yaml helm writes (no YAML library to load); the yaml library what it cannot.
  const metadata = (outlineData(text) ?? (await import('../core/yaml-edit.js')).parseYamlFile(text, `${name}/Chart.yaml`).doc.toJS() ?? {}) as Record<string, unknown>;
  const config = Buffer.from(chartConfigJson(metadata), 'utf8');
  const configDescriptor = { mediaType: CHART_CONFIG_MEDIA_TYPE, digest: sha256Of(config), size: config.length };
  const layerDescriptor = { mediaType: CHART_LAYER_MEDIA_TYPE, digest: packaged.digest, size: archive.length };
  await registry.pushBlob(repository, archive, layerDescriptor.digest);
  await registry.pushBlob(repository, config, configDescriptor.digest);
  const manifest = Buffer.from(chartManifestJson(configDescriptor, layerDescriptor, chartAnnotations(metadata, created)), 'utf8');
  const digest = sha256Of(manifest);
  const stored = await registry.putManifest(repository, tag, { bytes: manifest, mediaType: OCI_MANIFEST_MEDIA_TYPE, digest });
  if (stored !== digest) throw new UserError(`${repository}:${tag}: the registry stored the chart's manifest under ${stored}, not ${digest}`);
  return digest;
}

/**
 * Whether helm's own registry login (helm registry login) holds credentials for a host: then the push stays with helm,
 * which reads them. HELM_REGISTRY_CONFIG, else registry/config.json under HELM_CONFIG_HOME or the user's config dir.
 */
export async function helmHoldsLogin(env: NodeJS.ProcessEnv, host: string): Promise<boolean> {
  const home = env.HOME ?? '';
  const file = env.HELM_REGISTRY_CONFIG || join(env.HELM_CONFIG_HOME || join(env.XDG_CONFIG_HOME || join(home, '.config'), 'helm'), 'registry', 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  try {
    const auths = (JSON.parse(text) as { auths?: Record<string, unknown> }).auths ?? {};
    return Object.keys(auths).some(key => key.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === host);
  } catch {
    return true;
  }
}
