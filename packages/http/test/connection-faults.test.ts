import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Client,
  type ClientOptions,
  ConnectTimeout,
  HTTPError,
  Limits,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  WriteTimeout,
} from '../src/index.js';
import { onRequestHead, type RawServer, rawServer, trackClientSockets } from './support/raw-server.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

let clientSockets: ReturnType<typeof trackClientSockets>;
beforeEach(() => {
  clientSockets = trackClientSockets();
});
afterEach(() => clientSockets.stop());

interface FaultyServer extends RawServer {
  /** Index (in `accepted`) of the connection that carried each `GET /ok`. */
  okOn: number[];
}

/** A raw server answering `GET /ok` normally (kept alive) and handing any other request to `fault`. */
async function faultyServer(fault: (socket: net.Socket, head: string) => void): Promise<FaultyServer> {
  const okOn: number[] = [];
  const server = await rawServer((socket) =>
    onRequestHead(socket, (head) => {
      if (!head.startsWith('GET /ok ')) return fault(socket, head);
      okOn.push(server.accepted.indexOf(socket));
      socket.write(OK);
    }),
  );
  return Object.assign(server, { okOn });
}

/** One connection and a short pool timeout: a slot leaked by a failed exchange shows up as PoolTimeout. */
function strictClient(options: ClientOptions = {}): Client {
  return new Client({ limits: new Limits({ maxConnections: 1 }), ...options });
}

async function failure(pending: Promise<unknown>): Promise<{ error: HTTPError; elapsed: number }> {
  const started = performance.now();
  const error = await pending.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HTTPError);
  return { error: error as HTTPError, elapsed: performance.now() - started };
}

/**
 * After a failure: the broken connection is gone on both ends, the same client completes a normal
 * request, and closing the client leaves no socket open anywhere.
 */
async function expectRecovered(client: Client, server: FaultyServer): Promise<void> {
  await server.drained();
  await clientSockets.closed();
  const before = server.accepted.length;
  const response = await client.get(`${server.url}/ok`);
  expect(response.statusCode).toBe(200);
  expect(response.text).toBe('ok');
  // Served on one fresh connection. (After an aborted request undici may also open a spare
  // connection and close it unused; that one carries no request and is closed below.)
  expect(server.okOn).toHaveLength(1);
  expect(server.okOn[0]).toBeGreaterThanOrEqual(before);
  await client.close();
  await server.drained();
  await clientSockets.closed();
  expect(server.open()).toBe(0);
  expect(clientSockets.open()).toBe(0);
}

function exactly(error: HTTPError, type: new (...args: never[]) => HTTPError): void {
  expect(error).toBeInstanceOf(type);
  expect(error.name).toBe(type.name);
}

