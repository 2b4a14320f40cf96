import { UserError } from './errors.js';
import { newerTags, recordVersion, rollbackTarget, type ManifestService, type VersionManifest } from './manifest.js';
import type { Plan, PlanService } from './plan.js';
import { dockerSafeVersion } from './version.js';
import { isReleaseTag } from './version-tag.js';

/**
 * The commands of imgver manifest that change a version manifest: the rules of each, over an ImageLookup (the
 * registry, adapters/image-lookup.ts). They return the new manifest and what changed; the stage reads and writes it.
 */

/** What the commands ask of the registry, by image name (registry/repository). */
export interface ImageLookup {
  /** The digest a tag points at; undefined when there is no such tag. */
  digest(image: string, tag: string): Promise<string | undefined>;
  /** The release tag (1.64, v1.2.3) that points at a digest, if any. */
  releaseTagFor(image: string, digest: string): Promise<string | undefined>;
  listTags(image: string): Promise<string[]>;
}

/** What a command reads besides the manifest. */
export interface CommandContext {
  command: string;
  service?: string;
  tag?: string;
  to?: string;
  all: boolean;
  /** History entries kept per service. */
  history: number;
  now: Date;
  images: ImageLookup;
  /** A service's image when the manifest has none yet (from the config). */
  imageOf(name: string): Promise<string>;
  /** The config's services, for a new manifest. */
  serviceNames(): Promise<string[]>;
  warn(message: string): void;
}

export interface Change {
  manifest: VersionManifest;
  changed: string[];
  lines: string[];
}

const short = (digest: string) => `${digest.slice(0, 19)}…`;

/** The manifest's services the command is for: --service, else all. */
export function selected(ctx: Pick<CommandContext, 'service'>, manifest: VersionManifest): [string, ManifestService][] {
  return Object.entries(manifest.services).filter(([name]) => !ctx.service || name === ctx.service);
}

/** --service must name a service of the manifest, unless the command adds it. */
export function checkService(manifest: VersionManifest, service: string | undefined, creating: boolean): void {
  if (service && !creating && !manifest.services[service]) {
    const known = Object.keys(manifest.services);
    throw new UserError(`Service ${service} is not in the manifest (it has ${known.length > 0 ? known.join(', ') : 'no services yet'})`, { input: 'service' });
  }
}

export async function requireDigest(images: ImageLookup, image: string, tag: string): Promise<string> {
  const digest = await images.digest(image, tag);
  if (!digest) throw new UserError(`${image}:${tag} does not exist in the registry`, { input: 'tag' });
  return digest;
}

/** The version tag of a plan's service (1.2.3, or its docker-safe form), else its first tag. */
export function planTag(service: PlanService): string | undefined {
  const tags = (service.tags ?? []).map(t => t.slice(t.lastIndexOf(':') + 1));
  const version = service.version ? dockerSafeVersion(service.version) : undefined;
  return tags.find(t => t === version) ?? tags.find(t => t === `v${version}`) ?? tags[0] ?? version;
}

/** update from a plan: each pushed (or released) service's version tag and digest. */
export async function updateFromPlan(ctx: CommandContext, manifest: VersionManifest, plan: Plan): Promise<Change> {
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  const services = plan.services.filter(s => (!ctx.service || s.name === ctx.service) && (s.digest || s.release));
  if (services.length === 0) throw new UserError(`The plan has no service with a pushed image${ctx.service ? ` named ${ctx.service}` : ''} (run build-tag-push first)`, { input: 'plan' });
  for (const service of services) {
    const tag = planTag(service);
    if (!tag) continue;
    const digest = service.digest || (await requireDigest(ctx.images, service.image, tag));
    const result = recordVersion(next, service.name, { image: service.image, tag, digest, now: ctx.now }, ctx.history);
    if (result.changed) {
      changed.push(service.name);
      lines.push(`${service.name}: ${manifest.services[service.name]?.current_tag ?? '—'} → ${tag} (${short(digest)})`);
    }
    next = result.manifest;
  }
  return { manifest: next, changed, lines };
}

/** update --service --tag, or set (a custom tag). */
export async function setTag(ctx: CommandContext, manifest: VersionManifest, custom: boolean): Promise<Change> {
  const { service, tag } = ctx;
  if (!service || !tag) throw new UserError(`${ctx.command} needs --service and --tag${custom ? '' : ' (or a plan)'}`, { input: service ? 'tag' : 'service' });
  const image = await ctx.imageOf(service);
  const digest = await requireDigest(ctx.images, image, tag);
  const result = recordVersion(manifest, service, { image, tag, digest, now: ctx.now, custom }, ctx.history);
  const line = `${service}: ${manifest.services[service]?.current_tag ?? '—'} → ${tag}${custom ? ' (custom)' : ''} (${short(digest)})`;
  return { manifest: result.manifest, changed: result.changed ? [service] : [], lines: result.changed ? [line] : [] };
}

/** latest's digest and the release tag that shares it; `latest` when none does. */
async function latestOf(ctx: CommandContext, name: string, image: string): Promise<{ tag: string; digest: string } | undefined> {
  const digest = await ctx.images.digest(image, 'latest');
  if (!digest) return undefined;
  const tag = (await ctx.images.releaseTagFor(image, digest)) ?? 'latest';
  if (tag === 'latest') ctx.warn(`${name}: no release tag shares latest's digest ${short(digest)}; recorded as latest`);
  return { tag, digest };
}

