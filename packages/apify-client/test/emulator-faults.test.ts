import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { ApifyClient, FetchHttpClient, ImpitHttpClient } from '../src/index.js';
import { collect } from './helpers/clients.js';

const TRANSPORTS = [
  ['impit', () => new ImpitHttpClient({ minDelayBetweenRetries: 1, maxRetries: 8 })],
  ['fetch', () => new FetchHttpClient({ minDelayBetweenRetries: 1, maxRetries: 8 })],
] as const;

describe.each(TRANSPORTS)("the emulator's seeded faults over %s", (_name, makeHttp) => {
  it('30 % of requests fail with 429 and every push still completes exactly once (a 429 applied nothing)', async () => {
    await using emu = createEmulator({ faults: { rate: 0.3, seed: 7, kinds: ['429'] } });
    const { url } = await emu.listen();
    await using client = ApifyClient.withCustomHttpClient({ baseUrl: url, httpClient: makeHttp() });
    const { id } = await client.datasets().getOrCreate('chaos');
    for (let batch = 0; batch < 20; batch++) {
      await client.dataset(id).pushItems([{ n: batch * 2 }, { n: batch * 2 + 1 }]);
    }
    const items = await collect(client.dataset<{ n: number }>(id).iterateItems({ chunkSize: 7 }));
    expect(items.map((item) => item.n)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(client.stats.requests).toBeGreaterThan(client.stats.calls);
    expect(client.stats.rateLimitErrors.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('truncated and reset responses to idempotent calls are retried', async () => {
    await using emu = createEmulator({ faults: { rate: 0.4, seed: 3, kinds: ['truncate', 'reset'] } });
    const { url } = await emu.listen();
    await using client = ApifyClient.withCustomHttpClient({ baseUrl: url, httpClient: makeHttp() });
    // Create-by-name, PUT and GET may all be repeated safely, so faults only cost attempts.
    const store = await client.keyValueStores().getOrCreate('reads');
    for (let i = 0; i < 10; i++)
      await client.keyValueStore(store.id).setRecord({ key: `k${i}`, value: { i, pad: 'x'.repeat(500) } });
    for (let i = 0; i < 10; i++)
      expect((await client.keyValueStore(store.id).getRecord(`k${i}`))?.value).toEqual({
        i,
        pad: 'x'.repeat(500),
      });
    expect(client.stats.requests).toBeGreaterThan(client.stats.calls);
  });
});
