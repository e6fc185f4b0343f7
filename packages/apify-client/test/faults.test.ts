import { Readable } from 'node:stream';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import {
  ApifyClient,
  type ApifyClientError,
  ApifyTransportError,
  FetchHttpClient,
  ImpitHttpClient,
  ServerError,
} from '../src/index.js';
import { TOKEN } from './helpers/clients.js';
import { type ProxyAction, startFaultProxy } from './helpers/servers.js';

const TRANSPORTS = [
  [
    'impit',
    (options: { maxRetries?: number }) => new ImpitHttpClient({ minDelayBetweenRetries: 1, ...options }),
  ],
  [
    'fetch',
    (options: { maxRetries?: number }) => new FetchHttpClient({ minDelayBetweenRetries: 1, ...options }),
  ],
] as const;

/** The emulator behind a proxy that fails the matching requests as planned. */
async function setup(
  plan: ProxyAction[],
  match: (path: string, method: string) => boolean,
  makeHttp: (typeof TRANSPORTS)[number][1],
  options: { maxRetries?: number } = {},
) {
  const emu = createEmulator();
  const { url } = await emu.listen();
  const proxy = await startFaultProxy(url, [], (r) => match(r.path, r.method));
  const client = ApifyClient.withCustomHttpClient({
    baseUrl: proxy.url,
    token: TOKEN,
    httpClient: makeHttp(options),
  });
  return {
    emu,
    proxy,
    client,
    /** Arms the plan after the setup requests, so only the call under test meets the faults. */
    arm: () => proxy.plan.push(...plan),
    async [Symbol.asyncDispose]() {
      await client.close();
      await proxy.close();
      await emu.close();
    },
  };
}

const isItems = (path: string) => path.endsWith('/items');
const isDataset = (path: string) => /^\/v2\/datasets\/[^/]+$/.test(path);

