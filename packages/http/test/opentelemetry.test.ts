// OpenTelemetry's HTTP semantic conventions (stable) are the spec: span name, kind, attributes,
// status rules, `http.request.resend_count`, the `http.client.request.duration` histogram.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Auth,
  Client,
  type ClientOptions,
  ConnectError,
  DURATION_BUCKETS,
  HTTPTransport,
  openTelemetry,
  type Request,
  type Response,
  RetryTransport,
  UsageError,
} from '../src/index.js';
import { h2Server } from './support/h2-servers.js';
import { otelSdk } from './support/otel.js';
import { httpServer, type TestServer } from './support/servers.js';

let server: TestServer;
// Each request the server saw: its path and the traceparent it carried.
let seen: Array<{ path: string; traceparent: string | undefined }> = [];
let flaky = 0;

beforeAll(async () => {
  server = await httpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    seen.push({ path, traceparent: req.headers.traceparent as string | undefined });
    if (path === '/a') return res.writeHead(302, { Location: '/b' }).end();
    if (path === '/b') return res.writeHead(301, { Location: '/c' }).end();
    if (path === '/flaky' && flaky++ === 0) return res.writeHead(503).end('busy');
    if (path === '/basic' && req.headers.authorization === undefined)
      return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
    if (path === '/missing') return res.writeHead(404).end('no');
    if (path === '/broken') return res.writeHead(500).end('oops');
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('x'.repeat(1024));
  });
});
afterAll(() => server.close());

let sdk: ReturnType<typeof otelSdk>;
let client: Client;
function instrumented(transport?: RetryTransport, options: ClientOptions = {}): Client {
  sdk = otelSdk();
  client = new Client({ telemetry: sdk.telemetry, ...(transport ? { transport } : {}), ...options });
  return client;
}
afterEach(async () => {
  await client?.close();
  await sdk?.shutdown();
  seen = [];
  flaky = 0;
});

/** Sends without credentials, then with Basic ones once challenged: two rounds of one send. */
class BasicAfterChallenge extends Auth {
  override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
    const first = yield request;
    if (first.statusCode !== 401) return;
    request.headers.set('Authorization', `Basic ${btoa('user:hunter2')}`);
    yield request;
  }
}

/** The W3C traceparent a span's context makes: 00-<trace id>-<span id>-<flags>. */
function traceparentOf(span: { spanContext(): { traceId: string; spanId: string } }): string {
  const { traceId, spanId } = span.spanContext();
  return `00-${traceId}-${spanId}-01`;
}

