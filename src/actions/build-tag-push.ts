import { UserError, isUserError } from '../core/errors.js';
import { splitLines } from '../core/lines.js';
import { upsertServices, type Plan, type PlanService } from '../core/plan.js';
import { conflictError, type TagConflict, type TagDecision, type TagState } from '../core/publish.js';
import {
  buildStep,
  groupTags,
  heldVersionTags,
  isChanged,
  retagConflicts,
  retagPlan,
  servicesToPublish,
  short,
  tagsToReadOf,
  TagLedger,
  unchangedCandidates,
  unchangedStep,
  type ImageTargets,
  type Step,
  type PublishSource,
  type UnchangedPolicy
} from '../core/publish-steps.js';
import { buildRequestOf, type BuilderKind, type CacheMode, type Secret } from '../core/build-request.js';
import { seconds } from '../core/pipeline-summary.js';
import { markdownTable, type Cell } from '../core/markdown.js';
import { shellLine } from '../core/shell-words.js';
import { mapInOrder } from '../core/pool.js';
import { OrderedLogs } from '../core/ordered-logs.js';
import { DEFAULT_PUSH_RETRY, Docker, pushRetryWithBase, buildInvocation } from '../adapters/docker.js';
import { Publisher } from '../adapters/publisher.js';
import { workingDirectoryOf } from '../adapters/files.js';
import { Progress } from './progress.js';
import { openRegistries } from './registry-inputs.js';
import { registryInputs, type RegistryInputs } from './registry-input-fields.js';
import { booleanInput, commonInputs, oneOfInput, inputValue, parseBoolean, type CommonInputs, type RawInputs } from './inputs.js';
import type { StageResult, StageContext } from './types.js';

/** Registry reads and retags in flight at once: hundreds of services each take a few requests. */
const REGISTRY_CONCURRENCY = 8;