describe.each(TRANSPORTS)('faults through a proxy in front of the emulator, over %s', (name, makeHttp) => {
  it('500, 500, 200 → success with stats.requests === 3', async () => {
    await using t = await setup([{ status: 500 }, { status: 500 }], isDataset, makeHttp);
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    const before = t.client.stats.requests;
    expect(await t.client.dataset(id).get()).toMatchObject({ id });
    expect(t.client.stats.requests - before).toBe(3);
    expect(t.proxy.log.filter((l) => isDataset(l.path)).map((l) => l.action)).toEqual(['500', '500', 'pass']);
  });

  it('429 on attempts 1 and 2 → rateLimitErrors [1, 1]', async () => {
    await using t = await setup(
      [{ status: 429, body: { error: { type: 'rate-limit-exceeded', message: 'slow' } } }, { status: 429 }],
      isDataset,
      makeHttp,
    );
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    await t.client.dataset(id).get();
    expect(t.client.stats.rateLimitErrors).toEqual([1, 1]);
  });

  it('Retry-After: 1 on a 429 is honoured over the backoff (injected sleep records the wait)', async () => {
    const sleeps: number[] = [];
    const timing = {
      minDelayBetweenRetries: 10,
      random: () => 0,
      sleep: async (ms: number) => void sleeps.push(ms),
    };
    const httpClient = () => (name === 'impit' ? new ImpitHttpClient(timing) : new FetchHttpClient(timing));
    await using t = await setup(
      [{ status: 429, headers: { 'Retry-After': '1' } }, { status: 500 }],
      isDataset,
      httpClient,
    );
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    expect(await t.client.dataset(id).get()).toMatchObject({ id });
    expect(sleeps).toEqual([1000, 20]);
  });

  it('two socket resets, then success', async () => {
    await using t = await setup(['reset', 'reset'], isDataset, makeHttp);
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    expect(await t.client.dataset(id).get()).toMatchObject({ id });
    expect(t.proxy.log.filter((l) => isDataset(l.path)).map((l) => l.action)).toEqual([
      'reset',
      'reset',
      'pass',
    ]);
  });

  it('maxRetries: 1 with three 500s → ServerError, statusCode 500, attempt 2', async () => {
    await using t = await setup([{ status: 500 }, { status: 500 }, { status: 500 }], isDataset, makeHttp, {
      maxRetries: 1,
    });
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    const error = await t.client
      .dataset(id)
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ statusCode: 500, attempt: 2 });
  });

  it('a push whose response is lost after the server stored it rejects, and the items are stored once', async () => {
    await using t = await setup(['lose'], (path, method) => isItems(path) && method === 'POST', makeHttp);
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    const error = await t.client
      .dataset(id)
      .pushItems([{ n: 1 }, { n: 2 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApifyTransportError);
    expect(error).toMatchObject({ outcomeUnknown: true, attempt: 1, httpMethod: 'POST' });
    expect((await t.client.dataset(id).listItems()).items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(t.proxy.log.filter((l) => isItems(l.path) && l.method === 'POST')).toHaveLength(1);
  });

  it('an idempotent setRecord whose response is lost succeeds on retry', async () => {
    await using t = await setup(
      ['lose'],
      (path, method) => path.includes('/records/') && method === 'PUT',
      makeHttp,
    );
    const { id } = await t.client.keyValueStores().getOrCreate('s');
    t.arm();
    await t.client.keyValueStore(id).setRecord({ key: 'k', value: { v: 1 } });
    expect((await t.client.keyValueStore(id).getRecord('k'))?.value).toEqual({ v: 1 });
    expect(
      t.proxy.log.filter((l) => l.path.includes('/records/') && l.method === 'PUT').map((l) => l.action),
    ).toEqual(['lose', 'pass']);
  });

  it('a push refused before any response (reset) is not replayed either: its outcome is unknown', async () => {
    await using t = await setup(['reset'], (path, method) => isItems(path) && method === 'POST', makeHttp);
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    await expect(t.client.dataset(id).pushItems([{ n: 1 }])).rejects.toBeInstanceOf(ApifyTransportError);
    expect((await t.client.dataset(id).listItems()).items).toEqual([]);
  });

  it('a push answered 500 is not replayed: a 5xx does not prove that nothing was stored', async () => {
    await using t = await setup(
      [{ status: 500 }],
      (path, method) => isItems(path) && method === 'POST',
      makeHttp,
    );
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    const error = await t.client
      .dataset(id)
      .pushItems([{ n: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ name: 'ApifyApiError', statusCode: 500, attempt: 1, outcomeUnknown: true });
    expect((error as ApifyClientError).request).toMatchObject({ method: 'POST', data: '[{"n":1}]' });
    expect(t.proxy.log.filter((l) => isItems(l.path) && l.method === 'POST')).toHaveLength(1);
    // This proxy answered without forwarding, so the state shows what outcomeUnknown left open.
    expect((await t.client.dataset(id).listItems()).items).toEqual([]);
  });

  it('a push answered 429 is replayed: a 429 proves that nothing was stored', async () => {
    await using t = await setup(
      [{ status: 429 }],
      (path, method) => isItems(path) && method === 'POST',
      makeHttp,
    );
    const { id } = await t.client.datasets().getOrCreate('d');
    t.arm();
    await t.client.dataset(id).pushItems([{ n: 1 }]);
    expect((await t.client.dataset(id).listItems()).items).toEqual([{ n: 1 }]);
  });

  it('a streamed upload answered 500 is not retried: its body cannot be replayed', async () => {
    await using t = await setup(
      [{ status: 500 }],
      (path, method) => path.includes('/records/') && method === 'PUT',
      makeHttp,
    );
    const { id } = await t.client.keyValueStores().getOrCreate('s');
    t.arm();
    const upload = t.client
      .keyValueStore(id)
      .setRecord({ key: 'file', value: Readable.from([Buffer.from('abc')]) });
    await expect(upload).rejects.toMatchObject({ name: 'ApifyApiError', statusCode: 500, attempt: 1 });
    expect(t.proxy.log.filter((l) => l.method === 'PUT')).toHaveLength(1);
  });

  it('a run start whose response is lost is not replayed (no second run)', async () => {
    await using t = await setup(
      ['lose'],
      (path, method) => path.endsWith('/runs') && method === 'POST',
      makeHttp,
    );
    t.emu.registerActor('me/noop', async () => undefined);
    t.arm();
    await expect(t.client.actor('me/noop').start()).rejects.toBeInstanceOf(ApifyTransportError);
    expect((await t.client.actor('me/noop').runs().list()).items).toHaveLength(1);
  });
});
