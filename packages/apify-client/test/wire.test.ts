import { readFileSync } from 'node:fs';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { captureProcessWarnings } from '../../http/test/support/process-warnings.js';
import { ApifyClient, FetchHttpClient, VERSION } from '../src/index.js';
import { json, startFaultProxy, startServer } from './helpers/servers.js';

const ok = () =>
  startServer((req, res) =>
    json(res, req.method === 'POST' ? 201 : 200, { data: { id: 'abcdefghijklmnopq', itemCount: 0 } }),
  );

describe('wire format', () => {
  it('against the emulator: the headers arrive, a brotli-compressed push decodes to the same items, a small one is plain', async () => {
    await using emu = createEmulator({ token: 'secret-token' });
    const { url } = await emu.listen();
    await using proxy = await startFaultProxy(url);
    await using client = new ApifyClient({ baseUrl: proxy.url, token: 'secret-token' });
    const { id } = await client.datasets().getOrCreate('wire');
    const big = Array.from({ length: 40 }, (_, i) => ({ index: i, text: 'lorem ipsum dolor sit amet' }));
    await client.dataset(id).pushItems(big);
    await client.dataset(id).pushItems([{ small: true }]);
    const pushes = proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/items'));
    expect(pushes.map((r) => r.headers['content-encoding'])).toEqual(['br', undefined]);
    expect(JSON.parse(pushes[0]?.body.toString('utf8') ?? '')).toEqual(big);
    expect((await client.dataset(id).listItems()).items).toEqual([...big, { small: true }]);
    for (const request of proxy.requests) {
      expect(request.headers.authorization).toBe('Bearer secret-token');
      expect(request.headers.accept).toBe('application/json, */*');
      expect(request.headers['user-agent']).toMatch(
        /^pluggable-apify-client\/\d+\.\d+\.\d+ \(\w+; Node\/[\d.]+\); isAtHome\/(true|false)$/,
      );
    }
  });

  it('sends Authorization, Accept and the User-Agent', async () => {
    await using server = await ok();
    await using client = new ApifyClient({
      baseUrl: server.url,
      token: 'secret-token',
      userAgentSuffix: ['SDK/3.1.1', 'Crawlee/3.11.5'],
    });
    await client.dataset('abcdefghijklmnopq').get();
    const headers = server.requests[0]?.headers;
    expect(headers?.authorization).toBe('Bearer secret-token');
    expect(headers?.accept).toBe('application/json, */*');
    expect(headers?.['user-agent']).toBe(
      `pluggable-apify-client/${VERSION} (${process.platform}; Node/${process.versions.node}); isAtHome/false; SDK/3.1.1; Crawlee/3.11.5`,
    );
    expect(server.requests[0]?.path).toBe('/v2/datasets/abcdefghijklmnopq');
  });

  it('omits Authorization without a token and keeps the version in step with package.json', async () => {
    const saved = process.env.APIFY_TOKEN;
    delete process.env.APIFY_TOKEN;
    try {
      await using server = await ok();
      await using client = new ApifyClient({ baseUrl: server.url });
      await client.dataset('abcdefghijklmnopq').get();
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.APIFY_TOKEN = saved;
    }
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });

  it('merges caller headers case-insensitively, the caller winning, and warns once about overrides', async () => {
    await using server = await ok();
    const captured = captureProcessWarnings();
    try {
      await using client = new ApifyClient({
        baseUrl: server.url,
        token: 't',
        headers: { 'user-agent': 'mine/1', 'X-Extra': 'yes', accept: 'text/plain' },
      });
      new ApifyClient({ baseUrl: server.url, headers: { authorization: 'Bearer other' } });
      await client.dataset('abcdefghijklmnopq').get();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      captured[Symbol.dispose]();
    }
    const warnings = captured.warnings.map((w) => w.message);
    const headers = server.requests[0]?.headers;
    expect(headers?.['user-agent']).toBe('mine/1');
    expect(headers?.['x-extra']).toBe('yes');
    expect(headers?.accept).toBe('text/plain');
    expect(warnings.filter((w) => w.includes('overrides'))).toHaveLength(1);
  });

  it('serializes params: booleans as 1/0 (as the official client), arrays, dates; drops null and undefined', async () => {
    await using server = await startServer((_req, res) => json(res, 200, []));
    await using client = new ApifyClient({ baseUrl: server.url });
    await client
      .dataset('abcdefghijklmnopq')
      .listItems({ clean: true, desc: false, fields: ['a', 'b'], offset: 0, limit: 10 });
    await client.runs().list({ startedAfter: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), status: undefined });
    expect(server.requests[0]?.url).toBe(
      '/v2/datasets/abcdefghijklmnopq/items?clean=1&desc=0&fields=a%2Cb&offset=0&limit=10',
    );
    expect(server.requests[1]?.url).toBe('/v2/actor-runs?startedAfter=2026-01-02T03%3A04%3A05.006Z');
  });

  for (const [name, make] of [
    ['impit (default)', (url: string) => new ApifyClient({ baseUrl: url })],
    [
      'fetch',
      (url: string) => ApifyClient.withCustomHttpClient({ baseUrl: url, httpClient: new FetchHttpClient() }),
    ],
  ] as const) {
    it(`${name}: a JSON body ≥ 1 KiB is brotli-compressed and decodes to the same JSON; a smaller one is not`, async () => {
      await using server = await ok();
      await using client = make(server.url);
      const big = Array.from({ length: 40 }, (_, i) => ({ index: i, text: 'lorem ipsum dolor sit amet' }));
      await client.dataset('abcdefghijklmnopq').pushItems(big);
      await client.dataset('abcdefghijklmnopq').pushItems([{ small: true }]);
      const [first, second] = server.requests;
      expect(first?.headers['content-encoding']).toBe(name === 'fetch' ? 'gzip' : 'br');
      expect(first?.raw.byteLength).toBeLessThan(first?.body.byteLength ?? 0);
      expect(JSON.parse(first?.body.toString('utf8') ?? '')).toEqual(big);
      expect(first?.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(second?.headers['content-encoding']).toBeUndefined();
      expect(second?.raw.toString('utf8')).toBe('[{"small":true}]');
    });
  }

  it('compresses the threshold by bytes, not characters, and uses brotli when configured', async () => {
    await using server = await ok();
    await using client = new ApifyClient({ baseUrl: server.url, compression: 'br' });
    // 521 characters but 1031 UTF-8 bytes: compressed only because the threshold counts bytes.
    const value = { text: 'é'.repeat(510) };
    await client.keyValueStore('abcdefghijklmnopq').setRecord({ key: 'k', value });
    expect(server.requests[0]?.headers['content-encoding']).toBe('br');
    expect(JSON.parse(server.requests[0]?.body.toString('utf8') ?? '')).toEqual(value);
  });

  it('keeps a caller Content-Encoding and never compresses images', async () => {
    await using server = await ok();
    await using client = new ApifyClient({ baseUrl: server.url });
    const payload = new Uint8Array(4096).fill(7);
    const store = client.keyValueStore('abcdefghijklmnopq');
    await store.setRecord({ key: 'png', value: payload, contentType: 'image/png' });
    expect(server.requests[0]?.headers['content-encoding']).toBeUndefined();
    expect(server.requests[0]?.raw.byteLength).toBe(4096);

    const plain = new FetchHttpClient();
    const response = await plain.call({
      method: 'PUT',
      url: `${server.url}/v2/key-value-stores/abcdefghijklmnopq/records/x`,
      headers: { 'Content-Encoding': 'identity', 'Content-Type': 'text/plain' },
      data: 'x'.repeat(5000),
    });
    expect(response.statusCode).toBe(200);
    expect(server.requests[1]?.headers['content-encoding']).toBe('identity');
    expect(server.requests[1]?.raw.byteLength).toBe(5000);
  });

  it('does not mutate the caller objects', async () => {
    await using server = await ok();
    await using client = new ApifyClient({ baseUrl: server.url });
    const headers = { 'Content-Type': 'application/json' };
    const body = { nested: { list: [1, 2, 3] }, text: 'y'.repeat(2000) };
    const snapshot = structuredClone(body);
    await new FetchHttpClient().call({ method: 'POST', url: `${server.url}/x`, headers, json: body });
    expect(headers).toEqual({ 'Content-Type': 'application/json' });
    expect(body).toEqual(snapshot);
    await client.close();
  });
});
