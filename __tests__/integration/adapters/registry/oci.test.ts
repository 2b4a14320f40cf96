import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OciRegistry, nextLink, parseChallenge } from '../../../../src/adapters/registry/oci.js';
import { dockerConfigCredentials } from '../../../../src/adapters/registry/credentials.js';
import { imageLabels } from '../../../../src/adapters/registry/index.js';
import {
  seedImage,
  seedTagsOnDisk,
  skopeoDigest,
  startProxy,
  startRegistry,
  startTokenServer,
  type TestProxy,
  type TestRegistry,
  type TokenServer
} from '../../../helpers/registry.js';

const fast = { baseMs: 5 };

describe('WWW-Authenticate and Link parsing', () => {
  it.each([
    ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"', 'bearer', {
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/nginx:pull'
    }],
    ['Basic realm="Registry Realm"', 'basic', { realm: 'Registry Realm' }],
    ['bearer realm=https://ghcr.io/token, service=ghcr.io', 'bearer', { realm: 'https://ghcr.io/token', service: 'ghcr.io' }]
  ])('[%#] %s', (header, scheme, params) => {
    expect(parseChallenge(header)).toEqual({ scheme, params });
  });

  it.each([
    ['</v2/a/tags/list?n=2&last=b>; rel="next"', 'http://r/v2/a/tags/list?n=2', 'http://r/v2/a/tags/list?n=2&last=b'],
    ['<https://other/v2/a/tags/list?last=x>; rel=next', 'http://r/', 'https://other/v2/a/tags/list?last=x'],
    [null, 'http://r/', undefined]
  ])('[%#] Link %s', (header, base, next) => {
    expect(nextLink(header, base)).toBe(next);
  });
});

describe('OCI registry against a real registry (anonymous)', () => {
  let registry: TestRegistry;
  let proxy: TestProxy;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.url);
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.stop();
  });

  it('reads a digest by HEAD that skopeo agrees with, and retags by PUT of the exact manifest with no blob upload', async () => {
    const { digest } = await seedImage(registry.url, 'acme/api', '1.0.0', 'api one');
    const client = new OciRegistry(proxy.host, { retry: fast });
    expect(await client.digest('acme/api', '1.0.0')).toBe(digest);
    expect(await client.digest('acme/api', 'nope')).toBeUndefined();
    const uploadsBefore = proxy.blobUploads();
    const manifest = (await client.manifest('acme/api', digest))!;
    expect(await client.putManifest('acme/api', '1.0.1', manifest)).toBe(digest);
    expect(proxy.blobUploads()).toBe(uploadsBefore);
    expect(await skopeoDigest(registry.host, 'acme/api', '1.0.1')).toBe(digest);
    expect(await imageLabels(client, 'acme/api', manifest)).toEqual({ content: 'api one' });
    expect(proxy.requests.filter(r => r.method === 'HEAD')[0].path).toBe('/v2/acme/api/manifests/1.0.0');
  });

  it('lists 10,000 tags through Link pagination, counting requests', async () => {
    const { digest } = await seedImage(registry.url, 'acme/many', 'seed', 'many');
    const tags = Array.from({ length: 10_000 }, (_, i) => `1.0.${i}`);
    seedTagsOnDisk(registry.storage, 'acme/many', digest, tags);
    const paged = new OciRegistry(proxy.host, { retry: fast, pageSize: 1000 });
    const before = proxy.requests.length;
    const listed = await paged.listTags('acme/many');
    expect(listed).toHaveLength(10_001);
    expect(new Set(listed)).toEqual(new Set([...tags, 'seed']));
    // One request per page: 11 distinct pages asked (a retried request would repeat a page, not add one).
    expect(new Set(proxy.requests.slice(before).map(r => r.path)).size).toBe(11);
    // Distribution 2.8 itself ignores n: one page, every tag (counted as distinct requests, which a retry does not add).
    const passThrough = await startProxy(registry.url, { paginate: false });
    const direct = new OciRegistry(passThrough.host, { retry: fast });
    try {
      expect(await direct.listTags('acme/many')).toHaveLength(10_001);
      expect(new Set(passThrough.requests.map(r => r.path)).size).toBe(1);
    } finally {
      await passThrough.stop();
    }
  });

  it('returns no tags for a repository that does not exist', async () => {
    expect(await new OciRegistry(registry.host).listTags('acme/none')).toEqual([]);
  });

  it('retries 429 and 503 (Retry-After honoured) and then succeeds', async () => {
    const { digest } = await seedImage(registry.url, 'acme/flaky', '1.0.0', 'flaky');
    proxy.faults.push({ status: 503 }, { status: 429, retryAfter: '0' }, { status: 502 });
    const client = new OciRegistry(proxy.host, { retry: fast });
    expect(await client.digest('acme/flaky', '1.0.0')).toBe(digest);
    // Each injected failure was met and retried; a slow machine may add a retry of its own, within the attempts.
    expect(proxy.faults).toEqual([]);
    expect(client.requests).toBeGreaterThanOrEqual(4);
    expect(client.requests).toBeLessThanOrEqual(8);
  });

  it('gives up after the last attempt with an error naming the registry, the call and the status', async () => {
    proxy.faults.push(...Array.from({ length: 3 }, () => ({ status: 503 })));
    const client = new OciRegistry(proxy.host, { retry: { baseMs: 1, attempts: 3 } });
    await expect(client.digest('acme/flaky', '1.0.0')).rejects.toThrow(
      `Registry ${proxy.host}: HEAD /v2/acme/flaky/manifests/1.0.0 failed after 3 attempts (HTTP 503)`
    );
  });

  it('does not wait out a Retry-After longer than allowed', async () => {
    proxy.faults.push({ status: 429, retryAfter: '3600' });
    const client = new OciRegistry(proxy.host, { retry: fast });
    await expect(client.listTags('acme/flaky')).rejects.toThrow(/asks to wait 3600 s/);
  });
});

