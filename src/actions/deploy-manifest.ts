import { basename, dirname } from 'node:path';
import { UserError } from '../core/errors.js';
import { parseImageRef } from '../core/image-ref.js';
import {
  DEFAULT_HISTORY,
  isReleaseTag,
  newerTags,
  recordVersion,
  releaseVersions,
  rollbackTarget,
  type ManifestService,
  type VersionManifest
} from '../core/manifest.js';
import { type Plan, type PlanService } from '../core/plan.js';
import { renderTemplate } from '../core/template.js';
import { dockerSafeVersion } from '../core/version.js';
import { stripLeadingV } from '../core/version-tag.js';
import { BACKUP_DIR, envFileBeside, ManifestStore } from '../adapters/manifest-store.js';
import { releaseTagOf, type Registries, type Registry } from '../adapters/registry/index.js';
import { loadConfig } from './config-loader.js';
import { commonInputs, inputValue, numberInput, parseBoolean, type CommonInputs, type RawInputs, planInput } from './inputs.js';
import { openRegistries, registryInputs, type RegistryInputs } from './registry-inputs.js';
import type { ActionResult, ActionRun } from './types.js';
import { codeBlock, escapeMarkdown, markdownTable, type Cell } from '../core/markdown.js';
import { resolveInside, workingDirectoryOf } from '../adapters/files.js';

export const COMMANDS = ['update', 'set', 'pull-latest', 'resolve', 'rollback', 'promote', 'history', 'status', 'check-updates', 'verify', 'init'] as const;
export type ManifestCommand = (typeof COMMANDS)[number];

export interface DeployManifestInputs extends CommonInputs {
  command: ManifestCommand;
  manifest?: string;
  environment?: string;
  plan?: Plan;
  service?: string;
  tag?: string;
  to?: string;
  from?: string;
  all: boolean;
  retag: boolean;
  floatingTag: string;
  history: number;
  envFile?: string;
  url?: string;
  expect?: string;
  timeoutSeconds: number;
  intervalSeconds: number;
  dryRun: boolean;
  registry: RegistryInputs;
}

export function getInputs(raw: RawInputs, given: Set<string> = new Set()): DeployManifestInputs {
  const command = inputValue(raw, 'command');
  if (!command || !COMMANDS.includes(command as ManifestCommand)) {
    throw new UserError(`Input 'command' is ${command ? `set to invalid value '${command}'` : 'missing'}: expected one of ${COMMANDS.join(', ')}`, { input: 'command' });
  }
  return {
    ...commonInputs(raw, given),
    command: command as ManifestCommand,
    manifest: inputValue(raw, 'manifest'),
    environment: inputValue(raw, 'environment'),
    plan: planInput(raw),
    service: inputValue(raw, 'service'),
    tag: inputValue(raw, 'tag'),
    to: inputValue(raw, 'to'),
    from: inputValue(raw, 'from'),
    all: parseBoolean(raw.all ?? '', 'all'),
    retag: parseBoolean(raw.retag ?? '', 'retag'),
    floatingTag: inputValue(raw, 'floating-tag') ?? '{{environment}}',
    history: numberInput(raw, 'history', DEFAULT_HISTORY, { max: 100 }),
    envFile: inputValue(raw, 'env-file'),
    url: inputValue(raw, 'url'),
    expect: inputValue(raw, 'expect'),
    timeoutSeconds: numberInput(raw, 'timeout', 300, { min: 0, max: 86400, integer: false }),
    intervalSeconds: numberInput(raw, 'interval', 5, { min: 0.01, max: 3600, integer: false }),
    dryRun: parseBoolean(raw['dry-run'] ?? '', 'dry-run'),
    registry: registryInputs(raw)
  };
}

/** An environment name (deploy/<name>/version-manifest.yaml) or a manifest path (*.yaml, *.yml, or with a slash). */
export function manifestPathOf(environment: string): string {
  return /\.ya?ml$/i.test(environment) ? environment : `deploy/${environment}/version-manifest.yaml`;
}

function environmentOf(path: string, manifest: VersionManifest): string {
  return manifest.environment ?? basename(dirname(path));
}

