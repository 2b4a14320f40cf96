/**
 * A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 for tests, optionally behind htpasswd or
 * token auth (with a token server here that signs real JWTs the registry verifies), and a proxy in front of it that
 * counts requests, injects 429/503 and pages tags/list as the distribution spec describes (2.8 ignores `n`).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise(r => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not come up`);
}

export interface TestRegistry {
  host: string;
  url: string;
  storage: string;
  stop(): Promise<void>;
}

export interface RegistryAuth {
  htpasswd?: { username: string; password: string };
  token?: { realm: string; service: string; issuer: string; certFile: string };
}

export async function startRegistry(auth: RegistryAuth = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-registry-'));
  const port = await freePort();
  const storage = join(dir, 'data');
  const lines = [
    'version: 0.1',
    'log: {level: error, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: ${storage}}, delete: {enabled: true}}`,
    `http: {addr: "127.0.0.1:${port}"}`
  ];
  if (auth.htpasswd) {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, execFileSync('htpasswd', ['-Bbn', auth.htpasswd.username, auth.htpasswd.password]));
    lines.push(`auth: {htpasswd: {realm: imgver-test, path: ${file}}}`);
  }
  if (auth.token) {
    const t = auth.token;
    lines.push(`auth: {token: {realm: "${t.realm}", service: ${t.service}, issuer: ${t.issuer}, rootcertbundle: ${t.certFile}}}`);
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, lines.join('\n') + '\n');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/v2/`);
  } catch (error) {
    child.kill();
    throw new Error(`docker-registry did not start: ${stderr}`);
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    storage,
    stop: () =>
      new Promise(resolveStop => {
        child.once('exit', () => resolveStop());
        child.kill();
      })
  };
}

/** Pushes a tiny image (one layer, one config) with plain HTTP calls, independent of imgver's own client. */
export async function seedImage(
  url: string,
  repository: string,
  tag: string,
  content: string,
  headers: Record<string, string> = {}
): Promise<{ digest: string; manifest: string }> {
  const upload = async (bytes: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const location = new URL(start.headers.get('location')!, url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
    return digest;
  };
  const layer = Buffer.from(content);
  const layerDigest = await upload(layer);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { content } }, rootfs: { type: 'layers', diff_ids: [layerDigest] } })
  );
  const configDigest = await upload(config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }]
  });
  const response = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest
  });
  if (response.status !== 201) throw new Error(`manifest put: ${response.status} ${await response.text()}`);
  return { digest: response.headers.get('docker-content-digest')!, manifest };
}

/**
 * Adds tags straight into the registry's filesystem storage (the layout distribution 2.8 reads tags/list from):
 * seeding 10,000 tags by API would take minutes, and what is under test is reading them back through the API.
 */
export function seedTagsOnDisk(storage: string, repository: string, digest: string, tags: string[]): void {
  const base = join(storage, 'docker/registry/v2/repositories', repository, '_manifests/tags');
  const hex = digest.replace('sha256:', '');
  for (const tag of tags) {
    mkdirSync(join(base, tag, 'current'), { recursive: true });
    writeFileSync(join(base, tag, 'current/link'), digest);
    mkdirSync(join(base, tag, 'index/sha256', hex), { recursive: true });
    writeFileSync(join(base, tag, 'index/sha256', hex, 'link'), digest);
  }
}

export interface ProxyRequest {
  method: string;
  path: string;
}

export interface TestProxy {
  host: string;
  url: string;
  requests: ProxyRequest[];
  /** Status codes to answer instead of forwarding, consumed one per request. */
  faults: { status: number; retryAfter?: string }[];
  blobUploads(): number;
  stop(): Promise<void>;
}

/**
 * A forwarding proxy on 127.0.0.1: counts requests, injects faults, pages tags/list with `n` and `last` + Link
 * (`paginate: false` passes tags/list through, as distribution 2.8 answers it: every tag, `n` ignored).
 */
