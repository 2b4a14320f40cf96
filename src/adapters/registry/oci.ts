import { UserError } from '../../core/errors.js';
import { isLoopbackHost } from '../../core/image-ref.js';
import { httpRequest, type HttpRequest, type HttpResponse } from '../http.js';
import { retrying } from '../retry.js';
import type { Credentials } from './credentials.js';
import { MANIFEST_MEDIA_TYPES, type Manifest, type Registry, type RegistryLog } from './types.js';

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  /** Retry-After above this is not waited for: the request fails instead. */
  maxWaitMs: number;
}

/** Eight attempts: a run makes hundreds of requests, and a registry failing a third of them must not stop it. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 500, maxWaitMs: 60_000 };

export interface OciOptions {
  credentials?: Credentials;
  retry?: Partial<RetryPolicy>;
  log?: RegistryLog;
  /** Talk plain HTTP to this host although it is not loopback (a registry the user marked insecure). */
  insecure?: boolean;
  /** Page size asked of tags/list. */
  pageSize?: number;
}

interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params, quoted or token). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  const param = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
  let m: RegExpExecArray | null;
  while ((m = param.exec(match[2])) !== null) params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  return { scheme, params };
}

/** `<url>; rel="next"` from a Link header, resolved against the request URL. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m && /rel="?next"?/.test(m[2])) return new URL(m[1], base).toString();
  }
  return undefined;
}

/** A registry that accepts a connection and never answers must not hang a workflow. */
const REQUEST_TIMEOUT_MS = 120_000;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** An answer worth asking again for (429, 5xx): thrown so that the retry loop tries again. */
class RetryableStatus extends Error {
  constructor(readonly response: HttpResponse) {
    super(`HTTP ${response.status}`);
  }
}

/**
 * node:crypto is loaded on first use: listing tags and reading digests (the version source's calls) never need it.
 * Kept once loaded: the bundle wraps every dynamic import of it in a fresh copy of its exports.
 */