interface Context {
  run: ActionRun;
  inputs: DeployManifestInputs;
  cwd: string;
  registries: () => Registries;
}

export async function run(runCtx: ActionRun): Promise<ActionResult> {
  const inputs = getInputs(runCtx.inputs, runCtx.given);
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  let registries: Registries | undefined;
  const ctx: Context = {
    run: runCtx,
    inputs,
    cwd,
    registries: () => (registries ??= openRegistries(inputs.registry, runCtx))
  };
  if (inputs.command === 'verify') return verify(ctx);
  if (inputs.command === 'promote') return promote(ctx);

  const path = inputs.manifest ?? (inputs.environment ? manifestPathOf(inputs.environment) : 'version-manifest.yaml');
  const store = storeFor(ctx, path, inputs.manifest ? 'manifest' : inputs.environment ? 'environment' : 'manifest');
  const reading = inputs.command === 'status' || inputs.command === 'history' || inputs.command === 'check-updates';
  return reading || inputs.dryRun ? runOn(ctx, store) : store.exclusive(() => runOn(ctx, store));
}

/** A command on one manifest: read, change, write (a change runs holding the manifest's lock). */
async function runOn(ctx: Context, store: ManifestStore): Promise<ActionResult> {
  const { inputs } = ctx;
  // init starts a manifest, and pull-latest starts one when there is none (the first deployment needs no migration).
  const creating = ['init', 'update', 'set', 'pull-latest'].includes(inputs.command);
  const { manifest, text } = await store.read(creating);
  if (inputs.environment && !manifest.environment && creating && text === undefined) manifest.environment = inputs.environment;
  const starting = inputs.command === 'init' || (inputs.command === 'pull-latest' && text === undefined);
  if (inputs.command === 'pull-latest' && starting) {
    ctx.run.log.info(`${store.path} does not exist yet: starting it (as imgver manifest init) with each service's latest release`);
  }
  pickService(manifest, inputs, creating);

  switch (inputs.command) {
    case 'status':
      return report(ctx, store, manifest, statusReport(manifest));
    case 'history':
      return report(ctx, store, manifest, historyReport(manifest, inputs.service));
    case 'check-updates':
      return report(ctx, store, manifest, await checkUpdates(ctx, manifest));
    default: {
      const change = await changeFor(ctx, manifest, starting);
      return save(ctx, store, manifest, change, text);
    }
  }
}

/** The store for a manifest path from `input`: the manifest, its env file and the backups all inside the working directory. */
function storeFor(ctx: Context, path: string, input: string): ManifestStore {
  const env = ctx.inputs.envFile;
  const envFile = env === 'none' || env === 'false' ? undefined : (env ?? envFileBeside(path));
  resolveInside(ctx.cwd, path, input, 'file');
  if (envFile) resolveInside(ctx.cwd, envFile, env ? 'env-file' : input, 'file');
  resolveInside(ctx.cwd, BACKUP_DIR, { name: `The backup directory ${BACKUP_DIR}` }, 'directory');
  return new ManifestStore(ctx.cwd, path, envFile, message => ctx.run.log.warning(message));
}

function pickService(manifest: VersionManifest, inputs: DeployManifestInputs, creating: boolean): void {
  if (inputs.service && !creating && !manifest.services[inputs.service]) {
    const known = Object.keys(manifest.services);
    throw new UserError(`Service ${inputs.service} is not in the manifest (it has ${known.length > 0 ? known.join(', ') : 'no services yet'})`, { input: 'service' });
  }
}

interface Change {
  manifest: VersionManifest;
  changed: string[];
  lines: string[];
}

async function changeFor(ctx: Context, manifest: VersionManifest, starting: boolean): Promise<Change> {
  if (starting) return startManifest(ctx, manifest);
  switch (ctx.inputs.command) {
    case 'update':
      return ctx.inputs.plan ? updateFromPlan(ctx, manifest, ctx.inputs.plan) : setTag(ctx, manifest, false);
    case 'set':
      return setTag(ctx, manifest, true);
    case 'pull-latest':
      return pullLatest(ctx, manifest);
    case 'resolve':
      return resolveFloating(ctx, manifest);
    case 'rollback':
      return rollback(ctx, manifest);
    default:
      throw new Error(`unreachable: ${ctx.inputs.command}`);
  }
}

