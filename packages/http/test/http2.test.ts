import type { ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, ClientClosed, ConnectError, HTTPTransport, Limits, PoolTimeout } from '../src/index.js';
import { h2Server } from './support/h2-servers.js';
import { captureSocks5Warning } from './support/process-warnings.js';
import { startProxy, startSocksServer } from './support/proxies.js';
import { type Certificates, httpsServer, makeCertificates } from './support/servers.js';

let certs: Certificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

function h2Client(options: { limits?: Limits; http1?: boolean } = {}): Client {
  return new Client({ verify: certs.caPath, http2: true, ...options });
}

async function getMany(client: Client, url: string, count: number): Promise<string[]> {
  const responses = await Promise.all(Array.from({ length: count }, () => client.get(url)));
  return responses.map((response) => `${response.httpVersion} ${response.text}`);
}

describe('HTTP/2 multiplexing', () => {
  it('100 concurrent GETs on a cold client share one connection', async () => {
    await using server = await h2Server({ certs, holdUntil: 100 });
    await using client = h2Client();
    expect(new Set(await getMany(client, server.url, 100))).toEqual(new Set(['HTTP/2 ok']));
    expect(server.sessions).toBe(1);
    expect(server.streams).toBe(100);
    expect(server.peakStreamsPerSession).toBe(100);
  });

  it('100 concurrent GETs on a warm client share its one connection', async () => {
    await using server = await h2Server({ certs });
    await using client = h2Client();
    expect((await client.get(server.url)).httpVersion).toBe('HTTP/2');
    expect(new Set(await getMany(client, server.url, 100))).toEqual(new Set(['HTTP/2 ok']));
    expect(server.sessions).toBe(1);
    expect(server.streams).toBe(101);
  });

  it('with SETTINGS_MAX_CONCURRENT_STREAMS 10, 100 concurrent GETs open 10 connections', async () => {
    await using server = await h2Server({ certs, maxConcurrentStreams: 10, holdUntil: 100 });
    await using client = h2Client();
    expect(new Set(await getMany(client, server.url, 100))).toEqual(new Set(['HTTP/2 ok']));
    expect(server.sessions).toBe(10);
    expect(server.peakStreamsPerSession).toBe(10);
  });

  it('maxConnections caps the connections: 4 of them carry 100 GETs, 10 streams each at most', async () => {
    await using server = await h2Server({ certs, maxConcurrentStreams: 10, holdUntil: 40 });
    await using client = h2Client({ limits: new Limits({ maxConnections: 4 }) });
    expect(new Set(await getMany(client, server.url, 100))).toEqual(new Set(['HTTP/2 ok']));
    expect(server.sessions).toBe(4);
    expect(server.peakStreamsPerSession).toBe(10);
  });

  it('a request that finds every connection full fails with PoolTimeout after the pool timeout', async () => {
    await using server = await h2Server({ certs, maxConcurrentStreams: 1, holdUntil: 2 });
    await using client = new Client({
      verify: certs.caPath,
      http2: true,
      limits: new Limits({ maxConnections: 1 }),
      timeout: { timeout: null, pool: 200 },
    });
    const first = client.get(server.url).catch((error: unknown) => error);
    const second = await client.get(server.url).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(PoolTimeout);
    expect((second as Error).message).toBe('Timed out after 200 ms waiting for a connection from the pool');
    await client.close();
    expect((await first) as Error).toBeInstanceOf(ClientClosed);
  });
});

