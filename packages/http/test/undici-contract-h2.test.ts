import http2 from 'node:http2';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { buildConnector, Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endListenersOf } from '../src/transports/h2/graceful-goaway.js';
import { http2SessionOf } from '../src/transports/h2/session-of.js';
import { type Certificates, makeCertificates } from './support/servers.js';

// What the transport's HTTP/2 pool relies on in undici beyond its documented API (see
// undici-contract.test.ts for the rest): each test fails when an undici upgrade changes it.

let certs: Certificates;
let server: http2.Http2SecureServer;
let url: string;
let open = 0;
let peak = 0;
const held: http2.ServerHttp2Stream[] = [];
let holdUntil = 0;

beforeAll(async () => {
  certs = await makeCertificates();
  server = http2.createSecureServer({
    cert: certs.cert,
    key: certs.key,
    settings: { maxConcurrentStreams: 7 },
  });
  server.on('stream', (stream) => {
    open++;
    peak = Math.max(peak, open);
    stream.on('close', () => open--);
    held.push(stream);
    if (held.length >= holdUntil)
      for (const waiting of held.splice(0)) {
        waiting.respond({ ':status': 200 });
        waiting.end('ok');
      }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function h2Client(sockets: Socket[]): Client {
  const connector = buildConnector({ ca: certs.cert, allowH2: true } as buildConnector.BuildOptions);
  return new Client(url, {
    connect: (options, callback) =>
      connector(options, (error, socket) => {
        if (socket !== null) sockets.push(socket as Socket);
        (callback as (e: Error | null, s: typeof socket) => void)(error, socket);
      }),
  });
}

describe('undici contract (HTTP/2)', () => {
  it("keeps a connection's node:http2 session on its socket (symbol 'http2Session'), with the server's SETTINGS", async () => {
    const sockets: Socket[] = [];
    holdUntil = 1;
    const client = h2Client(sockets);
    try {
      const { statusCode } = await client.request({ path: '/', method: 'GET' });
      expect(statusCode).toBe(200);
      const session = http2SessionOf(sockets[0] as Socket);
      expect(session).not.toBeNull();
      expect(session?.remoteSettings.maxConcurrentStreams).toBe(7);
    } finally {
      await client.close();
    }
  });

  it("a Client's pipelining, set after it was made, caps the h2 streams it opens at once", async () => {
    const sockets: Socket[] = [];
    peak = 0;
    holdUntil = 6;
    const client = h2Client(sockets);
    client.pipelining = 3;
    try {
      // Held until 6 are open, which pipelining 3 never allows: release them after the peak is seen.
      const requests = Array.from({ length: 6 }, () => client.request({ path: '/', method: 'GET' }));
      const deadline = Date.now() + 5000;
      while (open < 3 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      expect(open).toBe(3);
      holdUntil = 0;
      for (const waiting of held.splice(0)) {
        waiting.respond({ ':status': 200 });
        waiting.end('ok');
      }
      const responses = await Promise.all(requests);
      for (const response of responses) await response.body.text();
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(peak).toBe(3);
      expect(sockets).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("speaks h2 over a cleartext socket whose alpnProtocol says 'h2' (prior knowledge, as useH2c does)", async () => {
    const cleartext = http2.createServer();
    cleartext.on('stream', (stream) => {
      stream.respond({ ':status': 200 });
      stream.end('h2c');
    });
    await new Promise<void>((resolve) => cleartext.listen(0, '127.0.0.1', resolve));
    const tcp = buildConnector({});
    const client = new Client(`http://127.0.0.1:${(cleartext.address() as AddressInfo).port}`, {
      connect: (options, callback) =>
        tcp(options, (error, socket) => {
          if (socket !== null) (socket as Socket & { alpnProtocol?: string }).alpnProtocol = 'h2';
          (callback as (e: Error | null, s: typeof socket) => void)(error, socket);
        }),
    });
    try {
      const response = await client.request({ path: '/', method: 'GET' });
      expect(await response.body.text()).toBe('h2c');
    } finally {
      await client.close();
      await new Promise<void>((resolve) => cleartext.close(() => resolve()));
    }
  });

  it("listens for 'goaway' on the session and 'end' on the socket, added once it took the socket", async () => {
    const sockets: Socket[] = [];
    let before: ReturnType<typeof endListenersOf> = new Set();
    holdUntil = 1;
    const connector = buildConnector({ ca: certs.cert, allowH2: true } as buildConnector.BuildOptions);
    const client = new Client(url, {
      connect: (options, callback) =>
        connector(options, (error, socket) => {
          if (socket !== null) {
            sockets.push(socket as Socket);
            before = endListenersOf(socket as Socket);
          }
          (callback as (e: Error | null, s: typeof socket) => void)(error, socket);
        }),
    });
    try {
      const response = await client.request({ path: '/', method: 'GET' });
      await response.body.text();
      const socket = sockets[0] as Socket;
      const session = http2SessionOf(socket);
      expect(session?.listenerCount('goaway')).toBe(1);
      expect(socket.listeners('end').filter((listener) => !before.has(listener as () => void))).toHaveLength(
        1,
      );
    } finally {
      await client.close();
    }
  });

  it("keeps a socket's error under lib/core/symbols.js's kError: null while it lives, the error it was destroyed with after", async () => {
    // giveClosedH2SocketItsError writes there so that undici's session 'close' listener finds an error.
    const { kError } = createRequire(import.meta.url)('undici/lib/core/symbols.js') as { kError: symbol };
    const sockets: Socket[] = [];
    holdUntil = 1;
    const client = h2Client(sockets);
    try {
      await (await client.request({ path: '/', method: 'GET' })).body.text();
      const socket = sockets[0] as Socket & Record<symbol, unknown>;
      expect(socket[kError]).toBeNull();
      const closed = new Promise((resolve) => socket.once('close', resolve));
      const cause = new Error('destroyed by the test');
      socket.destroy(cause);
      await closed;
      expect(socket[kError]).toBe(cause);
    } finally {
      await client.close();
    }
  });

  it('fails a request whose stream a NO_ERROR GOAWAY still covers, though the server answers it', async () => {
    // Why the pool removes undici's GOAWAY listener (finishStreamsAtGoaway): when an undici
    // upgrade lets such a stream finish, this test fails and that workaround can go.
    const goingAway = http2.createSecureServer({ cert: certs.cert, key: certs.key });
    const sessions: http2.ServerHttp2Session[] = [];
    goingAway.on('session', (session) => sessions.push(session));
    goingAway.on('stream', (stream) => {
      stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, stream.id);
      stream.respond({ ':status': 200 });
      stream.end('answered');
    });
    await new Promise<void>((resolve) => goingAway.listen(0, '127.0.0.1', resolve));
    const connector = buildConnector({ ca: certs.cert, allowH2: true } as buildConnector.BuildOptions);
    const client = new Client(`https://127.0.0.1:${(goingAway.address() as AddressInfo).port}`, {
      connect: connector,
    });
    try {
      const error = await client.request({ path: '/', method: 'POST', body: 'x' }).catch((e: unknown) => e);
      expect((error as Error).message).toBe('HTTP/2: "GOAWAY" frame received with code 0');
    } finally {
      await client.destroy();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => goingAway.close(() => resolve()));
    }
  });
});