describe('server restart under kept-alive sockets', () => {
  it('replays an idempotent GET transparently and never replays a one-shot POST body', async () => {
    const first = await faultyServer(() => {});
    const port = first.port;
    await using client = new Client();
    expect((await client.get(`${first.url}/ok`)).text).toBe('ok');
    expect(clientSockets.open()).toBe(1);
    await first.close();

    // The new server only counts the requests it is sent, so a replay would show up as a second head.
    const heads: string[] = [];
    const bodies: string[] = [];
    const second = await rawServer((socket) => {
      let expectBody = false;
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        if (!expectBody) {
          const end = text.indexOf('\r\n\r\n');
          heads.push(text.slice(0, end));
          expectBody = text.startsWith('POST');
          if (expectBody) bodies.push(text.slice(end + 4));
          else socket.write(OK);
        } else bodies[bodies.length - 1] += text;
        if (expectBody && (bodies.at(-1) as string).endsWith('0\r\n\r\n')) {
          expectBody = false;
          socket.write(OK);
        }
      });
    }, port);
    try {
      const response = await client.get(`${second.url}/ok`);
      expect(response.text).toBe('ok');
      async function* oneShot() {
        yield new TextEncoder().encode('payload-once');
      }
      const posted = await client.post(`${second.url}/submit`, { content: oneShot() });
      expect(posted.text).toBe('ok');
      expect(heads.map((h) => h.split('\r\n')[0])).toEqual(['GET /ok HTTP/1.1', 'POST /submit HTTP/1.1']);
      expect(bodies).toEqual(['c\r\npayload-once\r\n0\r\n\r\n']);
      // Sent once each: a new connection for the POST would be fine, a second copy would not.
      expect(second.accepted.length).toBeLessThanOrEqual(2);
    } finally {
      await client.close();
      await second.close();
    }
    await clientSockets.closed();
  });

  it('retries a GET whose reused socket dies before any response byte, but surfaces the failure of a POST', async () => {
    // Each connection answers its first request and drops the connection on the second, with no
    // response: exactly what a server closing an idle socket at the wrong moment looks like.
    const seen: string[] = [];
    await using server = await rawServer((socket) => {
      let served = 0;
      onRequestHead(socket, (head) => {
        seen.push(`${server.accepted.indexOf(socket)} ${head.split('\r\n')[0]}`);
        if (served++ === 0) socket.write(OK);
        else socket.destroy();
      });
    });
    await using client = strictClient();
    expect((await client.get(`${server.url}/a`)).text).toBe('ok');
    expect((await client.get(`${server.url}/b`)).text).toBe('ok');
    expect(seen).toEqual(['0 GET /a HTTP/1.1', '0 GET /b HTTP/1.1', '1 GET /b HTTP/1.1']);

    async function* oneShot() {
      yield new TextEncoder().encode('not-twice');
    }
    const { error } = await failure(client.post(`${server.url}/c`, { content: oneShot() }));
    exactly(error, RemoteProtocolError);
    expect(error.message).toBe(`Server disconnected without sending a response (POST ${server.url}/c)`);
    // Sent once on the reused socket; no second connection, no second POST.
    expect(seen.slice(3)).toEqual(['1 POST /c HTTP/1.1']);
    expect(server.accepted).toHaveLength(2);
    await server.drained();
    await clientSockets.closed();
    expect((await client.get(`${server.url}/d`)).text).toBe('ok');
  });
});