async function registryOf(ctx: Context, image: string): Promise<{ registry: Registry; repository: string }> {
  const ref = parseImageRef(image);
  return { registry: await ctx.registries().for(ref), repository: ref.repository };
}

async function digestOf(ctx: Context, image: string, tag: string): Promise<string> {
  const { registry, repository } = await registryOf(ctx, image);
  const digest = await registry.digest(repository, tag);
  if (!digest) throw new UserError(`${image}:${tag} does not exist in the registry`, { input: 'tag' });
  return digest;
}

/** The release tag (1.64, v1.2.3) of a repository that points at a digest. */
async function releaseTagFor(registry: Registry, repository: string, digest: string): Promise<string | undefined> {
  return releaseTagOf(registry, repository, digest, releaseVersions(await registry.listTags(repository)), 30);
}

async function imageOf(ctx: Context, manifest: VersionManifest, name: string): Promise<string> {
  const known = manifest.services[name]?.image;
  if (known) return known;
  const config = await loadConfig(ctx.cwd, ctx.inputs.config, ctx.inputs.configGiven);
  const service = config.services.find(s => s.name === name);
  if (!service) {
    throw new UserError(`Service ${name} is neither in the manifest nor in ${ctx.inputs.config}: add it to the config's services, or update from a plan`, { input: 'service' });
  }
  return service.image;
}

/** The version tag of a plan's service (1.2.3, or its docker-safe form), else its first tag. */
function planTag(service: PlanService): string | undefined {
  const tags = (service.tags ?? []).map(t => t.slice(t.lastIndexOf(':') + 1));
  const version = service.version ? dockerSafeVersion(service.version) : undefined;
  return tags.find(t => t === version) ?? tags.find(t => t === `v${version}`) ?? tags[0] ?? version;
}

async function updateFromPlan(ctx: Context, manifest: VersionManifest, plan: Plan): Promise<Change> {
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  const services = plan.services.filter(s => (!ctx.inputs.service || s.name === ctx.inputs.service) && (s.digest || s.release));
  if (services.length === 0) throw new UserError(`The plan has no service with a pushed image${ctx.inputs.service ? ` named ${ctx.inputs.service}` : ''} (run build-tag-push first)`, { input: 'plan' });
  for (const service of services) {
    const tag = planTag(service);
    if (!tag) continue;
    const digest = service.digest || (await digestOf(ctx, service.image, tag));
    const result = recordVersion(next, service.name, { image: service.image, tag, digest, now: ctx.run.now }, ctx.inputs.history);
    if (result.changed) {
      changed.push(service.name);
      lines.push(`${service.name}: ${manifest.services[service.name]?.current_tag ?? '—'} → ${tag} (${digest.slice(0, 19)}…)`);
    }
    next = result.manifest;
  }
  return { manifest: next, changed, lines };
}

async function setTag(ctx: Context, manifest: VersionManifest, custom: boolean): Promise<Change> {
  const { service, tag } = ctx.inputs;
  if (!service || !tag) throw new UserError(`${ctx.inputs.command} needs --service and --tag${custom ? '' : ' (or a plan)'}`, { input: service ? 'tag' : 'service' });
  const image = await imageOf(ctx, manifest, service);
  const digest = await digestOf(ctx, image, tag);
  const result = recordVersion(manifest, service, { image, tag, digest, now: ctx.run.now, custom }, ctx.inputs.history);
  const line = `${service}: ${manifest.services[service]?.current_tag ?? '—'} → ${tag}${custom ? ' (custom)' : ''} (${digest.slice(0, 19)}…)`;
  return { manifest: result.manifest, changed: result.changed ? [service] : [], lines: result.changed ? [line] : [] };
}

function selected(ctx: Context, manifest: VersionManifest): [string, ManifestService][] {
  return Object.entries(manifest.services).filter(([name]) => !ctx.inputs.service || name === ctx.inputs.service);
}

