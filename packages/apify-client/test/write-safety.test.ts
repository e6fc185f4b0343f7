import { inspect } from 'node:util';
import { APPLIED_FAULT_KINDS, type FaultKind } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { PluggableHttpClient } from '../../../docs/examples/pluggable-http-client.js';
import { startCli } from '../../apify-emulator/test/cli-process.js';
import {
  ApifyClient,
  ApifyClientError,
  type HttpClient,
  ImpitHttpClient,
  RetryingHttpClient,
} from '../src/index.js';
import { TOKEN } from './helpers/clients.js';

/**
 * "No duplicates, no loss": 2,000 mixed writes under each "applied, then failed" fault kind. Every
 * faulted write landed, so a client that replays an ambiguous one duplicates it, and a client that
 * reports a failure as "nothing happened" (outcomeUnknown false) is caught by the state.
 */

const WRITES = 2000;
const FAULT_RATE = 0.2;
const WORKERS = 24;
/** The held answer of `applied-timeout` outlasts the attempt timeout by far. */
const HELD_MS = 1500;
const ATTEMPT_TIMEOUT_MS = 600;

type Client = (timeout: number) => HttpClient;
const CLIENTS: [string, Client][] = [
  [
    'ImpitHttpClient',
    (timeout) => new ImpitHttpClient({ maxRetries: 8, minDelayBetweenRetries: 1, timeout }),
  ],
  [
    '@pluggable/http in RetryingHttpClient',
    (timeout) =>
      new RetryingHttpClient(new PluggableHttpClient(), {
        maxRetries: 8,
        minDelayBetweenRetries: 1,
        timeout,
      }),
  ],
];

type Kind = 'push' | 'record' | 'request' | 'run';
const KINDS: Kind[] = ['push', 'record', 'request', 'run'];

type Outcome = { ok: true } | { ok: false; outcomeUnknown: boolean; error: ApifyClientError };

interface Targets {
  datasetId: string;
  storeId: string;
  queueId: string;
  actor: string;
}

function write(client: ApifyClient, targets: Targets, op: number): Promise<unknown> {
  switch (KINDS[op % KINDS.length]) {
    case 'push':
      return client.dataset(targets.datasetId).pushItems([
        { op, part: 0 },
        { op, part: 1 },
      ]);
    case 'record':
      return client.keyValueStore(targets.storeId).setRecord({ key: `op-${op}`, value: { op } });
    case 'request':
      return client
        .requestQueue(targets.queueId)
        .addRequest({ uniqueKey: `op-${op}`, url: `https://example.com/${op}` });
    default:
      return client.actor(targets.actor).start({ op });
  }
}

