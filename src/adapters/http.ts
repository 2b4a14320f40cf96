/**
 * The one HTTP client of imgver (registries, token services, version endpoints), on node:http/https.
 *
 * Why not `fetch`: loading Node's bundled undici costs ~50 ms per process and its HTTP parser keeps V8 compiling at
 * exit (~145 ms measured); every action pays that. Proxies follow the runner's rules (HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY, read by @actions/http-client's own proxy module) and go through a CONNECT tunnel, as the runner
 * toolkit does. Responses are read whole: registry answers (manifests, tag lists, config blobs) are small.
 */
import http, { type Agent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/** node:https (and with it tls and crypto) is loaded by the first https request: a plain-http registry never pays for it. */
let httpsModule: typeof import('node:https') | undefined;
async function transportFor(url: URL): Promise<typeof import('node:https') | typeof http> {
  if (url.protocol !== 'https:') return http;
  return (httpsModule ??= await import('node:https'));
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Abort the request (connect, send and read) after this long. */
  timeoutMs?: number;
}

export class HttpResponse {
  constructor(
    readonly url: string,
    readonly status: number,
    private readonly rawHeaders: IncomingHttpHeaders,
    readonly body: Buffer
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** A header's value (case-insensitive name); repeated headers are joined with ", " as fetch joins them. */
  header(name: string): string | null {
    const value = this.rawHeaders[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  text(): string {
    return this.body.toString('utf8');
  }

  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}

/** A network-level failure (refused, reset, timed out): retryable, unlike an HTTP status. */
export class HttpNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string
  ) {
    super(message);
    this.name = 'HttpNetworkError';
  }
}

const MAX_REDIRECTS = 5;
/** Bounded sockets per host: a pipeline over 1,000 services must not open 1,000 connections to one registry. */
const MAX_SOCKETS = 16;
/**
 * Idle sockets are closed after this long, below the 5 s that common servers (Node, nginx's proxies) keep them:
 * reusing a socket the server is closing fails the request (the same default as undici's).
 */
const IDLE_SOCKET_MS = 4_000;

const agents = new Map<string, Agent>();

/** The agent for a URL: keep-alive, bounded; through the proxy the environment names for it, if any. */
async function agentFor(url: URL): Promise<Agent> {
  const proxy = await proxyFor(url);
  const key = `${url.protocol}|${proxy?.href ?? ''}`;
  let agent = agents.get(key);
  if (agent) return agent;
  if (proxy) {
    const tunnel = await import('tunnel');
    const overHttps = proxy.protocol === 'https:';
    const options = {
      maxSockets: MAX_SOCKETS,
      keepAlive: true,
      timeout: IDLE_SOCKET_MS,
      proxy: {
        host: proxy.hostname,
        port: Number(proxy.port) || (overHttps ? 443 : 80),
        ...(proxy.username || proxy.password ? { proxyAuth: `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}` } : {})
      }
    };
    agent =
      url.protocol === 'https:'
        ? overHttps
          ? tunnel.httpsOverHttps(options)
          : tunnel.httpsOverHttp(options)
        : overHttps
          ? tunnel.httpOverHttps(options)
          : tunnel.httpOverHttp(options);
  } else {
    const options = { keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_SOCKET_MS };
    agent = new (await transportFor(url)).Agent(options);
  }
  agents.set(key, agent);
  return agent;
}

async function proxyFor(url: URL): Promise<URL | undefined> {
  if (!process.env.https_proxy && !process.env.HTTPS_PROXY && !process.env.http_proxy && !process.env.HTTP_PROXY) return undefined;
  const { getProxyUrl } = await import('@actions/http-client/lib/proxy.js');
  const proxy = getProxyUrl(url);
  return proxy && proxy.hostname ? proxy : undefined;
}

async function once(url: URL, init: HttpRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const agent = await agentFor(url);
  const transport = await transportFor(url);
  const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
  const headers: Record<string, string> = { ...init.headers };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error instanceof HttpNetworkError ? error : new HttpNetworkError(error.message, (error as NodeJS.ErrnoException).code ?? 'EREQUEST'));
    };
    const request = transport.request(url, { method: init.method ?? 'GET', headers, agent }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', fail);
      response.on('aborted', () => fail(new HttpNetworkError('the connection closed before the response ended', 'ECONNRESET')));
    });
    // One deadline for connecting, sending and reading the whole answer.
    if (init.timeoutMs) {
      timer = setTimeout(() => request.destroy(new HttpNetworkError(`no answer in ${init.timeoutMs! / 1000} s`, 'ETIMEDOUT')), init.timeoutMs);
    }
    request.on('error', fail);
    request.end(body);
  });
}

/**
 * One HTTP exchange, following redirects as fetch does: 303 (and 301/302 after a POST) become GET without a body;
 * the authorization header is dropped when a redirect leaves the origin (a registry sending blobs to a CDN must not
 * hand it the registry's token).
 */
export async function httpRequest(target: string | URL, init: HttpRequest = {}): Promise<HttpResponse> {
  let url = new URL(target);
  let request: HttpRequest = { ...init, headers: { ...init.headers } };
  for (let redirects = 0; ; redirects++) {
    const response = await once(url, request);
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return new HttpResponse(url.href, response.status, response.headers, response.body);
    if (redirects >= MAX_REDIRECTS) throw new HttpNetworkError(`more than ${MAX_REDIRECTS} redirects from ${new URL(target).href}`, 'EREDIRECTS');
    const next = new URL(location, url);
    const headers = { ...request.headers };
    if (next.origin !== url.origin) {
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    }
    const method = request.method ?? 'GET';
    const toGet = response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST';
    request = toGet ? { ...request, method: 'GET', body: undefined, headers: withoutBodyHeaders(headers) } : { ...request, headers };
    url = next;
  }
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
}

/** Closes idle keep-alive sockets so the process can exit at once (tests, the CLI's end). */
export function closeIdleConnections(): void {
  // The proxy tunnel's agent (the runner toolkit's) has no destroy: its sockets close with the proxy's keep-alive.
  for (const agent of agents.values()) (agent as Partial<Agent>).destroy?.();
  agents.clear();
}
