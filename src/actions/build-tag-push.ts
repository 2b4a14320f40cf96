import { UserError, isUserError } from '../core/errors.js';
import { parseImageRef, tagOf, type ImageRef } from '../core/image-ref.js';
import { splitLines } from '../core/lines.js';
import { emptyPlan, upsertService, type Plan, type PlanService } from '../core/plan.js';
import { conflictError, retagDecisions, tagsToRead, versionTagConflicts, type TagConflict, type TagDecision, type TagState } from '../core/publish.js';
import { isVersionTag, previousImageTag } from '../core/version-tag.js';
import { renderTemplate } from '../core/template.js';
import { seconds } from '../core/pipeline-summary.js';
import { Progress } from './progress.js';
import { DEFAULT_PUSH_RETRY, Docker, pushRetryWithBase, buildInvocation, type BuilderKind, type BuildRequest, type LocalImage, type Secret } from '../adapters/docker.js';
import { imageLabels, type Manifest, type Registries, type Registry } from '../adapters/registry/index.js';
import type { ActionResult, ActionRun } from './types.js';
import type { Logger } from '../core/logger.js';
import { mapInOrder } from '../core/pool.js';

/** Registry reads and retags in flight at once: hundreds of services each take a few requests. */
const REGISTRY_CONCURRENCY = 8;
import { openRegistries, registryInputs, type RegistryInputs } from './registry-inputs.js';
import { booleanInput, commonInputs, oneOfInput, inputValue, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import { markdownTable, type Cell } from '../core/markdown.js';
import { workingDirectoryOf } from '../adapters/files.js';
import { shellLine, shellQuote } from '../core/shell-words.js';
import { shortSha } from '../core/context.js';

type UnchangedPolicy = 'retag' | 'skip' | 'latest';
type CacheMode = 'none' | 'gha' | 'registry' | 'inline';

export interface BuildTagPushInputs extends CommonInputs, RegistryInputs {
  plan?: Plan;
  service?: string;
  tags: string[];
  labels: string[];
  context: string;
  file?: string;
  unchanged: UnchangedPolicy;
  platforms: string[];
  buildArgs: string[];
  secrets: Secret[];
  cache: CacheMode;
  cacheFrom: string[];
  cacheTo: string[];
  provenance?: boolean;
  network?: string;
  target?: string;
  builder: 'auto' | BuilderKind;
  push: boolean;
  force: boolean;
  verify: boolean;
  dryRun: boolean;
  ecrLogin: boolean;
  ecrCreateRepository: boolean;
}

function keyValueLines(raw: RawInputs, name: string): { id: string; value: string }[] {
  return splitLines(raw[name]).map(line => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UserError(`Input '${name}': "${eq === -1 ? line : line.slice(0, 20)}" is not id=value`, { input: name });
    return { id: line.slice(0, eq).trim(), value: line.slice(eq + 1) };
  });
}

/** Every input parsed once, here. */
export function getInputs(raw: RawInputs, given: Set<string> = new Set(), plan?: Plan): BuildTagPushInputs {
  const str = (name: string) => inputValue(raw, name);
  const provenance = str('provenance');
  return {
    ...commonInputs(raw, given),
    plan,
    service: str('service'),
    tags: splitLines(raw.tags),
    labels: splitLines(raw.labels),
    context: str('context') ?? '.',
    file: str('file'),
    unchanged: oneOfInput(raw, 'unchanged', ['retag', 'skip', 'latest'] as const, 'retag'),
    platforms: splitLines(raw.platforms).flatMap(line => line.split(',')).map(p => p.trim()).filter(Boolean),
    buildArgs: splitLines(raw['build-args']),
    secrets: [
      ...keyValueLines(raw, 'secrets').map(({ id, value }) => ({ id, value })),
      ...keyValueLines(raw, 'secret-files').map(({ id, value }) => ({ id, src: value.trim() }))
    ],
    cache: oneOfInput(raw, 'cache', ['none', 'gha', 'registry', 'inline'] as const, 'none'),
    cacheFrom: splitLines(raw['cache-from']),
    cacheTo: splitLines(raw['cache-to']),
    provenance: provenance === undefined ? undefined : parseBoolean(provenance, 'provenance'),
    network: str('network'),
    target: str('target'),
    builder: oneOfInput(raw, 'builder', ['auto', 'buildx', 'docker'] as const, 'auto'),
    push: booleanInput(raw, 'push', true),
    force: booleanInput(raw, 'force', false),
    verify: booleanInput(raw, 'verify', true),
    dryRun: booleanInput(raw, 'dry-run', false),
    ...registryInputs(raw),
    ecrLogin: booleanInput(raw, 'ecr-login', true),
    ecrCreateRepository: booleanInput(raw, 'ecr-create-repository', false)
  };
}