export async function pullLatest(ctx: CommandContext, manifest: VersionManifest): Promise<Change> {
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  for (const [name, service] of selected(ctx, manifest)) {
    const latest = await latestOf(ctx, name, service.image);
    if (!latest) {
      ctx.warn(`${name}: ${service.image} has no latest tag; left as it is`);
      continue;
    }
    const { tag, digest } = latest;
    const result = recordVersion(next, name, { image: service.image, tag, digest, now: ctx.now }, ctx.history);
    if (result.changed) {
      changed.push(name);
      lines.push(`${name}: latest is ${tag} (${short(digest)}), was ${service.current_tag}`);
    } else lines.push(`${name}: latest is ${tag}, already recorded`);
    next = result.manifest;
  }
  return { manifest: next, changed, lines };
}

/**
 * The migration to a version manifest: one entry per service of the config (or --service), each `latest` resolved to
 * its digest and the release tag that shares it. Entries the manifest already has are left as they are.
 */
export async function startManifest(ctx: CommandContext, manifest: VersionManifest): Promise<Change> {
  const names = ctx.service ? [ctx.service] : await ctx.serviceNames();
  let next = manifest;
  const changed: string[] = [];
  const lines: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    if (manifest.services[name]) {
      lines.push(`${name}: already in the manifest (${manifest.services[name].current_tag}), left as it is`);
      continue;
    }
    const image = await ctx.imageOf(name);
    const latest = await latestOf(ctx, name, image);
    if (!latest) {
      missing.push(`${image}:latest`);
      ctx.warn(`${name}: ${image} has no latest tag; not added (imgver manifest update --service ${name} --tag <tag> adds it)`);
      continue;
    }
    const { tag, digest } = latest;
    next = recordVersion(next, name, { image, tag, digest, now: ctx.now }, ctx.history).manifest;
    changed.push(name);
    lines.push(`${name}: latest is ${tag} (${short(digest)}), added`);
  }
  if (changed.length === 0 && missing.length > 0 && Object.keys(manifest.services).length === 0) {
    throw new UserError(`No service could start the manifest: ${missing.join(', ')} do not exist in the registry (push a first release, or use imgver manifest update --service S --tag T)`, {
      input: 'service'
    });
  }
  return { manifest: next, changed, lines };
}

/** Entries that say `latest` (or another floating tag): the release tag and digest they really are, filled in place. */
export async function resolveFloating(ctx: CommandContext, manifest: VersionManifest): Promise<Change> {
  const services = { ...manifest.services };
  const changed: string[] = [];
  const lines: string[] = [];
  for (const [name, service] of selected(ctx, manifest)) {
    if (isReleaseTag(service.current_tag) && service.image_digest) continue;
    const digest = service.image_digest ?? (await ctx.images.digest(service.image, service.current_tag));
    if (!digest) throw new UserError(`${name}: ${service.image}:${service.current_tag} does not exist in the registry`, { input: 'service' });
    const tag = isReleaseTag(service.current_tag) ? service.current_tag : await ctx.images.releaseTagFor(service.image, digest);
    if (!tag) ctx.warn(`${name}: no release tag shares ${service.current_tag}'s digest ${short(digest)}; digest recorded, tag kept`);
    services[name] = { ...service, current_tag: tag ?? service.current_tag, image_digest: digest };
    changed.push(name);
    lines.push(`${name}: ${service.current_tag} is ${tag ?? service.current_tag} (${short(digest)})`);
  }
  return { manifest: { ...manifest, services }, changed, lines };
}

/** rollback --service [--to] or --all: each service to its previous version (or the one named). */
export async function rollback(ctx: CommandContext, manifest: VersionManifest): Promise<Change> {
  const { service, all, to } = ctx;
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
    const digest = target?.digest ?? (await requireDigest(ctx.images, current.image, tag));
    const result = recordVersion(next, name, { image: current.image, tag, digest, now: ctx.now, leaving: 'rollback' }, ctx.history);
    if (result.changed) {
      changed.push(name);
      lines.push(`${name}: rolled back ${current.current_tag} → ${tag} (${short(digest)})`);
    }
    next = result.manifest;
  }
  return { manifest: next, changed, lines };
}

/** promote: the source's versions recorded in the target; the digests to point the floating tag at. */
export async function promoteVersions(
  ctx: CommandContext,
  source: VersionManifest,
  target: VersionManifest,
  sourceName: string
): Promise<Change & { retags: { image: string; digest: string }[] }> {
  let next = target;
  const changed: string[] = [];
  const lines: string[] = [];
  const retags: { image: string; digest: string }[] = [];
  for (const [name, service] of selected(ctx, source)) {
    const digest = service.image_digest ?? (await requireDigest(ctx.images, service.image, service.current_tag));
    const result = recordVersion(next, name, { image: service.image, tag: service.current_tag, digest, now: ctx.now, custom: service.custom }, ctx.history);
    if (result.changed) {
      changed.push(name);
      lines.push(`${name}: ${target.services[name]?.current_tag ?? '—'} → ${service.current_tag} (from ${sourceName})`);
    }
    next = result.manifest;
    retags.push({ image: service.image, digest });
  }
  return { manifest: next, changed, lines, retags };
}

/** check-updates: the release tags newer than each service's. */
export async function checkUpdates(ctx: CommandContext, manifest: VersionManifest): Promise<{ data: Record<string, string[]>; lines: string[] }> {
  const data: Record<string, string[]> = {};
  const lines: string[] = [];
  for (const [name, s] of selected(ctx, manifest)) {
    if (!isReleaseTag(s.current_tag)) {
      lines.push(`${name}: ${s.current_tag} is not a release tag (run imgver manifest resolve first)`);
      data[name] = [];
      continue;
    }
    data[name] = newerTags(s.current_tag, await ctx.images.listTags(s.image));
    lines.push(`${name}: ${s.current_tag} → ${data[name].length > 0 ? `newer: ${data[name].join(', ')}` : 'up to date'}`);
  }
  return { data, lines };
}
