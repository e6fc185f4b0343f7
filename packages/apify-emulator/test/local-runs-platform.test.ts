import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApifyClient } from 'apify-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEmulator, type Emulator, EmulatorError } from '../src/index.js';
import { CLI } from './cli-process.js';
import { fixture, startRun, until } from './local-run-process.js';

// What a spawned run gets from the platform (environment, events), and how its end becomes the run's status.
let emulator: Emulator;
let url: string;
let port: string;
let client: ApifyClient;
const tmp = mkdtempSync(join(tmpdir(), 'local-runs-platform-'));

beforeAll(async () => {
  process.env.CRAWLEE_STORAGE_DIR = join(tmp, 'crawlee');
  emulator = createEmulator({
    localRuns: { persistStateIntervalMs: 300, systemInfoIntervalMs: 200, killTimeoutMs: 2_000 },
  });
  ({ url } = await emulator.listen());
  port = new URL(url).port;
  client = new ApifyClient({ baseUrl: url, token: 't', maxRetries: 0 });
});

afterAll(async () => {
  await emulator.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A folder without `.actor/`: `run -- <command>` names the actor after it. */
function plainFolder(name: string): string {
  return mkdtempSync(join(tmp, name));
}

describe.concurrent('the platform around a spawned run', () => {
  it('sets every variable the SDK reads, named as in @apify/consts, and sends persistState and systemInfo', async () => {
    const run = startRun(fixture('env-events'), [
      '--port',
      port,
      '--memory-mbytes',
      '1024',
      '--timeout-secs',
      '120',
    ]);
    const { code, stderr } = await run.exited;
    expect(code, stderr).toBe(0);
    const runId = await run.runId;
    const finished = await client.run(runId).get();
    if (finished === undefined) throw new Error('no run');
    const actor = await client.actor('env-events').get();
    const [item] = (await client.dataset(finished.defaultDatasetId).listItems()).items;
    const env = item?.env as Record<string, string>;
    const startedAt = new Date(finished.startedAt).toISOString();
    const twins: [string, string, string][] = [
      ['ACTOR_ID', 'APIFY_ACTOR_ID', actor?.id as string],
      ['ACTOR_RUN_ID', 'APIFY_ACTOR_RUN_ID', runId],
      ['ACTOR_BUILD_ID', 'APIFY_ACTOR_BUILD_ID', finished.buildId],
      ['ACTOR_TASK_ID', 'APIFY_ACTOR_TASK_ID', ''],
      ['ACTOR_DEFAULT_DATASET_ID', 'APIFY_DEFAULT_DATASET_ID', finished.defaultDatasetId],
      [
        'ACTOR_DEFAULT_KEY_VALUE_STORE_ID',
        'APIFY_DEFAULT_KEY_VALUE_STORE_ID',
        finished.defaultKeyValueStoreId,
      ],
      ['ACTOR_DEFAULT_REQUEST_QUEUE_ID', 'APIFY_DEFAULT_REQUEST_QUEUE_ID', finished.defaultRequestQueueId],
      ['ACTOR_INPUT_KEY', 'APIFY_INPUT_KEY', 'INPUT'],
      ['ACTOR_MEMORY_MBYTES', 'APIFY_MEMORY_MBYTES', '1024'],
      ['ACTOR_STARTED_AT', 'APIFY_STARTED_AT', startedAt],
      ['ACTOR_TIMEOUT_AT', 'APIFY_TIMEOUT_AT', new Date(Date.parse(startedAt) + 120_000).toISOString()],
    ];
    for (const [name, legacy, value] of twins) {
      expect(env[name], name).toBe(value);
      expect(env[legacy], legacy).toBe(value);
    }
    expect(env.APIFY_IS_AT_HOME).toBe('1');
    expect(env.APIFY_TOKEN).toBe('emulator-token');
    expect(env.APIFY_API_BASE_URL).toBe(url);
    expect(env.APIFY_API_PUBLIC_BASE_URL).toBe(url);
    expect(env.APIFY_HEADLESS).toBe('1');
    expect(env.APIFY_PERSIST_STATE_INTERVAL_MILLIS).toBe('300');
    expect(env.ACTOR_FULL_NAME).toBe(`${actor?.username}/env-events`);
    expect(env.ACTOR_EVENTS_WEBSOCKET_URL).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:${port}/v2/actor-runs/${runId}/emulator/events\\?key=[0-9a-f]{32}$`),
    );
    expect(env.APIFY_ACTOR_EVENTS_WS_URL).toBe(env.ACTOR_EVENTS_WEBSOCKET_URL);
    const webPort = Number(env.ACTOR_WEB_SERVER_PORT);
    expect(Number.isInteger(webPort) && webPort > 0).toBe(true);
    expect(env.ACTOR_WEB_SERVER_URL).toBe(`http://localhost:${webPort}`);
    expect(env.APIFY_CONTAINER_PORT).toBe(String(webPort));
    expect(env.APIFY_CONTAINER_URL).toBe(`http://localhost:${webPort}`);

    const events = item?.events as { name: string; createdAt: string; data: Record<string, unknown> }[];
    const persist = events.find((e) => e.name === 'persistState');
    expect(persist?.data).toEqual({ isMigrating: false });
    expect(Number.isNaN(Date.parse(persist?.createdAt ?? ''))).toBe(false);
    const info = events.find((e) => e.name === 'systemInfo');
    expect(Object.keys(info?.data ?? {}).sort()).toEqual(
      [
        'cpuAvgUsage',
        'cpuCurrentUsage',
        'cpuMaxUsage',
        'createdAt',
        'isCpuOverloaded',
        'memAvgBytes',
        'memCurrentBytes',
        'memLimitBytes',
        'memMaxBytes',
      ].sort(),
    );
    expect(info?.data.memLimitBytes).toBe(1024 * 1024 * 1024);
    expect(info?.data.isCpuOverloaded).toBe(
      typeof info?.data.cpuCurrentUsage === 'number' && (info.data.cpuCurrentUsage as number) >= 100,
    );
  });

  it("systemInfo counts the memory of every process of the run, the actor's children too", async () => {
    const actor = emulator.registerActor(fixture('system-info'));
    const run = await client.actor(actor.id).call(undefined, { waitSecs: 60 });
    expect(run.status).toBe('SUCCEEDED');
    const record = await client.keyValueStore(run.defaultKeyValueStoreId).getRecord('MAX_MEM');
    const measured = record?.value as { max: number; held: number } | undefined;
    // The child alone holds `held`; the actor's own node process adds tens of MB on top.
    expect(measured?.held).toBe(200 * 1024 * 1024);
    expect(measured?.max).toBeGreaterThan(200 * 1024 * 1024);
  }, 60_000);

  it('a run timeout ends the run TIMED-OUT and stops the process', async () => {
    const dir = plainFolder('sleeper-');
    const run = startRun(dir, [
      '--port',
      port,
      '--timeout-secs',
      '1',
      '--',
      process.execPath,
      '-e',
      'setInterval(() => {}, 1000)',
    ]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('TIMED-OUT');
    expect(finished?.statusMessage).toBe('Run timed out.');
  });

  it('a process killed by a signal ends the run ABORTED', async () => {
    const dir = plainFolder('killed-');
    const run = startRun(dir, [
      '--port',
      port,
      '--',
      process.execPath,
      '-e',
      "process.kill(process.pid, 'SIGKILL')",
    ]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('ABORTED');
    expect(finished?.statusMessage).toBe('Run was aborted: the process was killed (SIGKILL).');
    expect(finished?.exitCode).toBe(null);
  });

  it('a command that cannot start fails the run, naming why', async () => {
    const dir = plainFolder('missing-');
    const run = startRun(dir, ['--port', port, '--', join(dir, 'no-such-program')]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    const finished = await client.run(await run.runId).get();
    expect(finished?.status).toBe('FAILED');
    expect(finished?.statusMessage).toMatch(
      /^Run failed: the command could not start \(spawn .*no-such-program ENOENT\)\.$/,
    );
  });

  it('apify-emulator migrate RUN_ID sends migrating to the run', async () => {
    const run = startRun(fixture('state-migrate'), ['--port', port]);
    const runId = await run.runId;
    await until('the first process to be ready', async () =>
      (await client.run(runId).get())?.statusMessage === 'waiting for migration' ? true : undefined,
    );
    // Not spawnSync: this process serves the emulator the command talks to.
    const migrate = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'migrate', runId, '--port', port], (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
      );
    });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toBe(`Run ${runId} got 'migrating'; its process restarts.\n`);
    expect((await run.exited).code).toBe(0);
    const finished = await client.run(runId).get();
    expect((await client.dataset(finished?.defaultDatasetId as string).listItems()).items).toEqual([
      { starts: 2 },
    ]);
  });

  it('the events socket answers only with the run key, and migrate only for spawned runs', async () => {
    const fn = emulator.registerActor('in-process-fn', (_input, ctx) => {
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    const started = await client.actor(fn.id).start();
    const response = await fetch(`${url}/v2/actor-runs/${started.id}/emulator/migrate`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'operation-not-allowed',
        message: `Run '${started.id}' has no running process to migrate: only runs of folder actors can be migrated`,
      },
    });
    const socket = new WebSocket(
      `ws://127.0.0.1:${port}/v2/actor-runs/${started.id}/emulator/events?key=wrong`,
    );
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(404);
    await client.run(started.id).abort();
  });

  it('registering a folder over HTTP refuses browsers', async () => {
    const response = await fetch(`${url}/v2/emulator/folder-actors`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: JSON.stringify({ folder: fixture('fail-exit') }),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe('Folder actors cannot be registered from a browser');
  });
});

describe('apify-emulator run on its own', () => {
  it('starts an emulator, uses the input prefill, prints where the output is kept', async () => {
    const storageDir = join(tmp, 'storage');
    const run = startRun(fixture('sdk-basics'), ['--port', '0', '--storage-dir', storageDir]);
    const { code, stdout, stderr } = await run.exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(
      /^apify-emulator run: started an emulator on http:\/\/127\.0\.0\.1:\d+ \(storage: .*storage\)\n/,
    );
    const datasetId = /Dataset: {10}http:\/\/127\.0\.0\.1:\d+\/v2\/datasets\/(\w{17})\/items/.exec(
      stdout,
    )?.[1];
    // The emulator it started is gone; the storage folder keeps the output.
    await using again = createEmulator({ storageDir });
    const { url: againUrl } = await again.listen();
    const items = await new ApifyClient({ baseUrl: againUrl, maxRetries: 0 })
      .dataset(datasetId as string)
      .listItems();
    expect(items.items).toEqual([
      { word: 'prefilled', count: 2, greeting: 'hello from actor.json', runId: await run.runId },
    ]);
  });

  it('refuses bad input before starting anything', async () => {
    const noCommand = startRun(plainFolder('plain-'), ['--port', '0']);
    const a = await noCommand.exited;
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/has no \.actor\/actor\.json: give the command to run after --/);
    const badInput = startRun(fixture('sdk-basics'), ['--port', '0', '--input', '{bad']);
    const b = await badInput.exited;
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^apify-emulator run: --input is not valid JSON: /);
    const badDefinition = startRun(fixture('bad-definition'), ['--port', '0']);
    const c = await badDefinition.exited;
    expect(c.code).toBe(1);
    expect(c.stderr).toBe(
      `apify-emulator run: ${join(fixture('bad-definition'), '.actor', 'actor.json')} needs a 'name' (the actor's name, as on the platform)\n`,
    );
  });

  it('registerActor(folder) names what is wrong with a folder', () => {
    expect(() => emulator.registerActor(join(tmp, 'nowhere'))).toThrow(
      new EmulatorError('invalid-actor-folder', `The actor folder ${join(tmp, 'nowhere')} does not exist`),
    );
    const noStart = mkdtempSync(join(tmp, 'no-start-'));
    mkdirSync(join(noStart, '.actor'));
    writeFileSync(join(noStart, '.actor', 'actor.json'), '{"name": "no-start"}');
    expect(() => emulator.registerActor(noStart)).toThrow(
      new EmulatorError(
        'invalid-actor-folder',
        `${noStart} has no package.json: a folder actor starts with its 'scripts.start'`,
      ),
    );
  });
});
