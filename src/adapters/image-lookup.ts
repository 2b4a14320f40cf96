import { UserError } from '../core/errors.js';
import { parseImageRef } from '../core/image-ref.js';
import { releaseVersions } from '../core/version-tag.js';
import type { ImageLookup } from '../core/manifest-commands.js';
import { releaseTagOf, type Registries, type Registry } from './registry/index.js';

/** An image's registry and repository. */
export async function registryOf(registries: Registries, image: string): Promise<{ registry: Registry; repository: string }> {
  const ref = parseImageRef(image);
  return { registry: await registries.for(ref), repository: ref.repository };
}

/** The version manifest commands' view of the registries (core/manifest-commands.ts ImageLookup). */
export function registryImages(registries: () => Registries): ImageLookup {
  return {
    async digest(image, tag) {
      const { registry, repository } = await registryOf(registries(), image);
      return registry.digest(repository, tag);
    },
    async releaseTagFor(image, digest) {
      const { registry, repository } = await registryOf(registries(), image);
      return releaseTagOf(registry, repository, digest, releaseVersions(await registry.listTags(repository)), 30);
    },
    async listTags(image) {
      const { registry, repository } = await registryOf(registries(), image);
      return registry.listTags(repository);
    }
  };
}

/**
 * Points `tag` of an image at a digest by registry API (the manifest copied, no pull or push): what it pointed at
 * before; an error when the digest does not exist or the tag does not follow.
 */
export async function pointTag(registries: Registries, image: string, tag: string, digest: string, dryRun: boolean): Promise<{ before?: string; moved: boolean }> {
  const { registry, repository } = await registryOf(registries, image);
  const before = await registry.digest(repository, tag);
  if (before === digest || dryRun) return { before, moved: false };
  const manifest = await registry.manifest(repository, digest);
  if (!manifest) throw new UserError(`${image}@${digest} does not exist in the registry: it cannot be promoted`);
  await registry.putManifest(repository, tag, manifest);
  const now = await registry.digest(repository, tag);
  if (now !== digest) throw new UserError(`${image}:${tag} points at ${now ?? 'nothing'} after the retag, not ${digest}`);
  return { before, moved: true };
}
