import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchHttpClient, type HttpClient, ImpitHttpClient } from '../src/index.js';

/**
 * What an abort does to the connection. impit's `fetch` races the signal against the native request,
 * which runs on: the call rejects at once, but the socket stays open until the native side finishes
 * (its own timeout or the server's answer). Node's fetch closes the socket on abort.
 */

const held: { socket: Socket; path: string }[] = [];
const arrived: ((request: IncomingMessage) => void)[] = [];
const server = createServer((request, res) => {
  if (request.url === '/ping') {
    res.end('pong');
    return;
  }
  held.push({ socket: request.socket, path: request.url ?? '' });
  arrived.shift()?.(request);
  // Never answered: only the client can end this exchange.
});
let url: string;

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const { socket } of held) socket.destroy();
  server.close();
  await once(server, 'close');
});

/** Starts a call that the server holds, aborts it once the server has it, and returns the socket. */
async function abortHeld(client: HttpClient, path: string): Promise<{ socket: Socket; error: unknown }> {
  const controller = new AbortController();
  const reached = new Promise<IncomingMessage>((resolve) => arrived.push(resolve));
  const call = client.call({
    method: 'GET',
    url: `${url}${path}`,
    signal: controller.signal,
    timeout: 60_000,
  });
  const request = await reached;
  controller.abort(new Error('caller gave up'));
  const error = await call.catch((e: unknown) => e);
  return { socket: request.socket, error };
}

describe('aborting a call the server holds', () => {
  it('ImpitHttpClient: the call rejects at once, but the connection stays open', async () => {
    await using client = new ImpitHttpClient({ maxRetries: 0 });
    const { socket, error } = await abortHeld(client, '/impit');
    expect((error as Error).message).toBe('caller gave up');
    // A full round trip later the aborted request's socket is still connected.
    const ping = await fetch(`${url}/ping`);
    expect(await ping.text()).toBe('pong');
    expect([socket.destroyed, socket.readyState]).toEqual([false, 'open']);
  });

  it('FetchHttpClient: the abort closes the connection', async () => {
    await using client = new FetchHttpClient({ maxRetries: 0 });
    const { socket, error } = await abortHeld(client, '/fetch');
    expect((error as Error).message).toBe('caller gave up');
    if (!socket.destroyed) await once(socket, 'close');
    expect(socket.destroyed).toBe(true);
  });
});
