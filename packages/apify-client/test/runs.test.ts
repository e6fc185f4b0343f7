import { Readable } from 'node:stream';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { collect, TRANSPORTS } from './helpers/clients.js';

describe.each(TRANSPORTS)('actors, runs, builds, logs and users over %s', (_name, makeClient) => {
  it('actor.call() starts a run, waits for it, and its storages and log hold the work', async () => {
    await using emu = createEmulator();
    emu.registerActor('me/writer', async (input, ctx) => {
      const { count } = input as { count: number };
      await ctx.dataset.pushItems(Array.from({ length: count }, (_, n) => ({ n })));
      await ctx.keyValueStore.setRecord('OUTPUT', { done: true });
      ctx.log('wrote the items');
    });
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const run = await client.actor('me/writer').call({ count: 3 });
    expect(run.status).toBe('SUCCEEDED');
    const runClient = client.run(run.id);
    expect((await runClient.dataset().listItems()).items).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect((await runClient.keyValueStore().getRecord('OUTPUT'))?.value).toEqual({ done: true });
    expect((await runClient.keyValueStore().getRecord('INPUT'))?.value).toEqual({ count: 3 });
    expect(await runClient.log().get()).toContain('wrote the items');
    expect(await client.log(run.id).get()).toContain('wrote the items');
    expect((await client.actor('me/writer').lastRun().get())?.id).toBe(run.id);
    expect(
      (await client.actor('me/writer').lastRun({ status: 'SUCCEEDED' }).dataset().listItems()).total,
    ).toBe(3);
    expect((await client.actor('me/writer').runs().list()).items.map((r) => r.id)).toEqual([run.id]);
    expect((await collect(client.runs().iterate())).map((r) => r.id)).toEqual([run.id]);
    expect((await client.runs().list({ status: 'FAILED' })).items).toEqual([]);
  });

  it('start, get, waitForFinish, update, abort and delete a run', async () => {
    await using emu = createEmulator({ runDurationMs: 300 });
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const actor = await client.actors().create({ name: 'slow' });
    expect((await client.actor(actor.id).get())?.name).toBe('slow');
    expect((await client.actors().list()).items.map((a) => a.name)).toContain('slow');
    const run = await client.actor(actor.id).start({ hello: 'world' }, { memory: 256 });
    expect(['READY', 'RUNNING']).toContain(run.status);
    expect((await client.run(run.id).update({ statusMessage: 'halfway' })).statusMessage).toBe('halfway');
    const finished = await client.run(run.id).waitForFinish();
    expect(finished?.status).toBe('SUCCEEDED');
    expect((await client.run(run.id).get())?.status).toBe('SUCCEEDED');
    await client.run(run.id).delete();
    expect(await client.run(run.id).get()).toBeUndefined();

    const long = await client.actor(actor.id).start(undefined, { waitForFinish: 0 });
    const partial = await client.run(long.id).waitForFinish({ waitSecs: 0 });
    expect(['READY', 'RUNNING']).toContain(partial?.status);
    const aborted = await client.run(long.id).abort();
    expect(['ABORTING', 'ABORTED']).toContain(aborted.status);
    expect((await client.run(long.id).waitForFinish())?.status).toBe('ABORTED');
    await client.actor(actor.id).delete();
    expect(await client.actor(actor.id).get()).toBeUndefined();
  });

  it('waitForFinish stops promptly when its signal aborts during a long poll', async () => {
    await using emu = createEmulator({ runDurationMs: 30_000 });
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const actor = await client.actors().create({ name: 'forever' });
    const run = await client.actor(actor.id).start();
    const controller = new AbortController();
    const pending = client.run(run.id).waitForFinish({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 200);
    const started = Date.now();
    await expect(pending).rejects.toThrow('stop waiting');
    expect(Date.now() - started).toBeLessThan(400);
    await client.run(run.id).abort();
  });

  it('log.stream() follows the log while the run runs and ends with it', async () => {
    await using emu = createEmulator();
    emu.registerActor('me/chatty', async (_input, ctx) => {
      for (let i = 0; i < 3; i++) {
        ctx.log(`line ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const run = await client.actor('me/chatty').start();
    const response = await client.run(run.id).log().stream();
    expect(response).toBeDefined();
    expect(response).toBeInstanceOf(Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of response ?? []) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toMatch(/line 0[\s\S]*line 1[\s\S]*line 2/);
    expect(await client.log('aaaaaaaaaaaaaaaaa').stream()).toBeUndefined();
  });

  it('builds: build, get, list, waitForFinish, default build, log, abort', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const actor = await client.actors().create({ name: 'built' });
    const build = await client.actor(actor.id).build('0.0');
    expect(build.id).toBeDefined();
    expect((await client.build(build.id).get())?.id).toBe(build.id);
    expect((await client.build(build.id).waitForFinish())?.status).toBe('SUCCEEDED');
    expect((await client.actor(actor.id).builds().list()).items.map((b) => b.id)).toContain(build.id);
    expect((await client.builds().list()).items.map((b) => b.id)).toContain(build.id);
    expect((await (await client.actor(actor.id).defaultBuild()).get())?.id).toBe(build.id);
    expect(typeof (await client.build(build.id).log().get())).toBe('string');
    expect((await client.build(build.id).abort()).id).toBe(build.id);
    expect(await client.build('aaaaaaaaaaaaaaaaa').get()).toBeUndefined();
  });

  it('setStatusMessage updates the run named by ACTOR_RUN_ID', async () => {
    await using emu = createEmulator({ runDurationMs: 5_000 });
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const actor = await client.actors().create({ name: 'status' });
    const run = await client.actor(actor.id).start();
    const saved = process.env.ACTOR_RUN_ID;
    try {
      delete process.env.ACTOR_RUN_ID;
      await expect(client.setStatusMessage('x')).rejects.toThrow(/ACTOR_RUN_ID/);
      process.env.ACTOR_RUN_ID = run.id;
      await client.setStatusMessage('Crawled 10 pages');
    } finally {
      if (saved === undefined) delete process.env.ACTOR_RUN_ID;
      else process.env.ACTOR_RUN_ID = saved;
    }
    expect((await client.run(run.id).get())?.statusMessage).toBe('Crawled 10 pages');
    await client.run(run.id).abort();
  });

  it('user().get() returns the account', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    expect(await client.user().get()).toMatchObject({ username: expect.any(String) });
    expect(await client.user('nobody-at-all').get()).toBeUndefined();
  });
});

describe('waitForFinish grace', () => {
  it('waitForFinish of a run that never appears returns undefined after the 404 grace', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = TRANSPORTS[1][1](url);
    const started = Date.now();
    expect(await client.run('aaaaaaaaaaaaaaaaa').waitForFinish()).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });
});
