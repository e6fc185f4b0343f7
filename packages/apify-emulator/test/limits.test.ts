import { gzipSync } from 'node:zlib';
import { ApifyApiError, ApifyClient } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { harness, MODES } from './helpers.js';

const json = { 'content-type': 'application/json' };
// 256 MiB of zeros in ~256 KiB: decoding it whole would take seconds and the memory with it.
const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024));

describe.each(MODES)('limits and validation (%s)', (mode) => {
  it('413 request-too-large above maxPayloadBytes, measured after decoding', async () => {
    await using h = await harness(mode, { maxPayloadBytes: 1000 });
    const { id } = await h.client.datasets().getOrCreate('limits');
    const itemOfSize = (n: number) => JSON.stringify({ p: 'x'.repeat(n - 8) }); // {"p":"…"} is n bytes
    expect(itemOfSize(1000)).toHaveLength(1000);

    const atLimit = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: json,
      body: itemOfSize(1000),
    });
    expect(atLimit.status).toBe(201);
    const over = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: json,
      body: itemOfSize(1001),
    });
    expect(over.status).toBe(413);
    // Over HTTP the Content-Length gives the actual size up front; an in-process Request carries none,
    // so reading stops one byte past the limit.
    const actual = mode === 'http' ? '1001' : 'more than 1000';
    expect(await over.json()).toEqual({
      error: {
        type: 'request-too-large',
        message: `The POST payload is too large (limit: 1000 bytes, actual length: ${actual} bytes).`,
      },
    });
    // 1001 decoded bytes gzip to far fewer than 1000: the decoded size is what counts.
    const compressed = gzipSync(itemOfSize(1001));
    expect(compressed.length).toBeLessThan(1000);
    const gz = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: { ...json, 'content-encoding': 'gzip' },
      body: compressed,
    });
    expect(gz.status).toBe(413);
    expect(await gz.json()).toEqual({
      error: {
        type: 'request-too-large',
        message: 'The POST payload is too large (limit: 1000 bytes, actual length: more than 1000 bytes).',
      },
    });
    expect((await h.client.dataset(id).listItems()).total).toBe(1);
  });

  it('stops decoding a compression bomb at the default 9_437_184-byte limit', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('bomb');
    const started = performance.now();
    const response = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: { ...json, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'The POST payload is too large (limit: 9437184 bytes, actual length: more than 9437184 bytes).',
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('415 on an unknown Content-Encoding', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('enc');
    const response = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: { ...json, 'content-encoding': 'zstd' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: {
        type: 'unsupported-content-encoding',
        message: "Content-Encoding 'zstd' is not supported; use br, gzip, deflate or identity",
      },
    });
  });

  it('400 on a non-object item, and nothing of the batch is stored', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('shapes');
    const cases: [string, string][] = [
      [
        '[{"ok":1},3]',
        'Dataset item at index 1 is not a JSON object: the API accepts only an object or an array of objects',
      ],
      [
        '[[{"nested":1}]]',
        'Dataset item at index 0 is not a JSON object: the API accepts only an object or an array of objects',
      ],
      ['"text"', 'POST data must be a JSON object or an array of JSON objects'],
      ['42', 'POST data must be a JSON object or an array of JSON objects'],
      ['null', 'POST data must be a JSON object or an array of JSON objects'],
      ['{"broken":', 'POST data must be valid JSON'],
    ];
    for (const [body, message] of cases) {
      const response = await h.raw(`/v2/datasets/${id}/items`, { method: 'POST', headers: json, body });
      expect([body, response.status]).toEqual([body, 400]);
      expect(await response.json()).toEqual({ error: { type: 'invalid-request', message } });
    }
    const viaClient = await h.client
      .dataset(id)
      .pushItems(['a string item'] as never)
      .catch((e: unknown) => e);
    expect([(viaClient as ApifyApiError).statusCode, (viaClient as ApifyApiError).type]).toEqual([
      400,
      'invalid-request',
    ]);
    expect((await h.client.dataset(id).listItems()).total).toBe(0);
  });

  it('401 with a wrong token when a token is set; reads by raw ID need none', async () => {
    await using h = await harness(mode, { token: 'right' }, 'right');
    const { id } = await h.client.datasets().getOrCreate('private');
    const wrong = await h.raw('/v2/datasets', { headers: { authorization: 'Bearer wrong' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: { type: 'invalid-token', message: 'Authentication token is not valid' },
    });
    const wrongQuery = await h.raw(`/v2/datasets/${id}?token=wrong`, { headers: { authorization: '' } });
    expect(wrongQuery.status).toBe(401);
    const none = await h.raw('/v2/datasets?name=x', { method: 'POST', headers: { authorization: '' } });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { type: 'token-not-provided', message: 'Authentication token was not provided' },
    });
    const anonymousRead = await h.raw(`/v2/datasets/${id}/items`, { headers: { authorization: '' } });
    expect(anonymousRead.status).toBe(200);
    const queryToken = await h.raw('/v2/datasets?token=right', { headers: { authorization: '' } });
    expect(queryToken.status).toBe(200);
  });
});

describe('the official client with a wrong token', () => {
  it('gets ApifyApiError 401 invalid-token', async () => {
    await using emulator = createEmulator({ token: 'right' });
    const { url } = await emulator.listen();
    const client = new ApifyClient({ baseUrl: url, token: 'wrong', maxRetries: 0 });
    const error = await client
      .datasets()
      .list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApifyApiError);
    expect([(error as ApifyApiError).statusCode, (error as ApifyApiError).type]).toEqual([
      401,
      'invalid-token',
    ]);
  });
});

describe('per-resource rate limit', () => {
  it('answers 429 rate-limit-exceeded past rateLimitPerSecond requests to one resource in a second', async () => {
    await using emulator = createEmulator({ rateLimitPerSecond: 3 });
    const get = (path: string) => emulator.fetch(new Request(`http://emulator.test${path}`));
    let statuses: number[] = [];
    let other = 0;
    // A burst that straddles a second boundary is split across two windows; retry it in one window.
    for (let attempt = 0; attempt < 5; attempt++) {
      const second = Math.floor(Date.now() / 1000);
      const burst = await Promise.all(Array.from({ length: 6 }, () => get('/v2/datasets?name=x')));
      other = (await get('/v2/users/me')).status;
      if (Math.floor(Date.now() / 1000) !== second) continue;
      statuses = burst.map((r) => r.status);
      const limited = burst.find((r) => r.status === 429);
      expect(limited?.headers.get('x-ratelimit-limit')).toBe('3');
      expect(await limited?.json()).toEqual({
        error: {
          type: 'rate-limit-exceeded',
          message: 'You have exceeded the rate limit of 3 requests per second for /v2/datasets',
        },
      });
      break;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(other).toBe(200);
  });
});