async function pullLatest(ctx: Context, manifest: VersionManifest): Promise<Change> {
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  for (const [name, service] of selected(ctx, manifest)) {
    const { registry, repository } = await registryOf(ctx, service.image);
    const digest = await registry.digest(repository, 'latest');
    if (!digest) {
      ctx.run.log.warning(`${name}: ${service.image} has no latest tag; left as it is`);
      continue;
    }
    const tag = (await releaseTagFor(registry, repository, digest)) ?? 'latest';
    if (tag === 'latest') ctx.run.log.warning(`${name}: no release tag shares latest's digest ${digest.slice(0, 19)}…; recorded as latest`);
    const result = recordVersion(next, name, { image: service.image, tag, digest, now: ctx.run.now }, ctx.inputs.history);
    if (result.changed) {
      changed.push(name);
      lines.push(`${name}: latest is ${tag} (${digest.slice(0, 19)}…), was ${service.current_tag}`);
    } else lines.push(`${name}: latest is ${tag}, already recorded`);
    next = result.manifest;
  }
  return { manifest: next, changed, lines };
}

/**
 * The migration to a version manifest: one entry per service of the config (or --service), each `latest` resolved to
 * its digest and the release tag that shares it. Entries the manifest already has are left as they are.
 */
async function startManifest(ctx: Context, manifest: VersionManifest): Promise<Change> {
  let names: string[];
  if (ctx.inputs.service) names = [ctx.inputs.service];
  else {
    const config = await loadConfig(ctx.cwd, ctx.inputs.config, ctx.inputs.configGiven);
    names = config.services.map(s => s.name);
    if (names.length === 0) {
      throw new UserError(`${ctx.inputs.config} has no services to start the manifest with: add services, or name one with --service`, { input: 'service' });
    }
  }
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    if (manifest.services[name]) {
      lines.push(`${name}: already in the manifest (${manifest.services[name].current_tag}), left as it is`);
      continue;
    }
    const image = await imageOf(ctx, manifest, name);
    const { registry, repository } = await registryOf(ctx, image);
    const digest = await registry.digest(repository, 'latest');
    if (!digest) {
      missing.push(`${image}:latest`);
      ctx.run.log.warning(`${name}: ${image} has no latest tag; not added (imgver manifest update --service ${name} --tag <tag> adds it)`);
      continue;
    }
    const tag = (await releaseTagFor(registry, repository, digest)) ?? 'latest';
    if (tag === 'latest') ctx.run.log.warning(`${name}: no release tag shares latest's digest ${digest.slice(0, 19)}…; recorded as latest`);
    const result = recordVersion(next, name, { image, tag, digest, now: ctx.run.now }, ctx.inputs.history);
    next = result.manifest;
    changed.push(name);
    lines.push(`${name}: latest is ${tag} (${digest.slice(0, 19)}…), added`);
  }
  if (changed.length === 0 && missing.length > 0 && Object.keys(manifest.services).length === 0) {
    throw new UserError(`No service could start the manifest: ${missing.join(', ')} do not exist in the registry (push a first release, or use imgver manifest update --service S --tag T)`, {
      input: 'service'
    });
  }
  return { manifest: next, changed, lines };
}

/** Entries that say `latest` (or another floating tag): the release tag and digest they really are, filled in place. */
async function resolveFloating(ctx: Context, manifest: VersionManifest): Promise<Change> {
  const services = { ...manifest.services };
  const changed: string[] = [];
  const lines: string[] = [];
  for (const [name, service] of selected(ctx, manifest)) {
    if (isReleaseTag(service.current_tag) && service.image_digest) continue;
    const { registry, repository } = await registryOf(ctx, service.image);
    const digest = service.image_digest ?? (await registry.digest(repository, service.current_tag));
    if (!digest) throw new UserError(`${name}: ${service.image}:${service.current_tag} does not exist in the registry`, { input: 'service' });
    const tag = isReleaseTag(service.current_tag) ? service.current_tag : await releaseTagFor(registry, repository, digest);
    if (!tag) {
      ctx.run.log.warning(`${name}: no release tag shares ${service.current_tag}'s digest ${digest.slice(0, 19)}…; digest recorded, tag kept`);
    }
    services[name] = { ...service, current_tag: tag ?? service.current_tag, image_digest: digest };
    changed.push(name);
    lines.push(`${name}: ${service.current_tag} is ${tag ?? service.current_tag} (${digest.slice(0, 19)}…)`);
  }
  return { manifest: { ...manifest, services }, changed, lines };
}

