import { resolve } from 'node:path';
import semver from '../core/semver.js';
import { parseBumpInput } from '../core/bump.js';
import { bumpPolicy, fixedRelease, serviceChanged, type LineResult } from '../core/bump-policy.js';
import type { Config, Scheme, ServiceConfig, VersionSource } from '../core/config.js';
import { refTag, shortSha, type RunContext } from '../core/context.js';
import { dateHelper } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import { needsGlobEngine } from '../core/changes.js';
import { isBranchGlob, loadGlobEngine, loadPathGlobEngine } from '../core/glob-engine.js';
import { computeLabels } from '../core/labels.js';
import type { Logger } from '../core/logger.js';
import { emptyPlan, upsertServices, withWritten, type Plan, type PlanService, type VersionRequest } from '../core/plan.js';
import { splitLines } from '../core/lines.js';
import { prepareRuleLines } from '../core/rule-lines.js';
import { checkImageName, computeTags, IMGVER_DEFAULT_TAGS, METADATA_ACTION_DEFAULT_TAGS, parseImages } from '../core/tag-rules.js';
import { renderTemplate, type TemplateVars } from '../core/template.js';
import { dockerSafeVersion } from '../core/version.js';
import { linePrereleaseIds, prereleaseSpecOf, repositoryUnit, versionLines, type VersionLine } from '../core/version-line.js';
import { pathExists, workingDirectoryOf } from '../adapters/files.js';
import { previewSha } from '../adapters/run-context.js';
import type { StageContext } from './types.js';
import { commonInputs, inputValue, type RawInputs } from './inputs.js';
import { RegistryReads, RepositoryAccess, reserveReleaseTags, VERSION_SOURCES, type SourceRun } from './version-sources.js';
import { writeBack } from './version-writes.js';

/**
 * The version computation, typed: a version request in, the plan out (versions, tags, labels, annotations). The
 * compute-version stage runs it for its inputs; the release step runs it again on a new tip for the plan's request.
 */

const SOURCES: (VersionSource | 'metadata')[] = ['ref', 'git-tag', 'file', 'registry', 'metadata'];

/** compute-version's inputs that shape the versions, as a request (the given ones only). */
export function parseVersionRequest(raw: RawInputs, given: Set<string>): VersionRequest {
  const str = (name: string) => inputValue(raw, name);
  const list = (name: string) => (raw[name] !== undefined && raw[name]!.trim() !== '' ? splitLines(raw[name]) : undefined);
  const source = str('version-source');
  if (source && !SOURCES.includes(source as VersionSource | 'metadata')) {
    throw new UserError(`Input 'version-source' is set to invalid value '${source}': expected ${SOURCES.join(', ')}`, { input: 'version-source' });
  }
  const common = commonInputs(raw, given);
  const context = Object.fromEntries(Object.entries(common.overrides).filter(([, value]) => value !== undefined));
  const request: VersionRequest = {
    config: common.configGiven ? common.config : undefined,
    images: list('images'),
    service: str('service'),
    source: source as VersionSource | 'metadata' | undefined,
    tagFormat: str('tag-format'),
    versionFile: str('version-file'),
    bump: parseBumpInput(raw.bump ?? ''),
    prerelease: str('prerelease'),
    tags: list('tags'),
    flavor: list('flavor'),
    labels: list('labels'),
    annotations: list('annotations'),
    context: Object.keys(context).length > 0 ? context : undefined
  };
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as VersionRequest;
}

/** The plan's version request; a plan of an earlier imgver records compute-version's raw inputs instead. */
export function requestOfPlan(plan: Plan): VersionRequest | undefined {
  if (plan.versionRequest) return plan.versionRequest;
  if (!plan.computeInputs) return undefined;
  return parseVersionRequest(plan.computeInputs, new Set(Object.keys(plan.computeInputs)));
}

/** What a version computation needs of its stage: imgver.yaml and the run context come from the stage context. */
export type VersionRun = Pick<StageContext, 'cwd' | 'log' | 'env' | 'now' | 'config' | 'runContext'>;

