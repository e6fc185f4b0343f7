import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import type http from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BaseTransport,
  Client,
  ClientClosed,
  ConnectError,
  HTTPTransport,
  Limits,
  ReadTimeout,
  RemoteProtocolError,
  Request,
  RequestAborted,
  Response,
  RetryTransport,
  TotalTimeout,
} from '../src/index.js';
import { rawServer, trackClientSockets } from './support/raw-server.js';
import { httpServer } from './support/servers.js';

let clientSockets: ReturnType<typeof trackClientSockets>;
beforeEach(() => {
  clientSockets = trackClientSockets();
});
afterEach(() => clientSockets.stop());

/** A port nothing listens on: a server bound, then closed. */
async function refusedUrl(): Promise<string> {
  const server = await rawServer(() => {});
  await server.close();
  return server.url;
}

describe('closing', () => {
  it('fails a request queued on the limiter with ClientClosed, never sends it, and leaves no socket open', async () => {
    const seen: string[] = [];
    const held: http.ServerResponse[] = [];
    await using server = await httpServer((req, res) => {
      seen.push(req.url ?? '');
      held.push(res);
    });
    const client = new Client({ limits: new Limits({ maxConnections: 1 }) });
    const first = client.get(`${server.url}/first`);
    first.catch(() => {});
    while (seen.length === 0) await once(server.server, 'request');
    const queued = client.get(`${server.url}/queued`);
    queued.catch(() => {});
    await client.close();
    await expect(queued).rejects.toThrow(ClientClosed);
    await expect(first).rejects.toThrow(ClientClosed);
    await clientSockets.closed();
    expect(clientSockets.open()).toBe(0);
    expect(seen).toEqual(['/first']);
  });

  it('a closed transport refuses what was queued on it, with the request attached', async () => {
    const held: http.ServerResponse[] = [];
    await using server = await httpServer((_req, res) => void held.push(res));
    const transport = new HTTPTransport({ limits: new Limits({ maxConnections: 1 }) });
    const first = transport.handleRequest(new Request('GET', server.url));
    first.catch(() => {});
    await once(server.server, 'request');
    const request = new Request('GET', `${server.url}/queued`);
    const queued = transport.handleRequest(request);
    queued.catch(() => {});
    await transport.close();
    const error = await queued.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientClosed);
    expect((error as ClientClosed).request).toBe(request);
    await clientSockets.closed();
  });
});