async function rollback(ctx: Context, manifest: VersionManifest): Promise<Change> {
  const { service, all, to } = ctx.inputs;
  if (!service && !all) throw new UserError('rollback needs --service S (optionally --to TAG) or --all', { input: 'service' });
  if (all && to) throw new UserError('rollback --all goes to each service’s previous version: --to needs --service', { input: 'to' });
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  for (const [name, current] of selected(ctx, manifest)) {
    let target;
    try {
      target = rollbackTarget(current, name, to);
    } catch (error) {
      if (all) {
        lines.push(`${name}: nothing earlier to roll back to`);
        continue;
      }
      throw error;
    }
    const tag = target?.tag ?? to!;
    const digest = target?.digest ?? (await digestOf(ctx, current.image, tag));
    const result = recordVersion(next, name, { image: current.image, tag, digest, now: ctx.run.now, leaving: 'rollback' }, ctx.inputs.history);
    if (result.changed) {
      changed.push(name);
      lines.push(`${name}: rolled back ${current.current_tag} → ${tag} (${digest.slice(0, 19)}…)`);
    }
    next = result.manifest;
  }
  return { manifest: next, changed, lines };
}

async function save(ctx: Context, store: ManifestStore, before: VersionManifest, change: Change, text: string | undefined): Promise<ActionResult> {
  const { log } = ctx.run;
  for (const line of change.lines) log.info(line);
  let backup: string | undefined;
  if (change.changed.length === 0) log.info(`${store.path}: nothing changed`);
  else if (ctx.inputs.dryRun) log.info(`Dry run: ${store.path} not written (${change.changed.join(', ')} would change)`);
  else {
    backup = await store.write(change.manifest, text, ctx.run.now);
    log.info(`Wrote ${store.path}${store.envFile ? ` and ${store.envFile}` : ''}${backup ? ` (backup: ${backup})` : ''}`);
  }
  const rows = Object.entries(change.manifest.services).map(([name, s]) => statusRow(name, s, before.services[name]?.current_tag));
  return {
    outputs: {
      manifest: JSON.stringify(change.manifest),
      changed: JSON.stringify(change.changed),
      report: JSON.stringify({ lines: change.lines }),
      backup: backup ?? '',
      'manifest-file': store.path,
      'env-file': store.envFile ?? ''
    },
    summary: summary(`imgver manifest ${ctx.inputs.command}${ctx.inputs.dryRun ? ' (dry run)' : ''}`, store.path, rows)
  };
}

function statusRow(name: string, s: ManifestService, before?: string): Cell[] {
  const was = before && before !== s.current_tag ? ` (was ${before})` : '';
  return [name, `${s.current_tag}${was}${s.custom ? ' custom' : ''}`, s.image_digest ? { code: `${s.image_digest.slice(0, 19)}…` } : '', s.updated_at, s.history.map(h => h.tag).join(', ')];
}

function summary(title: string, path: string, rows: Cell[][]): string {
  return [`### ${escapeMarkdown(title)}`, '', `<code>${escapeMarkdown(path)}</code>`, '', markdownTable(['Service', 'Tag', 'Digest', 'Updated', 'History'], rows), ''].join('\n');
}

interface Report {
  title: string;
  data: unknown;
  lines: string[];
}

function statusReport(manifest: VersionManifest): Report {
  const data = Object.entries(manifest.services).map(([name, s]) => ({ service: name, tag: s.current_tag, digest: s.image_digest ?? '', updated: s.updated_at, custom: s.custom, history: s.history.length }));
  const width = Math.max(7, ...data.map(d => d.service.length));
  const tagWidth = Math.max(3, ...data.map(d => d.tag.length + (d.custom ? 9 : 0)));
  const lines = [
    `${'SERVICE'.padEnd(width)}  ${'TAG'.padEnd(tagWidth)}  ${'DIGEST'.padEnd(19)}  UPDATED`,
    ...data.map(d => `${d.service.padEnd(width)}  ${`${d.tag}${d.custom ? ' (custom)' : ''}`.padEnd(tagWidth)}  ${(d.digest.slice(0, 19) || '—').padEnd(19)}  ${d.updated}`)
  ];
  return { title: 'status', data, lines };
}

