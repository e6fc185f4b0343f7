import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '../src/index.js';
import { collect, TRANSPORTS } from './helpers/clients.js';
import { startFaultProxy } from './helpers/servers.js';

describe.each(TRANSPORTS)('datasets over %s', (_name, makeClient) => {
  it('getOrCreate, get, update, list, iterate and delete', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const created = await client.datasets().getOrCreate('my-data');
    expect(created.name).toBe('my-data');
    expect((await client.datasets().getOrCreate('my-data')).id).toBe(created.id);
    const unnamed = await client.datasets().getOrCreate();
    expect(unnamed.id).not.toBe(created.id);
    expect(await client.dataset(created.id).get()).toMatchObject({
      id: created.id,
      name: 'my-data',
      itemCount: 0,
    });
    expect(await client.dataset('~my-data').get()).toMatchObject({ id: created.id });
    const renamed = await client.dataset(created.id).update({ name: 'renamed' });
    expect(renamed.name).toBe('renamed');
    await client.datasets().getOrCreate('other');
    const page = await client.datasets().list({ limit: 1 });
    expect(page).toMatchObject({ count: 1, limit: 1, offset: 0, total: 2 });
    expect((await collect(client.datasets().iterate({ chunkSize: 1 }))).map((d) => d.name)).toEqual([
      'renamed',
      'other',
    ]);
    await client.dataset(created.id).delete();
    expect(await client.dataset(created.id).get()).toBeUndefined();
    await expect(client.dataset(created.id).delete()).resolves.toBeUndefined();
  });

  it('pushItems and listItems with pagination headers and item parameters', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.datasets().getOrCreate('items');
    const dataset = client.dataset(id);
    await dataset.pushItems({ n: 0, '#hidden': 1 });
    await dataset.pushItems([{ n: 1, nested: { a: 1 } }, {}, { n: 3, tags: ['x', 'y'] }]);
    const all = await dataset.listItems();
    expect(all).toMatchObject({ total: 4, offset: 0, count: 4, desc: false });
    expect(all.items).toEqual([
      { n: 0, '#hidden': 1 },
      { n: 1, nested: { a: 1 } },
      {},
      { n: 3, tags: ['x', 'y'] },
    ]);
    const page = await dataset.listItems({ offset: 1, limit: 2, desc: true });
    expect(page).toMatchObject({ offset: 1, limit: 2, desc: true });
    expect(page.items).toEqual([{}, { n: 1, nested: { a: 1 } }]);
    expect((await dataset.listItems({ fields: ['n'] })).items).toEqual([{ n: 0 }, { n: 1 }, {}, { n: 3 }]);
    expect((await dataset.listItems({ omit: ['nested', 'tags', '#hidden'] })).items).toEqual([
      { n: 0 },
      { n: 1 },
      {},
      { n: 3 },
    ]);
    expect((await dataset.listItems({ skipHidden: true, limit: 1 })).items).toEqual([{ n: 0 }]);
    const clean = await dataset.listItems({ clean: true });
    expect(clean.items).toEqual([{ n: 0 }, { n: 1, nested: { a: 1 } }, { n: 3, tags: ['x', 'y'] }]);
    // count is the items returned (as in the official client), not the header's scanned count.
    expect(clean.count).toBe(3);
    expect((await dataset.listItems({ unwind: ['tags'], offset: 3 })).items).toEqual([
      { n: 3, tags: 'x' },
      { n: 3, tags: 'y' },
    ]);
    expect((await dataset.get())?.itemCount).toBe(4);
  });

  it('iterateItems pages until a page scans nothing, so filtered pages do not end it', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.datasets().getOrCreate('filtered');
    const items = Array.from({ length: 25 }, (_, n) => (n % 5 === 0 ? {} : { n }));
    await client.dataset(id).pushItems(items);
    const clean = await collect(client.dataset(id).iterateItems({ chunkSize: 5, clean: true }));
    expect(clean).toEqual(items.filter((item) => 'n' in item));
    expect(await collect(client.dataset(id).iterateItems({ chunkSize: 7, offset: 20 }))).toEqual(
      items.slice(20),
    );
    expect(await collect(client.dataset(id).iterateItems({ chunkSize: 4, limit: 6 }))).toEqual(
      items.slice(0, 6),
    );
  });

  it('streamItems and downloadItems in other formats', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.datasets().getOrCreate('formats');
    await client.dataset(id).pushItems([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    const response = await client.dataset(id).streamItems({ format: 'jsonl' });
    expect(response.statusCode).toBe(200);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.iterBytes()) chunks.push(chunk);
    await response.close();
    expect(
      Buffer.concat(chunks)
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    const csv = new TextDecoder().decode(await client.dataset(id).downloadItems('csv', { bom: false }));
    expect(
      csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/),
    ).toEqual(['a,b', '1,x', '2,y']);
    const stats = await client.dataset(id).getStatistics();
    expect(stats).toHaveProperty('fieldStatistics');
  });

  it('pushItems splits under the payload limit in order, one request at a time', async () => {
    await using emu = createEmulator({ maxPayloadBytes: 2000 });
    const { url } = await emu.listen();
    await using proxy = await startFaultProxy(url);
    await using client = makeClient(proxy.url);
    const { id } = await client.datasets().getOrCreate('split');
    const items = Array.from({ length: 50 }, (_, n) => ({ n, pad: 'p'.repeat(100) }));
    await client.dataset(id).pushItems(items, { maxPayloadBytes: 2000 });
    const pushes = proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/items'));
    expect(pushes.length).toBe(Math.ceil(50 / Math.floor(2000 / 120)));
    for (const push of pushes) expect(push.body.byteLength).toBeLessThanOrEqual(2000);
    expect(pushes.flatMap((push) => JSON.parse(push.body.toString('utf8')) as unknown[])).toEqual(items);
    expect((await client.dataset(id).listItems()).items).toEqual(items);
    await expect(
      client.dataset(id).pushItems([{ ok: 1 }, { big: 'x'.repeat(3000) }], { maxPayloadBytes: 2000 }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/items'))).toHaveLength(
      pushes.length,
    );
  });

  it('the server rejects a payload over its limit with 413 (request-too-large)', async () => {
    await using emu = createEmulator({ maxPayloadBytes: 1000 });
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.datasets().getOrCreate('limit');
    await expect(client.dataset(id).pushItems([{ big: 'x'.repeat(2000) }])).rejects.toMatchObject({
      statusCode: 413,
      type: 'request-too-large',
    });
  });

  it('400 gives InvalidRequestError with the body type and message', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.datasets().getOrCreate('bad');
    const error = await client
      .dataset(id)
      .pushItems('[1, 2]')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ApifyApiError',
      clientMethod: 'DatasetClient.pushItems',
      statusCode: 400,
      httpMethod: 'post',
      path: `/v2/datasets/${id}/items`,
    });
    expect((error as { type: string }).type).toMatch(/^invalid/);
    expect((error as Error).message.length).toBeGreaterThan(0);
  });

  it('a chained run dataset of a missing run throws NotFoundError', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    await expect(client.run('aaaaaaaaaaaaaaaaa').dataset().listItems()).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.run('aaaaaaaaaaaaaaaaa').dataset().get()).rejects.toBeInstanceOf(NotFoundError);
  });
});
