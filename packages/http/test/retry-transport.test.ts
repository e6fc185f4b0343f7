import { afterEach, describe, expect, it } from 'vitest';
import { Client, HTTPTransport, RetryTransport } from '../src/index.js';
import { httpServer, readBody, type TestServer } from './support/servers.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A server answering from a script of [status, headers] per hit; the last entry repeats. */
async function scripted(
  script: Array<[number, Record<string, string>]>,
): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  server = await httpServer(async (req, res) => {
    const body = await readBody(req);
    hits.push(`${req.method} ${body.toString()}`);
    const [status, headers] = script[Math.min(hits.length - 1, script.length - 1)] as [
      number,
      Record<string, string>,
    ];
    res.writeHead(status, headers);
    res.end(status === 200 ? 'ok' : 'unavailable');
  });
  return { url: server.url, hits };
}

function retrying(sleeps: number[], options: ConstructorParameters<typeof RetryTransport>[1] = {}): Client {
  const transport = new RetryTransport(new HTTPTransport(), {
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return new Client({ transport });
}

describe('RetryTransport', () => {
  it('503 with Retry-After: 0 twice, then 200 → three hits for GET', async () => {
    const { url, hits } = await scripted([
      [503, { 'Retry-After': '0' }],
      [503, { 'Retry-After': '0' }],
      [200, {}],
    ]);
    const sleeps: number[] = [];
    await using client = retrying(sleeps);
    const response = await client.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('ok');
    expect(hits).toEqual(['GET ', 'GET ', 'GET ']);
    expect(sleeps).toEqual([0, 0]);
  });

  it('does not retry POST by default', async () => {
    const { url, hits } = await scripted([
      [503, { 'Retry-After': '0' }],
      [200, {}],
    ]);
    const sleeps: number[] = [];
    await using client = retrying(sleeps);
    const response = await client.post(url, { content: 'x' });
    expect(response.statusCode).toBe(503);
    expect(hits).toEqual(['POST x']);
    expect(sleeps).toEqual([]);
  });

  it('honours Retry-After as an HTTP date, capped by maxRetryAfter', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const { url, hits } = await scripted([
      [429, { 'Retry-After': inTenSeconds }],
      [200, {}],
      [429, { 'Retry-After': inTenSeconds }],
      [200, {}],
    ]);
    const sleeps: number[] = [];
    await using client = retrying(sleeps);
    expect((await client.get(url)).statusCode).toBe(200);
    expect(hits.length).toBe(2);
    expect(sleeps.length).toBe(1);
    // Whole seconds on the wire: the wait is 9-10 s depending on where in the second we are.
    expect(sleeps[0]).toBeGreaterThan(8_000);
    expect(sleeps[0]).toBeLessThanOrEqual(10_000);

    const capped: number[] = [];
    await using cappedClient = retrying(capped, { maxRetryAfter: 1_000 });
    expect((await cappedClient.get(url)).statusCode).toBe(200);
    expect(capped).toEqual([1_000]);
  });

  it('backs off exponentially with full jitter when there is no Retry-After', async () => {
    const { url } = await scripted([
      [502, {}],
      [502, {}],
      [502, {}],
      [200, {}],
    ]);
    const sleeps: number[] = [];
    await using client = retrying(sleeps, { backoff: { base: 100, max: 300 } });
    expect((await client.get(url)).statusCode).toBe(200);
    expect(sleeps).toEqual([50, 100, 150]);
  });

  it('gives up after `retries` and returns the last response', async () => {
    const { url, hits } = await scripted([[503, { 'Retry-After': '0' }]]);
    await using client = retrying([], { retries: 2 });
    expect((await client.get(url)).statusCode).toBe(503);
    expect(hits.length).toBe(3);
  });

  it('never replays a one-shot stream body, even for PUT', async () => {
    const { url, hits } = await scripted([
      [503, { 'Retry-After': '0' }],
      [200, {}],
    ]);
    async function* once(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('stream');
    }
    await using client = retrying([]);
    const response = await client.put(url, { content: once() });
    expect(response.statusCode).toBe(503);
    expect(hits).toEqual(['PUT stream']);
  });

  it('retries connection failures for GET', async () => {
    const { url } = await scripted([[200, {}]]);
    const port = Number(new URL(url).port);
    await server?.close();
    server = null;
    const sleeps: number[] = [];
    await using client = retrying(sleeps, { retries: 2 });
    await expect(client.get(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ name: 'ConnectError' });
    expect(sleeps.length).toBe(2);
  });

  it('a retry budget stops retries once spent', async () => {
    const { url, hits } = await scripted([[503, { 'Retry-After': '0' }]]);
    await using client = retrying([], { retries: 5, budget: { ratio: 0.1, minRetries: 1 } });
    expect((await client.get(url)).statusCode).toBe(503);
    expect(hits.length).toBe(2);
  });
});
