import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheTransport, Client, HTTPTransport, MemoryCacheStore, UsageError } from '../src/index.js';
import { httpServer, type TestServer } from './support/servers.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

interface Origin {
  url: string;
  hits: IncomingMessage[];
  clock: { now: number };
  client: Client;
  transport: CacheTransport;
}

/** A loopback origin answering with `handler`, and a client whose CacheTransport runs on a fake clock. */
async function origin(
  handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void,
  options: { shared?: boolean } = {},
): Promise<Origin> {
  const hits: IncomingMessage[] = [];
  const clock = { now: START };
  server = await httpServer((req, res) => {
    hits.push(req);
    res.sendDate = false;
    res.setHeader('Date', new Date(clock.now).toUTCString());
    handler(req, res, hits.length);
  });
  const transport = new CacheTransport(new HTTPTransport(), { now: () => clock.now, ...options });
  const client = new Client({ transport, baseUrl: server.url });
  return { url: server.url, hits, clock, client, transport };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('CacheTransport', () => {
  it('marks misses and hits in response.extensions and sends Age on stored answers', async () => {
    const o = await origin((_req, res, hit) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=60', 'Content-Type': 'text/plain' });
      res.end(`answer ${hit}`);
    });
    await using client = o.client;
    const miss = await client.get('/a');
    expect([miss.text, miss.extensions, miss.headers.has('age')]).toEqual([
      'answer 1',
      { fromCache: false, revalidated: false, stale: false },
      false,
    ]);
    o.clock.now += 7_000;
    const hit = await client.get('/a');
    expect([hit.text, hit.extensions, hit.headers.get('age'), hit.headers.get('content-type')]).toEqual([
      'answer 1',
      { fromCache: true, revalidated: false, stale: false },
      '7',
      'text/plain',
    ]);
    expect(o.hits).toHaveLength(1);
  });

  it('revalidates a stale response with If-None-Match and merges the 304 into the stored headers', async () => {
    const o = await origin((req, res, hit) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, {
          ETag: '"v1"',
          'Cache-Control': 'max-age=100',
          'X-Version': '2',
          'Content-Length': '999',
        });
        res.end();
        return;
      }
      res.writeHead(200, { ETag: '"v1"', 'Cache-Control': 'max-age=1', 'X-Version': '1' });
      res.end(`body ${hit}`);
    });
    await using client = o.client;
    await client.get('/r');
    o.clock.now += 3_000;
    const revalidated = await client.get('/r');
    expect(o.hits[1]?.headers['if-none-match']).toBe('"v1"');
    expect([revalidated.statusCode, revalidated.text, revalidated.extensions]).toEqual([
      200,
      'body 1',
      { fromCache: true, revalidated: true, stale: false },
    ]);
    // Updated from the 304, except the length of the stored body (chunked here: none).
    expect([
      revalidated.headers.get('x-version'),
      revalidated.headers.get('cache-control'),
      revalidated.headers.get('content-length'),
    ]).toEqual(['2', 'max-age=100', null]);
    const fresh = await client.get('/r');
    expect([fresh.text, fresh.headers.get('x-version'), fresh.extensions.fromCache, o.hits.length]).toEqual([
      'body 1',
      '2',
      true,
      2,
    ]);
  });

  it('revalidates with If-Modified-Since when the stored response only has Last-Modified', async () => {
    const lastModified = new Date(START - 86_400_000).toUTCString();
    const o = await origin((req, res) => {
      if (req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'Last-Modified': lastModified, 'Cache-Control': 'no-cache' });
      res.end('dated');
    });
    await using client = o.client;
    await client.get('/d');
    const again = await client.get('/d');
    expect([again.text, again.extensions.revalidated, o.hits[1]?.headers['if-modified-since']]).toEqual([
      'dated',
      true,
      lastModified,
    ]);
  });

  it('stale-while-revalidate answers at once from the store and refreshes it in the background', async () => {
    const o = await origin((_req, res, hit) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=1, stale-while-revalidate=60', ETag: `"v${hit}"` });
      res.end(`version ${hit}`);
    });
    await using client = o.client;
    await client.get('/s');
    o.clock.now += 5_000;
    const stale = await client.get('/s');
    expect([stale.text, stale.extensions, stale.headers.get('age')]).toEqual([
      'version 1',
      { fromCache: true, revalidated: false, stale: true },
      '5',
    ]);
    await until(() => o.hits.length === 2, 'the background revalidation');
    expect(o.hits[1]?.headers['if-none-match']).toBe('"v1"');
    // The new answer is stored once its body has been read in the background: until then the
    // stale one is still served (without a second revalidation).
    let refreshed = await client.get('/s');
    const deadline = Date.now() + 10_000;
    while (refreshed.text !== 'version 2' && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      refreshed = await client.get('/s');
    }
    expect([refreshed.text, refreshed.extensions]).toEqual([
      'version 2',
      { fromCache: true, revalidated: false, stale: false },
    ]);
    expect(o.hits).toHaveLength(2);
  });

  it('close() ends a background revalidation that is still waiting for the origin', async () => {
    let held: ServerResponse | null = null;
    let aborted = false;
    const o = await origin((req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'Cache-Control': 'max-age=1, stale-while-revalidate=60' });
        res.end('first');
        return;
      }
      held = res;
      req.socket.once('close', () => {
        aborted = true;
      });
    });
    await o.client.get('/p');
    o.clock.now += 2_000;
    expect((await o.client.get('/p')).extensions.stale).toBe(true);
    await until(() => held !== null, 'the revalidation to reach the origin');
    await o.client.close();
    await until(() => aborted, 'the revalidation connection to close');
    expect(aborted).toBe(true);
  });

  it('a body read only in part is not stored; the next request goes to the origin', async () => {
    const o = await origin((_req, res) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=600', 'Content-Length': String(8 * 65_536) });
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(65_536, 0x62));
      res.end();
    });
    await using client = o.client;
    const partial = await client.stream('GET', '/big');
    for await (const _chunk of partial.iterRaw()) break;
    await partial.close();
    expect(o.transport.store.size).toBe(0);
    const whole = await client.get('/big');
    expect([whole.content.byteLength, whole.extensions.fromCache]).toEqual([8 * 65_536, false]);
    const stored = await client.get('/big');
    expect([stored.content.byteLength, stored.extensions.fromCache, o.hits.length]).toEqual([
      8 * 65_536,
      true,
      2,
    ]);
  });

  it('an aborted read is not stored either', async () => {
    const o = await origin((_req, res) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=600' });
      res.write('part one,');
      // The rest never comes: the caller gives up.
    });
    await using client = o.client;
    const controller = new AbortController();
    const response = await client.stream('GET', '/slow', { signal: controller.signal });
    const reading = (async () => {
      for await (const _chunk of response.iterRaw()) controller.abort(new Error('enough'));
    })();
    await expect(reading).rejects.toThrow();
    await response.close();
    expect(o.transport.store.size).toBe(0);
  });

  it('answers HEAD from a stored GET without a body', async () => {
    const o = await origin((_req, res) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=60', 'Content-Length': '5' });
      res.end('hello');
    });
    await using client = o.client;
    await client.get('/h');
    const head = await client.head('/h');
    expect([
      head.statusCode,
      head.content.byteLength,
      head.headers.get('content-length'),
      head.extensions.fromCache,
      o.hits.length,
    ]).toEqual([200, 0, '5', true, 1]);
  });

  it('a shared cache does not store answers to requests with Authorization unless the origin allows it', async () => {
    const o = await origin(
      (req, res) => {
        res.writeHead(200, { 'Cache-Control': req.url === '/public' ? 'public, max-age=60' : 'max-age=60' });
        res.end('secret');
      },
      { shared: true },
    );
    await using client = o.client;
    const auth = { headers: { Authorization: 'Bearer t0ken' } };
    await client.get('/private', auth);
    expect((await client.get('/private', auth)).extensions.fromCache).toBe(false);
    await client.get('/public', auth);
    expect((await client.get('/public', auth)).extensions.fromCache).toBe(true);
  });

  it('only-if-cached is answered from the store when it can be', async () => {
    const o = await origin((_req, res) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=60' });
      res.end('kept');
    });
    await using client = o.client;
    await client.get('/o');
    const offline = await client.get('/o', { headers: { 'Cache-Control': 'only-if-cached' } });
    expect([offline.statusCode, offline.text, o.hits.length]).toEqual([200, 'kept', 1]);
    const missing = await client.get('/other', { headers: { 'Cache-Control': 'only-if-cached' } });
    expect([missing.statusCode, o.hits.length]).toEqual([504, 1]);
  });

  it('rejects what is not a transport, with a clear error', () => {
    expect(() => new CacheTransport({} as never)).toThrow(UsageError);
    expect(() => new CacheTransport({} as never)).toThrow(
      'CacheTransport wraps a transport (a BaseTransport)',
    );
    expect(() => new MemoryCacheStore({ maxBytes: 0 })).toThrow('maxBytes must be a positive integer, got 0');
  });
});
