import { createHash } from 'node:crypto';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  paginateListImages
} from '@aws-sdk/client-ecr';
import { UserError } from '../../core/errors.js';
import { awsCall, awsName, decodeAuthorizationToken, imageIdOf, tagsOverPages, unlessNotFound } from './aws.js';
import type { Credentials } from './credentials.js';
import { MANIFEST_MEDIA_TYPES, type Manifest, type Registry, type RegistryLog } from './types.js';

export interface EcrOptions {
  region: string;
  /** The account in the host name; ECR calls name it registryId. */
  registryId?: string;
  /** Create a repository that does not exist before the first push. */
  createRepository?: boolean;
  client?: ECRClient;
  log?: RegistryLog;
}

/** Amazon ECR through its API: tags by ListImages, retags by BatchGetImage + PutImage (no layer moves at all). */
export class EcrRegistry implements Registry {
  requests = 0;
  readonly client: ECRClient;
  private readonly checkedRepositories = new Set<string>();
  private oci?: Registry;

  constructor(
    readonly host: string,
    private readonly options: EcrOptions
  ) {
    this.client = options.client ?? new ECRClient({ region: options.region });
  }

  private async send<T>(operation: string, repository: string, call: () => Promise<T>): Promise<T> {
    this.requests++;
    return awsCall(operation, `${this.host}/${repository}`, call);
  }

  private get registryId(): { registryId?: string } {
    return this.options.registryId ? { registryId: this.options.registryId } : {};
  }

  async listTags(repository: string): Promise<string[]> {
    // Each page is one ListImages request: counted as it arrives (the first is sent before any arrives).
    this.requests++;
    const pages = paginateListImages({ client: this.client, pageSize: 1000 }, { ...this.registryId, repositoryName: repository, filter: { tagStatus: 'TAGGED' } });
    return tagsOverPages('ListImages', `${this.host}/${repository}`, pages, page => {
      if (page.nextToken) this.requests++;
      return (page.imageIds ?? []).flatMap(id => (id.imageTag ? [id.imageTag] : []));
    });
  }

  async digest(repository: string, reference: string): Promise<string | undefined> {
    const result = await unlessNotFound(() =>
      this.send('DescribeImages', repository, () =>
        this.client.send(new DescribeImagesCommand({ ...this.registryId, repositoryName: repository, imageIds: [imageIdOf(reference)] }))
      )
    );
    return result?.imageDetails?.[0]?.imageDigest;
  }

  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const result = await unlessNotFound(() =>
      this.send('BatchGetImage', repository, () =>
        this.client.send(
          new BatchGetImageCommand({
            ...this.registryId,
            repositoryName: repository,
            imageIds: [imageIdOf(reference)],
            acceptedMediaTypes: [...MANIFEST_MEDIA_TYPES]
          })
        )
      )
    );
    if (!result) return undefined;
    const image = result.images?.[0];
    if (!image?.imageManifest) {
      const failure = result.failures?.[0];
      if (!failure || failure.failureCode === 'ImageNotFound' || failure.failureCode === 'ImageTagDoesNotMatchDigest') return undefined;
      throw new UserError(`BatchGetImage on ${this.host}/${repository}:${reference} failed: ${failure.failureCode}: ${failure.failureReason}`);
    }
    const bytes = Buffer.from(image.imageManifest, 'utf8');
    const digest = image.imageId?.imageDigest ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const mediaType = image.imageManifestMediaType ?? (JSON.parse(image.imageManifest) as { mediaType?: string }).mediaType ?? '';
    return { bytes, mediaType, digest };
  }

  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    try {
      const result = await this.send('PutImage', repository, () =>
        this.client.send(
          new PutImageCommand({
            ...this.registryId,
            repositoryName: repository,
            imageTag: tag,
            imageManifest: manifest.bytes.toString('utf8'),
            imageManifestMediaType: manifest.mediaType,
            imageDigest: manifest.digest
          })
        )
      );
      return result.image?.imageId?.imageDigest ?? manifest.digest;
    } catch (error) {
      const name = awsName(error);
      // The tag already points at exactly this manifest: a re-run, nothing to do.
      if (name === 'ImageAlreadyExistsException') return manifest.digest;
      if (name === 'ImageTagAlreadyExistsException') {
        const current = await this.digest(repository, tag);
        if (current === manifest.digest) return manifest.digest;
        throw new UserError(
          `Tag ${tag} of ${this.host}/${repository} already points at ${current ?? 'another image'}, and the repository's tags are immutable; cannot point it at ${manifest.digest}`
        );
      }
      throw error;
    }
  }

  /** Blobs through the registry API with a token from GetAuthorizationToken: ECR's API only offers presigned layer URLs. */
  async blob(repository: string, digest: string): Promise<Buffer | undefined> {
    if (!this.oci) {
      const { OciRegistry } = await import('./oci.js');
      this.oci = new OciRegistry(this.host, { credentials: (await this.loginCredentials()).credentials, log: this.options.log });
    }
    return this.oci.blob(repository, digest);
  }

  /** Creates the repository when it does not exist (option createRepository), before anything is pushed to it. */
  async ensureRepository(repository: string): Promise<'exists' | 'created'> {
    if (this.checkedRepositories.has(repository)) return 'exists';
    try {
      await this.send('DescribeRepositories', repository, () =>
        this.client.send(new DescribeRepositoriesCommand({ ...this.registryId, repositoryNames: [repository] }))
      );
      this.checkedRepositories.add(repository);
      return 'exists';
    } catch (error) {
      if (awsName(error) !== 'RepositoryNotFoundException') throw error;
    }
    if (!this.options.createRepository) {
      throw new UserError(`ECR repository ${repository} does not exist in ${this.host}; create it, or set the input ecr-create-repository: true`);
    }
    await this.send('CreateRepository', repository, () =>
      this.client.send(new CreateRepositoryCommand({ ...this.registryId, repositoryName: repository, imageScanningConfiguration: { scanOnPush: true } }))
    );
    this.options.log?.debug(`created ECR repository ${repository}`);
    this.checkedRepositories.add(repository);
    return 'created';
  }

  /** Docker credentials for this registry from GetAuthorizationToken (user AWS, a 12-hour password). */
  async loginCredentials(): Promise<{ server: string; credentials: Credentials }> {
    const result = await this.send('GetAuthorizationToken', '', () =>
      this.client.send(new GetAuthorizationTokenCommand(this.options.registryId ? { registryIds: [this.options.registryId] } : {}))
    );
    const data = result.authorizationData?.[0];
    if (!data?.authorizationToken) throw new UserError(`GetAuthorizationToken for ${this.host} returned no token`);
    return { server: data.proxyEndpoint ?? `https://${this.host}`, credentials: decodeAuthorizationToken(data.authorizationToken, this.host) };
  }
}
