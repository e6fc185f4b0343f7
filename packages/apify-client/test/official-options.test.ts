import { describe, expect, it, vi } from 'vitest';
import { ApifyClient, ApifyTransportError, ServerError } from '../src/index.js';
import { memoryResponse, RecordingHttpClient } from './helpers/recording-client.js';
import { json, startServer } from './helpers/servers.js';

/** The official client's option names and defaults, honoured (each used to be silently ignored). */
describe('official options', () => {
  it('maxRetries defaults to 8 (9 attempts) and minDelayBetweenRetriesMillis sets the backoff base', async () => {
    await using server = await startServer((_req, res) =>
      json(res, 500, { error: { type: 'x', message: 'down' } }),
    );
    await using client = new ApifyClient({ baseUrl: server.url, minDelayBetweenRetriesMillis: 1 });
    const error = await client
      .dataset('ds1')
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempt).toBe(9);
    expect(server.requests).toHaveLength(9);
  });

  it('timeoutSecs caps every attempt of the default client', async () => {
    // The server never answers; a 0.2 s cap ends the single attempt long before the 5 s tier.
    await using server = await startServer(() => undefined);
    await using client = new ApifyClient({ baseUrl: server.url, timeoutSecs: 0.2, maxRetries: 0 });
    const started = Date.now();
    const error = await client
      .dataset('ds1')
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApifyTransportError);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(server.requests).toHaveLength(1);
  });

  it('publicBaseUrl defaults to https://api.apify.com whatever baseUrl is', () => {
    const client = new ApifyClient({ baseUrl: 'http://127.0.0.1:9' });
    expect(client.publicBaseUrl).toBe('https://api.apify.com/v2');
    expect(new ApifyClient({ publicBaseUrl: 'https://cdn.example/' }).publicBaseUrl).toBe(
      'https://cdn.example/v2',
    );
  });

  it('requestQueue(id, { timeoutSecs }) caps the HTTP deadline of every request of that client', async () => {
    const http = new RecordingHttpClient(() =>
      memoryResponse(200, { data: { items: [], processedRequests: [], unprocessedRequests: [] } }),
    );
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:9', httpClient: http });
    const capped = client.requestQueue('rq1', { timeoutSecs: 2 });
    await capped.listHead();
    await capped.listAndLockHead({ lockSecs: 10 });
    await capped.batchAddRequests([{ uniqueKey: 'u', url: 'https://example.com' }]);
    await client.requestQueue('rq1').listAndLockHead({ lockSecs: 10 });
    // short (5 s) and medium (30 s) tiers, both capped at 2 s; the uncapped client keeps 30 s.
    expect(http.calls.map((call) => call.timeout)).toEqual([2000, 2000, 2000, 30_000]);
  });

  it("setRecord's timeoutSecs is the HTTP deadline and doNotRetryTimeouts stops replays of the upload", async () => {
    const http = new RecordingHttpClient(() => memoryResponse(201, ''));
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:9', httpClient: http });
    const store = client.keyValueStore('kv1');
    await store.setRecord({ key: 'a', value: 'x' });
    await store.setRecord({ key: 'b', value: 'x' }, { timeoutSecs: 7 });
    await store.setRecord({ key: 'c', value: 'x' }, { timeoutSecs: 7, doNotRetryTimeouts: true });
    expect(http.calls.map((call) => [call.timeout, call.idempotent])).toEqual([
      [360_000, undefined],
      [7000, undefined],
      [7000, false],
    ]);
  });

  it('start/call/resurrect send timeout as the run timeout in seconds; httpTimeout is the HTTP deadline', async () => {
    const http = new RecordingHttpClient(() =>
      memoryResponse(201, { data: { id: 'run1', status: 'SUCCEEDED', actId: 'a' } }),
    );
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:9', httpClient: http });
    await client.actor('john/actor').start({}, { timeout: 300, httpTimeout: 1234 });
    await client.actor('john/actor').call({}, { timeout: 300, log: null });
    await client.run('run1').resurrect({ timeout: 60 });
    const starts = http.calls.filter((call) => call.method === 'POST');
    expect(starts.map((call) => [call.params?.timeout, call.timeout])).toEqual([
      [300, 1234],
      [300, 30_000],
      [60, 30_000],
    ]);
  });

  it('listAndLockHead without lockSecs rejects before anything is sent', async () => {
    const http = new RecordingHttpClient();
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:9', httpClient: http });
    await expect(
      client.requestQueue('rq1').listAndLockHead({} as unknown as { lockSecs: number }),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      message: 'listAndLockHead: options.lockSecs must be a number of seconds, got undefined',
    });
    expect(http.calls).toHaveLength(0);
  });

  it('batchAddRequests reads the official minDelayBetweenUnprocessedRequestsRetriesMillis for its backoff', async () => {
    const unprocessed = { uniqueKey: 'u', url: 'https://example.com', method: 'GET' };
    const http = new RecordingHttpClient((_options, index) =>
      memoryResponse(201, {
        data:
          index === 0
            ? { processedRequests: [], unprocessedRequests: [unprocessed] }
            : { processedRequests: [{ uniqueKey: 'u', requestId: 'r1' }], unprocessedRequests: [] },
      }),
    );
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:9', httpClient: http });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const added = client
        .requestQueue('rq1')
        .batchAddRequests([{ uniqueKey: 'u', url: 'https://example.com' }], {
          minDelayBetweenUnprocessedRequestsRetriesMillis: 60_000,
        });
      // The default base (500 ms) would have sent the retry within 1 s.
      await vi.advanceTimersByTimeAsync(1500);
      expect(http.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(120_000);
      expect((await added).processedRequests).toEqual([{ uniqueKey: 'u', requestId: 'r1' }]);
      expect(http.calls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('batchAddRequests rejects bad retry options by their official names before anything is sent', async () => {
    const http = new RecordingHttpClient();
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:9', httpClient: http });
    const queue = client.requestQueue('rq1');
    const add = (options: Record<string, unknown>) =>
      queue.batchAddRequests([{ uniqueKey: 'u', url: 'https://example.com' }], options);
    await expect(add({ minDelayBetweenUnprocessedRequestsRetriesMillis: 'fast' })).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      message: 'minDelayBetweenUnprocessedRequestsRetriesMillis must be a finite number ≥ 0, got "fast"',
    });
    await expect(add({ maxParallel: 0 })).rejects.toMatchObject({
      message: 'maxParallel must be a positive integer, got 0',
    });
    await expect(add({ maxUnprocessedRequestsRetries: -1 })).rejects.toMatchObject({
      message: 'maxUnprocessedRequestsRetries must be a non-negative integer, got -1',
    });
    expect(http.calls).toHaveLength(0);
  });
});