export interface ComputeOptions {
  /** The plan so far (detect-changes' changed services are honoured). */
  plan?: Plan;
  workingDirectory?: string;
  /** Write the versions back to version files and changelogs. */
  write: boolean;
  /** Push each release tag now (reserve: true). */
  reserve: boolean;
  maxAttempts: number;
  /** Keep these versions (version line → version) and only write them back: the release is rebased, not recomputed. */
  fixed?: Record<string, string>;
  /** Version files never move back: a tip that holds a higher version keeps it (releases landing out of order). */
  forwardOnly?: boolean;
}

export interface ServiceTags {
  tags: string[];
  tagNames: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  main?: string;
}

export interface VersionComputation {
  plan: Plan;
  services: ServiceConfig[];
  perService: Record<string, ServiceTags>;
  scheme: Scheme;
  singleImage: boolean;
  writtenFiles: string[];
  /** On a commit that is its release: the release before it, by service (the previous output). */
  releaseBefore: Map<string, string | undefined>;
}

/** The units a run versions: the images' one, the config's services (or the one asked for), else the repository. */
function selectServices(config: Config, images: string[], request: VersionRequest, cwd: string): { services: ServiceConfig[]; singleImage: boolean } {
  // docker/metadata-action's mode without an image: bare tag names, as metadata-action gives with an empty images input.
  if (images.length === 0 && request.source === 'metadata' && config.services.length === 0) {
    return { services: [{ name: request.service ?? 'image', image: '', context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] }], singleImage: true };
  }
  if (images.length > 0) {
    const name = request.service ?? images[0].split('/').pop()!.replace(/[^a-z0-9._-]/g, '-');
    return { services: [{ name, image: images[0], context: '.', dockerfile: 'Dockerfile', paths: ['**'], dependsOn: [] }], singleImage: true };
  }
  // Version-only: no image and no service, so the repository is one unit (every path counts) with bare tags.
  if (config.services.length === 0) return { services: [repositoryUnit(cwd, request.service)], singleImage: false };
  if (!request.service) return { services: config.services, singleImage: false };
  const picked = config.services.find(s => s.name === request.service);
  if (!picked) {
    throw new UserError(`Input 'service' is set to '${request.service}', which is not a service of ${request.config ?? 'imgver.yaml'} (${config.services.map(s => s.name).join(', ')})`, {
      input: 'service'
    });
  }
  return { services: [picked], singleImage: false };
}

