import { describe, expect, it } from 'vitest';
import { captureProcessWarnings } from '../../http/test/support/process-warnings.js';
import {
  ApifyClient,
  ApifyTransportError,
  FetchHttpClient,
  ImpitHttpClient,
  InvalidResponseBodyError,
  RetryingHttpClient,
  ServerError,
} from '../src/index.js';
import { memoryResponse, RecordingHttpClient } from './helpers/recording-client.js';
import { json, startServer } from './helpers/servers.js';

const dataset = { id: 'abcdefghijklmnopq', itemCount: 0 };

/** Answers the scripted statuses in order, then 200 with a dataset. */
function scripted(statuses: (number | 'reset')[], headers: Record<string, string> = {}) {
  return startServer((_req, res, index) => {
    const status = statuses[index];
    if (status === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (status !== undefined)
      json(res, status, { error: { type: 'injected', message: `status ${status}` } }, headers);
    else json(res, 200, { data: dataset });
  });
}

for (const [name, makeHttpClient] of [
  ['impit', () => new ImpitHttpClient({ minDelayBetweenRetries: 1 })],
  ['fetch', () => new FetchHttpClient({ minDelayBetweenRetries: 1 })],
] as const) {
  describe(`retries over ${name}`, () => {
    it('500, 500, 200 succeeds on the third request', async () => {
      await using server = await scripted([500, 500]);
      await using client = ApifyClient.withCustomHttpClient({
        baseUrl: server.url,
        token: 't',
        httpClient: makeHttpClient(),
      });
      expect(await client.dataset('abcdefghijklmnopq').get()).toEqual(dataset);
      expect(client.stats.requests).toBe(3);
      expect(client.stats.calls).toBe(1);
      expect(server.requests).toHaveLength(3);
    });

    it('counts 429s by attempt', async () => {
      await using server = await scripted([429, 429]);
      await using client = ApifyClient.withCustomHttpClient({
        baseUrl: server.url,
        httpClient: makeHttpClient(),
      });
      await client.dataset('abcdefghijklmnopq').get();
      expect(client.stats.rateLimitErrors).toEqual([1, 1]);
      expect(client.stats.requests).toBe(3);
    });

    it('retries two socket resets, then succeeds', async () => {
      await using server = await scripted(['reset', 'reset']);
      await using client = ApifyClient.withCustomHttpClient({
        baseUrl: server.url,
        httpClient: makeHttpClient(),
      });
      expect(await client.dataset('abcdefghijklmnopq').get()).toEqual(dataset);
      expect(server.requests).toHaveLength(3);
      expect(client.stats.requests).toBe(3);
    });

    it('maxRetries: 1 with three 500s fails with ServerError on attempt 2', async () => {
      await using server = await scripted([500, 500, 500]);
      await using client = new ApifyClient({
        baseUrl: server.url,
        maxRetries: 1,
        minDelayBetweenRetriesMillis: 1,
      });
      const error = await client
        .dataset('abcdefghijklmnopq')
        .get()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({
        statusCode: 500,
        attempt: 2,
        httpMethod: 'get',
        path: '/v2/datasets/abcdefghijklmnopq',
        message: 'status 500',
      });
      expect(server.requests).toHaveLength(2);
    });

    it('gives up on a transport error after the last attempt with ApifyTransportError', async () => {
      await using server = await scripted(['reset', 'reset', 'reset']);
      await using client = ApifyClient.withCustomHttpClient({
        baseUrl: server.url,
        httpClient:
          name === 'impit'
            ? new ImpitHttpClient({ maxRetries: 2, minDelayBetweenRetries: 1 })
            : new FetchHttpClient({ maxRetries: 2, minDelayBetweenRetries: 1 }),
      });
      const error = await client
        .dataset('abcdefghijklmnopq')
        .get()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApifyTransportError);
      expect(error).toMatchObject({ attempt: 3, httpMethod: 'GET', outcomeUnknown: true });
      expect((error as Error).cause).toBeInstanceOf(Error);
    });

    it('enforces the attempt timeout on the wire', async () => {
      await using server = await startServer((_req, res) => {
        setTimeout(() => json(res, 200, { data: dataset }), 3000).unref();
      });
      await using client = ApifyClient.withCustomHttpClient({
        baseUrl: server.url,
        httpClient:
          name === 'impit' ? new ImpitHttpClient({ maxRetries: 0 }) : new FetchHttpClient({ maxRetries: 0 }),
      });
      const started = Date.now();
      const error = await client
        .dataset('abcdefghijklmnopq')
        .get({ httpTimeout: 200 })
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(error).toBeInstanceOf(ApifyTransportError);
      expect((error as ApifyTransportError).outcomeUnknown).toBe(true);
    });

    it('retries a truncated JSON body as InvalidResponseBodyError', async () => {
      await using server = await startServer((_req, res, index) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(index === 0 ? '{"data": {"id": "abc' : JSON.stringify({ data: dataset }));
      });
      await using client = ApifyClient.withCustomHttpClient({
        baseUrl: server.url,
        httpClient: makeHttpClient(),
      });
      expect(await client.dataset('abcdefghijklmnopq').get()).toEqual(dataset);
      expect(server.requests).toHaveLength(2);
    });
  });
}