let crypto: typeof import('node:crypto') | undefined;
async function sha256(bytes: Buffer): Promise<string> {
  crypto ??= await import('node:crypto');
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

/** The Accept header of manifest reads. */
const ACCEPT_MANIFESTS = MANIFEST_MEDIA_TYPES.join(', ');

function basic(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The OCI distribution API (GHCR, Docker Hub, ACR, GAR, Harbor, ECR's registry endpoint, a local registry). */
export class OciRegistry implements Registry {
  requests = 0;
  private readonly base: string;
  private readonly retry: RetryPolicy;
  private readonly tokens = new Map<string, string>();
  private useBasic = false;

  constructor(
    readonly host: string,
    private readonly options: OciOptions = {}
  ) {
    this.base = `${isLoopbackHost(host) || options.insecure ? 'http' : 'https'}://${host}`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  private authHeader(scope: string): string | undefined {
    const token = this.tokens.get(scope);
    if (token) return `Bearer ${token}`;
    if (this.useBasic && this.options.credentials) return basic(this.options.credentials);
    return undefined;
  }

  /** One request with retries on 429/5xx and network errors, exponential backoff with jitter, Retry-After honoured. */
  private async send(url: string, init: HttpRequest): Promise<HttpResponse> {
    const what = `${init.method ?? 'GET'} ${new URL(url).pathname}`;
    let attempts = 0;
    try {
      return await retrying(
        async () => {
          attempts++;
          this.requests++;
          const response = await httpRequest(url, { ...init, timeoutMs: REQUEST_TIMEOUT_MS });
          this.options.log?.debug(`registry ${this.host}: ${what} → ${response.status}`);
          if (RETRYABLE.has(response.status)) throw new RetryableStatus(response);
          return response;
        },
        {
          attempts: this.retry.attempts,
          retryable: error => !(error instanceof UserError),
          delay: (error, attempt) => {
            const retryAfter = Number(error instanceof RetryableStatus ? error.response.header('retry-after') : undefined);
            const backoff = this.retry.baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
            const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff;
            if (wait > this.retry.maxWaitMs) {
              throw new UserError(`Registry ${this.host} asks to wait ${Math.round(wait / 1000)} s before retrying ${new URL(url).pathname} (${error.message}); giving up`);
            }
            this.options.log?.debug(`registry ${this.host}: ${error.message} on ${what}; retry ${attempt} in ${Math.round(wait)} ms`);
            return wait;
          }
        }
      );
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`Registry ${this.host}: ${what} failed after ${attempts} attempts (${(error as Error).message})`);
    }
  }

  private async fetchToken(challenge: Challenge, scope: string): Promise<string> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new UserError(`Registry ${this.host} sent a token realm that is not a URL: "${realm}"`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.host))) {
      throw new UserError(`Registry ${this.host} sent token realm ${realm}: only https realms (or loopback, for tests) are trusted with credentials`);
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? scope);
    const credentials = this.options.credentials;
    let response: HttpResponse;
    if (credentials?.identityToken) {
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
        service: challenge.params.service ?? '',
        scope: challenge.params.scope ?? scope,
        client_id: 'imgver'
      });
      response = await this.send(`${url.origin}${url.pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString()
      });
    } else {
      response = await this.send(url.toString(), { headers: credentials ? { authorization: basic(credentials) } : {} });
    }
    if (response.status === 401 || response.status === 403) {
      throw new UserError(
        credentials
          ? `Registry ${this.host}: the token service ${url.host} refused the credentials for ${scope} (HTTP ${response.status})`
          : `Registry ${this.host} needs credentials for ${scope}: run docker login ${this.host}, or give the username and password inputs`
      );
    }
    if (!response.ok) throw new UserError(`Registry ${this.host}: token service ${url.host} answered HTTP ${response.status}`);
    let body: { token?: string; access_token?: string };
    try {
      body = response.json();
    } catch {
      throw new UserError(`Registry ${this.host}: token service ${url.host} answered with a body that is not JSON`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new UserError(`Registry ${this.host}: token service ${url.host} answered without a token`);
    return token;
  }

  /** One API call with auth: on 401 follows the challenge (Bearer token or Basic) once, then gives up with a clear error. */
  private async call(method: string, path: string, repository: string, push: boolean, init: HttpRequest = {}): Promise<HttpResponse> {
    const scope = `repository:${repository}:${push ? 'pull,push' : 'pull'}`;
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const withAuth = (): HttpRequest => {
      const auth = this.authHeader(scope);
      return { ...init, method, headers: { ...init.headers, ...(auth ? { authorization: auth } : {}) } };
    };
    let response = await this.send(url, withAuth());
    if (response.status !== 401) return response;
    const challenge = parseChallenge(response.header('www-authenticate'));
    if (!challenge) throw new UserError(`Registry ${this.host} answered 401 without a Bearer or Basic challenge on ${method} ${path}`);
    if (challenge.scheme === 'basic') {
      if (!this.options.credentials) {
        throw new UserError(`Registry ${this.host} needs credentials: run docker login ${this.host}, or give the username and password inputs`);
      }
      this.useBasic = true;
    } else {
      this.tokens.set(scope, await this.fetchToken(challenge, scope));
    }
    response = await this.send(url, withAuth());
    if (response.status === 401) {
      throw new UserError(`Registry ${this.host} refused the credentials for ${scope}`);
    }
    return response;
  }

  private failure(response: HttpResponse, what: string): UserError {
    let detail = '';
    try {
      const body = response.json() as { errors?: { code?: string; message?: string }[] };
      detail = (body.errors ?? []).map(e => `${e.code}: ${e.message}`).join('; ');
    } catch {
      // not a distribution error body
    }
    const hint = response.status === 403 ? ' (the credentials lack access)' : '';
    return new UserError(`Registry ${this.host}: ${what} failed with HTTP ${response.status}${hint}${detail ? `: ${detail}` : ''}`);
  }

  async listTags(repository: string): Promise<string[]> {
    let tags: string[] = [];
    let url: string | undefined = `${this.base}/v2/${repository}/tags/list?n=${this.options.pageSize ?? 1000}`;
    while (url) {
      const response = await this.call('GET', url, repository, false);
      if (response.status === 404) return tags;
      if (!response.ok) throw this.failure(response, `listing tags of ${repository}`);
      let body: { tags?: string[] | null };
      try {
        body = response.json();
      } catch {
        throw new UserError(`Registry ${this.host}: the tag list of ${repository} is not JSON`);
      }
      // The body is the registry's: `tags` is an array of strings by the API, taken as it comes otherwise.
      const page: unknown = body.tags ?? [];
      if (!Array.isArray(page)) for (const tag of page as Iterable<string>) tags.push(tag);
      // The first page's array is the list (a registry that does not page sends every tag in it): no copy.
      else if (tags.length === 0) tags = page as string[];
      else for (let i = 0; i < page.length; i++) tags.push(page[i] as string);
      url = nextLink(response.header('link'), url);
    }
    return tags;
  }

  async digest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.call('HEAD', `/v2/${repository}/manifests/${reference}`, repository, false, {
      headers: { accept: ACCEPT_MANIFESTS }
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw this.failure(response, `HEAD ${repository}:${reference}`);
    const digest = response.header('docker-content-digest');
    if (digest) return digest;
    return (await this.manifest(repository, reference))?.digest;
  }

  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const response = await this.call('GET', `/v2/${repository}/manifests/${reference}`, repository, false, {
      headers: { accept: ACCEPT_MANIFESTS }
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw this.failure(response, `GET manifest ${repository}:${reference}`);
    const bytes = response.body;
    const digest = await sha256(bytes);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new UserError(`Registry ${this.host} returned a manifest for ${repository}@${reference} whose content has digest ${digest}`);
    }
    const mediaType = (response.header('content-type') ?? '').split(';')[0].trim();
    return { bytes, mediaType: mediaType || (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType || '', digest };
  }

  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    const response = await this.call('PUT', `/v2/${repository}/manifests/${tag}`, repository, true, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes
    });
    if (!response.ok) throw this.failure(response, `PUT ${repository}:${tag}`);
    return response.header('docker-content-digest') ?? manifest.digest;
  }

  /** Uploads a blob in one request (POST for an upload, then PUT with the digest); one the repository holds is left alone. */
  async pushBlob(repository: string, bytes: Buffer, digest: string): Promise<void> {
    const head = await this.call('HEAD', `/v2/${repository}/blobs/${digest}`, repository, true);
    if (head.ok) return;
    const start = await this.call('POST', `/v2/${repository}/blobs/uploads/`, repository, true, { headers: { 'content-length': '0' } });
    const location = start.header('location');
    if (start.status !== 202 || !location) throw this.failure(start, `starting an upload to ${repository}`);
    const url = new URL(location, `${this.base}/`);
    url.searchParams.set('digest', digest);
    const done = await this.call('PUT', url.toString(), repository, true, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
      body: bytes
    });
    if (done.status !== 201 && !done.ok) throw this.failure(done, `uploading blob ${digest} to ${repository}`);
  }

  async blob(repository: string, digest: string): Promise<Buffer | undefined> {
    const response = await this.call('GET', `/v2/${repository}/blobs/${digest}`, repository, false);
    if (response.status === 404) return undefined;
    if (!response.ok) throw this.failure(response, `GET blob ${repository}@${digest}`);
    const bytes = response.body;
    if ((await sha256(bytes)) !== digest) throw new UserError(`Registry ${this.host} returned blob ${digest} of ${repository} with other content`);
    return bytes;
  }
}
