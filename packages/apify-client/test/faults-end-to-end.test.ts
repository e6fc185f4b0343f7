import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@pluggable/apify-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { PluggableHttpClient } from '../../../docs/examples/pluggable-http-client.js';
import { FaultPicker } from '../../apify-emulator/src/http/faults.js';
import { captureProcessWarnings } from '../../http/test/support/process-warnings.js';
import {
  ApifyClient,
  ApifyTransportError,
  type HttpClient,
  ImpitHttpClient,
  RetryingHttpClient,
} from '../src/index.js';
import { TOKEN } from './helpers/clients.js';
import { datesAsStrings, FaultRun, type Tally } from './helpers/fault-run.js';
import { headItem, type StorageModel } from './helpers/storage-model.js';

const OPERATIONS_PER_CLIENT = 2500;
const FAULT_RATE = 0.2;
/**
 * In the long run a `delay` fault holds its 503 for a moment but stays under the client's timeouts:
 * a timeout short enough to meet every delay would also cut writes slowed by a busy machine (fsync,
 * GC), and those are applied, so the model could no longer be exact. Delays past a timeout get their
 * own test below, one request at a time.
 */
const DELAY_MS = 25;
const RETRY = { maxRetries: 2, minDelayBetweenRetries: 1 } as const;

/** Name, fault seed, the HTTP client, and whether each attempt reaches the emulator exactly once. */
const CLIENTS: [string, number, () => HttpClient, boolean][] = [
  ['ImpitHttpClient (the default)', 11, () => new ImpitHttpClient(RETRY), true],
  [
    '@pluggable/http in RetryingHttpClient (the guide)',
    12,
    () => new RetryingHttpClient(new PluggableHttpClient(), RETRY),
    false,
  ],
];

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const byId = <T extends { id: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

/** What the model says the emulator must hold, in the shape `readBack` produces. */
function expected(model: StorageModel) {
  return {
    datasets: byId(
      [...model.datasets.values()].map((d) => ({
        id: d.id,
        name: d.name,
        itemCount: d.items.length,
        items: d.items,
      })),
    ),
    stores: byId(
      [...model.stores.values()].map((s) => ({
        id: s.id,
        name: s.name,
        keys: [...s.records.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, record]) => ({ key, size: record.size })),
        records: Object.fromEntries(
          [...s.records.entries()].map(([key, r]) => [
            key,
            { key, value: r.value, contentType: r.contentType },
          ]),
        ),
      })),
    ),
    queues: byId(
      [...model.queues.values()].map((q) => {
        const requests = [...q.requests.values()];
        const handled = requests.filter((r) => r.handled).length;
        return {
          id: q.id,
          name: q.name,
          counts: [requests.length, handled, requests.length - handled],
          requests: requests.map((r) => r.data),
          head: model.head(q).map(headItem),
          locked: requests
            .filter((r) => r.locked && !r.handled)
            .map((r) => r.data.id)
            .sort(),
        };
      }),
    ),
  };
}

/** Everything the emulator holds, read by a fault-free client. */
async function readBack(client: ApifyClient): Promise<ReturnType<typeof expected>> {
  const datasets = (await client.datasets().list({ unnamed: true })).items;
  const stores = (await client.keyValueStores().list({ unnamed: true })).items;
  const queues = (await client.requestQueues().list({ unnamed: true })).items;
  return {
    datasets: byId(
      await Promise.all(
        datasets.map(async (d) => ({
          id: d.id,
          name: d.name ?? null,
          itemCount: d.itemCount as number,
          items: (await client.dataset(d.id).listItems()).items,
        })),
      ),
    ),
    stores: byId(
      await Promise.all(
        stores.map(async (s) => {
          const store = client.keyValueStore(s.id);
          const keys = (await store.listKeys()).items.map(({ key, size }) => ({ key, size }));
          const records = await Promise.all(keys.map(({ key }) => store.getRecord(key)));
          return {
            id: s.id,
            name: s.name ?? null,
            keys,
            records: Object.fromEntries(records.map((r) => [r?.key, r])),
          };
        }),
      ),
    ),
    queues: byId(
      await Promise.all(
        queues.map(async (q) => {
          const queue = client.requestQueue(q.id);
          const locked = (await queue.listRequests({ limit: 10_000, filter: ['locked'] })).items;
          return {
            id: q.id,
            name: q.name ?? null,
            counts: [q.totalRequestCount, q.handledRequestCount, q.pendingRequestCount] as number[],
            requests: (await queue.listRequests({ limit: 10_000 })).items,
            head: (await queue.listHead({ limit: 1000 })).items,
            locked: locked.map((r) => r.id).sort(),
          };
        }),
      ),
    ),
  };
}

