/** The four manifest media types a registry may hold for an image; asked for in Accept so none is converted. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
] as const;

export interface Manifest {
  /** The exact bytes the registry stores: retagging PUTs these, so the digest stays the same. */
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

/** One interface over the OCI distribution API, Amazon ECR and ECR Public. Repositories are paths on the registry. */
export interface Registry {
  readonly host: string;
  /** API requests made so far (for logs and benchmarks). */
  readonly requests: number;
  /** Every tag of a repository, all pages; [] when the repository does not exist. */
  listTags(repository: string): Promise<string[]>;
  /** The digest a tag (or digest) resolves to, undefined when it does not exist. */
  digest(repository: string, reference: string): Promise<string | undefined>;
  manifest(repository: string, reference: string): Promise<Manifest | undefined>;
  /** Stores the manifest under a tag; returns its digest. */
  putManifest(repository: string, tag: string, manifest: Manifest): Promise<string>;
  /** Uploads a blob under its digest (a registry speaking the OCI distribution API; ECR's clients have none). */
  pushBlob?(repository: string, bytes: Buffer, digest: string): Promise<void>;
  /** A blob's bytes (an image config, say), undefined when it does not exist. */
  blob(repository: string, digest: string): Promise<Buffer | undefined>;
}

export interface RegistryLog {
  debug(message: string): void;
  warning(message: string): void;
}
