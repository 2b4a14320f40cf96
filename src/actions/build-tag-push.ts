import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { parseImageRef, tagOf, type ImageRef } from '../core/image-ref.js';
import { splitLines } from '../core/lines.js';
import { emptyPlan, upsertService, type Plan, type PlanService } from '../core/plan.js';
import { decideTags, isVersionTag, previousTag, type TagDecision } from '../core/publish.js';
import { renderTemplate } from '../core/template.js';
import { Docker, buildInvocation, type BuilderKind, type BuildRequest, type Secret } from '../adapters/docker.js';
import { imageLabels, type Registries, type Registry } from '../adapters/registry/index.js';
import type { ActionResult, ActionRun } from './types.js';
import type { Logger } from '../runtime/log.js';
import { mapInOrder } from '../core/pool.js';

/** Registry reads and retags in flight at once: hundreds of services each take a few requests. */
const REGISTRY_CONCURRENCY = 8;
import { loadConfig } from './config-loader.js';
import { openRegistries, registryInputs, type RegistryInputs } from './registry-inputs.js';
import { commonInputs, inputValue, parseBoolean, type CommonInputs, type RawInputs, planInput } from './inputs.js';

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

function oneOf<T extends string>(raw: RawInputs, name: string, allowed: readonly T[], fallback: T): T {
  const value = inputValue(raw, name) ?? fallback;
  if (!allowed.includes(value as T)) {
    throw new UserError(`Input '${name}' is set to invalid value '${value}': expected ${allowed.join(', ')}`, { input: name });
  }
  return value as T;
}

function keyValueLines(raw: RawInputs, name: string): { id: string; value: string }[] {
  return splitLines(raw[name]).map(line => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UserError(`Input '${name}': "${eq === -1 ? line : line.slice(0, 20)}" is not id=value`, { input: name });
    return { id: line.slice(0, eq).trim(), value: line.slice(eq + 1) };
  });
}

/** Every input parsed once, here. */
export function getInputs(raw: RawInputs, given: Set<string> = new Set()): BuildTagPushInputs {
  const str = (name: string) => inputValue(raw, name);
  const bool = (name: string, fallback: boolean) => (str(name) === undefined ? fallback : parseBoolean(raw[name]!, name));
  const provenance = str('provenance');
  return {
    ...commonInputs(raw, given),
    plan: planInput(raw),
    service: str('service'),
    tags: splitLines(raw.tags),
    labels: splitLines(raw.labels),
    context: str('context') ?? '.',
    file: str('file'),
    unchanged: oneOf(raw, 'unchanged', ['retag', 'skip', 'latest'] as const, 'retag'),
    platforms: splitLines(raw.platforms).flatMap(line => line.split(',')).map(p => p.trim()).filter(Boolean),
    buildArgs: splitLines(raw['build-args']),
    secrets: [
      ...keyValueLines(raw, 'secrets').map(({ id, value }) => ({ id, value })),
      ...keyValueLines(raw, 'secret-files').map(({ id, value }) => ({ id, src: value.trim() }))
    ],
    cache: oneOf(raw, 'cache', ['none', 'gha', 'registry', 'inline'] as const, 'none'),
    cacheFrom: splitLines(raw['cache-from']),
    cacheTo: splitLines(raw['cache-to']),
    provenance: provenance === undefined ? undefined : parseBoolean(provenance, 'provenance'),
    network: str('network'),
    target: str('target'),
    builder: oneOf(raw, 'builder', ['auto', 'buildx', 'docker'] as const, 'auto'),
    push: bool('push', true),
    force: bool('force', false),
    verify: bool('verify', true),
    dryRun: bool('dry-run', false),
    ...registryInputs(raw),
    ecrLogin: bool('ecr-login', true),
    ecrCreateRepository: bool('ecr-create-repository', false)
  };
}

/** One image of a service: its repository and the tag names it gets. */
interface ImageTargets {
  ref: ImageRef;
  tags: string[];
}

type Step =
  | { kind: 'build'; why: string }
  /** Point every tag at an existing image: an unchanged service, or a re-run that finds its build already pushed. */
  | { kind: 'retag'; source: string; digest: string; why: string; rerun: boolean }
  | { kind: 'skip'; digest?: string; why: string };

interface Work {
  service: PlanService;
  images: ImageTargets[];
  step: Step;
  decisions: Map<string, TagDecision[]>;
}

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

