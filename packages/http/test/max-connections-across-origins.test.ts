import http2 from 'node:http2';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
// biome-ignore lint/suspicious/noShadowRestrictedNames: HTTPX's public name, as users import it
import { Client, ClientClosed, Limits, PoolTimeout, Proxy, Timeout } from '../src/index.js';
import { captureSocks5Warning } from './support/process-warnings.js';
import { startProxy, startSocksServer } from './support/proxies.js';
import { rawServer } from './support/raw-server.js';
import { type Certificates, makeCertificates } from './support/servers.js';

// HTTPX's `Limits.max_connections` caps the whole pool, not each origin: a request to another
// origin reuses a free slot, closing an idle connection to make room (httpcore's pool does the
// same), and waits for the pool timeout when every connection is busy.
captureSocks5Warning();

let certs: Certificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

/** Sockets open across every server of a test, counted on the servers' side. */
class SocketCount {
  open = 0;
  peak = 0;
  accepted = 0;

  watch(server: Server): void {
    server.on('connection', (socket: Socket) => this.opened(socket));
  }

  opened(socket: Socket): void {
    this.accepted++;
    // Open until the client's FIN ('end'); 'close' covers a reset.
    let open = true;
    let counted = false;
    const gone = () => {
      if (counted && open) this.open--;
      open = false;
    };
    socket.once('end', gone);
    socket.once('close', gone);
    // Counted once the server has handled the rest of the I/O events that arrived with it: a
    // connection the client closed just before dialing this one may end in the same batch.
    setImmediate(() => {
      if (!open) return;
      counted = true;
      this.open++;
      this.peak = Math.max(this.peak, this.open);
    });
  }
}

const servers: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A keep-alive HTTP/1.1 server answering each GET with `name` after `delay` ms (slow enough that
 * requests overlap). It reads its sockets itself, unlike `node:http`, so a client's close is seen
 * as soon as it arrives.
 */
