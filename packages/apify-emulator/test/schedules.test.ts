import { describe, expect, it } from 'vitest';
import { errorOf, START, withClock } from './fake-clock-harness.js';

describe('schedules through the official client', () => {
  it('CRUD: create, get, list, update and delete, with nextRunAt from the cron expression', async () => {
    const { h } = await withClock();
    await using _ = h;
    const actor = h.emulator.registerActor('cron-target', () => undefined);
    const created = await h.client.schedules().create({
      name: 'every-minute',
      cronExpression: '* * * * *',
      timezone: 'UTC',
      isEnabled: true,
      isExclusive: false,
      description: 'runs the target',
      actions: [
        {
          type: 'RUN_ACTOR',
          actorId: actor.id,
          runInput: { body: '{"from":"schedule"}', contentType: 'application/json' },
          runOptions: { timeoutSecs: 60, memoryMbytes: 512, build: 'latest' },
        },
      ],
    } as never);
    expect(created).toEqual({
      id: expect.stringMatching(/^[a-zA-Z0-9]{17}$/),
      userId: 'EmuLaToRuSeR00001',
      name: 'every-minute',
      title: null,
      description: 'runs the target',
      cronExpression: '* * * * *',
      timezone: 'UTC',
      isEnabled: true,
      isExclusive: false,
      createdAt: new Date(START),
      modifiedAt: new Date(START),
      nextRunAt: new Date(START + 60_000),
      lastRunAt: null,
      actions: [
        {
          id: expect.stringMatching(/^[a-zA-Z0-9]{17}$/),
          type: 'RUN_ACTOR',
          actorId: actor.id,
          runInput: { body: '{"from":"schedule"}', contentType: 'application/json' },
          runOptions: { timeoutSecs: 60, memoryMbytes: 512, build: 'latest' },
        },
      ],
      notifications: { email: false },
    });
    expect(await h.client.schedule(created.id).get()).toEqual(created);

    const updated = await h.client.schedule(created.id).update({
      cronExpression: '30 9 * * 1',
      timezone: 'Europe/Prague',
    } as never);
    // 2026-01-01 is a Thursday; the next Monday 09:30 in Prague (UTC+1 in winter) is 2026-01-05T08:30Z.
    expect(updated.nextRunAt).toEqual(new Date('2026-01-05T08:30:00.000Z'));
    expect(updated).toMatchObject({
      name: 'every-minute',
      cronExpression: '30 9 * * 1',
      timezone: 'Europe/Prague',
    });

    const list = await h.client.schedules().list();
    expect(list).toMatchObject({ total: 1, offset: 0, count: 1, desc: false });
    expect(list.items.map((s) => s.id)).toEqual([created.id]);

    await h.client.schedule(created.id).delete();
    expect(await h.client.schedule(created.id).get()).toBeUndefined();
    const response = await h.raw(`/v2/schedules/${created.id}/log`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { type: 'record-not-found', message: `Schedule '${created.id}' was not found` },
    });
  });

  it('refuses a bad cron expression, timezone or action before saving anything', async () => {
    const { h } = await withClock();
    await using _ = h;
    const create = (body: Record<string, unknown>) =>
      errorOf(h.client.schedules().create({ name: 'bad', cronExpression: '* * * * *', ...body } as never));
    expect(await create({ cronExpression: '61 * * * *' })).toEqual({
      statusCode: 400,
      type: 'invalid-value',
      message: "Schedule cronExpression '61 * * * *' is invalid: CronPattern: Invalid value for minute: 61",
    });
    expect(await create({ timezone: 'Mars/Olympus' })).toEqual({
      statusCode: 400,
      type: 'invalid-value',
      message: "Schedule timezone 'Mars/Olympus' is not a known IANA timezone (e.g. 'UTC', 'Europe/Prague')",
    });
    expect(await create({ actions: [{ type: 'SEND_EMAIL' }] })).toEqual({
      statusCode: 400,
      type: 'invalid-value',
      message: 'actions[0].type must be RUN_ACTOR or RUN_ACTOR_TASK, got "SEND_EMAIL"',
    });
    expect(await create({ cronExpression: undefined })).toMatchObject({
      message: 'schedule.cronExpression is required: a non-empty string',
    });
    expect((await h.client.schedules().list()).total).toBe(0);
  });

  it('a "* * * * * *" schedule starts exactly one run per second of the test clock, with its input', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    const actor = h.emulator.registerActor('every-second', () => undefined);
    const schedule = await h.client.schedules().create({
      name: 'every-second',
      cronExpression: '* * * * * *',
      isEnabled: true,
      actions: [
        {
          type: 'RUN_ACTOR',
          actorId: actor.id,
          runInput: { body: '{"n":1}', contentType: 'application/json' },
        },
      ],
    } as never);
    expect(schedule.nextRunAt).toEqual(new Date(START + 1000));

    await clock.advance(999);
    expect((await h.client.actor(actor.id).runs().list()).total).toBe(0);
    await clock.advance(4001);
    const runs = await h.client.actor(actor.id).runs().list();
    expect(runs.total).toBe(5);
    for (const run of runs.items) {
      const record = await h.client.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT');
      expect(record?.value).toEqual({ n: 1 });
    }

    const read = await h.client.schedule(schedule.id).get();
    expect(read?.lastRunAt).toEqual(new Date(START + 5000));
    expect(read?.nextRunAt).toEqual(new Date(START + 6000));
    const log = await h.client.schedule(schedule.id).getLog();
    expect(log).toEqual(
      [1, 2, 3, 4, 5].map((s) => ({
        message: 'Schedule invoked',
        level: 'INFO',
        createdAt: new Date(START + s * 1000),
      })),
    );
  });

  it('a RUN_ACTOR_TASK action starts task runs whose input is the task input merged with the action input', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    const actor = h.emulator.registerActor('task-target', () => undefined);
    const task = await h.client.tasks().create({
      actId: actor.id,
      name: 'nightly-task',
      input: { query: 'shoes', country: 'CZ' },
    } as never);
    await h.client.schedules().create({
      name: 'task-every-second',
      cronExpression: '* * * * * *',
      actions: [{ type: 'RUN_ACTOR_TASK', actorTaskId: task.id, input: { country: 'SK' } }],
    } as never);

    await clock.advance(2000);
    const runs = await h.client.task(task.id).runs().list();
    expect(runs.total).toBe(2);
    for (const run of runs.items) {
      const record = await h.client.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT');
      expect(record?.value).toEqual({ query: 'shoes', country: 'SK' });
    }
  });

  it("a RUN_ACTOR action's runOptions choose the build, timeout and memory; its runs have origin SCHEDULER", async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    const actor = h.emulator.registerActor('with-options', () => undefined);
    const first = (await h.client.actor(actor.id).builds().list()).items[0];
    const second = await h.client.actor(actor.id).build('0.0');
    expect(second.buildNumber).not.toBe(first?.buildNumber);
    await h.client.schedules().create({
      name: 'with-options',
      cronExpression: '* * * * * *',
      actions: [
        {
          type: 'RUN_ACTOR',
          actorId: actor.id,
          runOptions: { build: first?.buildNumber, timeoutSecs: 120, memoryMbytes: 256 },
        },
      ],
    } as never);

    await clock.advance(1000);
    const [listed] = (await h.client.actor(actor.id).runs().list()).items;
    const run = await h.client.run(listed?.id ?? '').get();
    expect(run?.buildId).toBe(first?.id);
    expect(run?.buildNumber).toBe(first?.buildNumber);
    expect(run?.options).toMatchObject({ build: first?.buildNumber, timeoutSecs: 120, memoryMbytes: 256 });
    expect(run?.meta.origin).toBe('SCHEDULER');
    const byApi = await h.client.actor(actor.id).start();
    expect(byApi.meta.origin).toBe('API');
  });

  it('a disabled schedule starts nothing and has no nextRunAt; enabling it arms it', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    const actor = h.emulator.registerActor('sleeper', () => undefined);
    const schedule = await h.client.schedules().create({
      name: 'off',
      cronExpression: '* * * * * *',
      isEnabled: false,
      actions: [{ type: 'RUN_ACTOR', actorId: actor.id }],
    } as never);
    expect(schedule.nextRunAt).toBeNull();
    await clock.advance(3000);
    expect((await h.client.actor(actor.id).runs().list()).total).toBe(0);
    expect(clock.pendingTimers).toBe(0);

    const enabled = await h.client.schedule(schedule.id).update({ isEnabled: true } as never);
    expect(enabled.nextRunAt).toEqual(new Date(START + 4000));
    await clock.advance(2000);
    expect((await h.client.actor(actor.id).runs().list()).total).toBe(2);
    await h.client.schedule(schedule.id).delete();
    expect(clock.pendingTimers).toBe(0);
  });

  it('isExclusive skips an invocation while the previous run of the action is still running', async () => {
    const { clock, h } = await withClock({ runDurationMs: 600_000 });
    await using _ = h;
    const actor = await h.client.actors().create({ name: 'long-runner' } as never);
    const schedule = await h.client.schedules().create({
      name: 'exclusive',
      cronExpression: '* * * * * *',
      isExclusive: true,
      actions: [{ type: 'RUN_ACTOR', actorId: actor.id }],
    } as never);
    await clock.advance(3000);
    const runs = await h.client.actor(actor.id).runs().list();
    expect(runs.total).toBe(1);
    const runId = runs.items[0]?.id;
    const log = await h.client.schedule(schedule.id).getLog();
    // The official client types the log as a string; the API answers with the entries.
    expect((log as unknown as { message: string }[]).map((entry) => entry.message)).toEqual([
      'Schedule invoked',
      'Schedule invoked',
      `Skipped Actor "${actor.id}": its previous run "${runId}" has not finished and the schedule is exclusive`,
      'Schedule invoked',
      `Skipped Actor "${actor.id}": its previous run "${runId}" has not finished and the schedule is exclusive`,
    ]);

    await h.client.run(runId ?? '').abort();
    await clock.advance(1000);
    expect((await h.client.actor(actor.id).runs().list()).total).toBe(2);
  });

  it('logs an action that cannot start as an ERROR and keeps firing', async () => {
    const { clock, h } = await withClock();
    await using _ = h;
    const schedule = await h.client.schedules().create({
      name: 'broken',
      cronExpression: '*/2 * * * * *',
      actions: [
        { type: 'RUN_ACTOR', actorId: 'nobody~nothing' },
        { type: 'RUN_ACTOR_TASK', actorTaskId: 'missingTask000001', input: { a: 1 } },
      ],
    } as never);
    await clock.advance(4000);
    const log = await h.client.schedule(schedule.id).getLog();
    const invocation = (at: number) => [
      { message: 'Schedule invoked', level: 'INFO', createdAt: new Date(START + at) },
      {
        message: `Cannot start Actor "nobody~nothing": Actor 'nobody~nothing' was not found`,
        level: 'ERROR',
        createdAt: new Date(START + at),
      },
      {
        // The task run goes through the emulator's own actor-tasks route; its answer is the reason.
        message: expect.stringMatching(/^Cannot start Actor task "missingTask000001": .*missingTask000001/),
        level: 'ERROR',
        createdAt: new Date(START + at),
      },
    ];
    expect(log).toEqual([...invocation(2000), ...invocation(4000)]);
  });
});
