import { byVersionDescending } from '../../core/semver.js';
import { UserError } from '../../core/errors.js';
import type { ImageRef } from '../../core/image-ref.js';
import { dockerConfigCredentials, type Credentials } from './credentials.js';
import { OciRegistry, type RetryPolicy } from './oci.js';
import type { Manifest, Registry, RegistryLog } from './types.js';

export type { Manifest, Registry } from './types.js';
// The version source reads tag listings through this module: one on-demand load for both.
export { registryReleases } from '../../core/registry-releases.js';

export interface RegistryAccess {
  env: NodeJS.ProcessEnv;
  log?: RegistryLog;
  /** Credentials from inputs, for `registry` (or every registry when it is not set). */
  credentials?: Credentials & { registry?: string };
  insecure?: string[];
  createRepository?: boolean;
  retry?: Partial<RetryPolicy>;
}

/**
 * One Registry per host, picked by the host name: Amazon ECR and ECR Public through the AWS SDK (loaded only when
 * such a host appears, so other runs never pay for it), everything else through the OCI distribution API.
 */
export class Registries {
  private readonly byHost = new Map<string, Promise<Registry>>();
  /** The registry credentials given without one went to. */
  private claimed?: string;

  constructor(private readonly access: RegistryAccess) {}

  for(ref: ImageRef): Promise<Registry> {
    let registry = this.byHost.get(ref.apiHost);
    if (!registry) {
      registry = this.open(ref);
      this.byHost.set(ref.apiHost, registry);
    }
    return registry;
  }

  async requests(): Promise<number> {
    let total = 0;
    for (const registry of this.byHost.values()) total += (await registry.catch(() => undefined))?.requests ?? 0;
    return total;
  }

  /** The inputs' credentials, only for the registry they name (or, unnamed, the first registry asked for). */
  private given(ref: ImageRef): Credentials | undefined {
    const given = this.access.credentials;
    if (!given) return undefined;
    if (!given.registry) {
      this.claimed ??= ref.registry;
      if (this.claimed !== ref.registry) {
        throw new UserError(
          `The username and password were given without a registry and went to ${this.claimed}; this run also talks to ${ref.registry}: set the registry input to the one they are for`
        );
      }
      return given;
    }
    const registry = given.registry.toLowerCase();
    return registry === ref.registry.toLowerCase() || registry === ref.apiHost.toLowerCase() ? given : undefined;
  }

  private async credentials(ref: ImageRef): Promise<Credentials | undefined> {
    return this.given(ref) ?? dockerConfigCredentials(ref.registry, this.access.env);
  }

  /** What a tool (helm) logs in with: the inputs' credentials, Amazon ECR's GetAuthorizationToken, or the Docker config. */
  async loginCredentials(ref: ImageRef): Promise<Credentials | undefined> {
    const given = this.given(ref);
    if (given) return given;
    if (ref.kind === 'ecr') return (await ((await this.for(ref)) as import('./ecr.js').EcrRegistry).loginCredentials()).credentials;
    if (ref.kind === 'ecr-public') return ((await this.for(ref)) as import('./ecr-public.js').EcrPublicRegistry).loginCredentials();
    return dockerConfigCredentials(ref.registry, this.access.env);
  }

  private async open(ref: ImageRef): Promise<Registry> {
    const { log, retry } = this.access;
    if (ref.kind === 'ecr') {
      const { EcrRegistry } = await import('./ecr.js');
      return new EcrRegistry(ref.apiHost, { region: ref.region!, registryId: ref.account, createRepository: this.access.createRepository, log });
    }
    if (ref.kind === 'ecr-public') {
      const { EcrPublicRegistry } = await import('./ecr-public.js');
      return new EcrPublicRegistry(ref.apiHost, { log, ociOptions: { retry } });
    }
    return new OciRegistry(ref.apiHost, {
      credentials: await this.credentials(ref),
      log,
      retry,
      insecure: this.access.insecure?.includes(ref.registry)
    });
  }
}

interface ManifestJson {
  mediaType?: string;
  config?: { digest: string };
  manifests?: { digest: string; platform?: { os?: string; architecture?: string }; annotations?: Record<string, string> }[];
}

/** The labels of an image's config (for an index, its first platform image; attestation manifests are skipped). */
export async function imageLabels(registry: Registry, repository: string, manifest: Manifest): Promise<Record<string, string>> {
  let body = JSON.parse(manifest.bytes.toString('utf8')) as ManifestJson;
  if (body.manifests) {
    const first = body.manifests.find(m => !m.annotations?.['vnd.docker.reference.type'] && m.platform?.os !== 'unknown');
    if (!first) return {};
    const child = await registry.manifest(repository, first.digest);
    if (!child) return {};
    body = JSON.parse(child.bytes.toString('utf8')) as ManifestJson;
  }
  if (!body.config) return {};
  const config = await registry.blob(repository, body.config.digest);
  if (!config) return {};
  const parsed = JSON.parse(config.toString('utf8')) as { config?: { Labels?: Record<string, string> | null } };
  return parsed.config?.Labels ?? {};
}

/**
 * The highest release tag that points at a digest (what `latest` or `prod` really is). Candidates are checked from the
 * highest version down, at most `limit`, and the search stops at the first match (a floating tag is nearly always on
 * a recent release).
 */
export async function releaseTagOf(
  registry: Registry,
  repository: string,
  digest: string,
  releases: { tag: string; version: string }[],
  limit = 20
): Promise<string | undefined> {
  const ordered = byVersionDescending(releases, release => release.version).slice(0, limit);
  for (const { tag } of ordered) if ((await registry.digest(repository, tag)) === digest) return tag;
  return undefined;
}

/** What `latest` really is: its digest and the highest release tag that shares it. */
export async function resolveLatest(
  registry: Registry,
  repository: string,
  releases: { tag: string; version: string }[],
  limit = 20
): Promise<{ digest: string; tag?: string } | undefined> {
  const digest = await registry.digest(repository, 'latest');
  if (!digest) return undefined;
  const tag = await releaseTagOf(registry, repository, digest, releases, limit);
  return tag ? { digest, tag } : { digest };
}
