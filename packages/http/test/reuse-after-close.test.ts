import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { h2Server } from './support/h2-servers.js';
import { httpServer, makeCertificates } from './support/servers.js';

// undici 7's Agent retires an origin's replacement pool on its predecessor's disconnect, and its
// Pool races a second connection while a closed one reconnects: each closed connection would
// turn into one new connection per request. The transport's OriginRouter and OriginPool keep
// one connection slot that reconnects instead.
describe('reuse after a server close', () => {
  it('a server closing every connection after 3 requests: 30 sequential requests use exactly 10', async () => {
    const perSocket = new Map<unknown, number>();
    await using server = await httpServer((req, res) => {
      perSocket.set(req.socket, (perSocket.get(req.socket) ?? 0) + 1);
      res.end('ok');
    });
    server.server.maxRequestsPerSocket = 3;
    await using client = new Client();
    for (let i = 0; i < 30; i++) expect((await client.get(server.url)).text).toBe('ok');
    expect(server.sockets).toHaveLength(10);
    expect([...perSocket.values()]).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
  });

  it('the same with http2 on against an HTTP/1.1 server', async () => {
    await using server = await httpServer((_req, res) => res.end('ok'));
    server.server.maxRequestsPerSocket = 3;
    await using client = new Client({ http2: true });
    for (let i = 0; i < 30; i++) expect((await client.get(server.url)).text).toBe('ok');
    expect(server.sockets).toHaveLength(10);
  });

  it('after an h2 GOAWAY, the next 20 sequential requests share one new connection', async () => {
    const certs = await makeCertificates();
    await using server = await h2Server({ certs });
    await using client = new Client({ verify: certs.caPath, http2: true });
    for (let i = 0; i < 5; i++) expect((await client.get(server.url)).httpVersion).toBe('HTTP/2');
    expect(server.sessions).toBe(1);
    await server.goaway();
    for (let i = 0; i < 20; i++) expect((await client.get(server.url)).text).toBe('ok');
    expect(server.sessions).toBe(2);
    expect(server.streams).toBe(25);
  });

  it('a POST whose stream a GOAWAY still covers gets its response, and the next request a new connection', async () => {
    // As nginx at keepalive_requests: GOAWAY naming this stream as the last, then the answer.
    const certs = await makeCertificates();
    const server = http2.createSecureServer({ cert: certs.cert, key: certs.key });
    const sessions: http2.ServerHttp2Session[] = [];
    server.on('session', (session) => sessions.push(session));
    server.on('stream', (stream, headers) => {
      if (headers[':method'] === 'POST') stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, stream.id);
      stream.respond({ ':status': 200 });
      stream.end(
        `${headers[':method']} on session ${sessions.indexOf(stream.session as http2.ServerHttp2Session)}`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await using client = new Client({ verify: certs.caPath, http2: true });
      expect((await client.get(url)).text).toBe('GET on session 0');
      expect((await client.post(url, { content: 'body' })).text).toBe('POST on session 0');
      expect((await client.get(url)).text).toBe('GET on session 1');
    } finally {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
