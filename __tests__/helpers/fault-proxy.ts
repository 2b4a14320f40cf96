/**
 * A forwarding proxy on 127.0.0.1 that fails a share of registry requests the way real registries do under load:
 * 429 with Retry-After, 503, and connections reset (before the request reaches the registry, or after it was
 * served and the answer is lost). Seeded, so a run's faults are reproducible as far as the clients' order allows.
 */
import http from 'node:http';
import { freePort } from './registry.js';

export type FaultKind = '429' | '503' | 'reset-before' | 'reset-after';

export interface FaultProxy {
  host: string;
  /** Share of requests failed, 0..1; change it between runs. */
  rate: number;
  seed(value: number): void;
  requests: number;
  /** The Authorization header of every request that had one. */
  authorizations: string[];
  faults: Record<FaultKind, number>;
  stop(): Promise<void>;
}

/** mulberry32: a small seeded generator, enough to pick faults reproducibly. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: FaultKind[] = ['429', '503', 'reset-before', 'reset-after'];

export async function startFaultProxy(target: string, options: { rate?: number; seed?: number } = {}): Promise<FaultProxy> {
  const port = await freePort();
  let random = generator(options.seed ?? 1);
  const faults: Record<FaultKind, number> = { '429': 0, '503': 0, 'reset-before': 0, 'reset-after': 0 };
  const proxy: FaultProxy = {
    host: `127.0.0.1:${port}`,
    rate: options.rate ?? 0,
    seed: value => (random = generator(value)),
    requests: 0,
    authorizations: [],
    faults,
    stop: () =>
      new Promise(r => {
        server.close(() => r());
        server.closeAllConnections();
      })
  };
  const server = http.createServer((req, res) => {
    proxy.requests++;
    if (req.headers.authorization) proxy.authorizations.push(req.headers.authorization);
    const fault = random() < proxy.rate ? KINDS[Math.floor(random() * KINDS.length)] : undefined;
    if (fault) faults[fault]++;
    if (fault === '429' || fault === '503') {
      req.resume();
      const body = fault === '429' ? { errors: [{ code: 'TOOMANYREQUESTS', message: 'injected' }] } : { errors: [{ code: 'UNAVAILABLE', message: 'injected' }] };
      res.writeHead(Number(fault), { 'content-type': 'application/json', ...(fault === '429' ? { 'retry-after': '1' } : {}) });
      res.end(JSON.stringify(body));
      return;
    }
    if (fault === 'reset-before') {
      req.socket.destroy();
      return;
    }
    const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, up => {
      if (fault === 'reset-after') {
        up.resume();
        up.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>(r => server.listen(port, '127.0.0.1', () => r()));
  return proxy;
}
