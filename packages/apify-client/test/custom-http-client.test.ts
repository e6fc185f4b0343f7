import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import {
  ApifyClient,
  type HttpCallOptions,
  HttpClient,
  type HttpResponse,
  isHttpResponse,
  RetryingHttpClient,
} from '../src/index.js';
import { json, startServer } from './helpers/servers.js';

/** The example from Apify's custom HTTP client docs, in TypeScript: a subclass that carries every call over global fetch. */
class GlobalFetchHttpClient extends HttpClient {
  readonly seen: HttpCallOptions[] = [];

  async call(options: HttpCallOptions): Promise<HttpResponse> {
    this.seen.push(options);
    const url = new URL(options.url);
    for (const [key, value] of Object.entries(options.params ?? {})) {
      if (value !== null && value !== undefined)
        url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const body =
      options.json !== undefined
        ? JSON.stringify(options.json)
        : (options.data as string | Uint8Array | undefined);
    const headers = { ...options.headers };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method: options.method,
      headers,
      body: body ?? null,
      signal: options.signal ?? null,
    });
    const content = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(content);
    return {
      statusCode: response.status,
      headers: response.headers,
      text,
      content,
      json: () => JSON.parse(text),
      read: async () => content,
      close: () => undefined,
      async *iterBytes() {
        yield content;
      },
    };
  }
}

const stored = { id: 'abcdefghijklmnopq', itemCount: 2 };

describe('withCustomHttpClient', () => {
  it('a global-fetch subclass carries a whole storage scenario against the emulator', async () => {
    await using emu = createEmulator({ token: 'tok' });
    const { url } = await emu.listen();
    const httpClient = new GlobalFetchHttpClient();
    await using client = ApifyClient.withCustomHttpClient({ baseUrl: url, token: 'tok', httpClient });
    const { id } = await client.datasets().getOrCreate('custom');
    await client.dataset(id).pushItems([{ a: 1 }, { a: 2 }]);
    expect((await client.dataset(id).listItems({ desc: true })).items).toEqual([{ a: 2 }, { a: 1 }]);
    const store = await client.keyValueStores().getOrCreate('custom');
    await client.keyValueStore(store.id).setRecord({ key: 'k', value: 'v' });
    expect((await client.keyValueStore(store.id).getRecord('k'))?.value).toBe('v');
    expect(await client.dataset('aaaaaaaaaaaaaaaaa').get()).toBeUndefined();
    expect(httpClient.seen).toHaveLength(7);
    expect(httpClient.seen.every((c) => c.headers?.Authorization === 'Bearer tok')).toBe(true);
    // The emulator was started with a token, so a wrong one proves the header is what authenticates.
    await using wrong = ApifyClient.withCustomHttpClient({
      baseUrl: url,
      token: 'nope',
      httpClient: new GlobalFetchHttpClient(),
    });
    await expect(wrong.datasets().list()).rejects.toMatchObject({
      name: 'ApifyApiError',
      statusCode: 401,
    });
  });

  it('carries every call through the custom client, with Authorization', async () => {
    await using server = await startServer((req, res) => {
      if (req.path.endsWith('/items') && req.method === 'GET')
        json(res, 200, [{ a: 1 }, { a: 2 }], {
          'x-apify-pagination-total': '2',
          'x-apify-pagination-count': '2',
        });
      else json(res, req.method === 'POST' ? 201 : 200, { data: stored });
    });
    const httpClient = new GlobalFetchHttpClient();
    await using client = ApifyClient.withCustomHttpClient({ baseUrl: server.url, token: 'tok', httpClient });
    expect(client.httpClient).toBe(httpClient);
    await client.datasets().getOrCreate('named');
    await client.dataset('abcdefghijklmnopq').pushItems([{ a: 1 }, { a: 2 }]);
    const page = await client.dataset('abcdefghijklmnopq').listItems({ limit: 5 });
    expect(page.items).toEqual([{ a: 1 }, { a: 2 }]);
    expect(page.total).toBe(2);
    expect(httpClient.seen.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      'POST /v2/datasets',
      'POST /v2/datasets/abcdefghijklmnopq/items',
      'GET /v2/datasets/abcdefghijklmnopq/items',
    ]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok',
      'Bearer tok',
      'Bearer tok',
    ]);
    expect(httpClient.seen[0]?.params).toEqual({ name: 'named' });
    expect(client.stats).toEqual({ calls: 3, requests: 3, rateLimitErrors: [] });
  });

  it('does not retry on its own: a 500 fails at once', async () => {
    await using server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 500, { error: { type: 'x', message: 'down' } }) : json(res, 200, { data: stored }),
    );
    await using client = ApifyClient.withCustomHttpClient({
      baseUrl: server.url,
      httpClient: new GlobalFetchHttpClient(),
    });
    await expect(client.dataset('abcdefghijklmnopq').get()).rejects.toMatchObject({
      name: 'ApifyApiError',
      statusCode: 500,
      attempt: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('RetryingHttpClient gives the custom client the default retries and statistics', async () => {
    await using server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 500, { error: { type: 'x', message: 'down' } });
      else if (i === 1) json(res, 429, { error: { type: 'rate-limit-exceeded', message: 'slow' } });
      else json(res, 200, { data: stored });
    });
    const inner = new GlobalFetchHttpClient();
    const httpClient = new RetryingHttpClient(inner, { minDelayBetweenRetries: 1 });
    await using client = ApifyClient.withCustomHttpClient({ baseUrl: server.url, token: 'tok', httpClient });
    expect(await client.dataset('abcdefghijklmnopq').get()).toEqual(stored);
    expect(client.stats).toEqual({ calls: 1, requests: 3, rateLimitErrors: [0, 1] });
    expect(httpClient.stats).toBe(client.stats);
    expect(inner.seen).toHaveLength(3);
    expect(inner.seen.every((c) => c.headers?.Authorization === 'Bearer tok')).toBe(true);
    expect(inner.seen.map((c) => c.timeout)).toEqual([5000, 10000, 20000]);
  });

  it('an object with the HttpResponse members satisfies the interface structurally', async () => {
    await using server = await startServer((_req, res) => json(res, 200, { data: stored }));
    const response = await new GlobalFetchHttpClient().call({ method: 'GET', url: server.url });
    expect(isHttpResponse(response)).toBe(true);
    const typed: HttpResponse = response;
    expect(typed.json()).toEqual({ data: stored });
  });
});
