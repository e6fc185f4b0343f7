import selfsigned from 'selfsigned';
import { describe, expect, it, vi } from 'vitest';
import { at, iso, withClock } from './fake-clock-harness.js';
import { harness } from './helpers.js';
import { startReceiver } from './webhook-receiver.js';

describe('webhook delivery: real POSTs, retries with backoff, TLS', () => {
  it('ACTOR.RUN.SUCCEEDED delivers one POST with the default payload and the platform headers', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    await using receiver = await startReceiver();
    const actor = h.emulator.registerActor('succeeds', () => undefined);
    const webhook = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
      headersTemplate: '{"X-Secret": "abc", "content-type": "text/xml"}',
    } as never);

    const run = await h.client.actor(actor.id).call(undefined, { log: null });
    const [dispatch] = (await h.client.webhook(webhook.id).dispatches().list()).items;
    expect(dispatch).toMatchObject({ status: 'ACTIVE', eventType: 'ACTOR.RUN.SUCCEEDED', calls: [] });
    await clock.advance(0);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const resource = ((await (await h.raw(`/v2/actor-runs/${run.id}`)).json()) as { data: unknown }).data;
    expect(request?.json).toEqual({
      userId: 'EmuLaToRuSeR00001',
      createdAt: at(0).toISOString(),
      eventType: 'ACTOR.RUN.SUCCEEDED',
      eventData: { actorId: actor.id, actorRunId: run.id },
      resource,
    });
    expect(request).toMatchObject({ method: 'POST', path: '/hook?secret=s3' });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-secret': 'abc',
      'x-apify-webhook': webhook.id,
      'x-apify-webhook-dispatch-id': dispatch?.id,
      'x-apify-request-origin': 'WEBHOOK',
    });
    expect(await h.client.webhookDispatch(dispatch?.id ?? '').get()).toEqual({
      id: dispatch?.id,
      userId: 'EmuLaToRuSeR00001',
      webhookId: webhook.id,
      createdAt: at(0),
      status: 'SUCCEEDED',
      eventType: 'ACTOR.RUN.SUCCEEDED',
      eventData: { actorId: actor.id, actorRunId: run.id },
      calls: [
        {
          startedAt: at(0),
          finishedAt: at(0),
          errorMessage: null,
          responseStatus: 200,
          responseBody: 'answer 1: 200',
        },
      ],
      webhook: { requestUrl: receiver.url, isAdHoc: false },
    });
    expect(await h.client.webhook(webhook.id).get()).toMatchObject({
      lastDispatch: { status: 'SUCCEEDED', finishedAt: at(0) },
      stats: { totalDispatches: 1 },
    });
  });

  it('after the receiver fails twice, the third call delivers, at the platform backoff (1 min, then 2 min)', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    await using receiver = await startReceiver([500, 503, 200]);
    const actor = h.emulator.registerActor('flaky-receiver', () => undefined);
    const webhook = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
    } as never);
    await h.client.actor(actor.id).call(undefined, { log: null });

    await clock.advance(0);
    await clock.advance(59_999);
    expect(receiver.requests).toHaveLength(1);
    await clock.advance(1);
    expect(receiver.requests).toHaveLength(2);
    await clock.advance(119_999);
    expect(receiver.requests).toHaveLength(2);
    await clock.advance(1);
    expect(receiver.requests).toHaveLength(3);

    const dispatches = await h.client.webhook(webhook.id).dispatches().list();
    expect(dispatches.total).toBe(1);
    const refused = (status: number) => `The receiver answered ${status}; a webhook call needs a 2xx answer`;
    // The official client turns dates into Date objects only a few levels deep: list items keep strings.
    expect(dispatches.items[0]).toMatchObject({
      status: 'SUCCEEDED',
      calls: [
        {
          startedAt: iso(0),
          finishedAt: iso(0),
          errorMessage: refused(500),
          responseStatus: 500,
          responseBody: 'answer 1: 500',
        },
        {
          startedAt: iso(60_000),
          finishedAt: iso(60_000),
          errorMessage: refused(503),
          responseStatus: 503,
          responseBody: 'answer 2: 503',
        },
        {
          startedAt: iso(180_000),
          finishedAt: iso(180_000),
          errorMessage: null,
          responseStatus: 200,
          responseBody: 'answer 3: 200',
        },
      ],
    });
    const all = (await (await h.raw('/v2/webhook-dispatches')).json()) as {
      data: { total: number; items: { id: string }[] };
    };
    expect(all.data.total).toBe(1);
    expect(all.data.items[0]?.id).toBe(dispatches.items[0]?.id);
    expect(clock.pendingTimers).toBe(0);
  });

  it('doNotRetry fails after one call; maxRetries bounds the retries; an unreachable URL is a call error', async () => {
    const { clock, h } = await withClock({ webhookDelivery: { maxRetries: 2, firstRetryDelayMs: 10 } });
    await using _ = h;
    await using receiver = await startReceiver([500, 500, 500, 500]);
    const actor = h.emulator.registerActor('always-failing-receiver', () => undefined);
    const once = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: `${receiver.url}&hook=once`,
      doNotRetry: true,
    } as never);
    const bounded = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: 'http://127.0.0.1:9/refused',
    } as never);
    await h.client.actor(actor.id).call(undefined, { log: null });
    await clock.advance(1000);

    const [onceDispatch] = (await h.client.webhook(once.id).dispatches().list()).items;
    expect(onceDispatch?.status).toBe('FAILED');
    expect(onceDispatch?.calls.map((call) => call.responseStatus)).toEqual([500]);
    const [boundedDispatch] = (await h.client.webhook(bounded.id).dispatches().list()).items;
    expect(boundedDispatch?.status).toBe('FAILED');
    expect(boundedDispatch?.calls.map((call) => call.startedAt)).toEqual([iso(0), iso(10), iso(30)]);
    for (const call of boundedDispatch?.calls ?? []) {
      expect(call).toMatchObject({ responseStatus: null, responseBody: null });
      expect(call.errorMessage).toMatch(/^Cannot send the request: connect ECONNREFUSED 127\.0\.0\.1:9$/);
    }
  });

  it('a short backoff on the real clock delivers on the third try', async () => {
    await using h = await harness('http', { runDurationMs: 0, webhookDelivery: { firstRetryDelayMs: 5 } });
    await using receiver = await startReceiver([500, 500, 200]);
    const actor = h.emulator.registerActor('real-time', () => undefined);
    const webhook = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
    } as never);
    await h.client.actor(actor.id).call(undefined, { log: null });
    await receiver.received(3);
    await vi.waitFor(async () => {
      const [dispatch] = (await h.client.webhook(webhook.id).dispatches().list()).items;
      expect(dispatch?.status).toBe('SUCCEEDED');
      expect(dispatch?.calls.map((call) => call.responseStatus)).toEqual([500, 500, 200]);
    });
  });

  it('ignoreSslErrors decides whether a self-signed HTTPS receiver is accepted', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    await using receiver = await startReceiver([], { key: pems.private, cert: pems.cert });
    const actor = h.emulator.registerActor('tls', () => undefined);
    const strict = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
      doNotRetry: true,
    } as never);
    const lenient = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
      ignoreSslErrors: true,
    } as never);
    await h.client.actor(actor.id).call(undefined, { log: null });
    await clock.advance(0);
    const [strictDispatch] = (await h.client.webhook(strict.id).dispatches().list()).items;
    expect(strictDispatch?.status).toBe('FAILED');
    // Node 24 appends a hint about --use-system-ca to the TLS error; the reason itself is the same.
    expect(strictDispatch?.calls[0]?.errorMessage).toMatch(
      /^Cannot send the request: self-signed certificate(;|$)/,
    );
    const [lenientDispatch] = (await h.client.webhook(lenient.id).dispatches().list()).items;
    expect(lenientDispatch?.status).toBe('SUCCEEDED');
    expect(receiver.requests).toHaveLength(1);
  });
});