export async function startProxy(target: string, options: { paginate?: boolean } = {}): Promise<TestProxy> {
  const port = await freePort();
  const requests: ProxyRequest[] = [];
  const faults: TestProxy['faults'] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path });
    const fault = faults.shift();
    if (fault) {
      res.writeHead(fault.status, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'injected' }] }));
      return;
    }
    const url = new URL(path, 'http://proxy');
    const paged = options.paginate !== false && /\/tags\/list$/.test(url.pathname) && url.searchParams.has('n');
    const upstreamPath = paged ? url.pathname : path;
    const headers = { ...req.headers, host: new URL(target).host };
    const upstream = http.request(`${target}${upstreamPath}`, { method: req.method, headers }, up => {
      if (!paged || up.statusCode !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      let body = '';
      up.on('data', chunk => (body += chunk));
      up.on('end', () => {
        const all = ((JSON.parse(body) as { tags: string[] }).tags ?? []).sort();
        const n = Number(url.searchParams.get('n'));
        const last = url.searchParams.get('last');
        const from = last ? all.findIndex(t => t > last) : 0;
        const page = from === -1 ? [] : all.slice(from, from + n);
        const out: Record<string, string> = { 'content-type': 'application/json' };
        if (from !== -1 && from + n < all.length) {
          out.link = `<${url.pathname}?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
        }
        res.writeHead(200, out);
        res.end(JSON.stringify({ name: (JSON.parse(body) as { name: string }).name, tags: page }));
      });
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>(r => server.listen(port, '127.0.0.1', () => r()));
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    blobUploads: () => requests.filter(r => r.method === 'POST' && /\/blobs\/uploads\/$/.test(r.path.split('?')[0])).length,
    stop: () => new Promise(r => server.close(() => r()))
  };
}

/** The key id distribution checks a token's `kid` against: libtrust's fingerprint of the public key. */
function libtrustKeyId(publicKeyDer: Buffer): string {
  const hash = createHash('sha256').update(publicKeyDer).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of hash) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return out.match(/.{4}/g)!.join(':');
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  /** Scopes asked for, in order. */
  issued: string[];
  stop(): Promise<void>;
}

/** A token service for the registry's token auth: Basic credentials in, a signed JWT granting the asked scope out. */
export async function startTokenServer(user: { username: string; password: string }): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'imgver-token-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=imgver-test-token'], {
    stdio: 'ignore'
  });
  const privateKey = createPrivateKey(readFileSync(keyFile));
  const kid = libtrustKeyId(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const port = await freePort();
  const service = 'imgver-test';
  const issuer = 'imgver-test-issuer';
  const issued: string[] = [];
  const b64 = (value: object | Buffer) => Buffer.from(value instanceof Buffer ? value : JSON.stringify(value)).toString('base64url');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const auth = req.headers.authorization ?? '';
    const [name, pass] = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString().split(':');
    if (!auth.startsWith('Basic ') || name !== user.username || pass !== user.password) {
      res.writeHead(401);
      res.end('{"details":"bad credentials"}');
      return;
    }
    const scope = url.searchParams.get('scope') ?? '';
    issued.push(scope);
    const [type, repo, actions] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const claims = {
      iss: issuer,
      sub: name,
      aud: url.searchParams.get('service'),
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: scope ? [{ type, name: repo, actions: (actions ?? '').split(',') }] : []
    };
    const input = `${b64(header)}.${b64(claims)}`;
    const signature = sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${input}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>(r => server.listen(port, '127.0.0.1', () => r()));
  return { realm: `http://127.0.0.1:${port}/token`, service, issuer, certFile, issued, stop: () => new Promise(r => server.close(() => r())) };
}

/** What skopeoDigest fails with when the registry has no such tag (and no such repository): not any failure, so a
 * missing skopeo or a registry that is down cannot pass for an absent tag. */
export const TAG_NOT_FOUND = /manifest unknown/;

/** skopeo, as an independent check of what the registry holds (async: a token server in this process must answer it). */
export async function skopeoDigest(host: string, repository: string, tag: string, creds?: string): Promise<string> {
  const { stdout: out } = await promisify(execFile)(
    'skopeo',
    ['inspect', '--tls-verify=false', ...(creds ? ['--creds', creds] : ['--no-creds']), '--format', '{{.Digest}}', `docker://${host}/${repository}:${tag}`],
    { encoding: 'utf8', timeout: 30_000 }
  );
  return out.trim();
}

/** The digest of what a tag holds, from skopeo's raw manifest: works for Helm charts, which skopeo cannot inspect. */
export async function skopeoRawDigest(host: string, repository: string, tag: string, creds?: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'skopeo',
    ['inspect', '--raw', '--tls-verify=false', ...(creds ? ['--creds', creds] : ['--no-creds']), `docker://${host}/${repository}:${tag}`],
    { encoding: 'buffer', timeout: 30_000 }
  );
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}