/** One image of a service: its repository and the tag names it gets. */
interface ImageTargets {
  ref: ImageRef;
  tags: string[];
}

type Step =
  /** `same`: the version tags hold this digest, an image without a revision label; the build is a re-run if it is that image. */
  | { kind: 'build'; why: string; same?: { digest: string; conflicts: TagConflict[] } }
  /** Point every tag at an existing image (in `from`): an unchanged service, or a re-run that finds its build already pushed. */
  | { kind: 'retag'; from: ImageRef; digest: string; why: string; rerun: boolean; manifest?: Manifest }
  | { kind: 'skip'; digest?: string; why: string };

interface Work {
  service: PlanService;
  images: ImageTargets[];
  step: Step;
  /** Every target tag's digest before anything is written, per image name. */
  states: Map<string, TagState[]>;
  decisions: Map<string, TagDecision[]>;
}

type Result = { digest?: string; action: 'built' | 'retagged' | 'skipped'; pushed: string[] };


/** Groups full references image:tag by image, keeping order; the service's own image first. */
export function groupTags(service: PlanService): ImageTargets[] {
  // A version-only plan (no image anywhere) has bare tag names: nothing to build or push.
  if (service.image === '') return [];
  const byImage = new Map<string, string[]>();
  byImage.set(service.image.toLowerCase(), []);
  for (const reference of service.tags ?? []) {
    const { image, tag } = tagOf(reference);
    const key = image.toLowerCase();
    if (!byImage.has(key)) byImage.set(key, []);
    byImage.get(key)!.push(tag);
  }
  return [...byImage].filter(([, tags]) => tags.length > 0).map(([image, tags]) => ({ ref: parseImageRef(image), tags }));
}

const REVISION = 'org.opencontainers.image.revision';

function servicesToPublish(inputs: BuildTagPushInputs, configHasServices: boolean): { plan: Plan; services: PlanService[] } {
  let plan: Plan;
  if (inputs.plan) {
    plan = inputs.plan;
  } else if (inputs.tags.length > 0) {
    const first = tagOf(inputs.tags[0]).image;
    const labels = Object.fromEntries(
      inputs.labels.map(line => {
        const eq = line.indexOf('=');
        if (eq <= 0) throw new UserError(`Input 'labels': "${line}" is not key=value`, { input: 'labels' });
        return [line.slice(0, eq), line.slice(eq + 1)];
      })
    );
    const name = inputs.service ?? first.split('/').pop()!;
    plan = upsertService(emptyPlan(), { name, image: first, context: inputs.context, dockerfile: inputs.file, changed: true, tags: inputs.tags, labels });
  } else if (configHasServices) {
    throw new UserError(
      "build-tag-push needs the plan of compute-version (input 'plan': ${{ steps.version.outputs.plan }}) to know each service's tags, or the tags input for one image",
      { input: 'plan' }
    );
  } else {
    throw new UserError("Nothing to build: give the plan input (from compute-version) or the tags input (image:tag, one a line)", { input: 'plan' });
  }
  let services = plan.services;
  if (inputs.service && inputs.plan) {
    services = services.filter(s => s.name === inputs.service);
    if (services.length === 0) {
      throw new UserError(`Input 'service' is set to '${inputs.service}', which is not in the plan (${plan.services.map(s => s.name).join(', ')})`, {
        input: 'service'
      });
    }
  }
  return { plan, services };
}

/**
 * The target tags of every image of a service, read before anything is written: all of them for a service to build,
 * only the version tags of an image that has some for an unchanged one (its floating tags are written unread).
 */
async function readStates(images: ImageTargets[], registries: Registries, select: (tags: string[]) => string[]): Promise<Map<string, TagState[]>> {
  const states = new Map<string, TagState[]>();
  for (const image of images) {
    const registry = await registries.for(image.ref);
    states.set(image.ref.name, await Promise.all(select(image.tags).map(async tag => ({ tag, current: await registry.digest(image.ref.repository, tag) }))));
  }
  return states;
}

const short = (digest: string) => `${digest.slice(0, 19)}…`;

