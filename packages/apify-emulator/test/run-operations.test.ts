import { describe, expect, it } from 'vitest';
import type { ActorContext } from '../src/index.js';
import { harness, MODES } from './helpers.js';

/** Resolves when the run's code is stopped (metamorph, reboot, abort): the code then returns like a killed process. */
function untilStopped(ctx: ActorContext): Promise<void> {
  return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function runData(
  h: { raw(path: string): Promise<Response> },
  id: string,
): Promise<Record<string, unknown>> {
  return (await (await h.raw(`/v2/actor-runs/${id}`)).json()).data;
}

const PPE = [
  {
    pricingModel: 'PAY_PER_EVENT',
    pricingPerEvent: {
      actorChargeEvents: {
        'page-scraped': { eventTitle: 'Page scraped', eventPriceUsd: 0.01, eventDescription: 'One page' },
      },
    },
  },
];

describe.each(MODES)('run operations: update, delete, metamorph, reboot, resurrect, charge (%s)', (mode) => {
  it('isStatusMessageTerminal round-trips as set, and the final message survives the finish', async () => {
    await using h = await harness(mode, { runDurationMs: 60_000 });
    const actor = await h.client.actors().create({ name: 'status' } as never);
    const run = await h.client.actor(actor.id).start();
    await h.client.run(run.id).update({ statusMessage: 'Crawled 5 of 10 pages' });
    expect(await runData(h, run.id)).toMatchObject({
      statusMessage: 'Crawled 5 of 10 pages',
      isStatusMessageTerminal: false,
    });
    // What the SDK sends at the end of Actor.exit().
    const put = await h.raw(`/v2/actor-runs/${run.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusMessage: 'Done: 10 pages', isStatusMessageTerminal: true }),
    });
    expect(put.status).toBe(200);
    expect(await runData(h, run.id)).toMatchObject({
      finishedAt: null,
      statusMessage: 'Done: 10 pages',
      isStatusMessageTerminal: true,
    });
    await h.client.run(run.id).abort();
    expect(await runData(h, run.id)).toMatchObject({
      status: 'ABORTED',
      statusMessage: 'Done: 10 pages',
      isStatusMessageTerminal: true,
    });
    await h.client.run(run.id).update({ isStatusMessageTerminal: false } as never);
    expect((await runData(h, run.id)).isStatusMessageTerminal).toBe(false);

    const bad = await h.raw(`/v2/actor-runs/${run.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusMessage: 'x', isStatusMessageTerminal: 'yes' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe('invalid-value');
    expect((await runData(h, run.id)).statusMessage).toBe('Done: 10 pages');
  });

  it('DELETE refuses a running run and removes a finished one', async () => {
    await using h = await harness(mode, { runDurationMs: 60_000 });
    const actor = await h.client.actors().create({ name: 'deletable' } as never);
    const run = await h.client.actor(actor.id).start();
    const refused = await h.raw(`/v2/actor-runs/${run.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.type).toBe('cannot-remove-running-run');
    await h.client.run(run.id).abort();
    await h.client.run(run.id).delete();
    expect(await h.client.run(run.id).get()).toBeUndefined();
  });

  it('metamorph keeps the run ID and storages; the new input goes to INPUT-METAMORPH-1', async () => {
    await using h = await harness(mode);
    const started = deferred();
    const calls: string[] = [];
    h.emulator.registerActor('router', async (input, ctx) => {
      calls.push(`router ${JSON.stringify(input)}`);
      await ctx.dataset.pushItems({ from: 'router' });
      started.resolve();
      await untilStopped(ctx);
      throw new Error('killed: this outcome must not count');
    });
    const target = h.emulator.registerActor('finisher', async (input, ctx) => {
      calls.push(`finisher ${JSON.stringify(input)}`);
      await ctx.dataset.pushItems({ from: 'finisher' });
      await ctx.keyValueStore.setRecord('OUTPUT', { done: true });
    });
    const run = await h.client.actor('router').start({ stage: 1 });
    await started.promise;
    const morphed = await h.client.run(run.id).metamorph(target.id, { stage: 2 });
    expect(morphed).toMatchObject({ id: run.id, actId: target.id, defaultDatasetId: run.defaultDatasetId });

    const finished = await h.client.run(run.id).waitForFinish();
    expect(finished).toMatchObject({
      id: run.id,
      actId: target.id,
      status: 'SUCCEEDED',
      defaultDatasetId: run.defaultDatasetId,
      defaultKeyValueStoreId: run.defaultKeyValueStoreId,
      defaultRequestQueueId: run.defaultRequestQueueId,
    });
    expect(calls).toEqual(['router {"stage":1}', 'finisher {"stage":2}']);
    const store = h.client.keyValueStore(run.defaultKeyValueStoreId);
    expect((await store.getRecord('INPUT'))?.value).toEqual({ stage: 1 });
    expect((await store.getRecord('INPUT-METAMORPH-1'))?.value).toEqual({ stage: 2 });
    expect((await h.client.dataset(run.defaultDatasetId).listItems()).items).toEqual([
      { from: 'router' },
      { from: 'finisher' },
    ]);
    const data = await runData(h, run.id);
    expect(data.metamorphs).toEqual([
      {
        createdAt: expect.any(String),
        actorId: target.id,
        buildId: finished.buildId,
        inputKey: 'INPUT-METAMORPH-1',
      },
    ]);
    // The run stays reachable under the actor it was started for.
    expect((await h.client.actor('router').lastRun().get())?.id).toBe(run.id);

    const again = await h.raw(`/v2/actor-runs/${run.id}/metamorph?targetActorId=${target.id}`, {
      method: 'POST',
    });
    expect(again.status).toBe(400);
    expect((await again.json()).error.type).toBe('job-finished');
  });

  it('reboot restarts the code with the same input and storages', async () => {
    await using h = await harness(mode);
    const firstStarted = deferred();
    const inputs: unknown[] = [];
    h.emulator.registerActor('flaky', async (input, ctx) => {
      inputs.push(input);
      if (inputs.length === 1) {
        firstStarted.resolve();
        await untilStopped(ctx);
        return;
      }
      await ctx.dataset.pushItems({ attempt: inputs.length });
    });
    const run = await h.client.actor('flaky').start({ page: 7 });
    await firstStarted.promise;
    const rebooted = await h.client.run(run.id).reboot();
    expect(rebooted.id).toBe(run.id);
    const finished = await h.client.run(run.id).waitForFinish();
    expect(finished.status).toBe('SUCCEEDED');
    expect(finished.stats).toMatchObject({ rebootCount: 1 });
    expect(inputs).toEqual([{ page: 7 }, { page: 7 }]);
    expect((await h.client.dataset(run.defaultDatasetId).listItems()).items).toEqual([{ attempt: 2 }]);
    expect(await h.client.run(run.id).log().get()).toContain('ACTOR: Run was rebooted.');
  });

  it('resurrect: a finished run goes back to RUNNING with the same storages', async () => {
    await using h = await harness(mode);
    let calls = 0;
    h.emulator.registerActor('again', async (_input, ctx) => {
      calls++;
      await ctx.dataset.pushItems({ call: calls });
    });
    const first = await h.client.actor('again').call(undefined, { log: null });
    expect(first.status).toBe('SUCCEEDED');
    const running = await h.raw(`/v2/actor-runs/${first.id}/resurrect?memory=512`, { method: 'POST' });
    expect(running.status).toBe(200);
    const resurrected = (await running.json()).data;
    expect(resurrected).toMatchObject({ id: first.id, status: 'READY', finishedAt: null, exitCode: null });
    const finished = await h.client.run(first.id).waitForFinish();
    expect(finished).toMatchObject({
      id: first.id,
      status: 'SUCCEEDED',
      defaultDatasetId: first.defaultDatasetId,
      options: { memoryMbytes: 512 },
      stats: { resurrectCount: 1 },
    });
    expect((await h.client.dataset(first.defaultDatasetId).listItems()).items).toEqual([
      { call: 1 },
      { call: 2 },
    ]);
    expect(await h.client.run(first.id).log().get()).toMatch(
      /Run succeeded\.\n.*Run was resurrected\.\n.*Run started\.\n.*Run succeeded\.\n$/s,
    );

    await h.client.run(first.id).resurrect();
    const again = await h.client.run(first.id).waitForFinish();
    expect(again.stats).toMatchObject({ resurrectCount: 2 });
    expect(calls).toBe(3);
  });

  it('resurrect refuses a run that has not finished', async () => {
    await using h = await harness(mode, { runDurationMs: 60_000 });
    const actor = await h.client.actors().create({ name: 'still-running' } as never);
    const run = await h.client.actor(actor.id).start();
    const refused = await h.raw(`/v2/actor-runs/${run.id}/resurrect`, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.type).toBe('operation-not-allowed');
    expect((await runData(h, run.id)).stats).toMatchObject({ resurrectCount: 0 });
  });

  it('charge with the same idempotency key twice counts once', async () => {
    await using h = await harness(mode, { runDurationMs: 60_000 });
    const actor = await h.client.actors().create({ name: 'priced', pricingInfos: PPE } as never);
    const run = await h.client.actor(actor.id).start();
    const charges = h.client.run(run.id);
    await charges.charge({ eventName: 'page-scraped', count: 1, idempotencyKey: 'page-1' });
    await charges.charge({ eventName: 'page-scraped', count: 1, idempotencyKey: 'page-1' });
    await charges.charge({ eventName: 'page-scraped', count: 2, idempotencyKey: 'pages-2-3' });
    const data = await runData(h, run.id);
    expect(data.chargedEventCounts).toEqual({ 'page-scraped': 3 });
    expect(data.pricingInfo).toEqual(PPE[0]);
    expect(data.usageTotalUsd).toBeCloseTo(0.03, 10);

    const unknown = await h.raw(`/v2/actor-runs/${run.id}/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: JSON.stringify({ eventName: 'unknown-event', count: 1 }),
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toBe(
      "Event 'unknown-event' is not one of the actor's events (page-scraped)",
    );
    await h.client.run(run.id).abort();

    const free = await h.client.actors().create({ name: 'free' } as never);
    const freeRun = await h.client.actor(free.id).start();
    const refused = await h.raw(`/v2/actor-runs/${freeRun.id}/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventName: 'page-scraped' }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.type).toBe('cannot-charge-non-pay-per-event-actor');
    expect((await runData(h, freeRun.id)).chargedEventCounts).toBeUndefined();
  });
});