async function runAll(client: ApifyClient, targets: Targets): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(WRITES);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < WRITES) {
      const op = next++;
      try {
        await write(client, targets, op);
        outcomes[op] = { ok: true };
      } catch (error) {
        if (!(error instanceof ApifyClientError)) throw error;
        outcomes[op] = { ok: false, outcomeUnknown: error.outcomeUnknown, error };
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return outcomes;
}

/** A create is not replayed; when its answer is lost, the list shows whether it landed. */
async function createActor(client: ApifyClient, name: string): Promise<string> {
  try {
    return (await client.actors().create({ name } as never)).id;
  } catch (error) {
    if (!(error instanceof ApifyClientError) || !error.outcomeUnknown) throw error;
    const { items } = await client.actors().list();
    const created = items.find((actor) => actor.name === name);
    if (created === undefined) throw error;
    return created.id;
  }
}

/** How many times each write is in the storage. */
async function landed(client: ApifyClient, targets: Targets): Promise<number[]> {
  const counts = new Array<number>(WRITES).fill(0);
  const pushParts = new Map<number, number[]>();
  for await (const item of client.dataset<{ op: number; part: number }>(targets.datasetId).iterateItems()) {
    pushParts.set(item.op, [...(pushParts.get(item.op) ?? []), item.part]);
  }
  for (const [op, parts] of pushParts) {
    // A push lands whole or not at all; a replayed one shows up as a second pair.
    expect(parts.length % 2, `op ${op}: parts ${parts.join(',')}`).toBe(0);
    counts[op] = (counts[op] ?? 0) + parts.length / 2;
  }
  for await (const { key } of client.keyValueStore(targets.storeId).iterateKeys()) {
    const op = Number(key.slice('op-'.length));
    counts[op] = (counts[op] ?? 0) + 1;
  }
  const requests = await client.requestQueue(targets.queueId).listRequests({ limit: 10_000 });
  for (const request of requests.items) {
    const op = Number(request.uniqueKey.slice('op-'.length));
    counts[op] = (counts[op] ?? 0) + 1;
  }
  // Runs live in memory, but each run's default store (with its INPUT) is durable: one per started run.
  const stores = await client.keyValueStores().list({ unnamed: true, limit: 10_000 });
  const runStores = stores.items.filter((store) => store.id !== targets.storeId);
  let next = 0;
  const reader = async (): Promise<void> => {
    for (let store = runStores[next++]; store !== undefined; store = runStores[next++]) {
      const input = await client.keyValueStore(store.id).getRecord('INPUT');
      const op = (input?.value as { op: number } | undefined)?.op ?? -1;
      counts[op] = (counts[op] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 16 }, reader));
  expect(counts[-1]).toBeUndefined();
  return counts;
}

describe.each(APPLIED_FAULT_KINDS)('2,000 mixed writes under %s at a 20 % rate', (kind: FaultKind) => {
  it.concurrent.each(CLIENTS)(
    '%s: nothing is duplicated or lost, and outcomeUnknown is true exactly when it must be',
    async (_name, makeHttp) => {
      let outcomes: Outcome[];
      let counts: number[];
      // The emulator runs in its own process (the CLI), so it and the client share the cores.
      const emulator = await startCli([
        '--port',
        '0',
        '--fault-rate',
        String(FAULT_RATE),
        '--fault-seed',
        '13',
        '--faults',
        kind,
        '--fault-delay-ms',
        String(HELD_MS),
      ]);
      try {
        const timeout = kind === 'applied-timeout' ? ATTEMPT_TIMEOUT_MS : 30_000;
        // Setup and read-back are reads or replay-safe writes, so their client simply retries the faults.
        await using reader = new ApifyClient({
          baseUrl: emulator.url,
          token: TOKEN,
          maxRetries: 12,
          minDelayBetweenRetriesMillis: 1,
          timeoutSecs: timeout / 1000,
        });
        const targets: Targets = {
          datasetId: (await reader.datasets().getOrCreate('pushes')).id,
          storeId: (await reader.keyValueStores().getOrCreate('records')).id,
          queueId: (await reader.requestQueues().getOrCreate('requests')).id,
          actor: await createActor(reader, 'noop'),
        };
        await using client = ApifyClient.withCustomHttpClient({
          baseUrl: emulator.url,
          token: TOKEN,
          httpClient: makeHttp(timeout),
        });
        outcomes = await runAll(client, targets);
        counts = await landed(reader, targets);
      } finally {
        emulator.child.kill('SIGTERM');
        await emulator.exited;
      }

      const wrong: string[] = [];
      const tally: Record<string, number> = {};
      for (const [op, outcome] of outcomes.entries()) {
        const what = `${KINDS[op % KINDS.length]} ${op}`;
        const label = outcome.ok ? 'ok' : outcome.outcomeUnknown ? 'unknown' : 'not applied';
        tally[`${KINDS[op % KINDS.length]} ${label}`] =
          (tally[`${KINDS[op % KINDS.length]} ${label}`] ?? 0) + 1;
        const count = counts[op];
        if (outcome.ok && count !== 1) wrong.push(`${what}: succeeded, stored ${count} times`);
        // Every faulted write of these kinds was applied: "unknown" must have landed, once.
        if (!outcome.ok && outcome.outcomeUnknown && count !== 1)
          wrong.push(`${what}: outcomeUnknown, stored ${count} times`);
        if (!outcome.ok && !outcome.outcomeUnknown)
          wrong.push(`${what}: rejected as not applied (${outcome.error.message}), stored ${count} times`);
      }
      expect(wrong).toEqual([]);

      // Writes that would duplicate were rejected rather than replayed; idempotent ones were retried.
      expect(tally['push unknown'] ?? 0).toBeGreaterThan(0);
      expect(tally['run unknown'] ?? 0).toBeGreaterThan(0);
      expect([tally['record unknown'], tally['request unknown']]).toEqual([undefined, undefined]);
      expect((tally['push ok'] ?? 0) + (tally['push unknown'] ?? 0)).toBe(WRITES / KINDS.length);

      // The rejected write carries the request it sent, with the token masked.
      const rejected = outcomes.find((o) => !o.ok && o.outcomeUnknown);
      const error = (rejected as { error: ApifyClientError }).error;
      expect(error.request?.method).toBe('POST');
      expect(error.request?.headers.Authorization).toBe('Bearer ***');
      expect(inspect(error, { depth: 10 }) + JSON.stringify(error.request)).not.toContain(TOKEN);
    },
    60_000,
  );
});