async function h1Origin(name: string, count: SocketCount, delay: number): Promise<string> {
  const server = await rawServer((socket) => {
    count.opened(socket);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      for (let end = received.indexOf('\r\n\r\n'); end !== -1; end = received.indexOf('\r\n\r\n')) {
        received = received.slice(end + 4);
        setTimeout(() => {
          if (socket.writable)
            socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${name.length}\r\n\r\n${name}`);
        }, delay);
      }
    });
  });
  servers.push(server);
  return server.url;
}

/** An h2-only TLS server allowing one stream per connection, so each request in flight needs a connection. */
async function h2Origin(name: string, count: SocketCount, delay: number): Promise<string> {
  const server = http2.createSecureServer({
    cert: certs.cert,
    key: certs.key,
    settings: { maxConcurrentStreams: 1 },
  });
  server.on('stream', (stream) => {
    setTimeout(() => {
      if (stream.destroyed) return;
      stream.respond({ ':status': 200 });
      stream.end(name);
    }, delay);
  });
  servers.push(server);
  count.watch(server);
  return `https://${await listen(server)}`;
}

async function tenAcross(client: Client, a: string, b: string): Promise<string[]> {
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => client.get(i % 2 === 0 ? a : b)));
  return responses.map((response) => response.text);
}

const TEN = ['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A', 'B'];

/** Two requests to `a`, then two to `b`, with a cap of 2: `b`'s connections replace `a`'s idle ones. */
async function twoToEachInTurn(client: Client, count: SocketCount, a: string, b: string): Promise<void> {
  const first = await Promise.all([client.get(a), client.get(a)]);
  expect(first.map((response) => response.text)).toEqual(['A', 'A']);
  expect(count.open).toBe(2);
  const second = await Promise.all([client.get(b), client.get(b)]);
  expect(second.map((response) => response.text)).toEqual(['B', 'B']);
  expect([count.peak, count.accepted]).toEqual([2, 4]);
}

describe.each([
  { mode: 'HTTP/1.1', http2: false },
  { mode: 'http2 on, HTTP/1.1 origins', http2: true },
])('maxConnections across origins ($mode)', ({ http2: h2 }) => {
  it('10 concurrent requests to two origins never hold more than 2 connections', async () => {
    const count = new SocketCount();
    const [a, b] = [await h1Origin('A', count, 40), await h1Origin('B', count, 40)];
    await using client = new Client({ http2: h2, limits: new Limits({ maxConnections: 2 }) });
    expect(await tenAcross(client, a, b)).toEqual(TEN);
    expect(count.peak).toBe(2);
  });

  it("idle connections to one origin are closed to make room for another origin's requests", async () => {
    const count = new SocketCount();
    const [a, b] = [await h1Origin('A', count, 40), await h1Origin('B', count, 40)];
    await using client = new Client({ http2: h2, limits: new Limits({ maxConnections: 2 }) });
    await twoToEachInTurn(client, count, a, b);
  });

  it("a request waiting for another origin's busy connection gets it once that one is idle", async () => {
    const count = new SocketCount();
    const [a, b] = [await h1Origin('A', count, 100), await h1Origin('B', count, 0)];
    // Idle connections stay open until the server closes them: only closing one for B frees room.
    await using client = new Client({
      http2: h2,
      limits: new Limits({ maxConnections: 1, keepaliveExpiry: null }),
      timeout: { pool: 2_000 },
    });
    const responses = await Promise.all([client.get(a), client.get(b)]);
    expect(responses.map((response) => response.text)).toEqual(['A', 'B']);
    expect([count.peak, count.accepted]).toEqual([1, 2]);
  });

  it('a request to another origin while every connection is busy fails with PoolTimeout', async () => {
    const count = new SocketCount();
    const [a, b] = [await h1Origin('A', count, 5_000), await h1Origin('B', count, 0)];
    const client = new Client({
      http2: h2,
      limits: new Limits({ maxConnections: 1 }),
      timeout: new Timeout(null, { pool: 200 }),
    });
    const held = client.get(a).catch((error: unknown) => error);
    const error = await client.get(b).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolTimeout);
    expect((error as Error).message).toBe('Timed out after 200 ms waiting for a connection from the pool');
    expect(count.accepted).toBe(1);
    await client.close();
    expect(await held).toBeInstanceOf(ClientClosed);
  });
});

describe('maxConnections across h2 origins', () => {
  it('10 concurrent requests to two h2 origins (one stream per connection) never hold more than 2', async () => {
    const count = new SocketCount();
    const [a, b] = [await h2Origin('A', count, 40), await h2Origin('B', count, 40)];
    await using client = new Client({
      verify: certs.caPath,
      http2: true,
      limits: new Limits({ maxConnections: 2 }),
    });
    expect(await tenAcross(client, a, b)).toEqual(TEN);
    expect(count.peak).toBe(2);
  });

  it('a request to a second h2 origin while the only connection is busy fails with PoolTimeout', async () => {
    const count = new SocketCount();
    const [a, b] = [await h2Origin('A', count, 5_000), await h2Origin('B', count, 0)];
    const client = new Client({
      verify: certs.caPath,
      http2: true,
      limits: new Limits({ maxConnections: 1 }),
      timeout: new Timeout(null, { pool: 200 }),
    });
    const held = client.get(a).catch((error: unknown) => error);
    const error = await client.get(b).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolTimeout);
    expect(count.accepted).toBe(1);
    await client.close();
    expect(await held).toBeInstanceOf(ClientClosed);
  });
});

// Through a proxy the cap is the same: each tunnel (CONNECT or SOCKS5) is one connection of the pool,
// and an idle tunnel to one origin is closed to make room for another (httpcore's proxy pools).
describe.each([
  { via: 'CONNECT', http2: false },
  { via: 'CONNECT', http2: true },
  { via: 'SOCKS5', http2: false },
  { via: 'SOCKS5', http2: true },
])('maxConnections across origins through a $via proxy (http2: $http2)', ({ via, http2: h2 }) => {
  async function proxied(maxConnections: number): Promise<{ client: Client } & AsyncDisposable> {
    const server = via === 'CONNECT' ? await startProxy() : await startSocksServer();
    const proxy =
      via === 'CONNECT'
        ? new Proxy(server.url, { mode: 'TUNNEL_ONLY' })
        : server.url.replace(/^socks5:/, 'socks5h:');
    const client = new Client({ proxy, http2: h2, limits: new Limits({ maxConnections }) });
    return {
      client,
      [Symbol.asyncDispose]: async () => {
        await client.close();
        await server.close();
      },
    };
  }

  it("idle tunnels to one origin are closed to make room for another origin's requests", async () => {
    const count = new SocketCount();
    const [a, b] = [await h1Origin('A', count, 40), await h1Origin('B', count, 40)];
    await using proxiedClient = await proxied(2);
    await twoToEachInTurn(proxiedClient.client, count, a, b);
  });

  it('10 concurrent requests to two origins never hold more than 2 tunnels', async () => {
    const count = new SocketCount();
    const [a, b] = [await h1Origin('A', count, 40), await h1Origin('B', count, 40)];
    await using proxiedClient = await proxied(2);
    expect(await tenAcross(proxiedClient.client, a, b)).toEqual(TEN);
    expect(count.peak).toBe(2);
  });
});
