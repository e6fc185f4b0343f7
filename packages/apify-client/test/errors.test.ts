import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApifyApiError,
  ApifyClient,
  ApifyTransportError,
  ConflictError,
  ForbiddenError,
  InvalidArgumentError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  RetryingHttpClient,
  ServerError,
  UnauthorizedError,
} from '../src/index.js';
import { memoryResponse, RecordingHttpClient } from './helpers/recording-client.js';
import { json, startServer } from './helpers/servers.js';

const TOKEN = 'apify_api_SUPERSECRET123';

describe('errors', () => {
  it('maps statuses to subclasses with type, message, data and request fields', async () => {
    const cases = [
      [400, InvalidRequestError],
      [401, UnauthorizedError],
      [403, ForbiddenError],
      [404, NotFoundError],
      [409, ConflictError],
      [429, RateLimitError],
      [502, ServerError],
      [418, ApifyApiError],
    ] as const;
    for (const [status, ErrorClass] of cases) {
      const inner = new RecordingHttpClient(() =>
        memoryResponse(status, { error: { type: 'some-type', message: `m${status}`, data: { x: 1 } } }),
      );
      const client = ApifyClient.withCustomHttpClient({
        baseUrl: 'http://127.0.0.1:1',
        httpClient: new RetryingHttpClient(inner, { maxRetries: 0 }),
      });
      const error = await client
        .datasets()
        .list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({
        // The official name for every status; the subclass is still there for instanceof.
        name: 'ApifyApiError',
        clientMethod: 'DatasetCollectionClient.list',
        code: 'ERR_APIFY_API',
        statusCode: status,
        type: 'some-type',
        message: `m${status}`,
        data: { x: 1 },
        attempt: 1,
        httpMethod: 'get',
        path: '/v2/datasets',
      });
    }
  });

  it('a non-JSON error body gives "Unexpected error: <text>"', async () => {
    await using server = await startServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway thing</h1>');
    });
    await using client = new ApifyClient({ baseUrl: server.url });
    await expect(client.datasets().list()).rejects.toMatchObject({
      name: 'ApifyApiError',
      message: 'Unexpected error: <h1>Bad gateway thing</h1>',
      type: undefined,
    });
  });

  it('get() of a missing resource is undefined, delete() is a no-op, a chained client throws', async () => {
    await using server = await startServer((req, res) => {
      json(res, 404, { error: { type: 'record-not-found', message: `Not found: ${req.path}` } });
    });
    await using client = new ApifyClient({ baseUrl: server.url });
    expect(await client.dataset('missing').get()).toBeUndefined();
    await expect(client.dataset('missing').delete()).resolves.toBeUndefined();
    expect(await client.keyValueStore('missing').getRecord('nope')).toBeUndefined();
    expect(await client.keyValueStore('missing').recordExists('nope')).toBe(false);
    await expect(client.run('missing').dataset().get()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an error body cut off mid-stream is asked for again, even for a 4xx', async () => {
    let served = 0;
    await using server = await startServer((_req, res) => {
      served += 1;
      if (served === 1) {
        res.writeHead(404, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"error":{"type":"record-');
        res.socket?.destroy();
        return;
      }
      json(res, 404, { error: { type: 'record-not-found', message: 'Not found' } });
    });
    await using client = new ApifyClient({ baseUrl: server.url, minDelayBetweenRetriesMillis: 1 });
    expect(await client.dataset('missing').get()).toBeUndefined();
    expect(served).toBe(2);
    expect(client.stats).toMatchObject({ calls: 1, requests: 2 });
  });

  it('a 404 for a missing route (page-not-found) is an error, not undefined', async () => {
    await using server = await startServer((_req, res) =>
      json(res, 404, { error: { type: 'page-not-found', message: 'no route' } }),
    );
    await using client = new ApifyClient({ baseUrl: server.url });
    await expect(client.dataset('x').get()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('never shows the token in messages, stacks or inspect output', async () => {
    await using server = await startServer((req, res) =>
      req.path.endsWith('/echo')
        ? json(res, 400, {
            error: { type: 'invalid-request', message: `you sent ${req.headers.authorization}` },
          })
        : json(res, 500, `raw ${req.headers.authorization} and ?token=${TOKEN}`),
    );
    await using client = new ApifyClient({ baseUrl: server.url, token: TOKEN, maxRetries: 0 });
    const errors = [
      await client
        .keyValueStore('echo')
        .get()
        .catch((e: unknown) => e),
      await client
        .dataset('raw')
        .get()
        .catch((e: unknown) => e),
      await new ApifyClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, maxRetries: 0 })
        .dataset('x')
        .get()
        .catch((e: unknown) => e),
    ];
    expect(errors[0]).toBeInstanceOf(InvalidRequestError);
    expect(errors[1]).toBeInstanceOf(ServerError);
    expect(errors[2]).toBeInstanceOf(ApifyTransportError);
    for (const error of errors) {
      const text = `${(error as Error).message}\n${(error as Error).stack}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;
      expect(text).not.toContain(TOKEN);
    }
    expect((errors[0] as Error).message).toBe('you sent Bearer ***');
    for (const text of [
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
      inspect(client.httpClient, { depth: 10, showHidden: true }),
      inspect(client.dataset('x'), { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
    expect(inspect(client)).toContain("token: '***'");
  });

  it('fails early on bad input with a typed error naming the value', async () => {
    const inner = new RecordingHttpClient();
    const client = ApifyClient.withCustomHttpClient({ baseUrl: 'http://127.0.0.1:1', httpClient: inner });
    await expect(client.keyValueStore('s').getRecord('bad/key')).rejects.toThrow(InvalidArgumentError);
    await expect(client.keyValueStore('s').setRecord({ key: 'ok', value: undefined })).rejects.toThrow(
      /not JSON-serializable/,
    );
    await expect(client.dataset('d').pushItems([{ ok: 1 }, 5 as unknown as object])).rejects.toThrow(
      /index 1 is not an object or a string/,
    );
    expect(() => new ApifyClient({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
    expect(() => new RetryingHttpClient(inner, { maxRetries: -1 })).toThrow(/maxRetries/);
    expect(inner.calls).toHaveLength(0);
  });
});
