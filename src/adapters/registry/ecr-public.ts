import { DescribeImagesCommand, ECRPUBLICClient, GetAuthorizationTokenCommand, paginateDescribeImageTags } from '@aws-sdk/client-ecr-public';
import { awsCall, awsError, decodeAuthorizationToken, imageIdOf, tagsOverPages, unlessNotFound } from './aws.js';
import { OciRegistry, type OciOptions } from './oci.js';
import type { Credentials } from './credentials.js';
import type { Manifest, Registry, RegistryLog } from './types.js';

export interface EcrPublicOptions {
  client?: ECRPUBLICClient;
  log?: RegistryLog;
  /** The OCI side (manifests); defaults to public.ecr.aws with credentials from GetAuthorizationToken. */
  oci?: OciRegistry;
  ociOptions?: OciOptions;
}

/**
 * Amazon ECR Public: tags and digests from its API (DescribeImageTags, DescribeImages, us-east-1 only), manifests
 * read and written through the registry API at public.ecr.aws, since ECR Public has no BatchGetImage.
 * Repositories are `<alias>/<name>` on the registry; the API names them without the alias.
 */
export class EcrPublicRegistry implements Registry {
  private apiRequests = 0;
  readonly client: ECRPUBLICClient;
  private oci?: OciRegistry;

  constructor(
    readonly host: string,
    private readonly options: EcrPublicOptions = {}
  ) {
    this.client = options.client ?? new ECRPUBLICClient({ region: 'us-east-1' });
    this.oci = options.oci;
  }

  get requests(): number {
    return this.apiRequests + (this.oci?.requests ?? 0);
  }

  private apiName(repository: string): string {
    return repository.split('/').slice(1).join('/');
  }

  private async send<T>(operation: string, repository: string, call: () => Promise<T>): Promise<T> {
    this.apiRequests++;
    return awsCall(operation, `${this.host}/${repository}`, call);
  }

  async loginCredentials(): Promise<Credentials> {
    const result = await this.send('GetAuthorizationToken', '', () => this.client.send(new GetAuthorizationTokenCommand({})));
    const token = result.authorizationData?.authorizationToken;
    if (!token) throw awsError('GetAuthorizationToken', new Error('no token in the answer'), this.host);
    return decodeAuthorizationToken(token, this.host);
  }

  private async registryApi(): Promise<OciRegistry> {
    this.oci ??= new OciRegistry(this.host, { ...this.options.ociOptions, credentials: await this.loginCredentials(), log: this.options.log });
    return this.oci;
  }

  async listTags(repository: string): Promise<string[]> {
    this.apiRequests++;
    const pages = paginateDescribeImageTags({ client: this.client, pageSize: 1000 }, { repositoryName: this.apiName(repository) });
    return tagsOverPages('DescribeImageTags', `${this.host}/${repository}`, pages, page => {
      if (page.nextToken) this.apiRequests++;
      return (page.imageTagDetails ?? []).flatMap(d => (d.imageTag ? [d.imageTag] : []));
    });
  }

  async digest(repository: string, reference: string): Promise<string | undefined> {
    const result = await unlessNotFound(() =>
      this.send('DescribeImages', repository, () =>
        this.client.send(new DescribeImagesCommand({ repositoryName: this.apiName(repository), imageIds: [imageIdOf(reference)] }))
      )
    );
    return result?.imageDetails?.[0]?.imageDigest;
  }

  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    return (await this.registryApi()).manifest(repository, reference);
  }

  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    return (await this.registryApi()).putManifest(repository, tag, manifest);
  }

  async blob(repository: string, digest: string): Promise<Buffer | undefined> {
    return (await this.registryApi()).blob(repository, digest);
  }
}