export async function computeVersions(request: VersionRequest, run: VersionRun, options: ComputeOptions): Promise<VersionComputation> {
  const { log } = run;
  const cwd = workingDirectoryOf(run.cwd, options.workingDirectory ?? '.');
  await prepareRuleLines([...(request.images ?? []), ...(request.tags ?? []), ...(request.flavor ?? [])]);
  const images = parseImages(request.images ?? []);
  // With only images (metadata-action's mode) no config, no git and no checkout are needed.
  const config = await run.config(cwd, request.config ?? 'imgver.yaml', request.config !== undefined);
  await prepareRuleLines([...(config.tags ?? []), ...(config.flavor ?? []), ...config.services.flatMap(s => [...(s.tags ?? []), ...(s.flavor ?? [])])]);
  const { services, singleImage } = selectServices(config, images, request, cwd);
  for (const s of services) if (s.image !== '') checkImageName(s.image, `service ${s.name}`);
  // A service whose default paths name a directory that is not there matches no commit: it would never release.
  for (const s of images.length > 0 ? [] : config.services) {
    if (s.context !== '.' && s.paths.length === 1 && s.paths[0] === `${s.context}/**` && !pathExists(resolve(cwd, s.context))) {
      log.warning(
        `service ${s.name}: there is no ${s.context}/ directory, so its default paths (${s.context}/**) match no commit and it never releases; set its paths (paths: ["**"] for the whole repository), or leave services out to version the repository as one unit`
      );
    }
  }
  const source: VersionSource | 'metadata' = request.source ?? config.version.source ?? (singleImage ? 'metadata' : 'git-tag');
  const scheme: Scheme = singleImage ? 'unified' : (request.scheme ?? config.version.scheme);

  // The registry's tags depend on neither git nor the run context: they are listed while git answers for the context.
  // Lines that cannot be made here fail below, where they always did.
  const registryLines = source === 'registry' && !options.fixed ? linesOrUndefined(() => versionLines(config, scheme, services, request)) : undefined;
  const registry = registryLines ? new RegistryReads({ env: run.env, log }).start(registryLines) : undefined;
  const repository = new RepositoryAccess(cwd, log);
  const context = await run.runContext({ cwd, overrides: request.context ?? {}, git: () => repository.ifPresent(), optionalRef: source === 'metadata' });
  log.debug(`context: ${JSON.stringify({ ...context, payload: undefined })}`);

  const lines = registryLines ?? versionLines(config, scheme, services, request);
  const globs = [...lines.flatMap(line => line.paths), ...services.flatMap(service => service.paths)];
  const pathGlobEngine = needsGlobEngine(globs) ? await loadPathGlobEngine() : undefined;
  const globEngine = Object.keys(config.prerelease.branches).some(isBranchGlob) ? await loadGlobEngine() : undefined;
  const vars = baseVars(context);
  const prerelease = prereleaseSpecOf(config, request.prerelease, context, globEngine);
  const isPreview = context.prNumber !== undefined && /^pull_request/.test(context.eventName);
  const sourceRun: SourceRun = {
    cwd,
    config,
    context,
    log,
    env: run.env,
    reserve: options.reserve,
    pathGlobEngine,
    repository,
    registry,
    prereleaseIds: linePrereleaseIds(config, request.prerelease, prerelease?.id),
    policy: bumpPolicy({
      bump: request.bump ?? 'auto',
      rules: config.bump,
      initial: config.version.initial,
      aware: config.prerelease.aware,
      prerelease,
      build: config.version.build ? renderTemplate(config.version.build, vars) : undefined,
      preview: isPreview ? { prNumber: context.prNumber!, sha7: shortSha(previewSha(context)) } : undefined
    })
  };

  const results = new Map<string, LineResult>();
  await log.group(`Versions (${source}, ${scheme})`, async () => {
    for (const line of lines) {
      const result: LineResult =
        source === 'metadata'
          ? { release: false, prerelease: false, why: 'tags from the ref (docker/metadata-action mode)' }
          : options.fixed
            ? fixedRelease(line.format, options.fixed[line.name])
            : await VERSION_SOURCES[source](sourceRun, line);
      for (const s of line.services) results.set(s.name, result);
      log.info(`${line.name}: ${result.previous ?? '—'} → ${result.version ?? '—'} ${result.release ? '(release)' : '(no release)'}: ${result.why}`);
    }
    if (source === 'ref' && refTag(context.ref) !== undefined && ![...results.values()].some(r => r.version)) {
      const tag = refTag(context.ref)!;
      const forms = lines.map(l => l.format.format).filter((f, i, all) => all.indexOf(f) === i);
      throw new UserError(`Tag "${tag}" is not a release version: expected ${forms.join(' or ')} with a SemVer version, e.g. ${lines[0].format.render('1.2.3')}`, { input: 'ref' });
    }
    if (repository.calls > 0) log.debug(`${repository.calls} git calls`);
  });
  if (options.reserve && !options.fixed) {
    if (source === 'ref' || source === 'metadata') log.info(`reserve: the version comes from the pushed tag (${source}); nothing to reserve`);
    else await reserveReleaseTags({ log, git: await repository.require('reserve: true'), context, lines, results, maxAttempts: options.maxAttempts });
  }

  const perService: Record<string, ServiceTags> = {};
  // By name, the first of a name as a search would find it: a plan of a thousand services is not searched per service.
  const inputServices = new Map<string, PlanService>();
  for (const s of options.plan?.services ?? []) if (!inputServices.has(s.name)) inputServices.set(s.name, s);
  const entries: PlanService[] = [];
  for (const service of services) {
    const result = results.get(service.name)!;
    const fromPlan = inputServices.get(service.name);
    perService[service.name] = serviceTags({ request, config, context, service, result, source, singleImage, images, vars, log });
    const entry: PlanService = {
      name: service.name,
      image: service.image,
      context: service.context,
      dockerfile: service.dockerfile,
      changed: fromPlan?.changed ?? serviceChanged(service, result, pathGlobEngine),
      version: result.version,
      previous: result.previous,
      release: result.release,
      bump: result.decision?.level ?? 'none',
      bumpReason: result.why,
      bumpCommit: result.decision?.commit,
      prerelease: result.prerelease,
      releaseTag: result.releaseTag,
      reserved: result.reserved,
      tags: perService[service.name].tags,
      labels: perService[service.name].labels,
      annotations: perService[service.name].annotations
    };
    // A service detect-changes found unchanged keeps its version: nothing of it is released.
    if (fromPlan?.changed === false && entry.release && scheme === 'per-service') {
      Object.assign(entry, { release: false, version: result.previous, bump: 'none', bumpReason: 'unchanged (plan input)', releaseTag: undefined });
    }
    entries.push(entry);
  }
  let plan = upsertServices({ ...(options.plan ?? emptyPlan()), ref: context.ref, sha: context.sha }, entries);

  const writtenFiles = options.write ? await writeBack({ cwd, config, lines, results, context, vars, forwardOnly: options.forwardOnly, log }) : [];
  plan = withWritten(plan, writtenFiles);
  const { computeInputs: _legacy, ...current } = plan;
  plan = { ...current, versionRequest: { ...request, scheme } };
  const releaseBefore = new Map(services.map(s => [s.name, results.get(s.name)?.releaseBefore]));
  return { plan, services, perService, scheme, singleImage, writtenFiles, releaseBefore };
}

