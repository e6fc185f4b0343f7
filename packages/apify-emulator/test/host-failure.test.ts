import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApifyClient } from 'apify-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { startCli } from './cli-process.js';
import { fixture, until } from './local-run-process.js';
import { startReceiver } from './webhook-receiver.js';

// What happens to the runs an emulator was running when it died: the platform restarts a run whose host
// failed, so the emulator restarts those whose code it has, and fails (with their webhooks) those it lacks.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-host-failure-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const RESTART_LINE =
  'ACTOR: The emulator stopped (killed or its host failed) while this run was RUNNING; the run starts again, as the platform restarts a run whose host failed.';

/** Resolves once the journal holds the run as RUNNING: only then does a kill leave an unfinished run. */
function runningSaved(runId: string): Promise<true> {
  return until('the RUNNING run in the journal', async () => {
    const journal = await readFile(join(dir, 'journal.log'), 'latin1').catch(() => '');
    return new RegExp(`"id":"${runId}"[^\\n]*"status":"RUNNING"`).test(journal) ? true : undefined;
  });
}

describe('runs left unfinished by a killed emulator', () => {
  it("a folder actor's run starts its process again: same run ID and storages, and it finishes", async () => {
    const actorDir = fixture('host-failure');
    const first = await startCli(['--port', '0', '--storage-dir', dir, '--actor', actorDir]);
    let client = new ApifyClient({ baseUrl: first.url, token: 't', maxRetries: 0 });
    const run = await client.actor('emulator/host-failure').start();
    const store = client.keyValueStore(run.defaultKeyValueStoreId);
    const pid = await until('the first process to start', async () => {
      const record = await store.getRecord('PID');
      return typeof record?.value === 'number' ? record.value : undefined;
    });
    await runningSaved(run.id);
    first.child.kill('SIGKILL');
    await first.exited;
    // A host failure takes the actor's process with it; a killed emulator leaves it behind.
    process.kill(pid, 'SIGKILL');

    const second = await startCli(['--port', '0', '--storage-dir', dir]);
    try {
      client = new ApifyClient({ baseUrl: second.url, token: 't', maxRetries: 0 });
      const finished = await client.run(run.id).waitForFinish({ waitSecs: 60 });
      expect(finished.status).toBe('SUCCEEDED');
      expect(finished.exitCode).toBe(0);
      const { items } = await client.dataset(run.defaultDatasetId).listItems();
      expect(items).toEqual([{ starts: 2 }]);
      expect((await client.keyValueStore(run.defaultKeyValueStoreId).getRecord('STARTS'))?.value).toBe(2);
      const log = (await client.run(run.id).log().get()) ?? '';
      expect(log).toContain(RESTART_LINE);
      expect(log.indexOf(RESTART_LINE)).toBeGreaterThan(log.indexOf('ACTOR: Run started.'));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 90_000);

  it("a function actor's run ends FAILED, naming the missing function, and its ACTOR.RUN.FAILED webhook fires", async () => {
    await using receiver = await startReceiver();
    const host = spawn(
      process.execPath,
      [fileURLToPath(new URL('./fixtures/function-host/main.mjs', import.meta.url)), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(host, 'exit');
    const [line] = (await once(host.stdout.setEncoding('utf8'), 'data')) as [string];
    const client = new ApifyClient({ baseUrl: line.trim(), token: 't', maxRetries: 0 });
    const webhook = await client.webhooks().create({
      eventTypes: ['ACTOR.RUN.FAILED'],
      condition: { actorId: (await client.actor('emulator/hung').get())?.id ?? '' },
      requestUrl: receiver.url,
    });
    const run = await client.actor('emulator/hung').start();
    await runningSaved(run.id);
    host.kill('SIGKILL');
    await exited;

    await using emulator = createEmulator({ storageDir: dir });
    const [call] = await receiver.received(1);
    const payload = call?.json as { eventType: string; resource: Record<string, unknown> };
    expect(payload.eventType).toBe('ACTOR.RUN.FAILED');
    expect(payload.resource.id).toBe(run.id);
    expect(payload.resource.status).toBe('FAILED');
    const response = await emulator.fetch(new Request(`http://e.test/v2/actor-runs/${run.id}`));
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    expect(data.status).toBe('FAILED');
    expect(data.statusMessage).toBe(
      "Actor 'emulator/hung' runs an in-process function, and functions are code: they are not saved in the storage folder. Call registerActor('emulator/hung', fn) again after a restart to run it.",
    );
    const log = await (await emulator.fetch(new Request(`http://e.test/v2/actor-runs/${run.id}/log`))).text();
    expect(log).toContain(RESTART_LINE);
    const dispatches = await emulator.fetch(
      new Request(`http://e.test/v2/webhooks/${webhook.id}/dispatches`),
    );
    const listed = (await dispatches.json()) as { data: { items: { eventType: string }[] } };
    expect(listed.data.items.map((d) => d.eventType)).toEqual(['ACTOR.RUN.FAILED']);
  }, 60_000);
});
