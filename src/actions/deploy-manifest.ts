import { basename, dirname } from 'node:path';
import { UserError } from '../core/errors.js';
import { DEFAULT_HISTORY, type VersionManifest } from '../core/manifest.js';
import {
  checkService,
  checkUpdates,
  pullLatest,
  promoteVersions,
  resolveFloating,
  rollback,
  setTag,
  startManifest,
  updateFromPlan,
  type Change,
  type CommandContext
} from '../core/manifest-commands.js';
import { changeSummary, historyReport, manifestPathOf, reportSummary, statusReport, type ManifestReport } from '../core/manifest-report.js';
import type { Plan } from '../core/plan.js';
import { stripLeadingV } from '../core/version-tag.js';
import { renderTemplate } from '../core/template.js';
import { resolveInside, workingDirectoryOf } from '../adapters/files.js';
import { pointTag, registryImages } from '../adapters/image-lookup.js';
import { BACKUP_DIR, envFileBeside, ManifestStore } from '../adapters/manifest-store.js';
import type { Registries } from '../adapters/registry/index.js';
import { waitForVersion } from '../adapters/version-endpoint.js';
import { commonInputs, inputValue, numberInput, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import { openRegistries } from './registry-inputs.js';
import { registryInputs, type RegistryInputs } from './registry-input-fields.js';
import type { StageContext, StageResult } from './types.js';


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

export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): DeployManifestInputs {
  const command = inputValue(raw, 'command');
  if (!command || !COMMANDS.includes(command as ManifestCommand)) {
    throw new UserError(`Input 'command' is ${command ? `set to invalid value '${command}'` : 'missing'}: expected one of ${COMMANDS.join(', ')}`, { input: 'command' });
  }
  return {
    ...commonInputs(raw, given),
    command: command as ManifestCommand,
    manifest: inputValue(raw, 'manifest'),
    environment: inputValue(raw, 'environment'),
    plan,
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

function environmentOf(path: string, manifest: VersionManifest): string {
  return manifest.environment ?? basename(dirname(path));
}

interface Context {
  run: StageContext;
  inputs: DeployManifestInputs;
  cwd: string;
  registries: () => Registries;
}

/** imgver manifest <command>: the version manifest of an environment, read, changed and written under its lock. */
export async function run(_plan: Plan | undefined, inputs: DeployManifestInputs, call: StageContext): Promise<StageResult> {
  const cwd = workingDirectoryOf(call.cwd, inputs.workingDirectory);
  let registries: Registries | undefined;
  const ctx: Context = { run: call, inputs, cwd, registries: () => (registries ??= openRegistries(inputs.registry, call)) };
  if (inputs.command === 'verify') return verify(ctx);
  if (inputs.command === 'promote') return promote(ctx);

  const path = inputs.manifest ?? (inputs.environment ? manifestPathOf(inputs.environment) : 'version-manifest.yaml');
  const store = storeFor(ctx, path, inputs.manifest ? 'manifest' : inputs.environment ? 'environment' : 'manifest');
  const reading = inputs.command === 'status' || inputs.command === 'history' || inputs.command === 'check-updates';
  return reading || inputs.dryRun ? runOn(ctx, store) : store.exclusive(() => runOn(ctx, store));
}

/** What the commands of core/manifest-commands.ts read: the inputs, the registry, the config's services. */
function commandContext(ctx: Context, manifest: VersionManifest): CommandContext {
  const { inputs, run } = ctx;
  const config = () => run.config(ctx.cwd, inputs.config, inputs.configGiven);
  return {
    command: inputs.command,
    service: inputs.service,
    tag: inputs.tag,
    to: inputs.to,
    all: inputs.all,
    history: inputs.history,
    now: run.now,
    images: registryImages(ctx.registries),
    warn: message => run.log.warning(message),
    async imageOf(name) {
      const known = manifest.services[name]?.image;
      if (known) return known;
      const service = (await config()).services.find(s => s.name === name);
      if (!service) {
        throw new UserError(`Service ${name} is neither in the manifest nor in ${inputs.config}: add it to the config's services, or update from a plan`, { input: 'service' });
      }
      return service.image;
    },
    async serviceNames() {
      const names = (await config()).services.map(s => s.name);
      if (names.length === 0) throw new UserError(`${inputs.config} has no services to start the manifest with: add services, or name one with --service`, { input: 'service' });
      return names;
    }
  };
}

/** A command on one manifest: read, change, write (a change runs holding the manifest's lock). */
async function runOn(ctx: Context, store: ManifestStore): Promise<StageResult> {
  const { inputs } = ctx;
  // init starts a manifest, and pull-latest starts one when there is none (the first deployment needs no migration).
  const creating = ['init', 'update', 'set', 'pull-latest'].includes(inputs.command);
  const { manifest, text } = await store.read(creating);
  if (inputs.environment && !manifest.environment && creating && text === undefined) manifest.environment = inputs.environment;
  const starting = inputs.command === 'init' || (inputs.command === 'pull-latest' && text === undefined);
  if (inputs.command === 'pull-latest' && starting) {
    ctx.run.log.info(`${store.path} does not exist yet: starting it (as imgver manifest init) with each service's latest release`);
  }
  checkService(manifest, inputs.service, creating);
  const commands = commandContext(ctx, manifest);
  switch (inputs.command) {
    case 'status':
      return report(ctx, store, manifest, statusReport(manifest));
    case 'history':
      return report(ctx, store, manifest, historyReport(manifest, inputs.service));
    case 'check-updates':
      return report(ctx, store, manifest, { title: 'check-updates', ...(await checkUpdates(commands, manifest)) });
    default:
      return save(ctx, store, manifest, await changeFor(commands, inputs, manifest, starting), text);
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

async function changeFor(ctx: CommandContext, inputs: DeployManifestInputs, manifest: VersionManifest, starting: boolean): Promise<Change> {
  if (starting) return startManifest(ctx, manifest);
  switch (inputs.command) {
    case 'update':
      return inputs.plan ? updateFromPlan(ctx, manifest, inputs.plan) : setTag(ctx, manifest, false);
    case 'set':
      return setTag(ctx, manifest, true);
    case 'pull-latest':
      return pullLatest(ctx, manifest);
    case 'resolve':
      return resolveFloating(ctx, manifest);
    case 'rollback':
      return rollback(ctx, manifest);
    default:
      throw new Error(`unreachable: ${inputs.command}`);
  }
}

async function save(ctx: Context, store: ManifestStore, before: VersionManifest, change: Change, text: string | undefined): Promise<StageResult> {
  const { log } = ctx.run;
  for (const line of change.lines) log.info(line);
  let backup: string | undefined;
  if (change.changed.length === 0) log.info(`${store.path}: nothing changed`);
  else if (ctx.inputs.dryRun) log.info(`Dry run: ${store.path} not written (${change.changed.join(', ')} would change)`);
  else {
    backup = await store.write(change.manifest, text, ctx.run.now);
    log.info(`Wrote ${store.path}${store.envFile ? ` and ${store.envFile}` : ''}${backup ? ` (backup: ${backup})` : ''}`);
  }
  return {
    outputs: {
      manifest: JSON.stringify(change.manifest),
      changed: JSON.stringify(change.changed),
      report: JSON.stringify({ lines: change.lines }),
      backup: backup ?? '',
      'manifest-file': store.path,
      'env-file': store.envFile ?? ''
    },
    summary: changeSummary(`imgver manifest ${ctx.inputs.command}${ctx.inputs.dryRun ? ' (dry run)' : ''}`, store.path, change.manifest, before)
  };
}

function report(ctx: Context, store: ManifestStore, manifest: VersionManifest, result: ManifestReport): StageResult {
  for (const line of result.lines) ctx.run.log.info(line);
  return {
    outputs: { manifest: JSON.stringify(manifest), changed: '[]', report: JSON.stringify(result.data), backup: '', 'manifest-file': store.path, 'env-file': store.envFile ?? '' },
    summary: reportSummary(result)
  };
}

/** Copies versions from one environment's manifest to another's; with retag, moves the target's floating tag by registry API. */
async function promote(ctx: Context): Promise<StageResult> {
  const { inputs } = ctx;
  if (!inputs.from || !inputs.to) throw new UserError('promote needs --from and --to: environment names (deploy/<name>/version-manifest.yaml) or manifest paths', { input: inputs.from ? 'to' : 'from' });
  const from = storeFor({ ...ctx, inputs: { ...inputs, envFile: 'none' } }, manifestPathOf(inputs.from), 'from');
  const to = storeFor(ctx, manifestPathOf(inputs.to), 'to');
  const toName = inputs.to;
  return inputs.dryRun ? promoteInto(ctx, from, to, toName) : to.exclusive(() => promoteInto(ctx, from, to, toName));
}

async function promoteInto(ctx: Context, from: ManifestStore, to: ManifestStore, toName: string): Promise<StageResult> {
  const { inputs } = ctx;
  const source = (await from.read()).manifest;
  const { manifest: target, text } = await to.read(true);
  if (!target.environment && text === undefined && !/\.ya?ml$/i.test(toName)) target.environment = toName;
  checkService(source, inputs.service, false);
  const floating = inputs.retag ? renderTemplate(inputs.floatingTag, { environment: environmentOf(to.path, target) }) : undefined;
  const change = await promoteVersions(commandContext(ctx, source), source, target, environmentOf(from.path, source));
  // Registry first: a manifest that says prod runs X is written only once prod's tag points at X.
  for (const { image, digest } of floating ? change.retags : []) {
    const { before, moved } = await pointTag(ctx.registries(), image, floating!, digest, inputs.dryRun);
    const short = `${digest.slice(0, 19)}…`;
    if (before === digest) change.lines.push(`${image}:${floating} already points at ${short}`);
    else if (!moved) change.lines.push(`would point ${image}:${floating} at ${short}`);
    else change.lines.push(`${image}:${floating} → ${short} (was ${before ? `${before.slice(0, 19)}…` : 'absent'})`);
  }
  return save(ctx, to, target, change, text);
}

/** Polls a version endpoint until it reports the expected version or the timeout passes. */
async function verify(ctx: Context): Promise<StageResult> {
  const { inputs, run } = ctx;
  if (!inputs.url || !inputs.expect) throw new UserError('verify needs --url and --expect', { input: inputs.url ? 'expect' : 'url' });
  let url: URL;
  try {
    url = new URL(inputs.url);
  } catch {
    throw new UserError(`Input 'url' is set to invalid value '${inputs.url}': expected an http(s) URL`, { input: 'url' });
  }
  const wanted = stripLeadingV(inputs.expect);
  const result = await waitForVersion({
    url,
    matches: version => stripLeadingV(version) === wanted,
    timeoutSeconds: inputs.timeoutSeconds,
    intervalSeconds: inputs.intervalSeconds,
    onPoll: (seen, poll) => run.log.info(`poll ${poll}: ${url.href} reports ${seen || 'nothing'}, waiting for ${inputs.expect}`)
  });
  const { seen, polls } = result;
  if (!result.verified) throw new UserError(`${url.href} reports ${seen || 'no version'} after ${inputs.timeoutSeconds} s (${polls} polls), expected ${inputs.expect}`, { input: 'expect' });
  run.log.info(`${url.href} reports ${seen} (poll ${polls})`);
  return {
    outputs: { manifest: '', changed: '[]', report: JSON.stringify({ url: url.href, version: seen, polls, verified: true }), backup: '', 'manifest-file': '', 'env-file': '' },
    summary: `### imgver manifest verify\n\n${url.href} reports **${seen}** as expected.\n`
  };
}