describe('retry timing (injected clock and random source)', () => {
  it('waits U(1,2) × minDelay × 2^(k-1) between attempts', async () => {
    const sleeps: number[] = [];
    const inner = new RecordingHttpClient(() =>
      memoryResponse(500, { error: { type: 'x', message: 'boom' } }),
    );
    const randoms = [0, 0.5, 0.25, 0.999];
    const client = new RetryingHttpClient(inner, {
      maxRetries: 4,
      minDelayBetweenRetries: 100,
      random: () => randoms.shift() ?? 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await expect(client.call({ method: 'GET', url: 'http://127.0.0.1:1/v2/x' })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(sleeps).toEqual([100, 300, 500, 1599.2]);
    expect(inner.calls).toHaveLength(5);
    expect(client.stats).toEqual({ calls: 1, requests: 5, rateLimitErrors: [] });
  });

  it('caps a single delay at 60 s', async () => {
    const sleeps: number[] = [];
    const inner = new RecordingHttpClient(() => memoryResponse(503));
    const client = new RetryingHttpClient(inner, {
      maxRetries: 9,
      minDelayBetweenRetries: 500,
      random: () => 0,
      sleep: async (ms) => void sleeps.push(ms),
    });
    await expect(client.call({ method: 'GET', url: 'http://127.0.0.1:1/x' })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('honours Retry-After in seconds and as a date when larger than the backoff', async () => {
    const sleeps: number[] = [];
    const inHalfMinute = new Date(Date.now() + 30_500).toUTCString();
    const responses = [
      memoryResponse(
        429,
        { error: { type: 'rate-limit-exceeded', message: 'slow down' } },
        { 'Retry-After': '1' },
      ),
      memoryResponse(503, {}, { 'retry-after': inHalfMinute }),
      memoryResponse(500, {}, { 'retry-after': '5' }),
      memoryResponse(200, { data: { ok: true } }),
    ];
    const inner = new RecordingHttpClient((_o, i) => responses[i] ?? memoryResponse(200));
    const client = new RetryingHttpClient(inner, {
      minDelayBetweenRetries: 10,
      random: () => 0,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const response = await client.call({ method: 'GET', url: 'http://127.0.0.1:1/x' });
    expect(response.json()).toEqual({ data: { ok: true } });
    expect(sleeps[0]).toBe(1000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(29_000);
    expect(sleeps[1]).toBeLessThanOrEqual(31_000);
    // Retry-After only counts on 429 and 503.
    expect(sleeps[2]).toBe(40);
    expect(client.stats.rateLimitErrors).toEqual([1]);
  });

  it('grows the attempt timeout [1, 2, 4, 5] s for base 1 s and cap 5 s, as the transport sees it', async () => {
    const inner = new RecordingHttpClient(() => memoryResponse(500));
    const retrying = new RetryingHttpClient(inner, {
      maxRetries: 3,
      timeout: 5000,
      sleep: async () => undefined,
    });
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:1', httpClient: retrying });
    await expect(client.dataset('abcdefghijklmnopq').get({ httpTimeout: 1000 })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(inner.calls.map((call) => call.timeout)).toEqual([1000, 2000, 4000, 5000]);
  });

  it('caps a per-call timeout above the client timeout, warning once', async () => {
    using captured = captureProcessWarnings();
    const inner = new RecordingHttpClient(() => memoryResponse(200, { data: {} }));
    const client = new RetryingHttpClient(inner, { timeout: 2000 });
    await client.call({ method: 'GET', url: 'http://127.0.0.1:1/x', timeout: 10_000 });
    await client.call({ method: 'GET', url: 'http://127.0.0.1:1/x', timeout: 10_000 });
    expect(inner.calls.map((c) => c.timeout)).toEqual([2000, 2000]);
    expect(captured.warnings).toEqual([
      {
        code: 'APIFY_CLIENT_TIMEOUT_CAPPED',
        message: 'A request timeout of 10000 ms exceeds the client timeout of 2000 ms and is capped to it',
      },
    ]);
  });

  it('caps a method default the user never set without a warning; a value the user set warns', async () => {
    using captured = captureProcessWarnings();
    const inner = new RecordingHttpClient(() => memoryResponse(200, []));
    const client = ApifyClient.withCustomHttpClient({
      baseUrl: 'http://127.0.0.1:1',
      httpClient: new RetryingHttpClient(inner, { timeout: 1000 }),
    });
    // listItems defaults to the long tier (360 s), far above the 1 s cap.
    await client.dataset('d').listItems();
    expect(captured.warnings).toEqual([]);
    await client.dataset('d').listItems({ httpTimeout: 'long' });
    expect(inner.calls.map((c) => c.timeout)).toEqual([1000, 1000]);
    expect(captured.warnings.map((w) => w.code)).toEqual(['APIFY_CLIENT_TIMEOUT_CAPPED']);
  });

  it('uses the method tier as the base: listItems is long, get is short, waitForFinish has none', async () => {
    using captured = captureProcessWarnings();
    const inner = new RecordingHttpClient((o) =>
      o.url.endsWith('/items')
        ? memoryResponse(200, [])
        : memoryResponse(200, { data: { id: 'r', status: 'SUCCEEDED' } }),
    );
    const client = ApifyClient.withCustomHttpClient({
      baseUrl: 'http://127.0.0.1:1',
      httpClient: new RetryingHttpClient(inner, { timeout: 100_000 }),
    });
    await client.dataset('d').get();
    await client.dataset('d').listItems();
    await client.run('r').waitForFinish();
    await client.dataset('d').pushItems([{ a: 1 }]);
    expect(inner.calls.map((c) => c.timeout)).toEqual([5000, 100_000, null, 30_000]);
    // listItems' long tier (360 s) is capped to this client's 100 s silently: the user set neither.
    expect(captured.warnings).toEqual([]);
  });

  it('does not retry 4xx other than 429', async () => {
    const inner = new RecordingHttpClient(() =>
      memoryResponse(403, { error: { type: 'insufficient-permissions', message: 'no' } }),
    );
    const client = new RetryingHttpClient(inner, { sleep: async () => undefined });
    await expect(client.call({ method: 'GET', url: 'http://127.0.0.1:1/x' })).rejects.toMatchObject({
      name: 'ApifyApiError',
      statusCode: 403,
      attempt: 1,
    });
    expect(inner.calls).toHaveLength(1);
  });

  it('aborts the wait between attempts when the signal fires', async () => {
    const inner = new RecordingHttpClient(() => memoryResponse(500));
    const client = new RetryingHttpClient(inner, { minDelayBetweenRetries: 60_000 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = client.call({ method: 'GET', url: 'http://127.0.0.1:1/x', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(inner.calls).toHaveLength(1);
  });

  it('does not replay an invalid success body of a non-idempotent write', async () => {
    const inner = new RecordingHttpClient(() => memoryResponse(201, '{"data": {'));
    const client = new RetryingHttpClient(inner, { sleep: async () => undefined });
    await expect(
      client.call({ method: 'POST', url: 'http://127.0.0.1:1/x', json: [{ a: 1 }], idempotent: false }),
    ).rejects.toBeInstanceOf(InvalidResponseBodyError);
    expect(inner.calls).toHaveLength(1);
  });
});
