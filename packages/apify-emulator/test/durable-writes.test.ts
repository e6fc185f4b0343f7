import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { failNextJournalSyncs } from '../src/persistence/fault-injection.js';
import { type Api, openApi, type WriteCase } from './durable-api.js';
import { PLATFORM_WRITES } from './durable-platform-writes.js';
import { addRequests, QUEUE_WRITES, queueWith } from './durable-queue-writes.js';
import { RUN_WRITES } from './durable-run-writes.js';

/**
 * Every write over the API is applied only once it is durable: with the next fsync failing, the write
 * answers 500 and leaves nothing to read (also after a restart on the folder); the retry stores it once.
 */
let dir: string;
let emulator: Emulator | null = null;

async function start(): Promise<Api> {
  emulator = createEmulator({ storageDir: dir, runDurationMs: 600_000 });
  const { url } = await emulator.listen();
  return openApi(url);
}

async function restart(): Promise<Api> {
  await emulator?.close();
  return start();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-durable-'));
});
afterEach(async () => {
  await emulator?.close();
  emulator = null;
  await rm(dir, { recursive: true, force: true });
});

async function checkWrite(write: WriteCase): Promise<void> {
  let api = await start();
  const ids = await write.prepare(api);
  const before = await write.read(api, ids);
  expect(before).not.toEqual(write.stored(ids));
  failNextJournalSyncs(dir, 1, write.failing ?? null);
  const failed = await write.write(api, ids);
  expect(failed.status).toBe(500);
  expect(failed.body).toMatchObject({ error: { type: 'internal-server-error' } });
  expect(await write.read(api, ids)).toEqual(before);
  if (write.restart !== false) {
    api = await restart();
    expect(await write.read(api, ids)).toEqual(before);
  }
  const retried = await write.write(api, ids);
  expect(retried.status).toBeLessThan(300);
  expect(await write.read(api, ids)).toEqual(write.stored(ids));
  if (write.restart !== false) {
    api = await restart();
    expect(await write.read(api, ids)).toEqual(write.stored(ids));
  }
}

describe('an fsync failure: the write is neither visible nor acknowledged, and the retry stores it once', () => {
  describe('actors, versions, environment variables, builds, tasks, schedules and webhooks', () => {
    it.each(PLATFORM_WRITES.map((w) => [w.name, w] as const))('%s', async (_name, write) => {
      await checkWrite(write);
    });
  });

  it('concurrent creates check names and idempotency keys one at a time: one actor, one task, one webhook', async () => {
    const api = await start();
    const actors = await Promise.all([1, 2, 3].map(() => api.call('POST', 'acts', { name: 'twin' })));
    expect(actors.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const created = actors.find((r) => r.status === 201)?.body as { data: { id: string } } | undefined;
    const actor = created?.data.id ?? '';
    const tasks = await Promise.all(
      [1, 2].map(() => api.call('POST', 'actor-tasks', { actId: actor, name: 'twin' })),
    );
    expect(tasks.map((r) => r.status).sort()).toEqual([201, 409]);
    const hook = {
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor },
      requestUrl: 'http://127.0.0.1:9/h',
    };
    const hooks = await Promise.all(
      [1, 2].map(() => api.call('POST', 'webhooks', { ...hook, idempotencyKey: 'once' })),
    );
    const ids = hooks.map((r) => (r.body as { data: { id: string } }).data.id);
    expect(ids[0]).toBe(ids[1]);
    expect((await api.ok('GET', 'webhooks')).total).toBe(1);
  });

  describe('runs', () => {
    it.each(RUN_WRITES.map((w) => [w.name, w] as const))('%s', async (_name, write) => {
      await checkWrite(write);
    });
  });

  it('a run whose own record is durable is answered 201 even when the save after it fails, so no client starts it twice', async () => {
    let api = await start();
    const actor = (await api.ok('POST', 'acts', { name: 'durable-actor' })).id as string;
    // The run's record goes in its commit; its first log line goes in the save that follows.
    failNextJournalSyncs(dir, 1, 'platform-log');
    const started = await api.call('POST', `acts/${actor}/runs`);
    expect(started.status).toBe(201);
    const { id } = (started.body as { data: { id: string } }).data;
    const runIds = async (): Promise<string[]> =>
      ((await api.ok('GET', `acts/${actor}/runs`)).items as { id: string }[]).map((r) => r.id);
    expect(await runIds()).toEqual([id]);
    api = await restart();
    expect(await runIds()).toEqual([id]);
    const log = await (await fetch(`${api.base}/v2/actor-runs/${id}/log`)).text();
    expect(log).toContain(`ACTOR: Run ${id} of emulator/durable-actor was created.`);
  });

  describe('request queues', () => {
    it.each(QUEUE_WRITES.map((w) => [w.name, w] as const))('%s', async (_name, write) => {
      await checkWrite(write);
    });

    it('concurrent head locks, each computed from the last one put in place, hand out each request once', async () => {
      const api = await start();
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      const { queue } = await queueWith(api, keys.slice(0, 10));
      await addRequests(api, queue as string, keys.slice(10));
      const locks = await Promise.all(
        keys.map((_, i) =>
          api.ok('POST', `request-queues/${queue}/head/lock?lockSecs=600&limit=1&clientKey=w${i}`),
        ),
      );
      const locked = locks.flatMap((l) => (l.items as { uniqueKey: string }[]).map((r) => r.uniqueKey));
      expect(locked.sort()).toEqual([...keys].sort());
    });
  });
});
