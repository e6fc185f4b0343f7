import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { failNextJournalSyncs } from '../src/persistence/fault-injection.js';
import { CLI, startCli } from './cli-process.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/v2/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? {} : ((JSON.parse(text) as { data: Record<string, unknown> }).data ?? {});
}

/** Runs the CLI to its exit; resolves with the code and stderr. */
async function runToExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.resume();
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('crash-safe platform state', () => {
  it('keeps every acknowledged write, run, task, schedule and webhook across kill -9; a running run starts again', async () => {
    const first = await startCli(['--port', '0', '--storage-dir', dir, '--run-duration-ms', '600000']);
    const base = first.url;
    const actor = await call(base, 'POST', 'acts', { name: 'crash-me' });
    const run = await call(base, 'POST', `acts/${actor.id}/runs`, { hello: 'world' });
    const task = await call(base, 'POST', 'actor-tasks', {
      actId: actor.id,
      name: 'crash-task',
      input: { a: 1 },
    });
    const schedule = await call(base, 'POST', 'schedules', {
      name: 'crash-schedule',
      cronExpression: '0 0 1 1 *',
      actions: [{ type: 'RUN_ACTOR', actorId: actor.id }],
    });
    const webhook = await call(base, 'POST', 'webhooks', {
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorId: actor.id },
      requestUrl: 'http://127.0.0.1:9/hook',
    });
    await call(base, 'POST', `datasets/${run.defaultDatasetId}/items`, [{ n: 1 }, { n: 2 }]);
    // The run must be RUNNING on disk before the kill: wait for the API to say so, then for a save tick.
    const deadline = Date.now() + 10_000;
    while ((await call(base, 'GET', `actor-runs/${run.id}`)).status !== 'RUNNING') {
      if (Date.now() > deadline) throw new Error('the run never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    const journal = join(dir, 'journal.log');
    while (!(await readFile(journal)).includes('"status":"RUNNING"')) {
      if (Date.now() > deadline) throw new Error('the RUNNING status was never saved');
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startCli(['--port', '0', '--storage-dir', dir, '--run-duration-ms', '600000']);
    try {
      const b = second.url;
      const restored = await call(b, 'GET', `actor-runs/${run.id}`);
      expect(restored.status).toBe('RUNNING');
      expect(restored.finishedAt).toBe(null);
      expect((await call(b, 'GET', `acts/${actor.id}`)).name).toBe('crash-me');
      expect((await call(b, 'GET', `actor-tasks/${task.id}`)).name).toBe('crash-task');
      expect((await call(b, 'GET', `schedules/${schedule.id}`)).name).toBe('crash-schedule');
      expect((await call(b, 'GET', `webhooks/${webhook.id}`)).requestUrl).toBe('http://127.0.0.1:9/hook');
      const items = await (await fetch(`${b}/v2/datasets/${run.defaultDatasetId}/items`)).json();
      expect(items).toEqual([{ n: 1 }, { n: 2 }]);
      const input = await (
        await fetch(`${b}/v2/key-value-stores/${run.defaultKeyValueStoreId}/records/INPUT`)
      ).json();
      expect(input).toEqual({ hello: 'world' });
      const log = await (await fetch(`${b}/v2/actor-runs/${run.id}/log`)).text();
      expect(log).toContain('ACTOR: Run started.');
      expect(log).toContain(
        'ACTOR: The emulator stopped (killed or its host failed) while this run was RUNNING; the run starts again, as the platform restarts a run whose host failed.',
      );
      expect(log.split('ACTOR: Run started.').length).toBe(3);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 40_000);

  it('an ad-hoc webhook passed at a run start is durable when the start is answered: kill -9 right after keeps it', async () => {
    const first = await startCli(['--port', '0', '--storage-dir', dir, '--run-duration-ms', '600000']);
    const actor = await call(first.url, 'POST', 'acts', { name: 'ad-hoc-crash' });
    const definitions = [{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: 'http://127.0.0.1:9/ad-hoc' }];
    const webhooks = encodeURIComponent(Buffer.from(JSON.stringify(definitions)).toString('base64'));
    const run = await call(first.url, 'POST', `acts/${actor.id}/runs?webhooks=${webhooks}`, {});
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startCli(['--port', '0', '--storage-dir', dir, '--run-duration-ms', '600000']);
    try {
      const list = (await call(second.url, 'GET', 'webhooks')) as { items?: Array<Record<string, unknown>> };
      expect(list.items?.map((w) => [w.isAdHoc, w.condition, w.requestUrl])).toEqual([
        [true, { actorRunId: run.id }, 'http://127.0.0.1:9/ad-hoc'],
      ]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 40_000);

  it('a second emulator on the folder exits non-zero naming the holder PID; a stale lock is taken over', async () => {
    const first = await startCli(['--port', '0', '--storage-dir', dir]);
    try {
      const { code, stderr } = await runToExit(['--port', '0', '--storage-dir', dir]);
      expect(code).toBe(1);
      expect(stderr).toContain(`is in use by another emulator (PID ${first.child.pid} on `);
      expect(stderr).toContain(`serving ${first.url}`);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const taker = await startCli(['--port', '0', '--storage-dir', dir]);
    try {
      expect(taker.stderr()).toContain(
        `taking over the stale lock ${join(dir, 'emulator.lock')} of PID ${first.child.pid}`,
      );
    } finally {
      taker.child.kill('SIGTERM');
      await taker.exited;
    }
  }, 30_000);

  it('refuses a journal with a damaged middle frame, naming the offset; --repair keeps every intact record', async () => {
    // Creates the store, then three records, each its own frame; flip one byte inside the second record.
    {
      await using emulator = createEmulator({ storageDir: dir });
      await emulator.fetch(new Request('http://e.test/v2/key-value-stores?name=damaged', { method: 'POST' }));
      for (const n of [1, 2, 3])
        await emulator.fetch(
          new Request(`http://e.test/v2/key-value-stores/~damaged/records/k${n}`, {
            method: 'PUT',
            body: `v${n}`,
          }),
        );
    }
    const path = join(dir, 'journal.log');
    const data = await readFile(path);
    const at = data.indexOf('"key":"k2"');
    data[at + 2] ^= 0xff;
    await writeFile(path, data);
    const frameStart = data.lastIndexOf(Buffer.from([0x41, 0x45, 0x4a, 0x31]), at);

    const refused = await runToExit(['--port', '0', '--storage-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is damaged at byte offset ${frameStart} (`);
    expect(refused.stderr).toContain('--repair');

    const repaired = await startCli(['--port', '0', '--storage-dir', dir, '--repair']);
    try {
      const keys = await call(repaired.url, 'GET', 'key-value-stores/~damaged/keys');
      expect((keys.items as { key: string }[]).map((k) => k.key)).toEqual(['k1', 'k3']);
      expect(repaired.stderr()).toContain(`unreadable bytes at byte offset ${frameStart} (a damaged frame)`);
    } finally {
      repaired.child.kill('SIGTERM');
      await repaired.exited;
    }
  }, 30_000);

  it('an fsync failure: the push is neither visible nor acknowledged, and the retry stores it once', async () => {
    await using emulator = createEmulator({ storageDir: dir });
    const created = await emulator.fetch(
      new Request('http://e.test/v2/datasets?name=sync', { method: 'POST' }),
    );
    expect(created.status).toBe(201);
    const push = (): Promise<Response> =>
      emulator.fetch(
        new Request('http://e.test/v2/datasets/~sync/items', { method: 'POST', body: '{"once":true}' }),
      );
    failNextJournalSyncs(dir);
    const failed = await push();
    expect(failed.status).toBe(500);
    const items = async (): Promise<unknown> =>
      (await emulator.fetch(new Request('http://e.test/v2/datasets/~sync/items'))).json();
    expect(await items()).toEqual([]);
    expect((await push()).status).toBe(201);
    expect(await items()).toEqual([{ once: true }]);
    await emulator.close();
    await using reopened = createEmulator({ storageDir: dir });
    const after = await reopened.fetch(new Request('http://e.test/v2/datasets/~sync/items'));
    expect(await after.json()).toEqual([{ once: true }]);
  });

  it('a restored function actor refuses to run, naming itself, until registerActor gives it its function again', async () => {
    let id = '';
    {
      await using emulator = createEmulator({ storageDir: dir });
      id = emulator.registerActor('fn-actor', async () => undefined).id;
      const ran = await emulator.fetch(new Request(`http://e.test/v2/acts/${id}/runs`, { method: 'POST' }));
      expect(ran.status).toBe(201);
    }
    {
      await using emulator = createEmulator({ storageDir: dir });
      const refused = await emulator.fetch(
        new Request(`http://e.test/v2/acts/${id}/runs`, { method: 'POST' }),
      );
      expect(refused.status).toBe(400);
      const { error } = (await refused.json()) as { error: { type: string; message: string } };
      expect(error.type).toBe('actor-function-not-registered');
      expect(error.message).toContain("Call registerActor('emulator/fn-actor', fn) again");
    }
    await using emulator = createEmulator({ storageDir: dir });
    const again = emulator.registerActor('fn-actor', async () => undefined);
    const ran = await emulator.fetch(
      new Request(`http://e.test/v2/acts/${id}/runs?waitForFinish=10`, { method: 'POST' }),
    );
    expect(ran.status).toBe(201);
    expect(again.id).toBe(id);
    expect(((await ran.json()) as { data: { status: string } }).data.status).toBe('SUCCEEDED');
  });
});