export interface BuildTagPushInputs extends CommonInputs, RegistryInputs, PublishSource {
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

interface Work {
  service: PlanService;
  images: ImageTargets[];
  step: Step;
  /** The target tags read before anything is written, per image name. */
  states: Map<string, TagState[]>;
  decisions: Map<string, TagDecision[]>;
}

type Result = { digest?: string; action: 'built' | 'retagged' | 'skipped'; pushed: string[] };

/** Reads what a service's tags hold and decides its step; a conflict is returned, not thrown, so all are listed. */
async function decide(service: PlanService, images: ImageTargets[], publisher: Publisher, inputs: BuildTagPushInputs): Promise<Work & { conflicts: TagConflict[] }> {
  const states = inputs.push ? await publisher.readStates(images, image => tagsToReadOf(service, image)) : new Map<string, TagState[]>();
  const work = (step: Step, conflicts: TagConflict[] = []) => ({ service, images, step, states, decisions: step.kind === 'retag' ? retagPlan(images, states, step.digest) : new Map(), conflicts });
  let why = 'changed';
  if (!isChanged(service)) {
    const [image] = images;
    const candidates = unchangedCandidates(service, image, inputs.unchanged);
    const found = await publisher.firstExisting(image, candidates, states.get(image.ref.name) ?? [], inputs.unchanged !== 'skip');
    const step = unchangedStep(image, inputs.unchanged, candidates, found);
    if (step.kind === 'skip') return work(step);
    if (step.kind === 'retag') return work(step, inputs.force || !inputs.push ? [] : retagConflicts(service, images, states, step.digest, step.why));
    why = step.why;
  }
  const held = inputs.push ? heldVersionTags(service, images, states) : [];
  const { step, conflicts } = buildStep(service, images, states, held, held.length > 0 ? await publisher.revisions(held) : new Map(), inputs.force, why);
  return work(step, conflicts);
}

export async function run(_plan: Plan | undefined, inputs: BuildTagPushInputs, runCtx: StageContext): Promise<StageResult> {
  const { log } = runCtx;
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
  const ledger = new TagLedger();
  const publisher = new Publisher(registries, docker, ledger, inputs.dryRun);

  // Read every version tag first (every tag of a service to build) and decide: a conflict anywhere stops the run
  // before anything is built or pushed.
  let work: Work[] = [];
  const conflicts: TagConflict[] = [];
  await log.group('Registry state', async () => {
    const decided = await mapInOrder(grouped, REGISTRY_CONCURRENCY, async ({ service, images }) => {
      if (images.length === 0) return { service, images, step: { kind: 'skip', why: 'no tags in the plan' } as Step, states: new Map(), decisions: new Map(), conflicts: [] };
      return decide(service, images, publisher, inputs);
    });
    work = decided.map(({ conflicts: found, ...item }) => (conflicts.push(...found), item));
    for (const { service, step } of work) log.info(`${service.name}: ${step.kind} (${step.why})`);
  });

  const needsBuild = work.some(w => w.step.kind === 'build');
  const builder = needsBuild ? await docker.detectBuilder(inputs.builder) : 'docker';
  // buildx pushes as it builds: an image without a revision label cannot be compared with the one in place first.
  if (builder === 'buildx') for (const { step } of work) if (step.kind === 'build' && step.same && !inputs.force) conflicts.push(...step.same.conflicts);
  if (conflicts.length > 0) throw conflictError(conflicts);
  const toBuild = work.filter(w => w.step.kind === 'build');
  if (toBuild.length > 0 && inputs.push && !inputs.dryRun) {
    await publisher.prepareEcr(toBuild.flatMap(w => w.images), { createRepository: inputs.ecrCreateRepository, login: inputs.ecrLogin }, log);
  }

  for (const { images, step, decisions } of work) {
    if (step.kind === 'skip' || !inputs.push) continue;
    for (const image of images) for (const tag of image.tags) ledger.want(`${image.ref.name}:${tag}`);
    ledger.placeDecided(images, decisions);
  }

  const results = new Map<Work, Result>();
  const started = performance.now();
  const progress = new Progress(log, work.length);
  const done = (item: Work, finish: (what: string) => void) => {
    const result = results.get(item);
    if (result) finish(`${item.service.name} ${inputs.dryRun ? `would be ${result.action}` : result.action}${item.service.version ? ` ${item.service.version}` : ''}`);
  };
  const logs = new OrderedLogs<Work>(log);
  const replay = (item: Work) => logs.replay(item, `${item.service.name}: ${item.step.kind}`);
  try {
    // Builds first, one after another (the Docker engine is the bottleneck): a failed build stops the run before any
    // unchanged service gets the new tags. The classic builder builds every image before pushing any, so a build that
    // turns out to differ from an image already holding its version tag stops the run with nothing pushed.
    const buildsStarted = performance.now();
    const late: TagConflict[] = [];
    for (const item of toBuild) {
      await log.group(`${item.service.name}: build`, async () => {
        const request = buildRequestOf({ ...item.service, images: item.images.map(i => ({ name: i.ref.name, tags: i.tags })) }, inputs, builder);
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
            digest ??= await publisher.digest(item.images[0].ref, item.images[0].tags[0]);
          }
          results.set(item, { digest, action: 'built', pushed: inputs.push ? request.tags : [] });
          return;
        }
        const step = item.step as Extract<Step, { kind: 'build' }>;
        if (!step.same || !inputs.push) return;
        const local = await docker.inspect(request.tags[0]);
        const held = step.same.conflicts[0].reference;
        const image = item.images.find(i => held.startsWith(`${i.ref.name}:`))!;
        if (local && (await publisher.sameImage(local, image.ref, step.same.digest))) {
          item.step = { kind: 'retag', from: image.ref, digest: step.same.digest, why: `${held} already holds this very build: a re-run`, rerun: true };
          item.decisions = retagPlan(item.images, item.states, step.same.digest);
          ledger.placeDecided(item.images, item.decisions);
          log.info(`${item.service.name}: ${item.step.why}`);
          late.push(...(inputs.force ? [] : retagConflicts(item.service, item.images, item.states, step.same.digest, 'the re-run')));
        } else if (!inputs.force) {
          late.push(...step.same.conflicts);
        }
      });
    }
    if (late.length > 0) throw conflictError(late);
    if (builder === 'docker') {
      for (const item of toBuild) {
        if (item.step.kind !== 'build') continue;
        if (!inputs.push) {
          results.set(item, { action: 'built', pushed: [] });
          continue;
        }
        results.set(item, await log.group(`${item.service.name}: push`, async () => ({ ...(await publisher.pushBuilt(item.service, item.images, pushRetry, log)), action: 'built' as const })));
      }
    }
    // What the engine takes (builds and pushes), apart from the registry work that grows with the services.
    if (toBuild.length > 0 && !inputs.dryRun) log.info(`${toBuild.length} build(s) and push(es) in ${((performance.now() - buildsStarted) / 1000).toFixed(2)} s`);
    for (const item of toBuild) {
      const finish = progress.start();
      const digest = results.get(item)?.digest;
      if (digest && inputs.verify && inputs.push && !inputs.dryRun) {
        await log.group(`${item.service.name}: verify`, async () => {
          await publisher.verify(item.images, digest);
          log.debug(`${item.service.name}: every tag resolves to ${digest}`);
        });
      }
      done(item, finish);
    }
    // Then retags by registry API, REGISTRY_CONCURRENCY at a time, their logs replayed in service order. A retag is
    // verified by what it read before (the tags it keeps) and the digests its PUTs answered (the rest).
    const retags = work.filter(w => w.step.kind !== 'build' && !results.has(w));
    await mapInOrder(retags, REGISTRY_CONCURRENCY, async item => {
      const logger = logs.for(item);
      const finish = progress.start();
      const { step } = item;
      if (step.kind === 'skip') results.set(item, { digest: step.digest, action: 'skipped', pushed: [] });
      else if (step.kind !== 'retag') throw new Error(`publish(${item.service.name}): ${step.kind} is not a retag`);
      else results.set(item, { digest: step.digest, action: 'retagged', pushed: inputs.push ? await publisher.retag(item.service.name, item.images, item.decisions, step, logger) : [] });
      done(item, finish);
    }).catch(async (error: unknown) => {
      for (const item of retags) await replay(item);
      throw error;
    });
  } catch (error) {
    if (!inputs.push || inputs.dryRun || !isUserError(error) || /never overwritten/.test(error.message)) throw error;
    throw new UserError(`${error.message}\n${ledger.describe()}`);
  }

  const lines: Cell[][] = [];
  const published: PlanService[] = [];
  for (const item of work) {
    const { service, step } = item;
    const { digest, action, pushed } = results.get(item)!;
    await replay(item);
    published.push({ ...service, digest, action, pushed });
    lines.push([service.name, `${action}${step.kind === 'retag' && step.rerun ? ' (re-run)' : ''}`, step.why, digest ? { code: short(digest) } : '', String(pushed.length)]);
  }
  const updated = upsertServices(plan, published);

  const requests = await registries.requests();
  log.info(`${requests} registry request(s)`);
  const count = (action: string) => [...results.values()].filter(r => r.action === action).length;
  log.info(`build-tag-push: ${count('built')} built, ${count('retagged')} retagged, ${count('skipped')} skipped in ${seconds(performance.now() - started)}`);
  const publishedNames = new Set(services.map(s => s.name));
  const final = updated.services.filter(s => publishedNames.has(s.name));
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
      skipped: names('skipped')
    },
    summary
  };
}
