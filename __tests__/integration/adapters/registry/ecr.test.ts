/**
 * Amazon ECR and ECR Public cannot run here: their API is mocked with aws-sdk-client-mock, with answers shaped like
 * the real API's (pages with nextToken, its exception types). The registry side of ECR Public, and docker login with
 * an ECR token, run against a real local registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  ListImagesCommand,
  PutImageCommand,
  RepositoryNotFoundException
} from '@aws-sdk/client-ecr';
import { DescribeImageTagsCommand, ECRPUBLICClient, GetAuthorizationTokenCommand as PublicTokenCommand } from '@aws-sdk/client-ecr-public';
import { EcrRegistry } from '../../../../src/adapters/registry/ecr.js';
import { EcrPublicRegistry } from '../../../../src/adapters/registry/ecr-public.js';
import { OciRegistry } from '../../../../src/adapters/registry/oci.js';
import { Docker } from '../../../../src/adapters/docker.js';
import { parseImageRef } from '../../../../src/core/image-ref.js';
import { seedImage, startRegistry, type TestRegistry } from '../../../helpers/registry.js';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] });
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const meta = { $metadata: {} };

function awsException<T>(Type: new (args: { message: string; $metadata: object }) => T, message: string): T {
  return new Type({ message, $metadata: { httpStatusCode: 400 } });
}

describe('image references', () => {
  it.each([
    ['ghcr.io/acme/api', { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/api', kind: 'oci' }],
    ['nginx', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx', kind: 'oci' }],
    ['acme/api', { registry: 'docker.io', repository: 'acme/api', kind: 'oci' }],
    ['localhost:5000/x', { registry: 'localhost:5000', repository: 'x', kind: 'oci' }],
    [`${HOST}/team/api`, { registry: HOST, repository: 'team/api', kind: 'ecr', account: '123456789012', region: 'eu-west-1' }],
    ['public.ecr.aws/acme/api', { registry: 'public.ecr.aws', repository: 'acme/api', kind: 'ecr-public', region: 'us-east-1' }]
  ])('[%#] %s', (image, expected) => {
    expect(parseImageRef(image)).toMatchObject(expected);
  });

  it.each([
    ['ghcr.io/acme/api:1.0', 'has a tag or digest'],
    ['nginx:latest', 'has a tag or digest'],
    ['ghcr.io/acme/api@sha256:abc', 'has a tag or digest'],
    ['ghcr.io/Acme_/api', 'is not a repository path']
  ])('[%#] %s is refused', (image, message) => {
    expect(() => parseImageRef(image)).toThrow(message);
  });
});

describe('Amazon ECR (API mocked with aws-sdk-client-mock)', () => {
  const ecr = mockClient(ECRClient);
  const registry = () => new EcrRegistry(HOST, { region: 'eu-west-1', registryId: '123456789012', client: new ECRClient({ region: 'eu-west-1' }) });
  beforeEach(() => {
    ecr.reset();
  });

  it('lists every tag across nextToken pages (the SDK paginator, ListImages mocked)', async () => {
    const pages = [
      { ...meta, imageIds: [{ imageTag: '1.0.0', imageDigest: DIGEST }, { imageDigest: OTHER }], nextToken: 'p2' },
      { ...meta, imageIds: [{ imageTag: '1.0.1', imageDigest: DIGEST }], nextToken: 'p3' },
      { ...meta, imageIds: [{ imageTag: 'latest', imageDigest: DIGEST }] }
    ];
    // The paginator sends one input object, updated page by page: each request is copied as it is sent.
    const sent: Record<string, unknown>[] = [];
    ecr.on(ListImagesCommand).callsFake(input => {
      sent.push({ ...input });
      return pages[sent.length - 1];
    });
    const client = registry();
    expect(await client.listTags('team/api')).toEqual(['1.0.0', '1.0.1', 'latest']);
    expect(client.requests).toBe(3);
    expect(sent.map(c => c.nextToken)).toEqual([undefined, 'p2', 'p3']);
    expect(sent[0]).toMatchObject({ registryId: '123456789012', repositoryName: 'team/api', filter: { tagStatus: 'TAGGED' }, maxResults: 1000 });
  });

  it('answers no tags for a missing repository and no digest for a missing tag', async () => {
    ecr.on(ListImagesCommand).rejects(awsException(RepositoryNotFoundException, 'The repository with name team/none does not exist'));
    ecr.on(DescribeImagesCommand).rejects(awsException(ImageNotFoundException, 'The image with imageId {imageTag:9.9.9} does not exist'));
    expect(await registry().listTags('team/none')).toEqual([]);
    expect(await registry().digest('team/api', '9.9.9')).toBeUndefined();
  });

  it('retags by BatchGetImage with every manifest media type, then PutImage with the expected digest', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      ...meta,
      images: [{ imageId: { imageDigest: DIGEST, imageTag: '1.0.0' }, imageManifest: MANIFEST, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
      failures: []
    });
    ecr.on(PutImageCommand).resolves({ ...meta, image: { imageId: { imageDigest: DIGEST, imageTag: '1.0.1' } } });
    const client = registry();
    const manifest = (await client.manifest('team/api', '1.0.0'))!;
    expect(await client.putManifest('team/api', '1.0.1', manifest)).toBe(DIGEST);
    expect(ecr.commandCalls(BatchGetImageCommand)[0].args[0].input.acceptedMediaTypes).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json'
    ]);
    expect(ecr.commandCalls(PutImageCommand)[0].args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageTag: '1.0.1',
      imageManifest: MANIFEST,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageDigest: DIGEST
    });
  });

  it('takes ImageAlreadyExistsException as success (the tag is already there)', async () => {
    ecr.on(PutImageCommand).rejects(awsException(ImageAlreadyExistsException, 'Image with digest and tag 1.0.1 already exists'));
    expect(await registry().putManifest('team/api', '1.0.1', { bytes: Buffer.from(MANIFEST), mediaType: 'x', digest: DIGEST })).toBe(DIGEST);
  });

  it('on an immutable repository, a tag on the same digest is a no-op and on another digest a clear error', async () => {
    ecr.on(PutImageCommand).rejects(awsException(ImageTagAlreadyExistsException, "The image tag '1.0.0' already exists and cannot be overwritten because the repository is immutable."));
    ecr.on(DescribeImagesCommand).resolves({ ...meta, imageDetails: [{ imageDigest: DIGEST, imageTags: ['1.0.0'] }] });
    const same = { bytes: Buffer.from(MANIFEST), mediaType: 'x', digest: DIGEST };
    expect(await registry().putManifest('team/api', '1.0.0', same)).toBe(DIGEST);
    await expect(registry().putManifest('team/api', '1.0.0', { ...same, digest: OTHER })).rejects.toThrow(
      `Tag 1.0.0 of ${HOST}/team/api already points at ${DIGEST}, and the repository's tags are immutable; cannot point it at ${OTHER}`
    );
  });

  it('creates a missing repository only when asked, and says how otherwise', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsException(RepositoryNotFoundException, 'not found'));
    ecr.on(CreateRepositoryCommand).resolves({ ...meta, repository: { repositoryName: 'team/new' } });
    await expect(registry().ensureRepository('team/new')).rejects.toThrow('set the input ecr-create-repository: true');
    const creating = new EcrRegistry(HOST, { region: 'eu-west-1', registryId: '123456789012', createRepository: true, client: new ECRClient({}) });
    expect(await creating.ensureRepository('team/new')).toBe('created');
    expect(ecr.commandCalls(CreateRepositoryCommand)[0].args[0].input).toMatchObject({ repositoryName: 'team/new', registryId: '123456789012' });
  });

  it('names the operation and the fix when there are no AWS credentials', async () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    ecr.on(ListImagesCommand).rejects(error);
    await expect(registry().listTags('team/api')).rejects.toThrow(
      `ListImages on ${HOST}/team/api failed: no usable AWS credentials (Could not load credentials from any providers). Configure them first`
    );
  });

  describe('docker login from GetAuthorizationToken, against a real registry', () => {
    let local: TestRegistry;
    beforeAll(async () => {
      local = await startRegistry({ htpasswd: { username: 'AWS', password: 'ecr-token-password' } });
    });
    afterAll(() => local.stop());

    it('logs in with the password on stdin, never in argv', async () => {
      ecr.on(GetAuthorizationTokenCommand).resolves({
        ...meta,
        authorizationData: [{ authorizationToken: Buffer.from('AWS:ecr-token-password').toString('base64'), proxyEndpoint: `http://${local.host}` }]
      });
      const { server, credentials } = await registry().loginCredentials();
      expect(ecr.commandCalls(GetAuthorizationTokenCommand)[0].args[0].input).toEqual({ registryIds: ['123456789012'] });
      const dockerConfig = mkdtempSync(join(tmpdir(), 'imgver-docker-'));
      const docker = new Docker(tmpdir(), { ...process.env, DOCKER_CONFIG: dockerConfig }, () => {}, '/usr/bin/docker');
      await docker.login(server, credentials);
      const saved = JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
      expect(Buffer.from(Object.values(saved.auths)[0].auth, 'base64').toString()).toBe('AWS:ecr-token-password');
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain('ecr-token-password');
    });
  });
});

describe('Amazon ECR Public (API mocked with aws-sdk-client-mock; registry side real)', () => {
  const pub = mockClient(ECRPUBLICClient);
  let local: TestRegistry;
  beforeAll(async () => {
    local = await startRegistry();
  });
  afterAll(() => local.stop());
  beforeEach(() => {
    pub.reset();
  });

  it('lists tags with DescribeImageTags pages (the SDK paginator, mocked), naming the repository without its alias', async () => {
    const pages = [{ ...meta, imageTagDetails: [{ imageTag: '2.0.0' }, { imageTag: 'latest' }], nextToken: 'n2' }, { ...meta, imageTagDetails: [{ imageTag: '2.0.1' }] }];
    const sent: Record<string, unknown>[] = [];
    pub.on(DescribeImageTagsCommand).callsFake(input => {
      sent.push({ ...input });
      return pages[sent.length - 1];
    });
    const client = new EcrPublicRegistry('public.ecr.aws', { client: new ECRPUBLICClient({ region: 'us-east-1' }) });
    expect(await client.listTags('acme/api')).toEqual(['2.0.0', 'latest', '2.0.1']);
    expect(client.requests).toBe(2);
    expect(sent).toEqual([
      { repositoryName: 'api', maxResults: 1000, nextToken: undefined },
      { repositoryName: 'api', maxResults: 1000, nextToken: 'n2' }
    ]);
  });

  it('retags through the registry API with credentials from its GetAuthorizationToken', async () => {
    pub.on(PublicTokenCommand).resolves({ ...meta, authorizationData: { authorizationToken: Buffer.from('AWS:pub').toString('base64') } });
    const { digest } = await seedImage(local.url, 'acme/api', '2.0.0', 'public api');
    // The registry endpoint stands in for public.ecr.aws: only the host differs.
    const client = new EcrPublicRegistry(local.host, { client: new ECRPUBLICClient({ region: 'us-east-1' }) });
    const manifest = (await client.manifest('acme/api', '2.0.0'))!;
    await client.putManifest('acme/api', '2.0', manifest);
    expect(await new OciRegistry(local.host).digest('acme/api', '2.0')).toBe(digest);
    expect(pub.commandCalls(PublicTokenCommand)).toHaveLength(1);
  });
});