/** A retag to `target`: every version tag of every image must be missing or hold it already. */
function retagConflicts(service: PlanService, images: ImageTargets[], states: Map<string, TagState[]>, target: string, why: string): TagConflict[] {
  const versionTag = isVersionTag(service.version);
  return images.flatMap(image => versionTagConflicts(states.get(image.ref.name) ?? [], target, versionTag, image.ref.name, `${service.name}: ${why} would point it at ${short(target)}`));
}

function decisionsFor(images: ImageTargets[], states: Map<string, TagState[]>, target: string): Map<string, TagDecision[]> {
  return new Map(images.map(image => [image.ref.name, retagDecisions(image.tags, states.get(image.ref.name) ?? [], target)]));
}

/**
 * A service to build: its version tags (of every image) must not exist yet, unless they hold this commit's build (a
 * re-run: the missing tags are set, nothing is rebuilt) or, with no revision label on either side, the very image
 * this build makes (compared after the build, before any push). Anything else is a conflict, reported with all others.
 */
async function decideBuild(
  service: PlanService,
  images: ImageTargets[],
  states: Map<string, TagState[]>,
  registries: Registries,
  inputs: BuildTagPushInputs,
  why: string
): Promise<{ step: Step; conflicts: TagConflict[] }> {
  const versionTag = isVersionTag(service.version);
  const held = images.flatMap(image => (states.get(image.ref.name) ?? []).filter(s => s.current && versionTag(s.tag)).map(s => ({ image, tag: s.tag, current: s.current! })));
  if (held.length === 0 || !inputs.push) return { step: { kind: 'build', why }, conflicts: [] };
  const revisions = new Map<string, string | undefined>();
  for (const { image, current } of held) {
    if (revisions.has(current)) continue;
    const registry = await registries.for(image.ref);
    const manifest = await registry.manifest(image.ref.repository, current);
    revisions.set(current, (manifest ? await imageLabels(registry, image.ref.repository, manifest) : {})[REVISION]);
  }
  const revision = service.labels?.[REVISION];
  const ours = revision ? [...revisions].find(([, built]) => built === revision)?.[0] : undefined;
  if (ours) {
    const source = held.find(h => h.current === ours)!;
    const rerunWhy = `${source.image.ref.name}:${source.tag} already holds this commit's build (${shortSha(revision!)}): a re-run`;
    return { step: { kind: 'retag', from: source.image.ref, digest: ours, why: rerunWhy, rerun: true }, conflicts: inputs.force ? [] : retagConflicts(service, images, states, ours, 'the re-run') };
  }
  const conflicts = held.map(h => {
    const built = revisions.get(h.current);
    const detail = [built && `built from ${shortSha(built)}`, revision && `this run builds ${shortSha(revision)}`].filter(Boolean).join('; ');
    return { reference: `${h.image.ref.name}:${h.tag}`, current: h.current, ...(detail ? { detail } : {}) };
  });
  if (!revision && revisions.size === 1 && [...revisions.values()][0] === undefined) {
    const [digest] = revisions.keys();
    return { step: { kind: 'build', why: `${why}; ${held[0].image.ref.name}:${held[0].tag} exists: a re-run if this build is that image`, same: { digest, conflicts } }, conflicts: [] };
  }
  if (inputs.force) return { step: { kind: 'build', why: `${why}; force replaces ${held.map(h => h.tag).join(', ')}` }, conflicts: [] };
  return { step: { kind: 'build', why }, conflicts };
}

/**
 * An unchanged service points its tags at what its version tag holds when that version is already its release (no
 * new version), else at its previous release (or what `latest` holds): a new version tag that already holds an image
 * is not adopted, and must not hold anything but the source.
 */
async function decideUnchanged(service: PlanService, registry: Registry, image: ImageTargets, policy: UnchangedPolicy, states: TagState[] = []): Promise<Step> {
  const repo = image.ref.repository;
  // A candidate among the target tags was read already; another is read once, whole (its bytes are what a retag PUTs).
  const read = new Map(states.map(state => [state.tag, state.current]));
  const own = image.tags.find(isVersionTag(service.version));
  const previous = previousImageTag(image.tags, service.version, service.previous);
  const newVersion = service.release === true || (service.previous !== undefined && service.version !== service.previous);
  const candidates = (policy === 'latest' ? ['latest'] : policy === 'retag' && newVersion ? [previous] : [own, previous]).filter((t): t is string => !!t);
  for (const tag of candidates) {
    let manifest: Manifest | undefined;
    let digest: string | undefined;
    if (read.has(tag)) digest = read.get(tag);
    else if (policy === 'skip') digest = await registry.digest(repo, tag);
    else digest = (manifest = await registry.manifest(repo, tag))?.digest;
    if (!digest) continue;
    if (policy === 'skip') return { kind: 'skip', digest, why: `unchanged; ${tag} is ${short(digest)}` };
    return { kind: 'retag', from: image.ref, digest, why: `unchanged: retag ${tag}`, rerun: false, ...(manifest ? { manifest } : {}) };
  }
  if (policy === 'skip') return { kind: 'skip', why: 'unchanged (no earlier image found)' };
  return { kind: 'build', why: `unchanged, but ${candidates.length ? candidates.map(t => `${image.ref.name}:${t}`).join(' and ') : 'no earlier release'} ${candidates.length === 1 ? 'does' : 'do'} not exist to retag: built` };
}

