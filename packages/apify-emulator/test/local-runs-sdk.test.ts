import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApifyClient } from 'apify-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { fixture, startRun, until } from './local-run-process.js';

// Real actor scripts (the Apify SDK 3) under `apify-emulator run`, all against one emulator started here:
// each `run` process finds it on its port and reuses it.
const ABORT_GRACE_MS = 15_000;
let emulator: Emulator;
let url: string;
let port: string;
let client: ApifyClient;
let crawleeDir: string;

beforeAll(async () => {
  // Crawlee would write ./storage next to each script when not at home; it must write nothing at all.
  crawleeDir = mkdtempSync(join(tmpdir(), 'local-runs-sdk-'));
  process.env.CRAWLEE_STORAGE_DIR = crawleeDir;
  emulator = createEmulator({
    localRuns: {
      persistStateIntervalMs: 500,
      systemInfoIntervalMs: 200,
      abortGracePeriodMs: ABORT_GRACE_MS,
      migrationGracePeriodMs: 3_000,
      killTimeoutMs: 2_000,
    },
  });
  ({ url } = await emulator.listen());
  port = new URL(url).port;
  client = new ApifyClient({ baseUrl: url, token: 't', maxRetries: 0 });
});

afterAll(async () => {
  await emulator.close();
  rmSync(crawleeDir, { recursive: true, force: true });
});

async function items(datasetId: string): Promise<Record<string, unknown>[]> {
  return (await client.dataset(datasetId).listItems()).items as Record<string, unknown>[];
}

describe.concurrent('apify-emulator run with the Apify SDK', () => {
  it('gives the script its input, and its pushData/setValue/getValue reach the run storages', async () => {
    const run = startRun(fixture('sdk-basics'), ['--port', port, '--input', '{"word":"given"}']);
    const { code, stdout } = await run.exited;
    expect(code).toBe(0);
    const runId = await run.runId;
    const finished = await client.run(runId).get();
    expect(finished?.status).toBe('SUCCEEDED');
    expect(finished?.exitCode).toBe(0);
    // count: the schema's default fills what the input leaves out.
    expect(await items(finished?.defaultDatasetId as string)).toEqual([
      { word: 'given', count: 2, greeting: 'hello from actor.json', runId },
    ]);
    const output = await client.keyValueStore(finished?.defaultKeyValueStoreId as string).getRecord('OUTPUT');
    expect(output?.value).toEqual({ word: 'given', count: 2 });
    expect(stdout).toContain(`Dataset:          ${url}/v2/datasets/${finished?.defaultDatasetId}/items`);
    expect(stdout).toContain(
      `Key-value store:  ${url}/v2/key-value-stores/${finished?.defaultKeyValueStoreId}/keys`,
    );
    expect(stdout).toContain("ACTOR: Starting 'node main.mjs'");
  });

  it('keeps useState across a migrating event: the SDK persists, reboots, and the next process reads it', async () => {
    const run = startRun(fixture('state-migrate'), ['--port', port]);
    const runId = await run.runId;
    await until('the first process to be ready', async () =>
      (await client.run(runId).get())?.statusMessage === 'waiting for migration' ? true : undefined,
    );
    const migrated = await fetch(`${url}/v2/actor-runs/${runId}/emulator/migrate`, { method: 'POST' });
    expect(migrated.status).toBe(200);
    const { code } = await run.exited;
    expect(code).toBe(0);
    const finished = await client.run(runId).get();
    expect(finished?.status).toBe('SUCCEEDED');
    expect(await items(finished?.defaultDatasetId as string)).toEqual([{ starts: 2 }]);
    expect(finished?.stats.rebootCount).toBe(1);
  });

  it('restarts a process that ignores migrating after the grace period, its persisted state kept', async () => {
    const run = startRun(fixture('state-migrate-forced'), ['--port', port]);
    const runId = await run.runId;
    await until('the first process to be ready', async () =>
      (await client.run(runId).get())?.statusMessage === 'waiting for migration' ? true : undefined,
    );
    const migrated = await fetch(`${url}/v2/actor-runs/${runId}/emulator/migrate`, { method: 'POST' });
    expect(migrated.status).toBe(200);
    const { code } = await run.exited;
    expect(code).toBe(0);
    const finished = await client.run(runId).get();
    expect(finished?.status).toBe('SUCCEEDED');
    expect(await items(finished?.defaultDatasetId as string)).toEqual([{ starts: 2 }]);
    const log = (await client.run(runId).log().get()) ?? '';
    expect(log).toContain('ACTOR: Run was migrated: its code starts again.');
  });

  it('Actor.reboot() restarts the process in the same run, with the same storages', async () => {
    const run = startRun(fixture('reboot'), ['--port', port]);
    const { code } = await run.exited;
    expect(code).toBe(0);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('SUCCEEDED');
    expect(finished?.stats.rebootCount).toBe(1);
    expect(await items(finished?.defaultDatasetId as string)).toEqual([{ boots: 2 }]);
  });

  it("Actor.exit('done') leaves a terminal status message", async () => {
    const run = startRun(fixture('exit-done'), ['--port', port]);
    const { code, stdout } = await run.exited;
    expect(code).toBe(0);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('SUCCEEDED');
    expect(finished?.statusMessage).toBe('done');
    expect(finished?.isStatusMessageTerminal).toBe(true);
    expect(stdout).toContain(`Run ${await run.runId}: SUCCEEDED (done)`);
  });

  it('a non-zero exit ends the run FAILED with the exit code, and run exits with it', async () => {
    const run = startRun(fixture('fail-exit'), ['--port', port]);
    const { code, stdout } = await run.exited;
    expect(code).toBe(3);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('FAILED');
    expect(finished?.exitCode).toBe(3);
    expect(finished?.statusMessage).toBe('Run failed: the process exited with code 3.');
    const log =
      (await client
        .run(await run.runId)
        .log()
        .get()) ?? '';
    expect(log).toMatch(/Z about to fail\n/);
    expect(log).toMatch(/Z failing with 3\n/);
    expect(stdout).toContain('failing with 3');
  });

  it("aborting over the API runs the actor's aborting handler and ends ABORTED within the grace period", async () => {
    const run = startRun(fixture('abort-handler'), ['--port', port]);
    const runId = await run.runId;
    await until('the process to be ready', async () =>
      (await client.run(runId).get())?.statusMessage === 'ready' ? true : undefined,
    );
    const abortedAt = Date.now();
    const aborting = await client.run(runId).abort();
    expect(aborting.status).toBe('ABORTING');
    const finished = await client.run(runId).waitForFinish({ waitSecs: 30 });
    expect(finished.status).toBe('ABORTED');
    expect(Date.parse(finished.finishedAt as unknown as string) - abortedAt).toBeLessThan(ABORT_GRACE_MS);
    const record = await client.keyValueStore(finished.defaultKeyValueStoreId).getRecord('ABORTING');
    expect(record?.value).toEqual({ handled: true });
    // The SDK exits 0 on aborting; run still reports the run did not succeed.
    const { code } = await run.exited;
    expect(code).toBe(1);
  });

  it('Actor.metamorph to a second folder actor keeps the run ID and storages', async () => {
    const run = startRun(fixture('metamorph-source'), [
      '--port',
      port,
      '--actor',
      fixture('metamorph-target'),
    ]);
    const { code } = await run.exited;
    expect(code).toBe(0);
    const runId = await run.runId;
    const finished = await client.run(runId).get();
    const target = await client.actor('metamorph-target').get();
    expect(finished?.status).toBe('SUCCEEDED');
    expect(finished?.actId).toBe(target?.id);
    expect(await items(finished?.defaultDatasetId as string)).toEqual([
      { step: 'source', runId },
      { step: 'target', input: { from: 'source' }, source: { kept: true }, runId, actorId: target?.id },
    ]);
  });
});