describe('openTelemetry(): the client span', () => {
  it('one CLIENT span named by the method, with the conventions attributes exact and secrets redacted', async () => {
    const url = `http://user:hunter2@127.0.0.1:${server.port}/ok?token=abc123&q=a%20b#frag`;
    const response = await instrumented().get(url);
    expect(response.statusCode).toBe(200);
    const [span, ...others] = sdk.spans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('GET');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'url.full': `http://REDACTED:REDACTED@127.0.0.1:${server.port}/ok?token=REDACTED&q=a%20b`,
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
    });
    expect(span?.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(span?.events).toEqual([]);
    expect(JSON.stringify(span?.attributes)).not.toMatch(/hunter2|abc123/);
  });

  it('the server gets a traceparent whose trace id and parent id are the span’s', async () => {
    await instrumented().get(`${server.url}/ok`);
    const [span] = sdk.spans();
    expect(span).toBeDefined();
    expect(seen).toEqual([{ path: '/ok', traceparent: traceparentOf(span as never) }]);
  });

  it('over HTTP/2 the protocol version is 2', async () => {
    await using h2 = await h2Server();
    await instrumented(undefined, { http1: false, http2: true }).get(`${h2.url}/`);
    const [span] = sdk.spans();
    expect(span?.attributes['network.protocol.version']).toBe('2');
    expect(span?.attributes['server.port']).toBe(h2.port);
  });

  it('an unknown method is reported as _OTHER, its span named HTTP', async () => {
    await instrumented().request('PURGE', `${server.url}/ok`);
    const [span] = sdk.spans();
    expect(span?.name).toBe('HTTP');
    expect(span?.attributes['http.request.method']).toBe('_OTHER');
    expect(span?.attributes['http.request.method_original']).toBe('PURGE');
  });

  it('a redirect chain: one span, an event per hop with its status and location, traceparent on every hop', async () => {
    const response = await instrumented().get(`${server.url}/a`, { followRedirects: true });
    expect(response.url.pathname).toBe('/c');
    const [span, ...others] = sdk.spans();
    expect(others).toEqual([]);
    expect(span?.events.map((e) => ({ name: e.name, attributes: e.attributes }))).toEqual([
      {
        name: 'http.redirect',
        attributes: {
          'http.response.status_code': 302,
          'http.request.method': 'GET',
          'url.full': `${server.url}/b`,
        },
      },
      {
        name: 'http.redirect',
        attributes: {
          'http.response.status_code': 301,
          'http.request.method': 'GET',
          'url.full': `${server.url}/c`,
        },
      },
    ]);
    // The span names the request the caller made, and ends with the final hop's status.
    expect(span?.attributes['url.full']).toBe(`${server.url}/a`);
    expect(span?.attributes['http.response.status_code']).toBe(200);
    expect(span?.attributes['http.request.resend_count']).toBe(2);
    const traceparent = traceparentOf(span as never);
    expect(seen).toEqual([
      { path: '/a', traceparent },
      { path: '/b', traceparent },
      { path: '/c', traceparent },
    ]);
  });

  it('503 then 200 through RetryTransport: a retry event, resend_count 1, traceparent on both attempts', async () => {
    const retry = new RetryTransport(new HTTPTransport(), { retries: 2, backoff: { base: 0 } });
    const response = await instrumented(retry).get(`${server.url}/flaky`);
    expect(response.statusCode).toBe(200);
    const [span, ...others] = sdk.spans();
    expect(others).toEqual([]);
    expect(span?.events.map((e) => ({ name: e.name, attributes: e.attributes }))).toEqual([
      {
        name: 'http.retry',
        attributes: {
          'http.request.resend_count': 1,
          'http.response.status_code': 503,
          'http.retry.delay_ms': 0,
        },
      },
    ]);
    expect(span?.attributes['http.request.resend_count']).toBe(1);
    expect(span?.attributes['http.response.status_code']).toBe(200);
    expect(span?.status).toEqual({ code: SpanStatusCode.UNSET });
    const traceparent = traceparentOf(span as never);
    expect(seen).toEqual([
      { path: '/flaky', traceparent },
      { path: '/flaky', traceparent },
    ]);
  });

  it('a RetryTransport mounted for one origin reports its retries the same way', async () => {
    const retry = new RetryTransport(new HTTPTransport(), { retries: 2, backoff: { base: 0 } });
    await instrumented(undefined, { mounts: { [`http://127.0.0.1:${server.port}`]: retry } }).get(
      `${server.url}/flaky`,
    );
    const [span] = sdk.spans();
    expect(span?.events.map((e) => [e.name, e.attributes?.['http.response.status_code']])).toEqual([
      ['http.retry', 503],
    ]);
    expect(seen.map((s) => s.traceparent)).toEqual([
      traceparentOf(span as never),
      traceparentOf(span as never),
    ]);
  });

  it('a retry after a refused connection: the event names the error class, the span ends in the error', async () => {
    const closed = await httpServer((_req, res) => res.end());
    const { port } = closed;
    await closed.close();
    const retry = new RetryTransport(new HTTPTransport(), { retries: 1, backoff: { base: 0 } });
    await expect(instrumented(retry).get(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(ConnectError);
    const [span] = sdk.spans();
    expect(
      span?.events.map((e) => [e.name, e.attributes?.['error.type'] ?? e.attributes?.['exception.type']]),
    ).toEqual([
      ['http.retry', 'ConnectError'],
      ['exception', 'ConnectError'],
    ]);
    expect(span?.attributes['http.request.resend_count']).toBe(1);
    expect(span?.attributes['error.type']).toBe('ConnectError');
  });

  it('an auth round counts as a resend; the password never reaches the span', async () => {
    const response = await instrumented(undefined, {
      auth: new BasicAfterChallenge(),
    }).get(`${server.url}/basic`);
    expect(response.statusCode).toBe(200);
    const [span] = sdk.spans();
    expect(span?.attributes['http.request.resend_count']).toBe(1);
    expect(span?.attributes['http.response.status_code']).toBe(200);
    expect(seen.map((s) => s.path)).toEqual(['/basic', '/basic']);
    const exported = JSON.stringify({
      attributes: span?.attributes,
      events: span?.events,
      status: span?.status,
    });
    expect(exported).not.toMatch(/hunter2|dXNlcjpodW50ZXIy/);
  });

  it('an exception’s message and stack on the span are redacted', async () => {
    const closed = await httpServer((_req, res) => res.end());
    const { port } = closed;
    await closed.close();
    await expect(instrumented().get(`http://user:hunter2@127.0.0.1:${port}/`)).rejects.toBeInstanceOf(
      ConnectError,
    );
    const [span] = sdk.spans();
    expect(span?.attributes['url.full']).toBe(`http://REDACTED:REDACTED@127.0.0.1:${port}/`);
    expect(JSON.stringify({ status: span?.status, events: span?.events })).not.toMatch(/hunter2/);
  });

  it('4xx and 5xx: status ERROR and error.type the status code (client spans)', async () => {
    instrumented();
    await client.get(`${server.url}/missing`);
    await client.get(`${server.url}/broken`);
    const [missing, broken] = sdk.spans();
    expect(missing?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(missing?.attributes['error.type']).toBe('404');
    expect(broken?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(broken?.attributes['error.type']).toBe('500');
    expect(broken?.attributes['http.response.status_code']).toBe(500);
  });

  it('connection refused: status ERROR, error.type the exception class, the exception recorded', async () => {
    const closed = await httpServer((_req, res) => res.end());
    const { port } = closed;
    await closed.close();
    await expect(instrumented().get(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(ConnectError);
    const [span] = sdk.spans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('ConnectError');
    expect(span?.attributes['http.response.status_code']).toBeUndefined();
    expect(span?.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([
      ['exception', 'ConnectError'],
    ]);
    const duration = await sdk.duration();
    expect(duration?.points.map((p) => [p.attributes, p.count])).toEqual([
      [
        {
          'http.request.method': 'GET',
          'server.address': '127.0.0.1',
          'server.port': port,
          'url.scheme': 'http',
          'error.type': 'ConnectError',
        },
        1,
      ],
    ]);
  });

  it('a streamed response’s span ends when its body is closed, not when headers arrive', async () => {
    const response = await instrumented().stream('GET', `${server.url}/ok`);
    expect(sdk.spans()).toEqual([]);
    expect((await response.read()).byteLength).toBe(1024);
    expect(sdk.spans().map((s) => s.name)).toEqual(['GET']);
  });
});

describe('openTelemetry(): http.client.request.duration', () => {
  it('is recorded once per send, in seconds, with the conventions buckets and low-cardinality attributes', async () => {
    instrumented();
    await client.get(`${server.url}/ok?token=secret`);
    await client.get(`${server.url}/ok`);
    await client.get(`${server.url}/a`, { followRedirects: true });
    await client.get(`${server.url}/missing`);
    const duration = await sdk.duration();
    expect(duration?.name).toBe('http.client.request.duration');
    expect(duration?.unit).toBe('s');
    const base = {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
    };
    expect(duration?.points.map((p) => [p.attributes, p.count])).toEqual([
      [{ ...base, 'http.response.status_code': 200 }, 3],
      [{ ...base, 'http.response.status_code': 404, 'error.type': '404' }, 1],
    ]);
    for (const point of duration?.points ?? []) {
      expect(point.boundaries).toEqual([...DURATION_BUCKETS]);
      // Seconds, not ms: four loopback requests take well under a minute.
      expect(point.sum).toBeGreaterThan(0);
      expect(point.sum).toBeLessThan(60);
    }
  });
});

describe('openTelemetry(): bad input', () => {
  it('a telemetry option that is not a Telemetry is a UsageError naming it', () => {
    expect(() => new Client({ telemetry: {} as never })).toThrow(
      new UsageError('telemetry must be a Telemetry such as openTelemetry(), got an object'),
    );
  });

  it('a provider without its method is a UsageError before anything is sent', () => {
    expect(() => openTelemetry({ tracerProvider: 5 as never })).toThrow(UsageError);
    expect(() => openTelemetry({ meterProvider: {} as never })).toThrow(
      /meterProvider must have a getMeter\(\) method/,
    );
  });
});