/** A changed service builds unless its version tag already holds this commit's build (a re-run) or another build (a conflict). */
async function decideChanged(service: PlanService, registry: Registry, image: ImageTargets, inputs: BuildTagPushInputs): Promise<Step> {
  const versionTag = isVersionTag(service.version);
  const pinned = image.tags.find(versionTag);
  if (!pinned || !inputs.push) return { kind: 'build', why: 'changed' };
  const current = await registry.digest(image.ref.repository, pinned);
  if (!current) return { kind: 'build', why: 'changed' };
  const manifest = await registry.manifest(image.ref.repository, current);
  const labels = manifest ? await imageLabels(registry, image.ref.repository, manifest) : {};
  const revision = service.labels?.[REVISION];
  if (revision && labels[REVISION] === revision) {
    return { kind: 'retag', source: pinned, digest: current, why: `${pinned} already holds this commit's build (${revision.slice(0, 7)}): a re-run`, rerun: true };
  }
  if (inputs.force) return { kind: 'build', why: `changed; force replaces ${pinned}` };
  throw new UserError(
    `${image.ref.name}:${pinned} already exists (${current}${labels[REVISION] ? `, built from ${labels[REVISION].slice(0, 7)}` : ''})${revision ? ` and this run builds ${revision.slice(0, 7)}` : ''}: version ${service.version ?? pinned} was already released. Release a new version, or set force: true to overwrite it`,
    { input: 'force' }
  );
}