describe('broken responses', () => {
  it('reset mid-body: ReadError once half the body was read', async () => {
    await using server = await faultyServer((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n${'a'.repeat(1000)}`),
    );
    await using client = strictClient();
    const response = await client.stream('GET', `${server.url}/reset`);
    expect(response.statusCode).toBe(200);
    let received = 0;
    const { error, elapsed } = await failure(
      (async () => {
        for await (const chunk of response.iterBytes()) {
          received += chunk.byteLength;
          // The first half is in our hands: now the server resets the connection.
          if (received === 1000) (server.accepted[0] as net.Socket).resetAndDestroy();
        }
      })(),
    );
    exactly(error, ReadError);
    expect(error.message).toBe(`read ECONNRESET (GET ${server.url}/reset)`);
    expect(received).toBe(1000);
    expect(elapsed).toBeLessThan(2000);
    await expectRecovered(client, server);
  });

  it('Content-Length larger than the body, then close: RemoteProtocolError', async () => {
    await using server = await faultyServer((socket) =>
      socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'a'.repeat(500)}`),
    );
    await using client = strictClient();
    const { error, elapsed } = await failure(client.get(`${server.url}/short`));
    exactly(error, RemoteProtocolError);
    expect(error.message).toBe(
      `Peer closed connection without sending complete message body (GET ${server.url}/short)`,
    );
    expect(elapsed).toBeLessThan(2000);
    await expectRecovered(client, server);
  });

  it('Content-Length smaller than the body: the declared bytes only, and the poisoned connection is dropped', async () => {
    await using server = await faultyServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and these bytes are extra'),
    );
    await using client = strictClient();
    const response = await client.get(`${server.url}/long`);
    expect(response.text).toBe('hello');
    await expectRecovered(client, server);
    expect(server.accepted).toHaveLength(2);
  });

  const malformed: Array<[string, string, string]> = [
    ['a garbage status line', 'HELLO THERE\r\n\r\n', 'Expected HTTP/, RTSP/ or ICE/'],
    [
      'a garbage header line',
      'HTTP/1.1 200 OK\r\nX-A\x01b: c\r\nContent-Length: 0\r\n\r\n',
      'Invalid header token',
    ],
    [
      'a header without a colon',
      'HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 0\r\n\r\n',
      'Invalid header token',
    ],
  ];
  for (const [what, bytes, reason] of malformed) {
    it(`${what}: RemoteProtocolError`, async () => {
      await using server = await faultyServer((socket) => socket.write(bytes));
      await using client = strictClient();
      const { error, elapsed } = await failure(client.get(`${server.url}/bad`));
      exactly(error, RemoteProtocolError);
      expect(error.message).toBe(
        `Invalid HTTP response: Response does not match the HTTP/1.1 protocol (${reason}) (GET ${server.url}/bad)`,
      );
      expect(elapsed).toBeLessThan(2000);
      await expectRecovered(client, server);
    });
  }

  it('oversized response headers: RemoteProtocolError', async () => {
    await using server = await faultyServer((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'b'.repeat(100_000)}\r\nContent-Length: 0\r\n\r\n`),
    );
    await using client = strictClient();
    const { error, elapsed } = await failure(client.get(`${server.url}/big`));
    exactly(error, RemoteProtocolError);
    expect(error.message).toBe(`Response headers exceed the size limit (GET ${server.url}/big)`);
    expect(elapsed).toBeLessThan(2000);
    await expectRecovered(client, server);
  });

  it('accept then close immediately: RemoteProtocolError, after one fresh-connection replay of the GET', async () => {
    let closing = true;
    await using server = await faultyServer(() => {});
    const serve = server.server.listeners('connection')[0] as (socket: net.Socket) => void;
    server.server.removeAllListeners('connection');
    server.server.on('connection', (socket: net.Socket) => {
      serve(socket);
      if (closing) socket.end();
    });
    await using client = strictClient();
    const { error, elapsed } = await failure(client.get(`${server.url}/gone`));
    exactly(error, RemoteProtocolError);
    expect(error.message).toBe(`Server disconnected without sending a response (GET ${server.url}/gone)`);
    expect(elapsed).toBeLessThan(2000);
    // The idempotent GET is replayed once on a fresh connection (it might have met a stale socket).
    expect(server.accepted).toHaveLength(2);
    closing = false;
    await expectRecovered(client, server);
  });
});

describe('stalls', () => {
  it('stall before headers: ReadTimeout after the read timeout', async () => {
    await using server = await faultyServer(() => {});
    await using client = strictClient({ timeout: { read: 250 } });
    const { error, elapsed } = await failure(client.get(`${server.url}/stall`));
    exactly(error, ReadTimeout);
    expect(error.message).toBe(`Timed out after 250 ms waiting for the response (GET ${server.url}/stall)`);
    expect(elapsed).toBeGreaterThanOrEqual(245);
    expect(elapsed).toBeLessThan(250 + 1500);
    await expectRecovered(client, server);
  });

  it('stall mid-body: ReadTimeout after the read timeout', async () => {
    await using server = await faultyServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'),
    );
    await using client = strictClient({ timeout: { read: 250 } });
    const { error, elapsed } = await failure(client.get(`${server.url}/half`));
    exactly(error, ReadTimeout);
    expect(elapsed).toBeGreaterThanOrEqual(245);
    expect(elapsed).toBeLessThan(250 + 1500);
    await expectRecovered(client, server);
  });

  it('a server that never reads a large upload: WriteTimeout after the write timeout', async () => {
    let reading = false;
    await using server = await faultyServer(() => {});
    // The first connection reads nothing: the receive window fills and our writes stall.
    server.server.on('connection', (socket: net.Socket) => {
      if (!reading) socket.pause();
    });
    await using client = strictClient({ timeout: { write: 300, read: null } });
    async function* huge() {
      const chunk = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 512; i++) yield chunk;
    }
    const { error, elapsed } = await failure(client.post(`${server.url}/upload`, { content: huge() }));
    exactly(error, WriteTimeout);
    expect(error.message).toBe(`Timed out after 300 ms sending the request body (POST ${server.url}/upload)`);
    expect(elapsed).toBeLessThan(300 + 3000);
    // Let the stalled socket see our FIN, and read new connections normally.
    reading = true;
    for (const socket of server.accepted) socket.resume();
    await expectRecovered(client, server);
  });
});

describe('a server that never accepts', () => {
  let child: ChildProcess;
  let port: number;
  const fillers: net.Socket[] = [];

  beforeEach(async () => {
    // The fillers below stay open for the whole test: only sockets opened after them are tracked.
    clientSockets.stop();
    // The listener lives in a child whose event loop is blocked right after listen(), so the kernel
    // completes handshakes only until the accept queue (backlog 1 → 2 on Linux) is full; after that
    // SYNs are dropped and a connect hangs, as against a host that is down.
    child = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:net').createServer();
         s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
           process.stdout.write(s.address().port + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    port = Number(line.toString().trim());
    for (let i = 0; i < 2; i++) {
      const filler = net.connect(port, '127.0.0.1');
      filler.on('error', () => {});
      await once(filler, 'connect');
      fillers.push(filler);
    }
    clientSockets = trackClientSockets();
  });

  afterEach(async () => {
    for (const filler of fillers.splice(0)) filler.destroy();
    child.kill('SIGKILL');
    await once(child, 'exit');
  });

  it('raises ConnectTimeout after the connect timeout, then serves a normal request', async () => {
    await using client = strictClient({ timeout: { connect: 300 } });
    const { error, elapsed } = await failure(client.get(`http://127.0.0.1:${port}/`));
    exactly(error, ConnectTimeout);
    expect(error.message).toBe(`Timed out connecting (GET http://127.0.0.1:${port}/)`);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 1500);
    await using server = await faultyServer(() => {});
    await expectRecovered(client, server);
  });
});

