import { describe, expect, it, vi } from 'vitest';
import { harness, MODES } from './helpers.js';

describe.each(MODES)('actors and runs through the official client (%s)', (mode) => {
  it('start → waitForFinish SUCCEEDED, with the input stored as INPUT', async () => {
    await using h = await harness(mode, { runDurationMs: 150 });
    const actor = await h.client.actors().create({ name: 'plain' } as never);
    expect(actor).toMatchObject({ name: 'plain', username: 'emulator' });
    const run = await h.client.actor(actor.id).start({ query: 'shoes', max: 3 });
    expect(['READY', 'RUNNING']).toContain(run.status);
    expect(run.actId).toBe(actor.id);
    expect(run.id).toMatch(/^[a-zA-Z0-9]{17}$/);

    const finished = await h.client.run(run.id).waitForFinish();
    expect(finished.status).toBe('SUCCEEDED');
    expect(finished.exitCode).toBe(0);
    expect(finished.finishedAt).toBeInstanceOf(Date);
    expect(await h.client.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT')).toEqual({
      key: 'INPUT',
      value: { query: 'shoes', max: 3 },
      contentType: 'application/json',
    });
    const byName = await h.client.actor('emulator/plain').get();
    expect(byName?.id).toBe(actor.id);
    expect((await h.client.actor(actor.id).lastRun().get())?.id).toBe(run.id);
    expect(await h.client.actor('nobody/nothing').get()).toBeUndefined();
    const log = await h.client.run(run.id).log().get();
    expect(log).toMatch(/ACTOR: Run started\.\n.*ACTOR: Run succeeded\.\n$/s);
  });

  it('actor.call() runs an in-process actor function that writes to the run storages', async () => {
    await using h = await harness(mode);
    let seenInput: unknown;
    const registered = h.emulator.registerActor('tester/pusher', async (input, ctx) => {
      seenInput = input;
      ctx.log('pushing items');
      const { count } = input as { count: number };
      await ctx.dataset.pushItems(Array.from({ length: count }, (_, i) => ({ i, runId: ctx.runId })));
      await ctx.keyValueStore.setRecord('OUTPUT', { pushed: count });
      await ctx.requestQueue.addRequest({ url: 'https://example.com/next' });
    });
    expect(registered).toEqual({
      id: expect.stringMatching(/^[a-zA-Z0-9]{17}$/),
      name: 'pusher',
      username: 'tester',
    });

    const run = await h.client.actor('tester/pusher').call({ count: 3 }, { log: null });
    expect(run.status).toBe('SUCCEEDED');
    expect(seenInput).toEqual({ count: 3 });
    const { items } = await h.client.dataset(run.defaultDatasetId).listItems();
    expect(items).toEqual([0, 1, 2].map((i) => ({ i, runId: run.id })));
    expect((await h.client.run(run.id).keyValueStore().getRecord('OUTPUT'))?.value).toEqual({ pushed: 3 });
    expect((await h.client.run(run.id).dataset().listItems()).total).toBe(3);
    expect((await h.client.run(run.id).requestQueue().listHead()).items.map((i) => i.url)).toEqual([
      'https://example.com/next',
    ]);
    expect(await h.client.run(run.id).log().get()).toContain(' pushing items\n');
  });

  it('actor.call() with the default log redirection ends when the run ends', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('logger', async (_input, ctx) => {
      ctx.log('hello from the actor');
    });
    // The redirected log goes to the console; it is kept out of the test output (how much of it
    // arrives before call() returns is up to the official client's streaming).
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    try {
      const run = await h.client.actor('logger').call();
      expect(run.status).toBe('SUCCEEDED');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('gives the actor function working storage handles', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('crawler', async (input, ctx) => {
      const stored = await ctx.keyValueStore.getRecord('INPUT');
      await ctx.keyValueStore.setRecord('echo', stored);
      await ctx.keyValueStore.setRecord('bytes', new Uint8Array([1, 2, 3]));
      await ctx.keyValueStore.setRecord('tmp', 'gone soon');
      await ctx.keyValueStore.deleteRecord('tmp');
      for (const url of (input as { urls: string[] }).urls) await ctx.requestQueue.addRequest({ url });
      const dup = await ctx.requestQueue.addRequest({ url: 'https://a.test/1' });
      const seen: string[] = [];
      for (
        let next = await ctx.requestQueue.nextRequest();
        next;
        next = await ctx.requestQueue.nextRequest()
      ) {
        seen.push(next.url);
        await ctx.requestQueue.markHandled(next.id);
      }
      await ctx.dataset.pushItems({ seen, dupWasPresent: dup.wasAlreadyPresent });
      ctx.setStatusMessage(`crawled ${seen.length}`);
      const listed = await ctx.dataset.listItems();
      await ctx.keyValueStore.setRecord('count', listed.length);
    });
    const run = await h.client
      .actor('crawler')
      .call({ urls: ['https://a.test/1', 'https://a.test/2'] }, { log: null });
    expect([run.status, run.statusMessage]).toEqual(['SUCCEEDED', 'crawled 2']);
    const kvs = h.client.keyValueStore(run.defaultKeyValueStoreId);
    expect(await kvs.getRecord('echo')).toEqual({
      key: 'echo',
      value: { value: { urls: ['https://a.test/1', 'https://a.test/2'] }, contentType: 'application/json' },
      contentType: 'application/json; charset=utf-8',
    });
    expect(await kvs.getRecord('bytes', { buffer: true })).toEqual({
      key: 'bytes',
      value: Buffer.from([1, 2, 3]),
      contentType: 'application/octet-stream',
    });
    expect(await kvs.recordExists('tmp')).toBe(false);
    expect((await kvs.getRecord('count'))?.value).toBe(1);
    expect((await h.client.dataset(run.defaultDatasetId).listItems()).items).toEqual([
      { seen: ['https://a.test/1', 'https://a.test/2'], dupWasPresent: true },
    ]);
    const queue = await h.client.requestQueue(run.defaultRequestQueueId).get();
    expect([queue?.totalRequestCount, queue?.handledRequestCount, queue?.pendingRequestCount]).toEqual([
      2, 2, 0,
    ]);
  });

  it('a run past its timeout is TIMED-OUT and its signal aborted', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('sleeper', (_input, ctx) => {
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    const run = await h.client.actor('sleeper').call(undefined, { timeout: 1, log: null });
    expect(run.status).toBe('TIMED-OUT');
    expect(run.options.timeoutSecs).toBe(1);
  });

  it('a throwing actor function makes the run FAILED with the error in the log', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('broken', () => {
      throw new Error('boom');
    });
    const run = await h.client.actor('broken').call(undefined, { log: null });
    expect([run.status, run.exitCode]).toEqual(['FAILED', 1]);
    expect(await h.client.run(run.id).log().get()).toContain('ERROR: Error: boom');
  });

  it('abort makes the run ABORTED and aborts the actor signal', async () => {
    await using h = await harness(mode);
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let signal: AbortSignal | null = null;
    h.emulator.registerActor('waiter', (_input, ctx) => {
      signal = ctx.signal;
      started();
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    const run = await h.client.actor('waiter').start();
    await running;
    expect((await h.client.run(run.id).get())?.status).toBe('RUNNING');
    const abortedRun = await h.client.run(run.id).abort();
    expect(abortedRun.status).toBe('ABORTED');
    expect((signal as AbortSignal | null)?.aborted).toBe(true);
    expect((await h.client.run(run.id).get())?.status).toBe('ABORTED');
  });

  it('streams the log with ?stream=1 while RUNNING and ends the stream when the run finishes', async () => {
    await using h = await harness(mode);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    h.emulator.registerActor('slow', async (_input, ctx) => {
      ctx.log('first line');
      started();
      await gate;
      ctx.log('second line');
    });
    const run = await h.client.actor('slow').start();
    await running;
    const response = await h.raw(`/v2/logs/${run.id}?stream=1`);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('first line')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value);
    }
    expect(text).not.toContain('second line');
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toMatch(/first line\n.*second line\n.*ACTOR: Run succeeded\.\n$/s);
    expect((await h.client.run(run.id).get())?.status).toBe('SUCCEEDED');
  });

  it('long-polls with waitForFinish on POST runs and serves run-scoped storage aliases', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('quick', async (_input, ctx) => {
      await ctx.dataset.pushItems({ done: true });
    });
    const run = await h.client.actor('quick').start(undefined, { waitForFinish: 10 });
    expect(run.status).toBe('SUCCEEDED');
    const items = await h.raw(`/v2/actor-runs/${run.id}/dataset/items`);
    expect(await items.json()).toEqual([{ done: true }]);
    const last = await h.raw(`/v2/actors/emulator~quick/runs/last/dataset/items?status=SUCCEEDED`);
    expect(await last.json()).toEqual([{ done: true }]);
    const runs = await h.client.actor('quick').runs().list();
    expect([runs.total, runs.items[0]?.id]).toEqual([1, run.id]);
  });
});

describe.each(MODES)('users (%s)', (mode) => {
  it('users/me returns the emulator account', async () => {
    await using h = await harness(mode);
    const me = await h.client.user('me').get();
    expect(me).toMatchObject({ id: 'EmuLaToRuSeR00001', username: 'emulator' });
    const raw = await h.raw('/v2/users/me');
    expect(raw.status).toBe(200);
    expect(((await raw.json()) as { data: { username: string } }).data.username).toBe('emulator');
  });

  it('unknown endpoints answer 404 page-not-found', async () => {
    await using h = await harness(mode);
    const response = await h.raw('/v2/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { type: 'page-not-found', message: 'GET /v2/nothing-here is not a known API endpoint' },
    });
  });
});
