import { describe, expect, it } from 'vitest';
import * as httpx from '../src/index.js';
import { Client, MockTransport, type Request, Response, ResponseTooLarge, UsageError } from '../src/index.js';
import { echo, httpServer } from './support/servers.js';

describe('event hooks', () => {
  it('run on every hop, in order, and see Authorization', async () => {
    const events: string[] = [];
    await using client = new Client({
      followRedirects: true,
      auth: ['u', 'p'],
      transport: new MockTransport((request) =>
        request.url.pathname === '/start'
          ? new Response(302, { headers: { Location: '/' } })
          : new Response(200),
      ),
      eventHooks: {
        request: [
          (request) =>
            void events.push(`request ${request.url.pathname} ${request.headers.has('authorization')}`),
        ],
        response: [
          async (response) =>
            void events.push(`response ${response.statusCode} ${response.headers.get('location')}`),
        ],
      },
    });
    await client.get('http://example.org/start');
    expect(events).toEqual(['request /start true', 'response 302 /', 'request / true', 'response 200 null']);
  });

  it('close the response when a hook throws', async () => {
    let seen: Response | undefined;
    await using client = new Client({
      transport: new MockTransport(() => new Response(500, { stream: [new TextEncoder().encode('boom')] })),
      eventHooks: {
        response: [
          (response) => {
            seen = response;
            response.raiseForStatus();
          },
        ],
      },
    });
    await expect(client.get('http://example.org/')).rejects.toThrow(httpx.HTTPStatusError);
    expect(seen?.isClosed).toBe(true);
  });
});

describe('client lifecycle', () => {
  it('refuses to send after close and closes mounted transports', async () => {
    const closed: string[] = [];
    class Tracked extends MockTransport {
      constructor(readonly label: string) {
        super(() => new Response(200));
      }
      override async close(): Promise<void> {
        closed.push(this.label);
      }
    }
    const client = new Client({
      transport: new Tracked('main'),
      mounts: { 'all://a.com': new Tracked('mounted') },
    });
    await client.get('http://a.com/');
    await client.close();
    expect(closed.sort()).toEqual(['main', 'mounted']);
    expect(client.isClosed).toBe(true);
    await expect(client.get('http://a.com/')).rejects.toThrow(
      new UsageError('Cannot send a request, as the client has been closed.'),
    );
  });

  it('sends a built request with send(), after editing it', async () => {
    await using server = await httpServer(echo);
    await using client = new Client({ headers: { 'X-Api-Key': 'k', 'X-Client-ID': 'ABC123' } });
    const request: Request = client.buildRequest('GET', server.url);
    expect(request.headers.get('X-Client-ID')).toBe('ABC123');
    request.headers.delete('X-Api-Key');
    const response = await client.send(request);
    const headers = response.json<{ headers: string[] }>().headers.map((h) => h.toLowerCase());
    expect(headers).toContain('abc123');
    expect(headers).not.toContain('x-api-key');
    expect(request.extensions.timeout).toEqual({
      connect: 5000,
      read: 5000,
      write: 5000,
      pool: 5000,
      total: null,
    });
  });

  it('offers one-off top-level helpers', async () => {
    await using server = await httpServer(echo);
    const response = await httpx.post(`${server.url}/x`, { json: { a: 1 } });
    expect(response.json<{ method: string; body: string }>()).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
    });
    await using streamed = await httpx.stream('GET', `${server.url}/y`);
    let text = '';
    for await (const chunk of streamed.iterText()) text += chunk;
    expect(JSON.parse(text).url).toBe('/y');
  });

  it('bounds decoded bodies with maxResponseBytes', async () => {
    await using server = await httpServer((_req, res) => res.end('x'.repeat(10_000)));
    await using client = new Client({ maxResponseBytes: 4096 });
    await expect(client.get(server.url)).rejects.toThrow(ResponseTooLarge);
    client.maxResponseBytes = 10_000;
    expect((await client.get(server.url)).content.byteLength).toBe(10_000);
  });
});