function historyReport(manifest: VersionManifest, only?: string): Report {
  const data = Object.fromEntries(
    Object.entries(manifest.services)
      .filter(([name]) => !only || name === only)
      .map(([name, s]) => [name, [{ tag: s.current_tag, digest: s.image_digest ?? '', time: s.updated_at, current: true }, ...s.history.map(h => ({ ...h, current: false }))]])
  );
  const lines = Object.entries(data).flatMap(([name, entries]) => [
    `${name}:`,
    ...entries.map(e => `  ${e.current ? '*' : ' '} ${e.tag.padEnd(16)} ${(e.digest ?? '').slice(0, 19).padEnd(19)} ${e.time}${'reason' in e && e.reason ? ` (${e.reason})` : ''}`)
  ]);
  return { title: 'history', data, lines };
}

async function checkUpdates(ctx: Context, manifest: VersionManifest): Promise<Report> {
  const data: Record<string, string[]> = {};
  const lines: string[] = [];
  for (const [name, s] of selected(ctx, manifest)) {
    const { registry, repository } = await registryOf(ctx, s.image);
    if (!isReleaseTag(s.current_tag)) {
      lines.push(`${name}: ${s.current_tag} is not a release tag (run imgver manifest resolve first)`);
      data[name] = [];
      continue;
    }
    data[name] = newerTags(s.current_tag, await registry.listTags(repository));
    lines.push(`${name}: ${s.current_tag} → ${data[name].length > 0 ? `newer: ${data[name].join(', ')}` : 'up to date'}`);
  }
  return { title: 'check-updates', data, lines };
}

function report(ctx: Context, store: ManifestStore, manifest: VersionManifest, result: Report): ActionResult {
  for (const line of result.lines) ctx.run.log.info(line);
  return {
    outputs: { manifest: JSON.stringify(manifest), changed: '[]', report: JSON.stringify(result.data), backup: '', 'manifest-file': store.path, 'env-file': store.envFile ?? '' },
    summary: [`### imgver manifest ${result.title}`, '', codeBlock(result.lines), ''].join('\n')
  };
}

/** Copies versions from one environment's manifest to another's; with retag, moves the target's floating tag by registry API. */
async function promote(ctx: Context): Promise<ActionResult> {
  const { inputs } = ctx;
  if (!inputs.from || !inputs.to) throw new UserError('promote needs --from and --to: environment names (deploy/<name>/version-manifest.yaml) or manifest paths', { input: inputs.from ? 'to' : 'from' });
  const from = storeFor({ ...ctx, inputs: { ...inputs, envFile: 'none' } }, manifestPathOf(inputs.from), 'from');
  const to = storeFor(ctx, manifestPathOf(inputs.to), 'to');
  const toName = inputs.to;
  return inputs.dryRun ? promoteInto(ctx, from, to, toName) : to.exclusive(() => promoteInto(ctx, from, to, toName));
}

