/**
 * The registry and engine side of publishing images: reading what tags hold, comparing a local build with an image in
 * place, pushing a build (one `docker push` per image, its other tags by manifest PUT) and retagging by registry API.
 * What to do is decided in core/publish-steps.ts; every tag written is recorded in the run's ledger.
 */
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PlanService } from '../core/plan.js';
import { REVISION, type Found, type HeldTag, type ImageTargets, type Step, type TagLedger } from '../core/publish-steps.js';
import type { TagDecision, TagState } from '../core/publish.js';
import { isVersionTag } from '../core/version-tag.js';
import { shellQuote } from '../core/shell-words.js';
import type { ImageRef } from '../core/image-ref.js';
import type { Docker, LocalImage, PushRetry } from './docker.js';
import { imageLabels, type Manifest, type Registries } from './registry/index.js';

export class Publisher {
  constructor(
    private readonly registries: Registries,
    private readonly docker: Docker,
    private readonly ledger: TagLedger,
    private readonly dryRun: boolean
  ) {}

  /** What each selected tag of each image holds now (undefined: missing), per image name. */
  async readStates(images: ImageTargets[], select: (image: ImageTargets) => string[]): Promise<Map<string, TagState[]>> {
    const states = new Map<string, TagState[]>();
    for (const image of images) {
      const registry = await this.registries.for(image.ref);
      states.set(image.ref.name, await Promise.all(select(image).map(async tag => ({ tag, current: await registry.digest(image.ref.repository, tag) }))));
    }
    return states;
  }

  /**
   * The first candidate tag that exists: taken from `states` when it was read already, else read once — whole when
   * `whole` (its bytes are what a retag PUTs), else only its digest.
   */
  async firstExisting(image: ImageTargets, candidates: string[], states: TagState[], whole: boolean): Promise<Found | undefined> {
    const registry = await this.registries.for(image.ref);
    const read = new Map(states.map(state => [state.tag, state.current]));
    for (const tag of candidates) {
      let manifest: Manifest | undefined;
      let digest: string | undefined;
      if (read.has(tag)) digest = read.get(tag);
      else if (!whole) digest = await registry.digest(image.ref.repository, tag);
      else digest = (manifest = await registry.manifest(image.ref.repository, tag))?.digest;
      if (digest) return { tag, digest, ...(manifest ? { manifest } : {}) };
    }
    return undefined;
  }

  /** The revision label of the image each held version tag points at, per digest (undefined: no label). */
  async revisions(held: HeldTag[]): Promise<Map<string, string | undefined>> {
    const revisions = new Map<string, string | undefined>();
    for (const { image, current } of held) {
      if (revisions.has(current)) continue;
      const registry = await this.registries.for(image.ref);
      const manifest = await registry.manifest(image.ref.repository, current);
      revisions.set(current, (manifest ? await imageLabels(registry, image.ref.repository, manifest) : {})[REVISION]);
    }
    return revisions;
  }

