import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApifyClient } from 'apify-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, FakeClock } from '../src/index.js';
import { START } from './fake-clock-harness.js';
import { fixture, until } from './local-run-process.js';

// Folder actors started by the platform itself, not by a client: a schedule firing, a webhook calling the
// run endpoint. Each run is a real process running the Apify SDK.
let emulator: Emulator;
let client: ApifyClient;
let url: string;
const clock = new FakeClock(START);
const tmp = mkdtempSync(join(tmpdir(), 'local-runs-triggers-'));

beforeAll(async () => {
  process.env.CRAWLEE_STORAGE_DIR = join(tmp, 'crawlee');
  emulator = createEmulator({ clock });
  ({ url } = await emulator.listen());
  client = new ApifyClient({ baseUrl: url, token: 't', maxRetries: 0 });
});

afterAll(async () => {
  await emulator.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('folder actors started by schedules and webhooks', () => {
  it("a schedule's RUN_ACTOR action spawns the folder actor with the action's input", async () => {
    const actor = emulator.registerActor(fixture('sdk-basics'), { name: 'scheduled-basics' });
    await client.schedules().create({
      name: 'scheduled-basics',
      cronExpression: '* * * * * *',
      actions: [
        {
          type: 'RUN_ACTOR',
          actorId: actor.id,
          runInput: { body: '{"word":"scheduled","count":3}', contentType: 'application/json' },
        },
      ],
    } as never);
    await clock.advance(1000);
    const { items, total } = await client.actor(actor.id).runs().list();
    expect(total).toBe(1);
    const run = await client.run(items[0]?.id ?? '').waitForFinish({ waitSecs: 60 });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.meta.origin).toBe('SCHEDULER');
    const pushed = await client.dataset(run.defaultDatasetId).listItems();
    expect(pushed.items).toEqual([
      { word: 'scheduled', count: 3, greeting: 'hello from actor.json', runId: run.id },
    ]);
  }, 90_000);

  it("a webhook whose URL is another actor's run endpoint spawns that actor, its payload as the input", async () => {
    const first = emulator.registerActor(fixture('sdk-basics'), { name: 'chain-first' });
    const second = emulator.registerActor(fixture('sdk-basics'), { name: 'chain-second' });
    await client.webhooks().create({
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: first.id },
      requestUrl: `${url}/v2/acts/${second.id}/runs?token=t`,
      payloadTemplate: '{"word": {{resource.id}}, "count": 5}',
    });
    const firstRun = await client.actor(first.id).call({ word: 'first', count: 1 }, { waitSecs: 60 });
    expect(firstRun.status).toBe('SUCCEEDED');
    // Webhook calls go out on the emulator's clock, which stands still in this file until moved.
    await clock.advance(0);
    const started = await until('the webhook to start the second actor', async () => {
      const { items } = await client.actor(second.id).runs().list();
      return items[0];
    });
    const secondRun = await client.run(started.id).waitForFinish({ waitSecs: 60 });
    expect(secondRun.status).toBe('SUCCEEDED');
    const pushed = await client.dataset(secondRun.defaultDatasetId).listItems();
    expect(pushed.items).toEqual([
      { word: firstRun.id, count: 5, greeting: 'hello from actor.json', runId: secondRun.id },
    ]);
  }, 90_000);
});