async function decide(service: PlanService, images: ImageTargets[], registries: Registries, inputs: BuildTagPushInputs): Promise<Work & { conflicts: TagConflict[] }> {
  const changed = service.changed ?? service.release ?? true;
  const versionTag = isVersionTag(service.version);
  const states = inputs.push ? await readStates(images, registries, tags => (changed ? tags : tagsToRead(tags, versionTag))) : new Map<string, TagState[]>();
  let why = 'changed';
  if (!changed) {
    const step = await decideUnchanged(service, await registries.for(images[0].ref), images[0], inputs.unchanged, states.get(images[0].ref.name));
    if (step.kind === 'skip') return { service, images, step, states, decisions: new Map(), conflicts: [] };
    if (step.kind === 'retag') {
      const conflicts = inputs.force || !inputs.push ? [] : retagConflicts(service, images, states, step.digest, step.why);
      return { service, images, step, states, decisions: decisionsFor(images, states, step.digest), conflicts };
    }
    why = step.why;
  }
  const { step, conflicts } = await decideBuild(service, images, states, registries, inputs, why);
  return { service, images, step, states, decisions: step.kind === 'retag' ? decisionsFor(images, states, step.digest) : new Map(), conflicts };
}

/** Whether a local build is the image a registry holds: the same config, or the same layers and labels. */
async function sameImage(local: LocalImage, registry: Registry, repository: string, digest: string): Promise<boolean> {
  const manifest = await registry.manifest(repository, digest);
  if (!manifest) return false;
  const body = JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest: string } };
  if (body.config?.digest === local.id) return true;
  if (!body.config) return false;
  const config = await registry.blob(repository, body.config.digest);
  if (!config) return false;
  const parsed = JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: string[] }; config?: { Labels?: Record<string, string> | null } };
  const sameLayers = JSON.stringify(parsed.rootfs?.diff_ids ?? []) === JSON.stringify(local.layers);
  const labels = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));
  return sameLayers && labels(parsed.config?.Labels ?? {}) === labels(local.labels);
}

/** What a run that stops half-way leaves: the tags in place and those still missing, so the log says what a re-run completes. */
class Ledger {
  private readonly wanted: string[] = [];
  private readonly placed = new Set<string>();

  want(reference: string): void {
    this.wanted.push(reference);
  }
  place(reference: string): void {
    this.placed.add(reference);
  }
  describe(): string {
    const list = (refs: string[]) => (refs.length > 20 ? `${refs.slice(0, 20).join(', ')} and ${refs.length - 20} more` : refs.join(', '));
    const placed = this.wanted.filter(r => this.placed.has(r));
    const missing = this.wanted.filter(r => !this.placed.has(r));
    if (placed.length === 0) return `Nothing is in place yet (${missing.length} tag(s) to write); a re-run starts over.`;
    return `In place: ${list(placed)}. Not in place: ${missing.length ? list(missing) : 'none'}. A re-run writes only what is missing.`;
  }
}

function templateList(lines: string[], vars: Record<string, string>): string[] {
  return lines.map(line => renderTemplate(line, vars));
}

function cacheEntries(mode: CacheMode, builder: BuilderKind, service: string, image: string): { from: string[]; to: string[]; buildArgs: string[] } {
  switch (mode) {
    case 'none':
      return { from: [], to: [], buildArgs: [] };
    case 'gha':
      if (builder !== 'buildx') throw new UserError("Input 'cache' is gha, which needs docker buildx; use inline, or set up buildx", { input: 'cache' });
      return { from: [`type=gha,scope=${service}`], to: [`type=gha,mode=max,scope=${service}`], buildArgs: [] };
    case 'registry':
      if (builder !== 'buildx') return { from: [`${image}:buildcache`], to: [], buildArgs: [] };
      return { from: [`type=registry,ref=${image}:buildcache`], to: [`type=registry,ref=${image}:buildcache,mode=max`], buildArgs: [] };
    case 'inline':
      return { from: [builder === 'buildx' ? `type=registry,ref=${image}:latest` : `${image}:latest`], to: builder === 'buildx' ? ['type=inline'] : [], buildArgs: ['BUILDKIT_INLINE_CACHE=1'] };
  }
}