async function promoteInto(ctx: Context, from: ManifestStore, to: ManifestStore, toName: string): Promise<ActionResult> {
  const { inputs, run } = ctx;
  const source = (await from.read()).manifest;
  const { manifest: target, text } = await to.read(true);
  if (!target.environment && text === undefined && !/\.ya?ml$/i.test(toName)) target.environment = toName;
  pickService(source, inputs, false);
  const environment = environmentOf(to.path, target);
  const floating = inputs.retag ? renderTemplate(inputs.floatingTag, { environment }) : undefined;
  let next = target;
  const changed: string[] = [];
  const lines: string[] = [];
  const retags: { image: string; digest: string }[] = [];
  for (const [name, service] of selected(ctx, source)) {
    const digest = service.image_digest ?? (await digestOf(ctx, service.image, service.current_tag));
    const result = recordVersion(next, name, { image: service.image, tag: service.current_tag, digest, now: run.now, custom: service.custom }, inputs.history);
    if (result.changed) {
      changed.push(name);
      lines.push(`${name}: ${target.services[name]?.current_tag ?? '—'} → ${service.current_tag} (from ${environmentOf(from.path, source)})`);
    }
    next = result.manifest;
    if (floating) retags.push({ image: service.image, digest });
  }
  // Registry first: a manifest that says prod runs X is written only once prod's tag points at X.
  for (const { image, digest } of retags) {
    const { registry, repository } = await registryOf(ctx, image);
    const current = await registry.digest(repository, floating!);
    if (current === digest) {
      lines.push(`${image}:${floating} already points at ${digest.slice(0, 19)}…`);
      continue;
    }
    if (inputs.dryRun) {
      lines.push(`would point ${image}:${floating} at ${digest.slice(0, 19)}…`);
      continue;
    }
    const manifest = await registry.manifest(repository, digest);
    if (!manifest) throw new UserError(`${image}@${digest} does not exist in the registry: it cannot be promoted`);
    await registry.putManifest(repository, floating!, manifest);
    const now = await registry.digest(repository, floating!);
    if (now !== digest) throw new UserError(`${image}:${floating} points at ${now ?? 'nothing'} after the retag, not ${digest}`);
    lines.push(`${image}:${floating} → ${digest.slice(0, 19)}… (was ${current ? `${current.slice(0, 19)}…` : 'absent'})`);
  }
  return save(ctx, to, target, { manifest: next, changed, lines }, text);
}

/** Polls a version endpoint until it reports the expected version or the timeout passes. */
async function verify(ctx: Context): Promise<ActionResult> {
  const { inputs, run } = ctx;
  if (!inputs.url || !inputs.expect) throw new UserError('verify needs --url and --expect', { input: inputs.url ? 'expect' : 'url' });
  let url: URL;
  try {
    url = new URL(inputs.url);
  } catch {
    throw new UserError(`Input 'url' is set to invalid value '${inputs.url}': expected an http(s) URL`, { input: 'url' });
  }
  const wanted = stripLeadingV(inputs.expect);
  const deadline = Date.now() + inputs.timeoutSeconds * 1000;
  let seen = '';
  let polls = 0;
  for (;;) {
    polls++;
    seen = await fetchVersion(url, Math.max(1000, Math.min(10_000, inputs.intervalSeconds * 1000)));
    if (stripLeadingV(seen) === wanted) {
      run.log.info(`${url.href} reports ${seen} (poll ${polls})`);
      return {
        outputs: { manifest: '', changed: '[]', report: JSON.stringify({ url: url.href, version: seen, polls, verified: true }), backup: '', 'manifest-file': '', 'env-file': '' },
        summary: `### imgver manifest verify\n\n${url.href} reports **${seen}** as expected.\n`
      };
    }
    run.log.info(`poll ${polls}: ${url.href} reports ${seen || 'nothing'}, waiting for ${inputs.expect}`);
    if (Date.now() + inputs.intervalSeconds * 1000 > deadline) break;
    await new Promise(r => setTimeout(r, inputs.intervalSeconds * 1000));
  }
  throw new UserError(`${url.href} reports ${seen || 'no version'} after ${inputs.timeoutSeconds} s (${polls} polls), expected ${inputs.expect}`, { input: 'expect' });
}

/** The version a service reports: JSON {"version": …} (also nested under app/build/info), or the body as plain text. */
async function fetchVersion(url: URL, timeoutMs: number): Promise<string> {
  try {
    const { httpRequest } = await import('../adapters/http.js');
    const response = await httpRequest(url, { timeoutMs, headers: { accept: 'application/json, text/plain;q=0.9' } });
    const body = response.text().trim();
    if (!response.ok) return `HTTP ${response.status}`;
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      if (json && typeof json === 'object') {
        for (const candidate of [json, json.app, json.build, json.info]) {
          const version = (candidate as Record<string, unknown> | undefined)?.version;
          if (typeof version === 'string' || typeof version === 'number') return String(version);
        }
        return '';
      }
      return String(json);
    } catch {
      return body.split('\n')[0].slice(0, 200);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    return `unreachable (${code === 'ETIMEDOUT' ? 'timeout' : (code ?? (error as Error).message)})`;
  }
}