async function decideUnchanged(service: PlanService, registry: Registry, image: ImageTargets, policy: UnchangedPolicy): Promise<Step> {
  const repo = image.ref.repository;
  const candidates =
    policy === 'latest'
      ? ['latest']
      : [image.tags.find(isVersionTag(service.version)), previousTag(image.tags, service.version, service.previous)].filter((t): t is string => !!t);
  for (const tag of candidates) {
    const digest = await registry.digest(repo, tag);
    if (!digest) continue;
    if (policy === 'skip') return { kind: 'skip', digest, why: `unchanged; ${tag} is ${digest.slice(0, 19)}…` };
    return { kind: 'retag', source: tag, digest, why: `unchanged: retag ${tag}`, rerun: false };
  }
  if (policy === 'skip') return { kind: 'skip', why: 'unchanged (no earlier image found)' };
  return { kind: 'build', why: `unchanged, but ${candidates.length ? candidates.map(t => `${image.ref.name}:${t}`).join(' and ') : 'no earlier release'} ${candidates.length === 1 ? 'does' : 'do'} not exist to retag: built` };
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

export async function run(runCtx: ActionRun): Promise<ActionResult> {
  const { log } = runCtx;
  const inputs = getInputs(runCtx.inputs, runCtx.given);
  const cwd = resolve(runCtx.cwd, inputs.workingDirectory);
  if (inputs.password) log.mask(inputs.password);
  for (const secret of inputs.secrets) if (secret.value) log.mask(secret.value);

  const config = inputs.plan || inputs.tags.length > 0 ? undefined : await loadConfig(cwd, inputs.config, inputs.configGiven);
  const { plan, services } = servicesToPublish(inputs, (config?.services.length ?? 0) > 0);
  const registries = openRegistries(inputs, runCtx, { createRepository: inputs.ecrCreateRepository });
  const docker = new Docker(cwd, runCtx.env, line => log.info(line));

  // Read everything first and decide: a conflict anywhere stops the run before anything is built or pushed.
  let work: Work[] = [];
  await log.group('Registry state', async () => {
    // Services are read REGISTRY_CONCURRENCY at a time (hundreds of services, each a few requests); logged in order.
    work = await mapInOrder(services, REGISTRY_CONCURRENCY, async (service): Promise<Work> => {
      const images = groupTags(service);
      if (images.length === 0) return { service, images, step: { kind: 'skip', why: 'no tags in the plan' }, decisions: new Map() };
      const primary = images[0];
      const registry = await registries.for(primary.ref);
      const changed = service.changed ?? service.release ?? true;
      const step = changed ? await decideChanged(service, registry, primary, inputs) : await decideUnchanged(service, registry, primary, inputs.unchanged);
      const decisions = new Map<string, TagDecision[]>();
      if (step.kind === 'retag' && inputs.push) {
        for (const image of images) {
          const states = await Promise.all(
            image.tags.map(async tag => ({ tag, current: await (await registries.for(image.ref)).digest(image.ref.repository, tag) }))
          );
          decisions.set(image.ref.name, decideTags(states, step.digest, isVersionTag(service.version), inputs.force, image.ref.name));
        }
      }
      return { service, images, step, decisions };
    });
    for (const { service, step } of work) log.info(`${service.name}: ${step.kind} (${step.why})`);
  });

  const needsBuild = work.some(w => w.step.kind === 'build');
  const builder = needsBuild ? await docker.detectBuilder(inputs.builder) : 'docker';
  if (needsBuild && inputs.push && !inputs.dryRun) await prepareRegistries(work, registries, docker, inputs, log);

  /** One service's build, retag or nothing, logging through `out` (a buffer when several run at once). */
  const publish = async (item: Work, log: Logger): Promise<{ digest?: string; action: 'built' | 'retagged' | 'skipped'; pushed: string[] }> => {
    const { service, images, step } = item;
    let digest: string | undefined;
    let action: 'built' | 'retagged' | 'skipped' = 'skipped';
    const pushed: string[] = [];
    if (step.kind === 'build') {
      action = 'built';
      const primary = images[0];
      const vars = { service: service.name, version: service.version ?? '', image: primary.ref.name };
      const cache = cacheEntries(inputs.cache, builder, service.name, primary.ref.name);
      const request: BuildRequest = {
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
      if (inputs.dryRun) {
        log.info(`would run: docker ${buildInvocation(request, builder).args.join(' ')}`);
        if (builder === 'docker' && inputs.push) for (const tag of request.tags) log.info(`would run: docker push ${tag}`);
        return { digest, action, pushed };
      }
      const built = await docker.build(request, builder);
      digest = built.digest;
      if (inputs.push) {
        if (builder === 'docker') {
          for (const tag of request.tags) {
            const result = await docker.push(tag);
            digest ??= result.digest;
          }
        }
        pushed.push(...request.tags);
        digest ??= await (await registries.for(primary.ref)).digest(primary.ref.repository, primary.tags[0]);
      }
    } else if (step.kind === 'retag') {
      action = 'retagged';
      digest = step.digest;
      if (!inputs.push) return { digest, action, pushed };
      for (const image of images) {
        const registry = await registries.for(image.ref);
        const decisions = item.decisions.get(image.ref.name) ?? [];
        const writes = decisions.filter(d => d.action !== 'keep');
        for (const d of decisions.filter(d => d.action === 'keep')) log.info(`${image.ref.name}:${d.tag} already → ${step.digest}`);
        if (writes.length === 0) continue;
        if (inputs.dryRun) {
          for (const d of writes) log.info(`would PUT manifest ${image.ref.name}:${d.tag} → ${step.digest} (${d.action}${d.current ? ` from ${d.current}` : ''})`);
          continue;
        }
        const manifest = await registry.manifest(images[0].ref.repository, step.digest);
        if (!manifest) throw new UserError(`${images[0].ref.name}@${step.digest} vanished from the registry while retagging ${service.name}`);
        for (const d of writes) {
          await registry.putManifest(image.ref.repository, d.tag, manifest);
          pushed.push(`${image.ref.name}:${d.tag}`);
          log.info(`${image.ref.name}:${d.tag} → ${step.digest} (${d.action})`);
        }
      }
    } else {
      digest = step.digest;
    }
    if (inputs.verify && inputs.push && !inputs.dryRun && digest && action !== 'skipped') {
      for (const image of images) {
        const registry = await registries.for(image.ref);
        for (const tag of image.tags) {
          const found = await registry.digest(image.ref.repository, tag);
          if (found !== digest) {
            throw new UserError(`Verification failed: ${image.ref.name}:${tag} resolves to ${found ?? 'nothing'}, expected ${digest} (another push raced this one?)`);
          }
        }
      }
      log.debug(`${service.name}: every tag resolves to ${digest}`);
    }
    return { digest, action, pushed };
  };

  // Builds first, one after another (the Docker engine is the bottleneck): a failed build stops the run before any
  // unchanged service gets the new tags. Then retags by registry API, REGISTRY_CONCURRENCY at a time, their logs
  // replayed in service order.
  const results = new Map<Work, Awaited<ReturnType<typeof publish>>>();
  for (const item of work.filter(w => w.step.kind === 'build')) {
    results.set(item, await log.group(`${item.service.name}: build`, () => publish(item, log)));
  }
  const buffered = new Map<Work, [keyof Logger, string][]>();
  const replay = async (item: Work) => {
    const record = buffered.get(item);
    if (record && record.length > 0) {
      await log.group(`${item.service.name}: ${item.step.kind}`, async () => {
        for (const [level, message] of record) (log[level] as (m: string) => void)(message);
      });
    }
  };
  const retags = work.filter(w => w.step.kind !== 'build');
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
    results.set(item, await publish(item, buffer));
  }).catch(async (error: unknown) => {
    for (const item of retags) await replay(item);
    throw error;
  });
  let updated = plan;
  const lines: string[] = [];
  for (const item of work) {
    const { service, step } = item;
    const { digest, action, pushed } = results.get(item)!;
    await replay(item);
    updated = upsertService(updated, { ...service, digest, action, pushed });
    lines.push(`| ${service.name} | ${action}${step.kind === 'retag' && step.rerun ? ' (re-run)' : ''} | ${step.why.replace(/\|/g, '\\|')} | ${digest ? `\`${digest.slice(0, 19)}…\`` : ''} | ${pushed.length} |`);
  }

  const requests = await registries.requests();
  log.info(`${requests} registry request(s)`);
  const final = updated.services.filter(s => services.some(p => p.name === s.name));
  const digests = Object.fromEntries(final.filter(s => s.digest).map(s => [s.name, s.digest!]));
  const images = Object.fromEntries(final.filter(s => s.digest).map(s => [s.name, `${s.image}@${s.digest}`]));
  const names = (action: string) => JSON.stringify(final.filter(s => s.action === action).map(s => s.name));
  const only = final.length === 1 ? final[0] : final.find(s => s.name === inputs.service);
  const summary = [
    `### imgver build-tag-push${inputs.dryRun ? ' (dry run)' : ''}`,
    '',
    '| Service | Action | Why | Digest | Tags written |',
    '| --- | --- | --- | --- | --- |',
    ...lines,
    ''
  ].join('\n');
  return {
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
