import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

const ITEMS = [
  { n: 0, name: 'zero', tags: ['a', 'b'], '#h': 1 },
  { n: 1, name: 'one', tags: ['c'] },
  {},
  { '#h': 3 },
  { n: 4, name: 'four', meta: { x: 1 } },
];

describe.each(MODES)('datasets through the official client (%s)', (mode) => {
  it('getOrCreate, list, get, update and delete', async () => {
    await using h = await harness(mode);
    const created = await h.client.datasets().getOrCreate('products');
    expect(created.name).toBe('products');
    expect(created.id).toMatch(/^[a-zA-Z0-9]{17}$/);
    expect(created.itemCount).toBe(0);
    expect((await h.client.datasets().getOrCreate('products')).id).toBe(created.id);
    await h.client.datasets().getOrCreate(); // unnamed: listed only with unnamed=1

    const list = await h.client.datasets().list();
    expect({ ...list, items: list.items.map((d) => d.id) }).toEqual({
      total: 1,
      offset: 0,
      limit: 1000,
      count: 1,
      desc: false,
      unnamed: false,
      items: [created.id],
    });
    expect((await h.client.datasets().list({ unnamed: true })).total).toBe(2);

    const got = await h.client.dataset(created.id).get();
    expect(got?.id).toBe(created.id);
    expect((await h.client.dataset('~products').get())?.id).toBe(created.id);
    expect((await h.client.dataset('emulator/products').get())?.id).toBe(created.id);

    const updated = await h.client.dataset(created.id).update({ name: 'renamed' });
    expect(updated.name).toBe('renamed');
    expect((await h.client.dataset('~renamed').get())?.id).toBe(created.id);

    await h.client.dataset(created.id).delete();
    expect(await h.client.dataset(created.id).get()).toBeUndefined();
    const missing = await h.raw(`/v2/datasets/${created.id}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { type: 'record-not-found', message: `Dataset '${created.id}' was not found` },
    });
  });

  it('get-or-create answers 201 with Location for a new name and 200 for an existing one', async () => {
    await using h = await harness(mode);
    const first = await h.raw('/v2/datasets?name=orders', { method: 'POST' });
    expect(first.status).toBe(201);
    const { data } = (await first.json()) as { data: { id: string } };
    expect(first.headers.get('location')).toMatch(new RegExp(`/v2/datasets/${data.id}$`));
    const second = await h.raw('/v2/datasets?name=orders', { method: 'POST' });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { data: { id: string } }).data.id).toBe(data.id);
  });

  it('pushItems and listItems with offset, limit, desc, fields, omit, clean and unwind', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('items');
    const dataset = h.client.dataset(id);
    await dataset.pushItems(ITEMS.slice(0, 2));
    await dataset.pushItems(ITEMS.slice(2));

    expect(await dataset.listItems()).toEqual({
      items: ITEMS,
      total: 5,
      offset: 0,
      count: 5,
      limit: 999999999999,
      desc: false,
    });
    expect(await dataset.listItems({ offset: 1, limit: 2 })).toEqual({
      items: [ITEMS[1], ITEMS[2]],
      total: 5,
      offset: 1,
      count: 2,
      limit: 2,
      desc: false,
    });
    expect(await dataset.listItems({ desc: true, limit: 2 })).toEqual({
      items: [ITEMS[4], ITEMS[3]],
      total: 5,
      offset: 0,
      count: 2,
      limit: 2,
      desc: true,
    });
    expect((await dataset.listItems({ desc: true, offset: 1, limit: 2 })).items).toEqual([
      ITEMS[3],
      ITEMS[2],
    ]);

    const fields = (await dataset.listItems({ fields: ['name', 'n'] })).items;
    // Exact JSON: `fields` also fixes the key order.
    expect(JSON.stringify(fields)).toBe(
      '[{"name":"zero","n":0},{"name":"one","n":1},{},{},{"name":"four","n":4}]',
    );
    expect((await dataset.listItems({ omit: ['tags', '#h'] })).items).toEqual([
      { n: 0, name: 'zero' },
      { n: 1, name: 'one' },
      {},
      {},
      { n: 4, name: 'four', meta: { x: 1 } },
    ]);
    expect(await dataset.listItems({ clean: true })).toEqual({
      items: [
        { n: 0, name: 'zero', tags: ['a', 'b'] },
        { n: 1, name: 'one', tags: ['c'] },
        { n: 4, name: 'four', meta: { x: 1 } },
      ],
      total: 5,
      offset: 0,
      count: 3,
      limit: 999999999999,
      desc: false,
    });
    expect((await dataset.listItems({ unwind: 'tags', limit: 2 })).items).toEqual([
      { n: 0, name: 'zero', '#h': 1, tags: 'a' },
      { n: 0, name: 'zero', '#h': 1, tags: 'b' },
      { n: 1, name: 'one', tags: 'c' },
    ]);
    expect((await dataset.listItems({ unwind: ['meta'], offset: 4 })).items).toEqual([
      { n: 4, name: 'four', x: 1 },
    ]);
    expect((await dataset.listItems({ flatten: ['meta'], offset: 4 })).items).toEqual([
      { n: 4, name: 'four', 'meta.x': 1 },
    ]);

    const stats = await dataset.get();
    expect([stats?.itemCount, stats?.cleanItemCount]).toEqual([5, 3]);
  });

  it('sends the pagination headers, including X-Apify-Pagination-Desc', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('headers');
    await h.client.dataset(id).pushItems(ITEMS);
    const response = await h.raw(`/v2/datasets/${id}/items?offset=0&limit=3&desc=1&clean=true`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(
      Object.fromEntries([...response.headers].filter(([k]) => k.startsWith('x-apify-pagination'))),
    ).toEqual({
      'x-apify-pagination-offset': '0',
      'x-apify-pagination-limit': '3',
      'x-apify-pagination-count': '3',
      'x-apify-pagination-total': '5',
      'x-apify-pagination-desc': 'true',
    });
    // Count is items processed (3), while clean dropped the empty and the hidden-only one from the body.
    expect(await response.json()).toEqual([ITEMS[4]]);
    const head = await h.raw(`/v2/datasets/${id}/items`, { method: 'HEAD' });
    expect(head.headers.get('x-apify-pagination-total')).toBe('5');
    expect(head.headers.get('x-apify-pagination-desc')).toBe('false');
    expect(await head.text()).toBe('');
  });

  it('downloadItems as csv and jsonl, byte for byte', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('download');
    await h.client.dataset(id).pushItems(ITEMS);
    const csv = await h.client.dataset(id).downloadItems('csv' as never, { clean: true });
    expect(csv.toString('utf8')).toBe(
      '\ufeffn,name,tags/0,tags/1,meta/x\r\n0,zero,a,b,\r\n1,one,c,,\r\n4,four,,,1\r\n',
    );
    const noBom = await h.client.dataset(id).downloadItems('csv' as never, {
      bom: false,
      fields: ['name'],
      skipHeaderRow: true,
      delimiter: ';',
      limit: 2,
    });
    expect(noBom.toString('utf8')).toBe('zero\r\none\r\n');
    const jsonl = await h.client.dataset(id).downloadItems('jsonl' as never);
    expect(jsonl.toString('utf8')).toBe(`${ITEMS.map((i) => JSON.stringify(i)).join('\n')}\n`);
    const xml = await h.raw(`/v2/datasets/${id}/items?format=xml`);
    expect(xml.status).toBe(400);
    expect(await xml.json()).toEqual({
      error: {
        type: 'invalid-parameter',
        message: "Format 'xml' is not supported by the emulator; use json, jsonl or csv",
      },
    });
  });

  it('decodes a large brotli body compressed by the official client itself', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('large');
    const big = Array.from({ length: 2000 }, (_, i) => ({ i, text: `row ${i} ${'x'.repeat(100)}` }));
    await h.client.dataset(id).pushItems(big);
    if (mode === 'in-process') expect(h.seenEncodings.at(-1)).toBe('br');
    const { items, total } = await h.client.dataset(id).listItems();
    expect(total).toBe(2000);
    expect(items).toEqual(big);
  });

  it('accepts gzip and deflate request bodies', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('encodings');
    const gz = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify([{ via: 'gzip' }])),
    });
    expect(gz.status).toBe(201);
    expect(await gz.json()).toEqual({});
    const br = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
      body: brotliCompressSync(JSON.stringify({ via: 'br' })),
    });
    expect(br.status).toBe(201);
    const { deflateSync } = await import('node:zlib');
    const df = await h.raw(`/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
      body: deflateSync(JSON.stringify({ via: 'deflate' })),
    });
    expect(df.status).toBe(201);
    expect((await h.client.dataset(id).listItems()).items).toEqual([
      { via: 'gzip' },
      { via: 'br' },
      { via: 'deflate' },
    ]);
  });

  it('streams a big listing in chunks instead of one string', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.datasets().getOrCreate('big');
    const items = Array.from({ length: 5000 }, (_, i) => ({ i, text: `row ${i}` }));
    for (let i = 0; i < items.length; i += 1000)
      await h.client.dataset(id).pushItems(items.slice(i, i + 1000));
    const response = await h.raw(`/v2/datasets/${id}/items`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(items);
    if (mode === 'in-process') {
      expect(chunks.length).toBeGreaterThan(10);
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(total / 10);
    } else {
      // TCP coalesces writes, but a body built up front would have been sent with its length.
      expect(response.headers.get('content-length')).toBeNull();
      expect(chunks.length).toBeGreaterThan(1);
    }
  });
});
