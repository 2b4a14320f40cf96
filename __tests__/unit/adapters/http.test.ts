import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { closeIdleConnections, httpRequest } from '../../../src/adapters/http.js';

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  host?: string;
}

/** A server on 127.0.0.1 that records what it was asked and answers by path. */
async function server(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, host: req.headers.host });
    handler(req, res);
  });
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  return { seen, port, url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>(r => srv.close(() => r())) };
}

// Every server here is on 127.0.0.1. nock's interception (the suite's network guard) rewrites http.request and
// cannot carry a CONNECT tunnel or a socket timeout, so this file runs on Node's own http.
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

describe('httpRequest (node:http, real servers on 127.0.0.1)', () => {
  let other: Awaited<ReturnType<typeof server>>;
  let main: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    other = await server((_req, res) => res.end('blob'));
    main = await server((req, res) => {
      if (req.url === '/same') return res.writeHead(307, { location: '/final' }).end();
      if (req.url === '/cross') return res.writeHead(307, { location: `${other.url}/blob` }).end();
      if (req.url === '/see-other') return res.writeHead(303, { location: '/final' }).end();
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/json') return res.writeHead(200, { 'content-type': 'application/json', 'x-a': 'b' }).end('{"tags":["1.0.0"]}');
      let body = '';
      req.on('data', chunk => (body += chunk)).on('end', () => res.end(`${req.method} ${body}`));
    });
  });
  afterAll(async () => {
    closeIdleConnections();
    await main.stop();
    await other.stop();
  });

  it('reads status, headers (case-insensitive) and a JSON body', async () => {
    const response = await httpRequest(`${main.url}/json`);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.header('X-A')).toBe('b');
    expect(response.header('missing')).toBeNull();
    expect(response.json()).toEqual({ tags: ['1.0.0'] });
  });

  it('sends a body with its length', async () => {
    const response = await httpRequest(`${main.url}/put`, { method: 'PUT', body: Buffer.from('manifest') });
    expect(response.text()).toBe('PUT manifest');
  });

  it('keeps the authorization header on a same-origin redirect', async () => {
    const response = await httpRequest(`${main.url}/same`, { headers: { authorization: 'Bearer t' } });
    expect(response.text()).toBe('GET ');
    expect(main.seen.filter(s => s.path === '/final').at(-1)?.authorization).toBe('Bearer t');
  });

  it('drops the authorization header when a redirect leaves the origin (a registry sending a blob to a CDN)', async () => {
    const response = await httpRequest(`${main.url}/cross`, { headers: { Authorization: 'Bearer secret' } });
    expect(response.text()).toBe('blob');
    expect(other.seen.at(-1)).toMatchObject({ path: '/blob', authorization: undefined });
  });

  it('turns a 303 after a PUT into a GET without a body', async () => {
    const response = await httpRequest(`${main.url}/see-other`, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(response.text()).toBe('GET ');
  });

  it('stops after 5 redirects with a network error naming the URL', async () => {
    await expect(httpRequest(`${main.url}/loop`)).rejects.toMatchObject({ code: 'EREDIRECTS' });
  });

  it('fails a refused connection as a network error with its code', async () => {
    const port = await new Promise<number>(r => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    await expect(httpRequest(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ name: 'HttpNetworkError', code: 'ECONNREFUSED' });
  });

  it('times out a server that accepts and never answers', async () => {
    const accepted: net.Socket[] = [];
    const silent = net.createServer(socket => void accepted.push(socket));
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    await expect(httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    for (const socket of accepted) socket.destroy();
    await new Promise<void>(r => silent.close(() => r()));
  });
});

describe('httpRequest through a proxy from HTTP_PROXY / NO_PROXY, as runners set them', () => {
  let target: Awaited<ReturnType<typeof server>>;
  let proxy: net.Server;
  const tunnels: string[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    target = await server((_req, res) => res.end('through'));
    // A CONNECT proxy on 127.0.0.1 that sends every tunnel to the local target, whatever host it names: no traffic
    // leaves the machine, and the client never resolves the host itself.
    proxy = net.createServer(client => {
      client.once('data', chunk => {
        const line = chunk.toString('latin1').split('\r\n')[0];
        tunnels.push(line);
        const upstream = net.connect(target.port, '127.0.0.1', () => {
          client.write('HTTP/1.1 200 Connection established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>(r => proxy.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    process.env = saved;
    closeIdleConnections();
    await new Promise<void>(r => proxy.close(() => r()));
    await target.stop();
  });

  it('tunnels to a registry host through HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = 'bypassed.example';
    closeIdleConnections();
    const response = await httpRequest('http://registry.example:5000/v2/');
    expect(response.text()).toBe('through');
    expect(tunnels).toEqual(['CONNECT registry.example:5000 HTTP/1.1']);
    expect(target.seen.at(-1)).toMatchObject({ path: '/v2/', host: 'registry.example:5000' });
    // Loopback is never proxied (the runner's rule): the request goes straight to the target.
    await httpRequest(`${target.url}/direct`);
    expect(tunnels).toHaveLength(1);
    // A NO_PROXY host is not tunnelled: the name does not resolve here, so it fails without touching the proxy.
    await expect(httpRequest('http://bypassed.example:5000/', { timeoutMs: 2000 })).rejects.toMatchObject({ name: 'HttpNetworkError' });
    expect(tunnels).toHaveLength(1);
  });
});
