import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { ApifyClient, FetchHttpClient } from '../src/index.js';
import { TOKEN } from './helpers/clients.js';
import { startFaultProxy } from './helpers/servers.js';

const MiB = 1024 * 1024;

describe('large datasets', () => {
  it('iterateItems over 100,000 items streams with RSS growth under 150 MiB', {
    timeout: 60_000,
  }, async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    // Uncompressed uploads keep the setup fast; compression has its own tests.
    await using client = new ApifyClient({ baseUrl: url, token: TOKEN, compression: null });
    const { id } = await client.datasets().getOrCreate('big');
    const total = 100_000;
    // 2 KB per item: the parsed strings of every item held at once take over 190 MiB, so the bound
    // below only holds if pages are released as the iteration moves on. The emulator serves from this
    // same process, and when the collector runs is up to V8: 100 MiB was seen exceeded (122) on Node 24.
    const pad = 'p'.repeat(2000);
    for (let start = 0; start < total; start += 25_000) {
      await client.dataset(id).pushItems(Array.from({ length: 25_000 }, (_, i) => ({ n: start + i, pad })));
    }
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let count = 0;
    let expected = 0;
    let ordered = true;
    for await (const item of client.dataset<{ n: number }>(id).iterateItems()) {
      if (item.n !== expected++) ordered = false;
      count += 1;
      if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(count).toBe(total);
    expect(ordered).toBe(true);
    expect((peak - baseline) / MiB).toBeLessThan(150);
  });

  it('pushItems of 50 MiB of items splits under the payload limit and keeps order', {
    timeout: 60_000,
  }, async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = new ApifyClient({ baseUrl: url, token: TOKEN });
    const { id } = await client.datasets().getOrCreate('fifty');
    const pad = 'x'.repeat(1000);
    const items = Array.from({ length: 50 * 1024 }, (_, n) => ({ n, pad }));
    // The emulator enforces the API's 9 MiB limit on the decoded body, so any oversized chunk fails.
    const before = client.stats.calls;
    await client.dataset(id).pushItems(items);
    // ~1.02 KB per item × 51,200 items ≈ 52 MB → six payloads of at most 9 MiB.
    expect(client.stats.calls - before).toBe(6);
    const stored = await client.dataset<{ n: number }>(id).listItems({ fields: ['n'] });
    expect(stored.total).toBe(items.length);
    expect(stored.items.every((item, index) => item.n === index)).toBe(true);
  });

  it('aborting an iteration with a signal stops it within 100 ms', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using proxy = await startFaultProxy(
      url,
      [],
      (r) => r.path.endsWith('/items') && r.method === 'GET',
    );
    await using client = ApifyClient.withCustomHttpClient({
      baseUrl: proxy.url,
      token: TOKEN,
      httpClient: new FetchHttpClient(),
    });
    const { id } = await client.datasets().getOrCreate('abortable');
    await client.dataset(id).pushItems(Array.from({ length: 50 }, (_, n) => ({ n })));
    // The first page arrives, the second hangs until the signal fires.
    proxy.plan.push('pass', 'hang');
    const controller = new AbortController();
    const seen: number[] = [];
    let abortedAt = 0;
    const iteration = (async () => {
      for await (const item of client
        .dataset<{ n: number }>(id)
        .iterateItems({ chunkSize: 10, signal: controller.signal })) {
        seen.push(item.n);
        if (seen.length === 10) {
          setTimeout(() => {
            abortedAt = Date.now();
            controller.abort(new Error('enough'));
          }, 50);
        }
      }
    })();
    await expect(iteration).rejects.toThrow('enough');
    expect(Date.now() - abortedAt).toBeLessThan(100);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(
      proxy.log.filter((l) => l.path.endsWith('/items') && l.method === 'GET').map((l) => l.action),
    ).toEqual(['pass', 'hang']);
  });

  it('an iteration over items already in memory stops at the next item once aborted', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = new ApifyClient({ baseUrl: url, token: TOKEN });
    const { id } = await client.datasets().getOrCreate('in-memory');
    await client.dataset(id).pushItems(Array.from({ length: 100 }, (_, n) => ({ n })));
    const controller = new AbortController();
    const seen: number[] = [];
    const iteration = (async () => {
      for await (const item of client
        .dataset<{ n: number }>(id)
        .iterateItems({ signal: controller.signal })) {
        seen.push(item.n);
        if (item.n === 4) controller.abort(new Error('stop now'));
      }
    })();
    await expect(iteration).rejects.toThrow('stop now');
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