describe('aborting', () => {
  it('an already-aborted signal raises RequestAborted with the reason as cause, before connecting', async () => {
    await using server = await rawServer(() => {});
    await using client = new Client();
    const reason = new Error('user gave up');
    const error = await client
      .get(server.url, { signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAborted);
    expect((error as RequestAborted).cause).toBe(reason);
    expect(server.accepted.length).toBe(0);
  });

  it('an abort during RetryTransport backoff raises RequestAborted, not a DOMException', async () => {
    let attempts = 0;
    const controller = new AbortController();
    await using server = await httpServer((_req, res) => {
      attempts++;
      res.writeHead(503).end();
    });
    await using client = new Client({
      transport: new RetryTransport(new HTTPTransport(), {
        retries: 5,
        backoff: { base: 60_000 },
        // Drawn as the backoff is computed: the abort lands once the 60 s wait has begun.
        random: () => {
          setImmediate(() => controller.abort('stop'));
          return 1;
        },
      }),
    });
    const error = await client.get(server.url, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAborted);
    expect((error as RequestAborted).cause).toBe('stop');
    expect(attempts).toBe(1);
  });

  it('an abort during a connect retry raises RequestAborted, not the previous ConnectError', async () => {
    const url = await refusedUrl();
    let connectFailures = 0;
    const controller = new AbortController();
    await using client = new Client({ transport: new HTTPTransport({ retries: 3 }) });
    // Once the refused socket is gone and its ConnectError handled, the transport is in its backoff.
    const onClosed = () => {
      connectFailures++;
      setImmediate(() => controller.abort('enough'));
    };
    const trackSocket = (message: unknown) => (message as { socket: Socket }).socket.once('close', onClosed);
    diagnostics.subscribe('net.client.socket', trackSocket);
    try {
      const error = await client.get(url, { signal: controller.signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestAborted);
      expect((error as RequestAborted).cause).toBe('enough');
      expect(connectFailures).toBe(1);
    } finally {
      diagnostics.unsubscribe('net.client.socket', trackSocket);
    }
  });

  it('a total timeout during connect retries raises TotalTimeout', async () => {
    const url = await refusedUrl();
    await using client = new Client({ transport: new HTTPTransport({ retries: 5 }) });
    const error = await client.get(url, { timeout: { total: 300 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TotalTimeout);
    expect(error).not.toBeInstanceOf(ConnectError);
  });
});

describe('transports that do not watch the context', () => {
  it('an abort still ends the send, and the response that arrives later is closed', async () => {
    let answer!: (response: Response) => void;
    let transport!: BaseTransport;
    const called = new Promise<void>((resolve) => {
      class Late extends BaseTransport {
        override handleRequest(): Promise<Response> {
          resolve();
          return new Promise<Response>((r) => (answer = r));
        }
      }
      transport = new Late();
    });
    await using client = new Client({ transport });
    const controller = new AbortController();
    const pending = client.get('http://example.org/', { signal: controller.signal });
    await called;
    controller.abort('no more');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAborted);
    const late = new Response(200, { stream: [new TextEncoder().encode('late')] });
    answer(late);
    await new Promise<void>((resolve) => late.onClose(resolve));
    expect(late.isClosed).toBe(true);
  });
});

describe('a Request is never mutated by sending it', () => {
  it('keeps its signal through sends with a total timeout, and the signal still aborts a later send', async () => {
    await using server = await httpServer((req, res) => {
      if (req.url === '/stall') return;
      res.end('ok');
    });
    await using client = new Client();
    const controller = new AbortController();
    const request = client.buildRequest('GET', `${server.url}/stall`, {
      signal: controller.signal,
      timeout: { total: 30_000 },
    });
    const fast = client.buildRequest('GET', server.url, {
      signal: controller.signal,
      timeout: { total: 30_000 },
    });
    expect((await client.send(fast)).text).toBe('ok');
    expect(fast.signal).toBe(controller.signal);
    expect((await client.send(fast)).text).toBe('ok');
    const pending = client.send(request);
    await once(server.server, 'request');
    controller.abort('later');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAborted);
    expect((error as RequestAborted).cause).toBe('later');
    expect(request.signal).toBe(controller.signal);
  });

  it('sends one Request twice at once, each send with its own deadline', async () => {
    await using server = await httpServer((_req, res) => void setImmediate(() => res.end('ok')));
    await using client = new Client();
    const request = client.buildRequest('GET', server.url, { timeout: { total: 30_000 } });
    const [a, b] = await Promise.all([client.send(request), client.send(request)]);
    expect([a.text, b.text]).toEqual(['ok', 'ok']);
    expect(request.signal).toBe(null);
  });
});

describe('a hand-built Request', () => {
  it('runs under the client timeout (HTTPX applies it)', async () => {
    await using server = await httpServer(() => {});
    await using client = new Client({ timeout: 150 });
    const error = await client.send(new Request('GET', server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadTimeout);
  });
});

describe('errors are classified by code, not by message text', () => {
  it('RetryTransport does not retry an error whose message merely says "disconnected"', async () => {
    let calls = 0;
    class Failing extends BaseTransport {
      override async handleRequest(request: Request): Promise<Response> {
        calls++;
        throw new RemoteProtocolError('Server disconnected: the app said so', { request });
      }
    }
    await using client = new Client({
      transport: new RetryTransport(new Failing(), { retries: 3, random: () => 0 }),
    });
    await expect(client.get('http://example.org/')).rejects.toThrow(RemoteProtocolError);
    expect(calls).toBe(1);
  });

  it('RetryTransport retries a real disconnect before the response (undici UND_ERR_SOCKET)', async () => {
    let connections = 0;
    await using server = await rawServer((socket) => {
      connections++;
      if (connections === 1) socket.once('data', () => socket.destroy());
      else socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    });
    await using client = new Client({
      transport: new RetryTransport(new HTTPTransport(), { retries: 1, random: () => 0, methods: ['POST'] }),
    });
    const response = await client.post(server.url, { content: 'x' });
    expect(response.text).toBe('ok');
    expect(connections).toBe(2);
  });
});