  /** Whether a local build is the image a registry holds: the same config, or the same layers and labels. */
  async sameImage(local: LocalImage, ref: ImageRef, digest: string): Promise<boolean> {
    const registry = await this.registries.for(ref);
    const manifest = await registry.manifest(ref.repository, digest);
    if (!manifest) return false;
    const body = JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest: string } };
    if (body.config?.digest === local.id) return true;
    if (!body.config) return false;
    const config = await registry.blob(ref.repository, body.config.digest);
    if (!config) return false;
    const parsed = JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: string[] }; config?: { Labels?: Record<string, string> | null } };
    const sameLayers = JSON.stringify(parsed.rootfs?.diff_ids ?? []) === JSON.stringify(local.layers);
    const labels = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));
    return sameLayers && labels(parsed.config?.Labels ?? {}) === labels(local.labels);
  }

  /** The digest a tag holds now. */
  async digest(ref: ImageRef, tag: string): Promise<string | undefined> {
    return (await this.registries.for(ref)).digest(ref.repository, tag);
  }

  /**
   * The classic builder's push: each image's version tag by `docker push` (retried; the engine sends only the layers
   * the registry lacks), then its other tags by manifest PUT of the pushed bytes (retried by the registry client).
   */
  async pushBuilt(service: PlanService, images: ImageTargets[], retry: PushRetry, log: Logger): Promise<{ digest?: string; pushed: string[] }> {
    const versionTag = isVersionTag(service.version);
    const pushed: string[] = [];
    let digest: string | undefined;
    for (const image of images) {
      const registry = await this.registries.for(image.ref);
      const first = image.tags.find(versionTag) ?? image.tags[0];
      const rest = image.tags.filter(tag => tag !== first);
      if (this.dryRun) {
        log.info(`would run: docker push ${shellQuote(`${image.ref.name}:${first}`)}`);
        for (const tag of rest) log.info(`would PUT manifest ${image.ref.name}:${tag} → the pushed digest`);
        continue;
      }
      const local = await this.docker.inspect(`${image.ref.name}:${first}`);
      // A push whose answer was lost may have landed: the tag then holds a manifest of this very config.
      const landed = async () => {
        const digest = await registry.digest(image.ref.repository, first);
        const manifest = digest && local ? await registry.manifest(image.ref.repository, digest) : undefined;
        const config = manifest && (JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest?: string } }).config?.digest;
        return config && config === local!.id ? digest : undefined;
      };
      const result = await this.docker.push(`${image.ref.name}:${first}`, retry, landed);
      this.written(`${image.ref.name}:${first}`, pushed);
      const here = result.digest ?? (await registry.digest(image.ref.repository, first));
      if (!here) throw new UserError(`docker push ${image.ref.name}:${first} succeeded, but the registry has no such tag`);
      digest ??= here;
      if (rest.length === 0) continue;
      const manifest = await registry.manifest(image.ref.repository, here);
      if (!manifest) throw new UserError(`${image.ref.name}@${here} vanished from the registry right after docker push`);
      for (const tag of rest) {
        await registry.putManifest(image.ref.repository, tag, manifest);
        this.written(`${image.ref.name}:${tag}`, pushed);
        log.info(`${image.ref.name}:${tag} → ${here}`);
      }
    }
    return { digest, pushed };
  }

  /**
   * A retag: the source manifest's exact bytes PUT under every tag to write, in the decided order (floating tags before
   * version tags). The digest the registry answers for each PUT is what the tag now holds: nothing is read back.
   */
  async retag(serviceName: string, images: ImageTargets[], decisions: Map<string, TagDecision[]>, step: Extract<Step, { kind: 'retag' }>, log: Logger): Promise<string[]> {
    const pushed: string[] = [];
    let manifest: Manifest | undefined = step.manifest;
    for (const image of images) {
      const registry = await this.registries.for(image.ref);
      const all = decisions.get(image.ref.name) ?? [];
      const writes = all.filter(d => d.action !== 'keep' && d.action !== 'leave');
      for (const d of all.filter(d => d.action === 'keep')) log.info(`${image.ref.name}:${d.tag} already → ${step.digest}`);
      for (const d of all.filter(d => d.action === 'leave')) log.debug(`${image.ref.name}:${d.tag} left as it is: the version tags already hold ${step.digest}`);
      if (writes.length === 0) continue;
      if (this.dryRun) {
        for (const d of writes) log.info(`would PUT manifest ${image.ref.name}:${d.tag} → ${step.digest} (${d.action}${d.current ? ` from ${d.current}` : ''})`);
        continue;
      }
      manifest ??= await (await this.registries.for(step.from)).manifest(step.from.repository, step.digest);
      if (!manifest) throw new UserError(`${step.from.name}@${step.digest} vanished from the registry while retagging ${serviceName}`);
      for (const d of writes) {
        const stored = await registry.putManifest(image.ref.repository, d.tag, manifest);
        if (stored !== step.digest) throw new UserError(`${image.ref.name}:${d.tag}: the registry stored ${stored} for the manifest of ${step.digest}`);
        this.written(`${image.ref.name}:${d.tag}`, pushed);
        log.info(`${image.ref.name}:${d.tag} → ${step.digest} (${d.action})`);
      }
    }
    return pushed;
  }

  /** Every tag of every image resolves to `digest` (after a push: another push may have raced this one). */
  async verify(images: ImageTargets[], digest: string): Promise<void> {
    for (const image of images) {
      const registry = await this.registries.for(image.ref);
      for (const tag of image.tags) {
        const found = await registry.digest(image.ref.repository, tag);
        if (found !== digest) throw new UserError(`Verification failed: ${image.ref.name}:${tag} resolves to ${found ?? 'nothing'}, expected ${digest} (another push raced this one?)`);
      }
    }
  }

  /** Docker login for Amazon ECR hosts (GetAuthorizationToken) and missing ECR repositories created, before any push. */
  async prepareEcr(images: ImageTargets[], options: { createRepository: boolean; login: boolean }, log: Logger): Promise<void> {
    const loggedIn = new Set<string>();
    for (const image of images) {
      if (image.ref.kind !== 'ecr') continue;
      const registry = (await this.registries.for(image.ref)) as import('./registry/ecr.js').EcrRegistry;
      if (options.createRepository) await registry.ensureRepository(image.ref.repository);
      if (!options.login || loggedIn.has(image.ref.registry)) continue;
      const { server, credentials } = await registry.loginCredentials();
      log.mask(credentials.password);
      await this.docker.login(server, credentials);
      loggedIn.add(image.ref.registry);
      log.info(`docker logged in to ${image.ref.registry}`);
    }
  }

  private written(reference: string, pushed: string[]): void {
    this.ledger.place(reference);
    pushed.push(reference);
  }
}