describe('HTTP/1.1 origins with http2 on', () => {
  it('an h1-only TLS server works over HTTP/1.1, one request per connection', async () => {
    // Every response waits until all 20 requests arrived: pipelined ones could not arrive.
    const held: ServerResponse[] = [];
    const sockets = new Set<unknown>();
    await using server = await httpsServer(certs, (req, res) => {
      sockets.add(req.socket);
      held.push(res);
      if (held.length === 20) for (const response of held) response.end('ok');
    });
    await using client = h2Client();
    expect(new Set(await getMany(client, server.url, 20))).toEqual(new Set(['HTTP/1.1 ok']));
    expect(sockets.size).toBe(20);
  });

  it('http1: false offers only h2, so an h1-only TLS server fails with a ConnectError naming why', async () => {
    await using server = await httpsServer(certs, (_req, res) => res.end('ok'));
    await using client = h2Client({ http1: false });
    const error = await client.get(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toBe(
      `https://127.0.0.1:${server.port} does not speak HTTP/2: its TLS handshake (ALPN) refused h2, and http1 is disabled`,
    );
  });

  it('http1: false against a TLS server without ALPN fails the same way', async () => {
    await using server = await httpsServer(certs, (_req, res) => res.end('ok'), { ALPNProtocols: [] });
    await using client = h2Client({ http1: false });
    const error = await client.get(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toBe(
      `https://127.0.0.1:${server.port} does not speak HTTP/2: its TLS handshake (ALPN) negotiated no protocol, and http1 is disabled`,
    );
  });

  it('http1: false against an h2 server negotiates h2', async () => {
    await using server = await h2Server({ certs });
    await using client = h2Client({ http1: false });
    const response = await client.get(server.url);
    expect([response.httpVersion, response.extensions.httpVersion, response.text]).toEqual([
      'HTTP/2',
      'HTTP/2',
      'ok',
    ]);
  });
});

describe('h2c (cleartext HTTP/2 with prior knowledge)', () => {
  it('http1: false speaks h2 on http:// URLs, multiplexed', async () => {
    await using server = await h2Server({ holdUntil: 20 });
    await using client = new Client({ http1: false, http2: true });
    expect(new Set(await getMany(client, server.url, 20))).toEqual(new Set(['HTTP/2 ok']));
    expect(server.sessions).toBe(1);
  });

  it('with http1 on too, http:// URLs stay HTTP/1.1 (no upgrade), as in HTTPX', async () => {
    await using server = await h2Server();
    await using client = new Client({ http2: true });
    const error = await client.get(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(server.streams).toBe(0);
  });
});

describe('HTTPTransport', () => {
  it('takes http1/http2 directly', async () => {
    await using server = await h2Server({ certs });
    await using client = new Client({
      transport: new HTTPTransport({ verify: certs.caPath, http1: false, http2: true }),
    });
    expect((await client.get(server.url)).httpVersion).toBe('HTTP/2');
  });
});

describe('HTTP/2 through proxies', () => {
  captureSocks5Warning();

  it('through an HTTP proxy, one CONNECT tunnel carries 50 concurrent h2 GETs', async () => {
    await using server = await h2Server({ certs, holdUntil: 50 });
    await using proxy = await startProxy();
    await using client = new Client({ verify: certs.caPath, http2: true, proxy: proxy.url });
    expect(new Set(await getMany(client, server.url, 50))).toEqual(new Set(['HTTP/2 ok']));
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
    expect(server.sessions).toBe(1);
    expect(server.peakStreamsPerSession).toBe(50);
  });

  it('through SOCKS5, one connection carries 50 concurrent h2 GETs', async () => {
    await using server = await h2Server({ certs, holdUntil: 50 });
    await using socks = await startSocksServer();
    await using client = new Client({ verify: certs.caPath, http2: true, proxy: socks.url });
    expect(new Set(await getMany(client, server.url, 50))).toEqual(new Set(['HTTP/2 ok']));
    expect(socks.requests).toEqual([
      { addressType: 1, host: '127.0.0.1', port: server.port, username: null },
    ]);
    expect(server.sessions).toBe(1);
  });

  for (const via of ['an HTTP proxy (CONNECT)', 'SOCKS5'] as const) {
    it(`http1: false through ${via} offers only h2 in ALPN`, async () => {
      const offers: string[][] = [];
      // An h1-only server that records each client's ALPN offer and accepts http/1.1 when offered.
      await using server = await httpsServer(certs, (_req, res) => res.end('ok'), {
        ALPNCallback: ({ protocols }: { protocols: string[] }) => {
          offers.push(protocols);
          return protocols.includes('http/1.1') ? 'http/1.1' : undefined;
        },
      });
      await using proxy = via === 'SOCKS5' ? await startSocksServer() : await startProxy();
      await using client = new Client({ verify: certs.caPath, http2: true, http1: false, proxy: proxy.url });
      const error = await client.get(server.url).catch((e: unknown) => e);
      expect(offers).toEqual([['h2']]);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as Error).message).toBe(
        `https://127.0.0.1:${server.port} does not speak HTTP/2: its TLS handshake (ALPN) refused h2, and http1 is disabled`,
      );
    });
  }

  it('http1: false through CONNECT and SOCKS5 negotiates h2 with an h2 server', async () => {
    await using server = await h2Server({ certs });
    await using proxy = await startProxy();
    await using socks = await startSocksServer();
    for (const url of [proxy.url, socks.url]) {
      await using client = new Client({ verify: certs.caPath, http2: true, http1: false, proxy: url });
      expect(new Set(await getMany(client, server.url, 5))).toEqual(new Set(['HTTP/2 ok']));
    }
    expect(server.sessions).toBe(2);
  });

  it('an h1-only target through the tunnel stays HTTP/1.1', async () => {
    await using server = await httpsServer(certs, (_req, res) => res.end('ok'));
    await using proxy = await startProxy();
    await using client = new Client({ verify: certs.caPath, http2: true, proxy: proxy.url });
    expect(new Set(await getMany(client, server.url, 3))).toEqual(new Set(['HTTP/1.1 ok']));
  });
});