/** The faults the emulator drew for its first `requests` requests: the same seeded sequence, replayed. */
function faultsDrawn(seed: number, requests: number): Record<string, number> {
  const picker = new FaultPicker({ rate: FAULT_RATE, seed });
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const kind = picker.pick(null);
    if (kind !== null) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

function summarize(tally: Map<string, Tally>) {
  let ok = 0;
  let predicted = 0;
  const faulted: Record<string, number> = {};
  for (const t of tally.values()) {
    ok += t.ok;
    predicted += t.predicted;
    for (const [kind, n] of Object.entries(t.faulted)) faulted[kind] = (faulted[kind] ?? 0) + n;
  }
  return { ok, predicted, faulted };
}

describe('5,000 storage operations through seeded emulator faults (rate 0.2, every kind)', () => {
  it.concurrent.each(CLIENTS)(
    '%s: every operation succeeds or fails typed, and storage equals the model exactly',
    async (name, seed, makeHttpClient, exactCount) => {
      const storageDir = await mkdtemp(join(tmpdir(), 'faults-e2e-'));
      dirs.push(storageDir);
      const started = performance.now();
      let run: FaultRun;
      let stats: ApifyClient['stats'];
      {
        await using emulator = createEmulator({
          storageDir,
          faults: { rate: FAULT_RATE, seed, delayMs: DELAY_MS },
        });
        const { url } = await emulator.listen();
        await using client = ApifyClient.withCustomHttpClient({
          baseUrl: url,
          token: TOKEN,
          httpClient: makeHttpClient(),
        });
        run = new FaultRun(client, seed);
        await run.run(OPERATIONS_PER_CLIENT);
        stats = structuredClone(client.stats);
      }

      // A fresh emulator on the same folder has no faults: it serves exactly what was acknowledged.
      await using verifier = createEmulator({ storageDir });
      const { url } = await verifier.listen();
      await using reader = new ApifyClient({ baseUrl: url, token: TOKEN, maxRetries: 0 });
      expect(datesAsStrings(await readBack(reader))).toEqual(expected(run.model));

      const summary = summarize(run.tally);
      const faults = faultsDrawn(seed, stats.requests);
      const rateLimited = stats.rateLimitErrors.reduce((a, b) => a + b, 0);
      if (exactCount) {
        // The client saw exactly the 429s the emulator's seeded sequence injected: every request the
        // emulator served is one attempt the pipeline counted.
        expect(rateLimited).toBe(faults['429']);
      } else {
        // @pluggable/http replays an idempotent request once, inside the transport, when the connection
        // closes before any response (a `reset`): the emulator serves more requests than are counted.
        expect(rateLimited).toBeGreaterThanOrEqual(faults['429'] ?? 0);
      }
      // One API call per operation (single-payload pushes, single-batch adds), each settled once.
      const failed = Object.values(summary.faulted).reduce((a, b) => a + b, 0);
      expect([summary.ok + summary.predicted + failed, stats.calls]).toEqual([
        OPERATIONS_PER_CLIENT,
        OPERATIONS_PER_CLIENT,
      ]);
      for (const kind of ['429', '500', '503', 'reset', 'delay', 'truncate'])
        expect(faults[kind], kind).toBeGreaterThan(0);
      console.info(
        JSON.stringify({
          client: name,
          seconds: Math.round((performance.now() - started) / 100) / 10,
          operations: OPERATIONS_PER_CLIENT,
          calls: stats.calls,
          requests: stats.requests,
          retries: stats.requests - stats.calls,
          rateLimitErrors: stats.rateLimitErrors,
          faultsInjected: faults,
          outcomes: summary,
        }),
      );
    },
    120_000,
  );
});

const HELD = { 'x-emulator-fault': 'delay' };
const SHORT = { maxRetries: 2, minDelayBetweenRetries: 1, timeout: 300 } as const;

/** Clients whose every request carries the forced `delay` fault, each attempt capped at 300 ms. */
const DELAYED: [string, (url: string) => ApifyClient][] = [
  [
    'ImpitHttpClient',
    (url) =>
      new ApifyClient({
        baseUrl: url,
        token: TOKEN,
        headers: HELD,
        maxRetries: SHORT.maxRetries,
        minDelayBetweenRetriesMillis: SHORT.minDelayBetweenRetries,
        timeoutSecs: SHORT.timeout / 1000,
      }),
  ],
  [
    '@pluggable/http in RetryingHttpClient',
    (url) =>
      ApifyClient.withCustomHttpClient({
        baseUrl: url,
        token: TOKEN,
        httpClient: new RetryingHttpClient(new PluggableHttpClient({ headers: HELD }), SHORT),
      }),
  ],
];

describe('a delay fault held past the attempt timeout', () => {
  it.each(DELAYED)(
    '%s: a push is not replayed and stores nothing; a read is retried',
    async (_name, make) => {
      // No random faults: only the forced header delays, and the held answer ends when the client leaves.
      await using emulator = createEmulator({ faults: { rate: 0, delayMs: 60_000 } });
      const { url } = await emulator.listen();
      await using clean = new ApifyClient({ baseUrl: url, token: TOKEN, maxRetries: 0 });
      const { id } = await clean.datasets().getOrCreate('held');
      await using held = make(url);
      using captured = captureProcessWarnings();

      const push = await held
        .dataset(id)
        .pushItems([{ n: 1 }])
        .catch((e: unknown) => e);
      expect(push).toBeInstanceOf(ApifyTransportError);
      expect(push).toMatchObject({ outcomeUnknown: true, attempt: 1, httpMethod: 'POST' });
      expect(held.stats).toMatchObject({ calls: 1, requests: 1 });

      const read = await held
        .dataset(id)
        .get()
        .catch((e: unknown) => e);
      expect(read).toBeInstanceOf(ApifyTransportError);
      expect(read).toMatchObject({ outcomeUnknown: true, attempt: 3, httpMethod: 'GET' });
      expect(held.stats).toMatchObject({ calls: 2, requests: 4 });

      expect(await clean.dataset(id).listItems()).toMatchObject({ items: [], total: 0 });
      // The 300 ms attempt cap is below the 30 s default tier of both calls; the user set neither
      // timeout, so the cap applies without a warning.
      expect(captured.warnings).toEqual([]);
    },
  );
});
