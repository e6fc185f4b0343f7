import { describe, expect, it } from 'vitest';
import { at, errorOf, START, withClock } from './fake-clock-harness.js';
import { startReceiver } from './webhook-receiver.js';

describe('webhooks through the official client', () => {
  it('CRUD with the platform shape; an idempotencyKey creates one webhook only', async () => {
    const { h } = await withClock();
    await using _ = h;
    const actor = h.emulator.registerActor('hooked', () => undefined);
    const body = {
      eventTypes: ['ACTOR.RUN.SUCCEEDED', 'ACTOR.RUN.FAILED'],
      condition: { actorId: actor.id },
      requestUrl: 'http://127.0.0.1:9/hook',
      idempotencyKey: 'only-once',
      description: 'notify me',
    };
    const created = await h.client.webhooks().create(body as never);
    expect(created).toEqual({
      id: expect.stringMatching(/^[a-zA-Z0-9]{17}$/),
      createdAt: at(0),
      modifiedAt: at(0),
      userId: 'EmuLaToRuSeR00001',
      isAdHoc: false,
      isApifyIntegration: false,
      isEnabled: true,
      actionType: 'HTTP_REQUEST',
      shouldInterpolateStrings: false,
      eventTypes: ['ACTOR.RUN.SUCCEEDED', 'ACTOR.RUN.FAILED'],
      condition: { actorId: actor.id },
      ignoreSslErrors: false,
      doNotRetry: false,
      requestUrl: 'http://127.0.0.1:9/hook',
      payloadTemplate:
        '{\n    "userId": {{userId}},\n    "createdAt": {{createdAt}},\n    "eventType": {{eventType}},\n    "eventData": {{eventData}},\n    "resource": {{resource}}\n}',
      headersTemplate: null,
      description: 'notify me',
      idempotencyKey: 'only-once',
      lastDispatch: null,
      stats: { totalDispatches: 0 },
    });
    expect((await h.client.webhooks().create(body as never)).id).toBe(created.id);
    expect((await h.client.webhooks().list()).total).toBe(1);
    expect((await h.client.actor(actor.id).webhooks().list()).items.map((w) => w.id)).toEqual([created.id]);

    const updated = await h.client
      .webhook(created.id)
      .update({ doNotRetry: true, payloadTemplate: '{"run": {{resource.id}}}' } as never);
    expect(updated).toMatchObject({ doNotRetry: true, payloadTemplate: '{"run": {{resource.id}}}' });
    expect(await h.client.webhook(created.id).get()).toEqual(updated);

    const forTask = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorTaskId: 'someTaskId0000001' },
      requestUrl: 'http://127.0.0.1:9/task-hook',
    } as never);
    expect((await h.client.task('someTaskId0000001').webhooks().list()).items.map((w) => w.id)).toEqual([
      forTask.id,
    ]);
    expect((await h.client.actor(actor.id).webhooks().list()).total).toBe(1);

    await h.client.webhook(created.id).delete();
    await h.client.webhook(forTask.id).delete();
    expect(await h.client.webhook(created.id).get()).toBeUndefined();
    expect((await h.client.webhooks().list()).total).toBe(0);
    const gone = await h.raw(`/v2/webhooks/${created.id}/dispatches`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({
      error: { type: 'record-not-found', message: `Webhook '${created.id}' was not found` },
    });
  });

  it('refuses bad event types, URLs, conditions and templates before saving anything', async () => {
    const { h } = await withClock();
    await using _ = h;
    const create = (fields: Record<string, unknown>) =>
      errorOf(
        h.client.webhooks().create({
          eventTypes: ['ACTOR.RUN.SUCCEEDED'],
          condition: { actorId: 'a' },
          requestUrl: 'https://example.test/',
          ...fields,
        } as never),
      );
    expect(await create({ eventTypes: ['ACTOR.RUN.EXPLODED'] })).toMatchObject({
      statusCode: 400,
      type: 'invalid-value',
      message: expect.stringMatching(
        /^webhook\.eventTypes: "ACTOR\.RUN\.EXPLODED" is not one of ACTOR\.RUN\.CREATED, /,
      ),
    });
    expect(await create({ requestUrl: 'ftp://example.test/' })).toMatchObject({
      message: "webhook.requestUrl must be an http or https URL, got 'ftp:'",
    });
    expect(await create({ condition: {} })).toMatchObject({
      message: 'webhook.condition needs one of actorId, actorTaskId or actorRunId',
    });
    expect(await create({ payloadTemplate: '{"t": {{token}}}' })).toMatchObject({
      statusCode: 400,
      message:
        "Webhook payloadTemplate is invalid: Unknown variable '{{token}}': use one of userId, createdAt, eventType, eventData, resource, globals (with .property paths)",
    });
    expect(await create({ headersTemplate: '["not", "an", "object"]' })).toMatchObject({
      message: 'Webhook headersTemplate is invalid: The headers template must render to a JSON object',
    });
    expect((await h.client.webhooks().list()).total).toBe(0);
  });

  it('conditions pick the runs: by actor and by run; event types pick CREATED, FAILED and ABORTED', async () => {
    const { clock, h } = await withClock({ runDurationMs: 600_000 });
    await using _ = h;
    await using receiver = await startReceiver();
    const failing = h.emulator.registerActor('fails', () => {
      throw new Error('boom');
    });
    const other = await h.client.actors().create({ name: 'other' } as never);
    const events = ['ACTOR.RUN.CREATED', 'ACTOR.RUN.SUCCEEDED', 'ACTOR.RUN.FAILED', 'ACTOR.RUN.ABORTED'];
    const template = '{"hook": "failing", "event": {{eventType}}, "run": {{eventData.actorRunId}}}';
    await h.client.webhooks().create({
      eventTypes: events,
      condition: { actorId: failing.id },
      requestUrl: receiver.url,
      payloadTemplate: template,
    } as never);
    const run = await h.client.actor(failing.id).call(undefined, { log: null });
    expect(run.status).toBe('FAILED');
    const otherRun = await h.client.actor(other.id).start();
    await h.client.webhooks().create({
      eventTypes: events,
      condition: { actorRunId: otherRun.id },
      requestUrl: receiver.url,
      payloadTemplate: template.replace('failing', 'other-run'),
    } as never);
    await h.client.run(otherRun.id).abort();
    await h.client.run(otherRun.id).waitForFinish();
    await clock.advance(0);

    expect(receiver.requests.map((r) => r.json)).toEqual([
      { hook: 'failing', event: 'ACTOR.RUN.CREATED', run: run.id },
      { hook: 'failing', event: 'ACTOR.RUN.FAILED', run: run.id },
      { hook: 'other-run', event: 'ACTOR.RUN.ABORTED', run: otherRun.id },
    ]);
  });

  it('ACTOR.RUN.TIMED_OUT fires when a run passes its timeout', async () => {
    const { clock, h } = await withClock({ runDurationMs: 600_000 });
    await using _ = h;
    await using receiver = await startReceiver();
    const actor = await h.client.actors().create({ name: 'slow' } as never);
    await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.TIMED_OUT', 'ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
      payloadTemplate: '{"event": {{eventType}}, "status": {{resource.status}}}',
    } as never);
    const run = await h.client.actor(actor.id).start(undefined, { timeout: 1 });
    expect((await h.client.run(run.id).waitForFinish()).status).toBe('TIMED-OUT');
    await clock.advance(0);
    expect(receiver.requests.map((r) => r.json)).toEqual([
      { event: 'ACTOR.RUN.TIMED_OUT', status: 'TIMED-OUT' },
    ]);
  });

  it('interpolates strings in payload and headers templates when shouldInterpolateStrings is on', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    await using receiver = await startReceiver();
    const actor = h.emulator.registerActor('interpolated', () => undefined);
    await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
      shouldInterpolateStrings: true,
      payloadTemplate:
        '{"text": "Run {{resource.id}} ended {{resource.status}}", "data": "{{eventData}}", "when": "{{globals.dateISO}}", "unix": {{globals.dateUnix}}}',
      headersTemplate: '{"X-Run": "{{resource.id}}"}',
    } as never);
    const run = await h.client.actor(actor.id).call(undefined, { log: null });
    await clock.advance(0);
    expect(receiver.requests[0]?.json).toEqual({
      text: `Run ${run.id} ended SUCCEEDED`,
      data: { actorId: actor.id, actorRunId: run.id },
      when: at(0).toISOString(),
      unix: START / 1000,
    });
    expect(receiver.requests[0]?.headers['x-run']).toBe(run.id);
  });

  it('POST webhooks/{id}/test sends a TEST event at once and answers with its dispatch', async () => {
    const { h } = await withClock();
    await using _ = h;
    await using receiver = await startReceiver([201]);
    const webhook = await h.client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: 'someActorId000001' },
      requestUrl: receiver.url,
    } as never);
    const dispatch = await h.client.webhook(webhook.id).test();
    expect(dispatch).toMatchObject({
      webhookId: webhook.id,
      status: 'SUCCEEDED',
      eventType: 'TEST',
      eventData: { actorId: 'someActorId000001' },
      calls: [{ errorMessage: null, responseStatus: 201, responseBody: 'answer 1: 201' }],
    });
    expect(receiver.requests[0]?.json).toMatchObject({ eventType: 'TEST', resource: {} });
    expect((await h.client.webhookDispatches().list()).items.map((d) => d.id)).toEqual([dispatch?.id]);
  });

  it('ad-hoc webhooks passed at run start fire for that run; a bad parameter starts no run', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    await using receiver = await startReceiver();
    const actor = h.emulator.registerActor('ad-hoc', () => undefined);
    const run = await h.client.actor(actor.id).start(
      { q: 1 },
      {
        webhooks: [
          {
            eventTypes: ['ACTOR.RUN.SUCCEEDED'] as never,
            requestUrl: receiver.url,
            payloadTemplate: '{"hello": "world", "resource": {{resource}}}',
          },
        ],
      },
    );
    await h.client.run(run.id).waitForFinish();
    await clock.advance(0);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.json).toMatchObject({
      hello: 'world',
      resource: { id: run.id, status: 'SUCCEEDED' },
    });
    const [webhook] = (await h.client.webhooks().list()).items;
    expect(webhook).toMatchObject({
      isAdHoc: true,
      condition: { actorRunId: run.id },
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
    });

    const bad = await h.raw(
      `/v2/acts/${actor.id}/runs?webhooks=${encodeURIComponent(btoa('{"not":"an array"}'))}`,
      {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      },
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        type: 'invalid-parameter',
        message: "Parameter 'webhooks' must decode to a JSON array of webhooks",
      },
    });
    expect((await h.client.actor(actor.id).runs().list()).total).toBe(1);
  });

  it('a build of the actor fires ACTOR.BUILD.CREATED and ACTOR.BUILD.SUCCEEDED', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    await using receiver = await startReceiver();
    const actor = await h.client.actors().create({ name: 'built' } as never);
    await h.client.webhooks().create({
      eventTypes: ['ACTOR.BUILD.CREATED', 'ACTOR.BUILD.SUCCEEDED', 'ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: receiver.url,
      payloadTemplate: '{"event": {{eventType}}, "data": {{eventData}}, "status": {{resource.status}}}',
    } as never);
    const build = await h.client.actor(actor.id).build('0.0');
    await clock.advance(0);
    expect(receiver.requests.map((r) => r.json)).toEqual([
      {
        event: 'ACTOR.BUILD.CREATED',
        data: { actorId: actor.id, actorBuildId: build.id },
        status: 'SUCCEEDED',
      },
      {
        event: 'ACTOR.BUILD.SUCCEEDED',
        data: { actorId: actor.id, actorBuildId: build.id },
        status: 'SUCCEEDED',
      },
    ]);
  });
});