describe('folder actors over the API', () => {
  it('registerActor(folder): the official client call() and a task spawn real processes; so does Actor.call', async () => {
    const actor = emulator.registerActor(fixture('sdk-basics'));
    expect(actor.name).toBe('sdk-basics');
    const run = await client.actor('sdk-basics').call({ word: 'api' }, { log: null });
    expect(run.status).toBe('SUCCEEDED');
    expect(await items(run.defaultDatasetId)).toEqual([
      { word: 'api', count: 2, greeting: 'hello from actor.json', runId: run.id },
    ]);
    const task = await client
      .tasks()
      .create({ actId: actor.id, name: 'basics-task', input: { word: 'task' } });
    const taskRun = await client.task(task.id).call();
    expect(taskRun.status).toBe('SUCCEEDED');
    expect(await items(taskRun.defaultDatasetId)).toEqual([
      { word: 'task', count: 2, greeting: 'hello from actor.json', runId: taskRun.id },
    ]);

    const caller = startRun(fixture('caller'), ['--port', port]);
    expect((await caller.exited).code).toBe(0);
    const callerRun = await client.run(await caller.runId).get();
    expect(await items(callerRun?.defaultDatasetId as string)).toEqual([
      {
        childStatus: 'SUCCEEDED',
        childItems: [
          { word: 'called', count: 2, greeting: 'hello from actor.json', runId: expect.any(String) },
        ],
      },
    ]);
  });

  it('wrote nothing into the fixtures: storage went to the emulator', () => {
    for (const name of ['sdk-basics', 'state-migrate', 'reboot', 'exit-done', 'abort-handler', 'caller'])
      expect(existsSync(join(fixture(name), 'storage'))).toBe(false);
  });
});