// undici waits for a proxy's answer to CONNECT, and for the SOCKS5 handshake, with no deadline of
// its own: the connect timeout covers the tunnel until it stands.
describe('a proxy that accepts and never answers', () => {
  for (const scheme of ['http', 'socks5'] as const) {
    it(`${scheme}: ConnectTimeout after the connect timeout, and the proxy sees the connection closed`, async () => {
      const heard: string[] = [];
      await using proxy = await rawServer((socket) =>
        socket.on('data', (chunk) => heard.push(String(chunk))),
      );
      await using client = new Client({
        proxy: `${scheme}://127.0.0.1:${proxy.port}`,
        timeout: { connect: 300, read: 60_000, write: 60_000, pool: 60_000 },
      });
      const { error, elapsed } = await failure(client.get('https://127.0.0.1:8443/items'));
      exactly(error, ConnectTimeout);
      expect(error.message).toBe('Timed out connecting (GET https://127.0.0.1:8443/items)');
      expect(elapsed).toBeGreaterThanOrEqual(295);
      expect(elapsed).toBeLessThan(300 + 1500);
      // The proxy was asked (the CONNECT line, or the SOCKS5 greeting: version 5); the target never is.
      if (scheme === 'http') expect(heard.join('')).toMatch(/^CONNECT 127\.0\.0\.1:8443 HTTP\/1\.1\r\n/);
      else expect(heard.join('').charCodeAt(0)).toBe(5);
      await proxy.drained();
      expect(proxy.open()).toBe(0);
    });
  }
});
