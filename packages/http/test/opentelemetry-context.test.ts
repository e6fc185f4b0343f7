// How an application's traces hold our spans: with a context manager registered (the Node SDK
// registers AsyncLocalStorage's), the span active where `send` is called is the client span's
// parent, and whatever runs inside the send (event hooks, their own requests) sees the client span.

import { context, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { otelSdk } from './support/otel.js';
import { httpServer, type TestServer } from './support/servers.js';

let server: TestServer;
const traceparents: Array<string | undefined> = [];
let sdk: ReturnType<typeof otelSdk>;
let client: Client;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  server = await httpServer((req, res) => {
    traceparents.push(req.headers.traceparent as string | undefined);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  });
});
afterAll(async () => {
  await server.close();
  context.disable();
});
afterEach(async () => {
  await client.close();
  await sdk.shutdown();
  traceparents.length = 0;
});

function ids(span: Span | undefined) {
  const { traceId, spanId } = span?.spanContext() ?? { traceId: '', spanId: '' };
  return { traceId, spanId };
}

describe('openTelemetry() under an AsyncLocalStorage context manager', () => {
  it('the span active at the call is the parent of each request’s span, across awaits', async () => {
    sdk = otelSdk();
    client = new Client({ telemetry: sdk.telemetry });
    const parent = await sdk.tracer.startActiveSpan('import-job', async (job) => {
      await client.get(`${server.url}/first`);
      await new Promise((resolve) => setImmediate(resolve));
      await client.get(`${server.url}/second`);
      job.end();
      return ids(job);
    });
    const requests = sdk.spans().filter((s) => s.name === 'GET');
    expect(requests.map((s) => s.parentSpanContext?.spanId)).toEqual([parent.spanId, parent.spanId]);
    expect(requests.map((s) => s.spanContext().traceId)).toEqual([parent.traceId, parent.traceId]);
    // The server is told the request's own span, in the application's trace.
    expect(traceparents).toEqual(requests.map((s) => `00-${parent.traceId}-${s.spanContext().spanId}-01`));
  });

  it('a request sent from inside another’s event hook is that request’s child', async () => {
    sdk = otelSdk();
    let inner: Promise<unknown> | undefined;
    let activeInHook: ReturnType<typeof ids> | undefined;
    client = new Client({
      telemetry: sdk.telemetry,
      eventHooks: {
        response: [
          async (response) => {
            if (!String(response.request.url).endsWith('/outer')) return;
            activeInHook = ids(trace.getActiveSpan());
            inner = client.get(`${server.url}/inner`);
            await inner;
          },
        ],
      },
    });
    await client.get(`${server.url}/outer`);
    await inner;
    const [innerSpan, outerSpan] = sdk.spans();
    expect(outerSpan?.attributes['url.full']).toBe(`${server.url}/outer`);
    expect(innerSpan?.attributes['url.full']).toBe(`${server.url}/inner`);
    expect(activeInHook).toEqual(ids(outerSpan as never));
    expect(innerSpan?.parentSpanContext?.spanId).toBe(outerSpan?.spanContext().spanId);
    expect(innerSpan?.spanContext().traceId).toBe(outerSpan?.spanContext().traceId);
    // A send with no span active starts a trace of its own.
    expect(outerSpan?.parentSpanContext).toBeUndefined();
  });

  it('the caller’s context is unchanged once the send returns', async () => {
    sdk = otelSdk();
    client = new Client({ telemetry: sdk.telemetry });
    await sdk.tracer.startActiveSpan('job', async (job) => {
      await client.get(`${server.url}/x`);
      expect(ids(trace.getActiveSpan())).toEqual(ids(job));
      job.end();
    });
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
