import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

describe.each(MODES)('actor tasks (%s)', (mode) => {
  it('CRUD and input get/put, read back over HTTP', async () => {
    await using h = await harness(mode);
    const actor = await h.client.actors().create({ name: 'tasked' } as never);
    const task = await h.client.tasks().create({
      actId: actor.id,
      name: 'daily-shoes',
      input: { query: 'shoes', max: 5 },
      options: { memoryMbytes: 512 },
    } as never);
    expect(task).toMatchObject({
      actId: actor.id,
      name: 'daily-shoes',
      username: 'emulator',
      input: { query: 'shoes', max: 5 },
      options: { memoryMbytes: 512 },
      stats: { totalRuns: 0 },
    });
    expect((await h.client.task('~daily-shoes').get())?.id).toBe(task.id);

    // PUT input changes the fields it names and keeps the rest.
    expect(await h.client.task(task.id).updateInput({ max: 9, country: 'CZ' })).toEqual({
      query: 'shoes',
      max: 9,
      country: 'CZ',
    });
    expect(await (await h.raw(`/v2/actor-tasks/${task.id}/input`)).json()).toEqual({
      query: 'shoes',
      max: 9,
      country: 'CZ',
    });

    await h.client.task(task.id).update({ title: 'Daily shoes', options: { timeoutSecs: 60 } } as never);
    const read = await (await h.raw(`/v2/actor-tasks/${task.id}`)).json();
    expect(read.data).toMatchObject({
      title: 'Daily shoes',
      options: { memoryMbytes: 512, timeoutSecs: 60 },
    });
    const list = await h.client.tasks().list();
    expect(list).toMatchObject({ total: 1, offset: 0, count: 1, desc: false });
    expect(list.items.map((t) => t.id)).toEqual([task.id]);

    const clash = await h.raw('/v2/actor-tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actId: actor.id, name: 'daily-shoes' }),
    });
    expect(clash.status).toBe(409);
    expect((await clash.json()).error.type).toBe('actor-task-name-not-unique');

    await h.client.task(task.id).delete();
    expect(await h.client.task(task.id).get()).toBeUndefined();
    expect((await h.client.tasks().list()).total).toBe(0);

    const orphan = await h.client.tasks().create({ actId: actor.id, name: 'orphan' } as never);
    await h.client.actor(actor.id).delete();
    expect(await h.client.task(orphan.id).get()).toBeUndefined();
    expect((await h.client.tasks().list()).total).toBe(0);
  });

  it("a task run's input is the task's input shallow-merged with the override", async () => {
    await using h = await harness(mode);
    const inputs: unknown[] = [];
    const actor = h.emulator.registerActor('merger', (input) => {
      inputs.push(input);
    });
    const task = await h.client.tasks().create({
      actId: actor.id,
      name: 'merge',
      input: { query: 'shoes', proxy: { useApifyProxy: true, groups: ['A'] }, max: 5 },
      options: { memoryMbytes: 256 },
    } as never);
    const run = await h.client.task(task.id).call({ max: 1, proxy: { groups: ['B'] } });
    expect(run).toMatchObject({ status: 'SUCCEEDED', actorTaskId: task.id, actId: actor.id });
    expect(run.options.memoryMbytes).toBe(256);
    const expected = { query: 'shoes', proxy: { groups: ['B'] }, max: 1 };
    expect(inputs).toEqual([expected]);
    expect((await h.client.run(run.id).keyValueStore().getRecord('INPUT'))?.value).toEqual(expected);

    await h.client.task(task.id).call(undefined);
    expect(inputs[1]).toEqual({ query: 'shoes', proxy: { useApifyProxy: true, groups: ['A'] }, max: 5 });
    expect((await h.client.task(task.id).get())?.stats.totalRuns).toBe(2);
    expect((await h.client.task(task.id).runs().list()).total).toBe(2);
  });

  it('last run, its storage aliases and run-sync-get-dataset-items of a task', async () => {
    await using h = await harness(mode);
    const actor = h.emulator.registerActor('pusher', async (input, ctx) => {
      const { n } = input as { n: number };
      await ctx.dataset.pushItems(Array.from({ length: n }, (_, i) => ({ i })));
      await ctx.keyValueStore.setRecord('OUTPUT', { pushed: n });
    });
    const task = await h.client
      .tasks()
      .create({ actId: actor.id, name: 'push-two', input: { n: 2 } } as never);
    const first = await h.client.task(task.id).call(undefined);
    const last = await h.client.task(task.id).lastRun({ status: 'SUCCEEDED' }).get();
    expect(last?.id).toBe(first.id);
    const { items } = await h.client.task(task.id).lastRun().dataset().listItems();
    expect(items).toEqual([{ i: 0 }, { i: 1 }]);
    expect((await h.client.task(task.id).lastRun().keyValueStore().getRecord('OUTPUT'))?.value).toEqual({
      pushed: 2,
    });

    const sync = await h.raw(`/v2/actor-tasks/${task.id}/run-sync-get-dataset-items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 3 }),
    });
    expect(sync.status).toBe(201);
    expect(await sync.json()).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    const output = await h.raw(`/v2/actor-tasks/${task.id}/run-sync`);
    expect(output.status).toBe(201);
    expect(await output.json()).toEqual({ pushed: 2 });
    expect((await h.client.task(task.id).runs().list()).total).toBe(3);
    const log = await h.raw(`/v2/actor-tasks/${task.id}/runs/last/log`);
    expect(await log.text()).toContain('ACTOR: Run succeeded.');
  });

  it('publish needs a public actor and records publicConfig.publishedAt; unpublish clears it', async () => {
    await using h = await harness(mode);
    const actor = await h.client.actors().create({ name: 'shared' } as never);
    const task = await h.client.tasks().create({ actId: actor.id, name: 'public-task' } as never);
    const refused = await h.raw(`/v2/actor-tasks/${task.id}/publish`, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.type).toBe('actor-not-public');

    await h.client.actor(actor.id).update({ isPublic: true } as never);
    const published = await (await h.raw(`/v2/actor-tasks/${task.id}/publish`, { method: 'POST' })).json();
    expect(published.data).toMatchObject({
      isPublic: true,
      publicConfig: { publishedAt: expect.any(String) },
    });
    const read = await (await h.raw(`/v2/actor-tasks/${task.id}`)).json();
    expect(read.data.publicConfig.publishedAt).toBe(published.data.publicConfig.publishedAt);
    const unpublished = await (
      await h.raw(`/v2/actor-tasks/${task.id}/unpublish`, { method: 'POST' })
    ).json();
    expect(unpublished.data).toMatchObject({ isPublic: false, publicConfig: { publishedAt: null } });
    // The official client's publish() is an update of isPublic.
    expect((await h.client.task(task.id).publish()).isPublic).toBe(true);
  });

  it('refuses a task of an unknown actor and a non-object input', async () => {
    await using h = await harness(mode);
    const unknown = await h.raw('/v2/actor-tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actId: 'nobody~nothing', name: 't' }),
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.type).toBe('record-not-found');
    const actor = await h.client.actors().create({ name: 'x' } as never);
    const task = await h.client.tasks().create({ actId: actor.id, name: 'arr' } as never);
    const bad = await h.raw(`/v2/actor-tasks/${task.id}/input`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe('input-json-not-object');
    const badRun = await h.raw(`/v2/actor-tasks/${task.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"text"',
    });
    expect(badRun.status).toBe(400);
    expect((await badRun.json()).error.type).toBe('input-json-not-object');
    expect((await h.client.runs().list()).total).toBe(0);
  });
});