function linesOrUndefined(make: () => VersionLine[]): VersionLine[] | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

function baseVars(context: RunContext): TemplateVars {
  return { sha7: shortSha(context.sha), branch: context.branch ?? '', run_number: context.runNumber ?? '0', date: dateHelper(context.now, 'date') };
}

/** What the tags, labels and annotations of one service are computed from. */
interface ServiceFacts {
  request: VersionRequest;
  config: Config;
  context: RunContext;
  service: ServiceConfig;
  result: LineResult;
  source: VersionSource | 'metadata';
  singleImage: boolean;
  vars: TemplateVars;
}

/** A service's image tags (docker/metadata-action's rules), labels and annotations. */
function serviceTags(args: ServiceFacts & { images: string[]; log: Logger }): ServiceTags {
  const { request, config, context, service, result, source, singleImage } = args;
  const computed = result.version ? { version: result.version, raw: result.raw ?? result.version } : undefined;
  const parsed = result.version ? semver.parse(result.version) : null;
  const vars: TemplateVars = {
    ...args.vars,
    service: service.name,
    version: result.version ? dockerSafeVersion(result.version) : '',
    major: parsed?.major,
    minor: parsed?.minor,
    patch: parsed?.patch
  };
  const rules = request.tags ?? service.tags ?? config.tags ?? (source === 'metadata' ? METADATA_ACTION_DEFAULT_TAGS : IMGVER_DEFAULT_TAGS);
  const serviceImages = singleImage ? args.images : service.image === '' ? [] : [service.image];
  const tagResult =
    source !== 'metadata' && !computed
      ? { main: undefined, tags: [], tagNames: [], warnings: [] as string[] }
      : computeTags({ rules, flavor: request.flavor ?? service.flavor ?? config.flavor, images: serviceImages, context, computed, service: service.name, vars });
  for (const warning of tagResult.warnings) args.log.warning(warning);
  return { tags: tagResult.tags, tagNames: tagResult.tagNames, ...labelsOf({ ...args, vars: { ...vars, version: tagResult.main ?? vars.version }, main: tagResult.main }), main: tagResult.main };
}

function labelsOf(args: ServiceFacts & { main?: string }): { labels: Record<string, string>; annotations: Record<string, string> } {
  const { request, config, context, service, singleImage } = args;
  const version = singleImage && args.source === 'metadata' ? args.main : (args.result.version ?? args.main);
  const title = singleImage ? undefined : service.name;
  const configSource = (key: string) => ({ name: `${key} in ${config.file ?? 'imgver.yaml'}`, file: config.file });
  const common = { context, title, version, vars: args.vars };
  return {
    labels: computeLabels({
      ...common,
      extra: request.labels ?? service.labels ?? config.labels,
      source: request.labels ? { name: "Input 'labels'", input: 'labels' } : configSource(service.labels ? `services.${service.name}.labels` : 'labels')
    }),
    annotations: computeLabels({
      ...common,
      extra: request.annotations ?? service.annotations ?? config.annotations,
      annotations: true,
      source: request.annotations ? { name: "Input 'annotations'", input: 'annotations' } : configSource(service.annotations ? `services.${service.name}.annotations` : 'annotations')
    })
  };
}