describe('OCI registry with htpasswd (Basic) auth', () => {
  let registry: TestRegistry;
  const user = { username: 'ci', password: 's3cret' };
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: user });
  });
  afterAll(() => registry.stop());

  it('uses credentials from the Docker config file, as docker login left them', async () => {
    const basic = { authorization: `Basic ${Buffer.from('ci:s3cret').toString('base64')}` };
    const { digest } = await seedImage(registry.url, 'team/app', '2.0.0', 'app', basic);
    const dockerDir = mkdtempSync(join(tmpdir(), 'imgver-docker-'));
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('ci:s3cret').toString('base64') } } }));
    const credentials = await dockerConfigCredentials(registry.host, { DOCKER_CONFIG: dockerDir });
    expect(credentials).toEqual(user);
    const client = new OciRegistry(registry.host, { credentials });
    expect(await client.listTags('team/app')).toEqual(['2.0.0']);
    const manifest = (await client.manifest('team/app', '2.0.0'))!;
    await client.putManifest('team/app', 'stable', manifest);
    expect(await skopeoDigest(registry.host, 'team/app', 'stable', 'ci:s3cret')).toBe(digest);
  });

  it('says how to log in when there are no credentials, and when they are wrong', async () => {
    await expect(new OciRegistry(registry.host).listTags('team/app')).rejects.toThrow(
      `Registry ${registry.host} needs credentials: run docker login ${registry.host}, or give the username and password inputs`
    );
    await expect(new OciRegistry(registry.host, { credentials: { username: 'ci', password: 'wrong' } }).listTags('team/app')).rejects.toThrow(
      `Registry ${registry.host} refused the credentials for repository:team/app:pull`
    );
  });
});

describe('OCI registry with token (Bearer) auth', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  const user = { username: 'robot', password: 'tok-pass' };
  beforeAll(async () => {
    tokens = await startTokenServer(user);
    registry = await startRegistry({ token: tokens });
  });
  afterAll(async () => {
    await registry.stop();
    await tokens.stop();
  });

  it('follows the WWW-Authenticate challenge to the token realm, with a push scope for writes, and reuses tokens', async () => {
    const client = new OciRegistry(registry.host, { credentials: user });
    expect(await client.listTags('team/svc')).toEqual([]);
    const pushToken = await (
      await fetch(`${tokens.realm}?service=${tokens.service}&scope=repository:team/svc:pull,push`, {
        headers: { authorization: `Basic ${Buffer.from('robot:tok-pass').toString('base64')}` }
      })
    ).json();
    const { digest } = await seedImage(registry.url, 'team/svc', '3.1.0', 'svc', { authorization: `Bearer ${(pushToken as { token: string }).token}` });
    const manifest = (await client.manifest('team/svc', '3.1.0'))!;
    expect(await client.putManifest('team/svc', '3.1', manifest)).toBe(digest);
    expect(await client.digest('team/svc', '3.1')).toBe(digest);
    // The third is the registry's own challenge for the PUT (it lists the actions in either order).
    const scopes = tokens.issued.filter(s => s.startsWith('repository:team/svc')).map(s => s.split(':')[2].split(',').sort().join(','));
    expect(scopes).toEqual(['pull', 'pull,push', 'pull,push']);
    expect(await skopeoDigest(registry.host, 'team/svc', '3.1', 'robot:tok-pass')).toBe(digest);
  });

  it('reports refused credentials at the token service', async () => {
    await expect(new OciRegistry(registry.host, { credentials: { username: 'robot', password: 'no' } }).listTags('team/svc')).rejects.toThrow(
      /the token service 127\.0\.0\.1:\d+ refused the credentials for repository:team\/svc:pull \(HTTP 401\)/
    );
  });
});

describe('token realm check', () => {
  it('refuses to send credentials to a plain-http realm that is not loopback', async () => {
    const http = await import('node:http');
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://auth.example.com/token",service="x"' });
      res.end();
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    try {
      await expect(new OciRegistry(`127.0.0.1:${port}`, { credentials: { username: 'a', password: 'b' } }).listTags('x/y')).rejects.toThrow(
        'only https realms (or loopback, for tests) are trusted with credentials'
      );
    } finally {
      server.close();
    }
  });
});
