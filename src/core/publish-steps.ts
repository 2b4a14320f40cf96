/**
 * Which step each service of a publish takes — build, retag or skip — decided from what its tags hold, and what a
 * run that stops half-way leaves. Pure: the registry reads are done by the caller and handed in.
 */
import { UserError } from './errors.js';
import { parseImageRef, tagOf, type ImageRef } from './image-ref.js';
import { shortSha } from './context.js';
import { emptyPlan, upsertService, type Plan, type PlanService } from './plan.js';
import { retagDecisions, tagsToRead, versionTagConflicts, type TagConflict, type TagDecision, type TagState } from './publish.js';
import { isVersionTag, previousImageTag } from './version-tag.js';

export type UnchangedPolicy = 'retag' | 'skip' | 'latest';

export const REVISION = 'org.opencontainers.image.revision';

/** One image of a service: its repository and the tag names it gets. */
export interface ImageTargets {
  ref: ImageRef;
  tags: string[];
}

/** A manifest as a registry stores it (the same shape as the registry adapter's): what a retag PUTs. */
export interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export type Step =
  /** `same`: the version tags hold this digest, an image without a revision label; the build is a re-run if it is that image. */
  | { kind: 'build'; why: string; same?: { digest: string; conflicts: TagConflict[] } }
  /** Point every tag at an existing image (in `from`): an unchanged service, or a re-run that finds its build already pushed. */
  | { kind: 'retag'; from: ImageRef; digest: string; why: string; rerun: boolean; manifest?: StoredManifest }
  | { kind: 'skip'; digest?: string; why: string };

export const short = (digest: string) => `${digest.slice(0, 19)}…`;

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

/** Where the services to publish come from: a plan, or tags (and labels) given by hand for one image. */
export interface PublishSource {
  plan?: Plan;
  service?: string;
  tags: string[];
  labels: string[];
  context: string;
  file?: string;
}

export function servicesToPublish(source: PublishSource, configHasServices: boolean): { plan: Plan; services: PlanService[] } {
  let plan: Plan;
  if (source.plan) {
    plan = source.plan;
  } else if (source.tags.length > 0) {
    const first = tagOf(source.tags[0]).image;
    const labels = Object.fromEntries(
      source.labels.map(line => {
        const eq = line.indexOf('=');
        if (eq <= 0) throw new UserError(`Input 'labels': "${line}" is not key=value`, { input: 'labels' });
        return [line.slice(0, eq), line.slice(eq + 1)];
      })
    );
    const name = source.service ?? first.split('/').pop()!;
    plan = upsertService(emptyPlan(), { name, image: first, context: source.context, dockerfile: source.file, changed: true, tags: source.tags, labels });
  } else if (configHasServices) {
    throw new UserError(
      "build-tag-push needs the plan of compute-version (input 'plan': ${{ steps.version.outputs.plan }}) to know each service's tags, or the tags input for one image",
      { input: 'plan' }
    );
  } else {
    throw new UserError("Nothing to build: give the plan input (from compute-version) or the tags input (image:tag, one a line)", { input: 'plan' });
  }
  let services = plan.services;
  if (source.service && source.plan) {
    services = services.filter(s => s.name === source.service);
    if (services.length === 0) {
      throw new UserError(`Input 'service' is set to '${source.service}', which is not in the plan (${plan.services.map(s => s.name).join(', ')})`, {
        input: 'service'
      });
    }
  }
  return { plan, services };
}

/** A plan without detect-changes' verdict counts every service as changed. */
export function isChanged(service: PlanService): boolean {
  return service.changed ?? service.release ?? true;
}

/**
 * The tags of an image read before deciding: all of them for a service to build (a re-run compares each), only the
 * version tags of an unchanged one that has some (its floating tags are written unread, see retagDecisions).
 */
export function tagsToReadOf(service: PlanService, image: ImageTargets): string[] {
  return isChanged(service) ? image.tags : tagsToRead(image.tags, isVersionTag(service.version));
}

/** A retag to `target`: every version tag of every image must be missing or hold it already. */
export function retagConflicts(service: PlanService, images: ImageTargets[], states: Map<string, TagState[]>, target: string, why: string): TagConflict[] {
  const versionTag = isVersionTag(service.version);
  return images.flatMap(image => versionTagConflicts(states.get(image.ref.name) ?? [], target, versionTag, image.ref.name, `${service.name}: ${why} would point it at ${short(target)}`));
}

/** Per image name, what a retag to `target` does with each tag. */
export function retagPlan(images: ImageTargets[], states: Map<string, TagState[]>, target: string): Map<string, TagDecision[]> {
  return new Map(images.map(image => [image.ref.name, retagDecisions(image.tags, states.get(image.ref.name) ?? [], target)]));
}

/**
 * The tags an unchanged service may retag from, in order: what its version tag holds when that version is already its
 * release (no new version), else its previous release; `latest` for the latest policy. A new version tag that already
 * holds an image is not adopted (it must hold nothing but the source: a conflict otherwise).
 */
