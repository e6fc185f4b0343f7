import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe.each(MODES)('run-sync and run-sync-get-dataset-items (%s)', (mode) => {
  it('all four variants wait for the run and answer 201 with its OUTPUT or its items', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('producer', async (input, ctx) => {
      const n = (input as { n?: number } | undefined)?.n ?? 1;
      await ctx.dataset.pushItems(Array.from({ length: n }, (_, i) => ({ i, tag: `item-${i}` })));
      await ctx.keyValueStore.setRecord('OUTPUT', { produced: n });
      await ctx.keyValueStore.setRecord('summary', `made ${n}`);
    });
    const post = await h.raw('/v2/acts/emulator~producer/run-sync', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ n: 3 }),
    });
    expect(post.status).toBe(201);
    expect(post.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await post.json()).toEqual({ produced: 3 });

    const get = await h.raw('/v2/actors/emulator~producer/run-sync?outputRecordKey=summary');
    expect(get.status).toBe(201);
    expect(await get.text()).toBe('made 1');

    const items = await h.raw('/v2/actors/emulator~producer/run-sync-get-dataset-items?fields=tag&desc=1', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ n: 2 }),
    });
    expect(items.status).toBe(201);
    expect(items.headers.get('x-apify-pagination-total')).toBe('2');
    expect(await items.json()).toEqual([{ tag: 'item-1' }, { tag: 'item-0' }]);

    const csv = await h.raw('/v2/actors/emulator~producer/run-sync-get-dataset-items?format=csv&bom=0');
    expect(csv.status).toBe(201);
    expect(await csv.text()).toBe('i,tag\r\n0,item-0\r\n');

    const runs = await h.client.actor('producer').runs().list();
    expect(runs.total).toBe(4);
    expect(runs.items.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const last = await h.client.actor('producer').lastRun().get();
    expect((await h.client.dataset(last?.defaultDatasetId ?? '').listItems()).items).toEqual([
      { i: 0, tag: 'item-0' },
    ]);
  });

  it('a run that does not succeed answers 400 run-failed naming the run', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('thrower', () => {
      throw new Error('boom');
    });
    const response = await h.raw('/v2/actors/thrower/run-sync', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{}',
    });
    expect(response.status).toBe(400);
    const run = await h.client.actor('thrower').lastRun().get();
    expect(await response.json()).toEqual({
      error: {
        type: 'run-failed',
        message: `Actor run did not succeed (run ID: ${run?.id}, status: FAILED)`,
      },
    });
  });

  it('past the wait limit it answers 408 run-timeout-exceeded and the run goes on', async () => {
    await using h = await harness(mode, { syncRunWaitMs: 200, runDurationMs: 60_000 });
    await h.client.actors().create({ name: 'slow' } as never);
    const response = await h.raw('/v2/actors/slow/run-sync-get-dataset-items', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{}',
    });
    expect(response.status).toBe(408);
    expect((await response.json()).error).toEqual({
      type: 'run-timeout-exceeded',
      message: 'Actor run exceeded the timeout of 0.2 seconds for this API endpoint',
    });
    expect((await h.client.actor('slow').lastRun().get())?.status).toBe('RUNNING');
  });

  it('an actor without an OUTPUT record answers an empty 201', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('silent', () => undefined);
    const response = await h.raw('/v2/actors/silent/run-sync');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
  });
});
