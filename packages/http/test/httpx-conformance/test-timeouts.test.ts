// HTTPX tests/test_timeouts.py (0.28), against real loopback servers that never answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  ConnectTimeout,
  Limits,
  PoolTimeout,
  ReadTimeout,
  Timeout,
  WriteTimeout,
} from '../../src/index.js';
import { neverAcceptingListener } from '../support/abort-matrix.js';
import { rawServer } from '../support/raw-server.js';

let server: Server;
let base: string;

beforeAll(async () => {
  // Accepts the request and never responds, so only the read phase can expire.
  server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HTTPX tests/test_timeouts.py', () => {
  it('test_read_timeout: a silent server raises ReadTimeout', async () => {
    await using client = new Client({ timeout: new Timeout(null, { read: 200 }) });
    await expect(client.get(`${base}/slow_response`)).rejects.toBeInstanceOf(ReadTimeout);
  });

  it('test_write_timeout: a body larger than the socket buffers, sent to a server that never reads, raises WriteTimeout', async () => {
    await using client = new Client({ timeout: new Timeout(null, { write: 200 }) });
    const body = new Uint8Array(64 * 1024 * 1024);
    await expect(client.post(`${base}/echo_body`, { content: body })).rejects.toBeInstanceOf(WriteTimeout);
  });

  it('test_pool_timeout: the only connection is held by an open stream, so the next request raises PoolTimeout', async () => {
    await using client = new Client({
      limits: new Limits({ maxConnections: 1 }),
      timeout: new Timeout(null, { pool: 200, read: 2000 }),
    });
    // The held request is never answered; it occupies the single connection until its read phase expires.
    const held = client.get(`${base}/held`).catch((error: unknown) => error);
    await expect(client.get(`${base}/next`)).rejects.toBeInstanceOf(PoolTimeout);
    expect(await held).toBeInstanceOf(ReadTimeout);
  });

  // HTTPX connects to 10.255.255.1, an address that drops SYNs; offline, a loopback listener whose
  // accept queue is full drops them the same way (see neverAcceptingListener).
  it('test_connect_timeout: a connect that is never answered raises ConnectTimeout', async () => {
    const listener = await neverAcceptingListener();
    try {
      await using client = new Client({ timeout: new Timeout(null, { connect: 200 }) });
      await expect(client.get(`${listener.url}/`)).rejects.toBeInstanceOf(ConnectTimeout);
    } finally {
      await listener.close();
    }
  });

  // HTTPX's connect timeout is 1e-6 s and fires at once. undici checks its connect timers on a
  // half-second tick, so a short timeout left to it fires 0.5 to 1 s late.
  it('test_connect_timeout: a 1 ms connect timeout fires well before half a second', async () => {
    const listener = await neverAcceptingListener();
    try {
      await using client = new Client({ timeout: new Timeout(null, { connect: 1 }) });
      const started = performance.now();
      await expect(client.get(`${listener.url}/`)).rejects.toBeInstanceOf(ConnectTimeout);
      expect(performance.now() - started).toBeLessThan(400);
    } finally {
      await listener.close();
    }
  });

  // Beyond HTTPX's case: through a proxy that never accepts, the connect timeout fires on time too.
  it.each([
    ['an HTTP proxy forwarding', 'http', 'http://example.org/'],
    ['an HTTP proxy tunnelling', 'http', 'https://example.org/'],
    ['a SOCKS5 proxy', 'socks5h', 'http://example.org/'],
  ])(
    'a 1 ms connect timeout to %s fires well before half a second (issue 12)',
    async (_name, scheme, target) => {
      const listener = await neverAcceptingListener();
      try {
        const proxy = `${scheme}://127.0.0.1:${new URL(listener.url).port}`;
        await using client = new Client({ proxy, timeout: new Timeout(null, { connect: 1 }) });
        const started = performance.now();
        await expect(client.get(target)).rejects.toBeInstanceOf(ConnectTimeout);
        expect(performance.now() - started).toBeLessThan(400);
      } finally {
        await listener.close();
      }
    },
  );

  // Beyond HTTPX's case: as in HTTPX, the connect phase includes the TLS handshake. The server
  // accepts the TCP connection and never answers the ClientHello.
  it('a TLS handshake the server never answers raises ConnectTimeout and closes the connection (issue 12)', async () => {
    await using silent = await rawServer(() => {});
    await using client = new Client({ timeout: new Timeout(null, { connect: 200 }) });
    await expect(client.get(`https://127.0.0.1:${silent.port}/`)).rejects.toBeInstanceOf(ConnectTimeout);
    expect(silent.accepted).toHaveLength(1);
    await silent.drained();
  });
});