export function unchangedCandidates(service: PlanService, image: ImageTargets, policy: UnchangedPolicy): string[] {
  if (policy === 'latest') return ['latest'];
  const own = image.tags.find(isVersionTag(service.version));
  const previous = previousImageTag(image.tags, service.version, service.previous);
  const newVersion = service.release === true || (service.previous !== undefined && service.version !== service.previous);
  return (policy === 'retag' && newVersion ? [previous] : [own, previous]).filter((t): t is string => !!t);
}

/** The first candidate that exists, as read: its digest, and the manifest when it was read whole. */
export interface Found {
  tag: string;
  digest: string;
  manifest?: StoredManifest;
}

/** An unchanged service's step once its candidates were read. */
export function unchangedStep(image: ImageTargets, policy: UnchangedPolicy, candidates: string[], found: Found | undefined): Step {
  if (found && policy === 'skip') return { kind: 'skip', digest: found.digest, why: `unchanged; ${found.tag} is ${short(found.digest)}` };
  if (found) return { kind: 'retag', from: image.ref, digest: found.digest, why: `unchanged: retag ${found.tag}`, rerun: false, ...(found.manifest ? { manifest: found.manifest } : {}) };
  if (policy === 'skip') return { kind: 'skip', why: 'unchanged (no earlier image found)' };
  if (candidates.length === 0) return { kind: 'build', why: 'unchanged, but there is no earlier release to retag: built' };
  const missing = candidates.map(t => `${image.ref.name}:${t}`).join(' and ');
  return { kind: 'build', why: `unchanged, but ${missing} ${candidates.length === 1 ? 'does' : 'do'} not exist to retag: built` };
}

/** A version tag of a service to build that holds an image already. */
export interface HeldTag {
  image: ImageTargets;
  tag: string;
  current: string;
}

export function heldVersionTags(service: PlanService, images: ImageTargets[], states: Map<string, TagState[]>): HeldTag[] {
  const versionTag = isVersionTag(service.version);
  return images.flatMap(image => (states.get(image.ref.name) ?? []).filter(s => s.current && versionTag(s.tag)).map(s => ({ image, tag: s.tag, current: s.current! })));
}

/**
 * A service to build: its version tags (of every image) must not exist yet, unless they hold this commit's build (a
 * re-run: the missing tags are set, nothing is rebuilt) or, with no revision label on either side, the very image
 * this build makes (compared after the build, before any push). Anything else is a conflict, reported with all others.
 * `revisions`: the revision label of each digest in `held`.
 */
export function buildStep(
  service: PlanService,
  images: ImageTargets[],
  states: Map<string, TagState[]>,
  held: HeldTag[],
  revisions: Map<string, string | undefined>,
  force: boolean,
  why: string
): { step: Step; conflicts: TagConflict[] } {
  if (held.length === 0) return { step: { kind: 'build', why }, conflicts: [] };
  const revision = service.labels?.[REVISION];
  const ours = revision ? [...revisions].find(([, built]) => built === revision)?.[0] : undefined;
  if (ours) {
    const source = held.find(h => h.current === ours)!;
    const rerunWhy = `${source.image.ref.name}:${source.tag} already holds this commit's build (${shortSha(revision!)}): a re-run`;
    return { step: { kind: 'retag', from: source.image.ref, digest: ours, why: rerunWhy, rerun: true }, conflicts: force ? [] : retagConflicts(service, images, states, ours, 'the re-run') };
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
  if (force) return { step: { kind: 'build', why: `${why}; force replaces ${held.map(h => h.tag).join(', ')}` }, conflicts: [] };
  return { step: { kind: 'build', why }, conflicts };
}

/** What a run that stops half-way leaves: the tags in place and those still missing, so the log says what a re-run completes. */
export class TagLedger {
  private readonly wanted: string[] = [];
  private readonly placed = new Set<string>();

  want(reference: string): void {
    this.wanted.push(reference);
  }
  place(reference: string): void {
    this.placed.add(reference);
  }
  /** The tags a retag decided are in place already (kept, or left with their complete image). */
  placeDecided(images: ImageTargets[], decisions: Map<string, TagDecision[]>): void {
    for (const image of images) for (const d of decisions.get(image.ref.name) ?? []) if (d.action === 'keep' || d.action === 'leave') this.place(`${image.ref.name}:${d.tag}`);
  }
  describe(): string {
    const list = (refs: string[]) => (refs.length > 20 ? `${refs.slice(0, 20).join(', ')} and ${refs.length - 20} more` : refs.join(', '));
    const placed = this.wanted.filter(r => this.placed.has(r));
    const missing = this.wanted.filter(r => !this.placed.has(r));
    if (placed.length === 0) return `Nothing is in place yet (${missing.length} tag(s) to write); a re-run starts over.`;
    return `In place: ${list(placed)}. Not in place: ${missing.length ? list(missing) : 'none'}. A re-run writes only what is missing.`;
  }
}
