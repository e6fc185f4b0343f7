import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator } from '@pluggable/apify-emulator';
import { createProxy } from 'proxy';
import { describe, expect, it } from 'vitest';
import { PluggableHttpClient } from '../../../docs/examples/pluggable-http-client.js';
import { createProductionClient } from '../../../docs/examples/production-http-client.js';
import { Response as PluggableResponse } from '../../http/src/index.js';
import { ApifyClient, isHttpResponse } from '../src/index.js';

const TOKEN = 'guide-token';

describe('docs/guides/custom-http-client.md', () => {
  it('shows both example files verbatim', async () => {
    const root = new URL('../../../docs/', import.meta.url);
    const guide = await readFile(new URL('guides/custom-http-client.md', root), 'utf8');
    for (const name of ['pluggable-http-client.ts', 'production-http-client.ts']) {
      const source = await readFile(new URL(`examples/${name}`, root), 'utf8');
      expect(guide).toContain(`\`\`\`ts\n${source.trimEnd()}\n\`\`\``);
    }
  });

  it('the minimal client carries listItems, iterateItems, getRecord, setRecord and pushItems', async () => {
    await using emulator = createEmulator({ token: TOKEN });
    const { url } = await emulator.listen();
    const client = ApifyClient.withCustomHttpClient({
      token: TOKEN,
      baseUrl: url,
      httpClient: new PluggableHttpClient(),
    });
    try {
      const dataset = await client.datasets().getOrCreate('guide');
      const items = Array.from({ length: 250 }, (_, i) => ({ i, tag: i % 2 === 0 ? 'even' : 'odd' }));
      await client.dataset(dataset.id).pushItems(items);
      const page = await client.dataset(dataset.id).listItems({ offset: 10, limit: 3, fields: ['i'] });
      expect(page.items).toEqual([{ i: 10 }, { i: 11 }, { i: 12 }]);
      expect(page.total).toBe(250);
      const seen: number[] = [];
      for await (const item of client.dataset<{ i: number }>(dataset.id).iterateItems({ chunkSize: 100 }))
        seen.push(item.i);
      expect(seen).toEqual(items.map((item) => item.i));

      const store = await client.keyValueStores().getOrCreate('guide');
      await client.keyValueStore(store.id).setRecord({ key: 'config', value: { depth: 2 } });
      await client
        .keyValueStore(store.id)
        .setRecord({ key: 'note', value: 'plain text', contentType: 'text/plain' });
      expect(await client.keyValueStore(store.id).getRecord('config')).toEqual({
        key: 'config',
        value: { depth: 2 },
        contentType: 'application/json; charset=utf-8',
      });
      expect((await client.keyValueStore(store.id).getRecord('note'))?.value).toBe('plain text');
    } finally {
      await client.close();
    }
  });

  it('returns the library Response unwrapped; isHttpResponse does not consume a streamed body', async () => {
    await using emulator = createEmulator();
    const { url } = await emulator.listen();
    const client = ApifyClient.withCustomHttpClient({
      token: TOKEN,
      baseUrl: url,
      httpClient: new PluggableHttpClient(),
    });
    try {
      const dataset = await client.datasets().getOrCreate('stream');
      await client.dataset(dataset.id).pushItems([{ a: 1 }, { a: 2 }]);
      const response = await client.dataset(dataset.id).streamItems({ format: 'jsonl' });
      expect(response).toBeInstanceOf(PluggableResponse);
      const pluggable = response as unknown as PluggableResponse;
      expect(isHttpResponse(response)).toBe(true);
      expect(pluggable.isStreamConsumed).toBe(false);
      const lines: string[] = [];
      for await (const line of pluggable.iterLines()) lines.push(line);
      expect(lines).toEqual(['{"a":1}', '{"a":2}']);
    } finally {
      await client.close();
    }
  });

  it('the production client retries through faults, counts, logs and goes through a proxy', async () => {
    await using emulator = createEmulator({ faults: { rate: 0.3, seed: 11, kinds: ['500', '503', '429'] } });
    const { url } = await emulator.listen();
    const proxied: string[] = [];
    const proxy = createProxy(http.createServer());
    proxy.prependListener('request', (req: http.IncomingMessage) => proxied.push(req.url ?? ''));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const lines: string[] = [];
    const { client, http: transport } = createProductionClient({
      token: TOKEN,
      baseUrl: url,
      proxy: proxyUrl,
      log: (l) => lines.push(l),
    });
    try {
      const store = await client.keyValueStores().getOrCreate('prod');
      for (let i = 0; i < 20; i++)
        await client.keyValueStore(store.id).setRecord({ key: `k${i}`, value: { i } });
      for (let i = 0; i < 20; i++)
        expect((await client.keyValueStore(store.id).getRecord(`k${i}`))?.value).toEqual({ i });
      expect(client.stats.calls).toBe(41);
      expect(client.stats.requests).toBeGreaterThan(client.stats.calls);
      expect(transport.metrics.calls).toBe(client.stats.requests);
      expect(lines).toHaveLength(client.stats.requests);
      expect(lines.some((l) => /→ (500|503|429)$/.test(l))).toBe(true);
      expect(proxied).toHaveLength(client.stats.requests);
      expect(proxied[0]?.startsWith(`${url}/v2/`)).toBe(true);
    } finally {
      await client.close();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