export async function run(planIn: Plan | undefined, runCtx: ActionRun): Promise<ActionResult> {
  const { log } = runCtx;
  const inputs = getInputs(runCtx.inputs, runCtx.given, planIn);
  const cwd = workingDirectoryOf(runCtx.cwd, inputs.workingDirectory);
  if (inputs.password) log.mask(inputs.password);
  for (const secret of inputs.secrets) if (secret.value) log.mask(secret.value);

  const config = inputs.plan || inputs.tags.length > 0 ? undefined : await runCtx.config(cwd, inputs.config, inputs.configGiven);
  const { plan, services } = servicesToPublish(inputs, (config?.services.length ?? 0) > 0);
  const grouped = services.map(service => ({ service, images: groupTags(service) }));
  const registries = openRegistries(inputs, runCtx, {
    createRepository: inputs.ecrCreateRepository,
    hosts: grouped.flatMap(({ images }) => images.map(image => image.ref.registry))
  });
  const docker = new Docker(cwd, runCtx.env, line => log.info(line), undefined, message => log.warning(message));
  const pushRetry = runCtx.env.IMGVER_RETRY_BASE_MS ? pushRetryWithBase(Number(runCtx.env.IMGVER_RETRY_BASE_MS)) : DEFAULT_PUSH_RETRY;

  // Read every target tag first and decide: a conflict anywhere stops the run before anything is built or pushed.
  let work: Work[] = [];
  const conflicts: TagConflict[] = [];
  await log.group('Registry state', async () => {
    // Services are read REGISTRY_CONCURRENCY at a time (hundreds of services, each a few requests); logged in order.
    const decided = await mapInOrder(grouped, REGISTRY_CONCURRENCY, async ({ service, images }) => {
      if (images.length === 0) return { service, images, step: { kind: 'skip', why: 'no tags in the plan' } as Step, states: new Map(), decisions: new Map(), conflicts: [] };
      return decide(service, images, registries, inputs);
    });
    work = decided.map(({ conflicts: found, ...item }) => (conflicts.push(...found), item));
    for (const { service, step } of work) log.info(`${service.name}: ${step.kind} (${step.why})`);
  });

  const needsBuild = work.some(w => w.step.kind === 'build');
  const builder = needsBuild ? await docker.detectBuilder(inputs.builder) : 'docker';
  // buildx pushes as it builds: an image without a revision label cannot be compared with the one in place first.
  if (builder === 'buildx') for (const { step } of work) if (step.kind === 'build' && step.same && !inputs.force) conflicts.push(...step.same.conflicts);
  if (conflicts.length > 0) throw conflictError(conflicts);
  if (needsBuild && inputs.push && !inputs.dryRun) await prepareRegistries(work, registries, docker, inputs, log);

  const ledger = new Ledger();
  for (const { images, step } of work) {
    if (step.kind === 'skip' || !inputs.push) continue;
    for (const image of images) for (const tag of image.tags) ledger.want(`${image.ref.name}:${tag}`);
  }
  for (const { images, decisions } of work) {
    for (const image of images) for (const d of decisions.get(image.ref.name) ?? []) if (d.action === 'keep' || d.action === 'leave') ledger.place(`${image.ref.name}:${d.tag}`);
  }

  const requestOf = (service: PlanService, images: ImageTargets[]): BuildRequest => {
    const primary = images[0];
    const vars = { service: service.name, version: service.version ?? '', image: primary.ref.name };
    const cache = cacheEntries(inputs.cache, builder, service.name, primary.ref.name);
    return {
      service: service.name,
      context: service.context ?? '.',
      dockerfile: service.dockerfile ?? `${service.context ?? '.'}/Dockerfile`,
      tags: images.flatMap(image => image.tags.map(tag => `${image.ref.name}:${tag}`)),
      labels: service.labels ?? {},
      annotations: service.annotations ?? {},
      platforms: inputs.platforms,
      buildArgs: [...cache.buildArgs, ...templateList(inputs.buildArgs, vars)],
      secrets: inputs.secrets,
      cacheFrom: [...cache.from, ...templateList(inputs.cacheFrom, vars)],
      cacheTo: [...cache.to, ...templateList(inputs.cacheTo, vars)],
      provenance: inputs.provenance,
      network: inputs.network,
      target: inputs.target,
      push: inputs.push
    };
  };

  /**
   * The classic builder's push: each image's version tag by `docker push` (retried; the engine sends only the layers
   * the registry lacks), then its other tags by manifest PUT of the pushed bytes (retried by the registry client).
   */
  const pushBuilt = async (item: Work, log: Logger): Promise<{ digest?: string; pushed: string[] }> => {
    const versionTag = isVersionTag(item.service.version);
    const pushed: string[] = [];
    let digest: string | undefined;
    for (const image of item.images) {
      const registry = await registries.for(image.ref);
      const first = image.tags.find(versionTag) ?? image.tags[0];
      const rest = image.tags.filter(tag => tag !== first);
      if (inputs.dryRun) {
        log.info(`would run: docker push ${shellQuote(`${image.ref.name}:${first}`)}`);
        for (const tag of rest) log.info(`would PUT manifest ${image.ref.name}:${tag} → the pushed digest`);
        continue;
      }
      const local = await docker.inspect(`${image.ref.name}:${first}`);
      const landed = async () => {
        const digest = await registry.digest(image.ref.repository, first);
        const manifest = digest && local ? await registry.manifest(image.ref.repository, digest) : undefined;
        const config = manifest && (JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest?: string } }).config?.digest;
        return config && config === local!.id ? digest : undefined;
      };
      const result = await docker.push(`${image.ref.name}:${first}`, pushRetry, landed);
      ledger.place(`${image.ref.name}:${first}`);
      pushed.push(`${image.ref.name}:${first}`);
      const here = result.digest ?? (await registry.digest(image.ref.repository, first));
      if (!here) throw new UserError(`docker push ${image.ref.name}:${first} succeeded, but the registry has no such tag`);
      digest ??= here;
      if (rest.length === 0) continue;
      const manifest = await registry.manifest(image.ref.repository, here);
      if (!manifest) throw new UserError(`${image.ref.name}@${here} vanished from the registry right after docker push`);
      for (const tag of rest) {
        await registry.putManifest(image.ref.repository, tag, manifest);
        ledger.place(`${image.ref.name}:${tag}`);
        pushed.push(`${image.ref.name}:${tag}`);
        log.info(`${image.ref.name}:${tag} → ${here}`);
      }
    }
    return { digest, pushed };
  };

  /** One service's retag or nothing (builds are done before), logging through `log` (a buffer when several run at once). */
  const publish = async (item: Work, log: Logger): Promise<Result> => {
    const { service, images, step } = item;
    if (step.kind === 'skip') return { digest: step.digest, action: 'skipped', pushed: [] };
    if (step.kind !== 'retag') throw new Error(`publish(${service.name}): ${step.kind} is not a retag`);
    const pushed: string[] = [];
    if (!inputs.push) return { digest: step.digest, action: 'retagged', pushed };
    let manifest = step.manifest;
    for (const image of images) {
      const registry = await registries.for(image.ref);
      const decisions = item.decisions.get(image.ref.name) ?? [];
      const writes = decisions.filter(d => d.action !== 'keep' && d.action !== 'leave');
      for (const d of decisions.filter(d => d.action === 'keep')) log.info(`${image.ref.name}:${d.tag} already → ${step.digest}`);
      for (const d of decisions.filter(d => d.action === 'leave')) log.debug(`${image.ref.name}:${d.tag} left as it is: the version tags already hold ${step.digest}`);
      if (writes.length === 0) continue;
      if (inputs.dryRun) {
        for (const d of writes) log.info(`would PUT manifest ${image.ref.name}:${d.tag} → ${step.digest} (${d.action}${d.current ? ` from ${d.current}` : ''})`);
        continue;
      }
      manifest ??= await (await registries.for(step.from)).manifest(step.from.repository, step.digest);
      if (!manifest) throw new UserError(`${step.from.name}@${step.digest} vanished from the registry while retagging ${service.name}`);
      for (const d of writes) {
        // The digest the registry answers for the PUT is what the tag now holds: no read-back needed.
        const stored = await registry.putManifest(image.ref.repository, d.tag, manifest);
        if (stored !== step.digest) throw new UserError(`${image.ref.name}:${d.tag}: the registry stored ${stored} for the manifest of ${step.digest}`);
        ledger.place(`${image.ref.name}:${d.tag}`);
        pushed.push(`${image.ref.name}:${d.tag}`);
        log.info(`${image.ref.name}:${d.tag} → ${step.digest} (${d.action})`);
      }
    }
    return { digest: step.digest, action: 'retagged', pushed };
  };

  const verify = async (item: Work, digest: string | undefined, log: Logger): Promise<void> => {
    if (!inputs.verify || !inputs.push || inputs.dryRun || !digest) return;
    for (const image of item.images) {
      const registry = await registries.for(image.ref);
      for (const tag of image.tags) {
        const found = await registry.digest(image.ref.repository, tag);
        if (found !== digest) throw new UserError(`Verification failed: ${image.ref.name}:${tag} resolves to ${found ?? 'nothing'}, expected ${digest} (another push raced this one?)`);
      }
    }
    log.debug(`${item.service.name}: every tag resolves to ${digest}`);
  };

  const results = new Map<Work, Result>();
  const started = performance.now();
  const progress = new Progress(log, work.length);
  const done = (item: Work, finish: (what: string) => void) => {
    const result = results.get(item);
    if (result) finish(`${item.service.name} ${inputs.dryRun ? `would be ${result.action}` : result.action}${item.service.version ? ` ${item.service.version}` : ''}`);
  };
  const buffered = new Map<Work, [keyof Logger, string][]>();
  const replay = async (item: Work) => {
    const record = buffered.get(item);
    if (record && record.length > 0) {
      await log.group(`${item.service.name}: ${item.step.kind}`, async () => {
        for (const [level, message] of record) (log[level] as (m: string) => void)(message);
      });
      buffered.delete(item);
    }
  };
  try {
    // Builds first, one after another (the Docker engine is the bottleneck): a failed build stops the run before any
    // unchanged service gets the new tags. The classic builder builds every image before pushing any, so a build that
    // turns out to differ from an image already holding its version tag stops the run with nothing pushed.
    const builds = work.filter(w => w.step.kind === 'build');
    const buildsStarted = performance.now();
    const late: TagConflict[] = [];
    for (const item of builds) {
      await log.group(`${item.service.name}: build`, async () => {
        const request = requestOf(item.service, item.images);
        if (inputs.dryRun) {
          log.info(`would run: docker ${shellLine(buildInvocation(request, builder).args)}`);
          if (builder === 'buildx') results.set(item, { action: 'built', pushed: [] });
          return;
        }
        const built = await docker.build(request, builder);
        if (builder === 'buildx') {
          let digest = built.digest;
          if (inputs.push) {
            for (const tag of request.tags) ledger.place(tag);
            const primary = item.images[0];
            digest ??= await (await registries.for(primary.ref)).digest(primary.ref.repository, primary.tags[0]);
          }
          results.set(item, { digest, action: 'built', pushed: inputs.push ? request.tags : [] });
          return;
        }
        const step = item.step as Extract<Step, { kind: 'build' }>;
        if (!step.same || !inputs.push) return;
        const local = await docker.inspect(request.tags[0]);
        const held = step.same.conflicts[0].reference;
        const image = item.images.find(i => held.startsWith(`${i.ref.name}:`))!;
        if (local && (await sameImage(local, await registries.for(image.ref), image.ref.repository, step.same.digest))) {
          item.step = { kind: 'retag', from: image.ref, digest: step.same.digest, why: `${held} already holds this very build: a re-run`, rerun: true };
          item.decisions = decisionsFor(item.images, item.states, step.same.digest);
          for (const img of item.images) for (const d of item.decisions.get(img.ref.name)!) if (d.action === 'keep' || d.action === 'leave') ledger.place(`${img.ref.name}:${d.tag}`);
          log.info(`${item.service.name}: ${item.step.why}`);
          late.push(...(inputs.force ? [] : retagConflicts(item.service, item.images, item.states, step.same.digest, 'the re-run')));
        } else if (!inputs.force) {
          late.push(...step.same.conflicts);
        }
      });
    }
    if (late.length > 0) throw conflictError(late);
    if (builder === 'docker') {
      for (const item of builds) {
        if (item.step.kind !== 'build') continue;
        if (!inputs.push) {
          results.set(item, { action: 'built', pushed: [] });
          continue;
        }
        results.set(item, await log.group(`${item.service.name}: push`, async () => ({ ...(await pushBuilt(item, log)), action: 'built' as const })));
      }
    }
    // What the engine takes (builds and pushes), apart from the registry work that grows with the services.
    if (builds.length > 0 && !inputs.dryRun) log.info(`${builds.length} build(s) and push(es) in ${((performance.now() - buildsStarted) / 1000).toFixed(2)} s`);
    for (const item of builds) {
      const finish = progress.start();
      const result = results.get(item);
      if (result) await log.group(`${item.service.name}: verify`, () => verify(item, result.digest, log));
      done(item, finish);
    }
    // Then retags by registry API, REGISTRY_CONCURRENCY at a time, their logs replayed in service order.
    const retags = work.filter(w => w.step.kind !== 'build' && !results.has(w));
    await mapInOrder(retags, REGISTRY_CONCURRENCY, async item => {
      const record: [keyof Logger, string][] = [];
      buffered.set(item, record);
      const buffer: Logger = {
        info: m => record.push(['info', m]),
        debug: m => record.push(['debug', m]),
        warning: m => record.push(['warning', m]),
        mask: secret => log.mask(secret),
        group: (_name, fn) => fn()
      };
      const finish = progress.start();
      // A retag is verified by what it read before (the tags it keeps) and the digests its PUTs answered (the rest).
      const result = await publish(item, buffer);
      results.set(item, result);
      done(item, finish);
    }).catch(async (error: unknown) => {
      for (const item of retags) await replay(item);
      throw error;
    });
  } catch (error) {
    if (!inputs.push || inputs.dryRun || !isUserError(error) || /never overwritten/.test(error.message)) throw error;
    throw new UserError(`${error.message}\n${ledger.describe()}`);
  }

  let updated = plan;
  const lines: Cell[][] = [];
  for (const item of work) {
    const { service, step } = item;
    const { digest, action, pushed } = results.get(item)!;
    await replay(item);
    updated = upsertService(updated, { ...service, digest, action, pushed });
    lines.push([service.name, `${action}${step.kind === 'retag' && step.rerun ? ' (re-run)' : ''}`, step.why, digest ? { code: short(digest) } : '', String(pushed.length)]);
  }

  const requests = await registries.requests();
  log.info(`${requests} registry request(s)`);
  const count = (action: string) => [...results.values()].filter(r => r.action === action).length;
  log.info(`build-tag-push: ${count('built')} built, ${count('retagged')} retagged, ${count('skipped')} skipped in ${seconds(performance.now() - started)}`);
  const final = updated.services.filter(s => services.some(p => p.name === s.name));
  const digests = Object.fromEntries(final.filter(s => s.digest).map(s => [s.name, s.digest!]));
  const images = Object.fromEntries(final.filter(s => s.digest).map(s => [s.name, `${s.image}@${s.digest}`]));
  const names = (action: string) => JSON.stringify(final.filter(s => s.action === action).map(s => s.name));
  const only = final.length === 1 ? final[0] : final.find(s => s.name === inputs.service);
  const summary = [
    `### imgver build-tag-push${inputs.dryRun ? ' (dry run)' : ''}`,
    '',
    markdownTable(['Service', 'Action', 'Why', 'Digest', 'Tags written'], lines),
    ''
  ].join('\n');
  return {
    plan: updated,
    outputs: {
      digests: JSON.stringify(digests),
      images: JSON.stringify(images),
      digest: only?.digest ?? '',
      built: names('built'),
      retagged: names('retagged'),
      skipped: names('skipped'),
      plan: JSON.stringify(updated)
    },
    summary
  };
}

/** Docker login for Amazon ECR hosts (GetAuthorizationToken) and missing ECR repositories created, before any push. */
async function prepareRegistries(work: Work[], registries: Registries, docker: Docker, inputs: BuildTagPushInputs, log: ActionRun['log']): Promise<void> {
  const loggedIn = new Set<string>();
  for (const item of work) {
    if (item.step.kind !== 'build') continue;
    for (const image of item.images) {
      if (image.ref.kind !== 'ecr') continue;
      const registry = (await registries.for(image.ref)) as import('../adapters/registry/ecr.js').EcrRegistry;
      if (inputs.ecrCreateRepository) await registry.ensureRepository(image.ref.repository);
      if (!inputs.ecrLogin || loggedIn.has(image.ref.registry)) continue;
      const { server, credentials } = await registry.loginCredentials();
      log.mask(credentials.password);
      await docker.login(server, credentials);
      loggedIn.add(image.ref.registry);
      log.info(`docker logged in to ${image.ref.registry}`);
    }
  }
}
