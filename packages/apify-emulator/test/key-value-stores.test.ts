import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApifyApiError } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { harness, MODES } from './helpers.js';

describe.each(MODES)('key-value stores through the official client (%s)', (mode) => {
  it('getOrCreate, list, get, update and delete', async () => {
    await using h = await harness(mode);
    const store = await h.client.keyValueStores().getOrCreate('config');
    expect(store.name).toBe('config');
    expect((await h.client.keyValueStores().getOrCreate('config')).id).toBe(store.id);
    const list = await h.client.keyValueStores().list();
    expect({ ...list, items: list.items.map((s) => s.name) }).toEqual({
      total: 1,
      offset: 0,
      limit: 1000,
      count: 1,
      desc: false,
      unnamed: false,
      items: ['config'],
    });
    expect((await h.client.keyValueStore(store.id).update({ name: 'settings' })).name).toBe('settings');
    expect((await h.client.keyValueStore('~settings').get())?.id).toBe(store.id);
    await h.client.keyValueStore(store.id).delete();
    expect(await h.client.keyValueStore(store.id).get()).toBeUndefined();
  });

  it('stores JSON, text and binary records with their content types', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.keyValueStores().getOrCreate('records');
    const kvs = h.client.keyValueStore(id);
    await kvs.setRecord({ key: 'json', value: { hello: 'world', list: [1, 2] } });
    await kvs.setRecord({ key: 'text', value: 'plain text' });
    const binary = Buffer.from([0, 1, 2, 250, 255]);
    await kvs.setRecord({ key: 'binary', value: binary, contentType: 'image/x-test' });
    const large = { rows: Array.from({ length: 300 }, (_, i) => `row-${i}`) };
    await kvs.setRecord({ key: 'large', value: large });
    if (mode === 'in-process') expect(h.seenEncodings.at(-1)).toBe('br');

    expect(await kvs.getRecord('json')).toEqual({
      key: 'json',
      value: { hello: 'world', list: [1, 2] },
      contentType: 'application/json; charset=utf-8',
    });
    expect(await kvs.getRecord('text')).toEqual({
      key: 'text',
      value: 'plain text',
      contentType: 'text/plain; charset=utf-8',
    });
    const got = await kvs.getRecord('binary', { buffer: true });
    expect(got?.contentType).toBe('image/x-test');
    expect(Buffer.compare(got?.value as Buffer, binary)).toBe(0);
    expect((await kvs.getRecord('large'))?.value).toEqual(large);

    // The client brotli-compressed the large record; it is kept as uploaded and served to whoever accepts br.
    const asStored = await h.raw(`/v2/key-value-stores/${id}/records/large`, {
      headers: { 'accept-encoding': 'br' },
    });
    if (mode === 'in-process') expect(asStored.headers.get('content-encoding')).toBe('br');
    const identity = await h.raw(`/v2/key-value-stores/${id}/records/large`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(await identity.text())).toEqual(large);

    expect(await kvs.recordExists('json')).toBe(true);
    expect(await kvs.recordExists('nope')).toBe(false);
    await kvs.deleteRecord('json');
    expect(await kvs.getRecord('json')).toBeUndefined();
    expect(await kvs.recordExists('json')).toBe(false);
    const missing = await h.raw(`/v2/key-value-stores/${id}/records/json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { type: 'record-not-found', message: "Record 'json' was not found" },
    });
  });

  it('lists keys in pages of 2 with an explicit null nextExclusiveStartKey on the last page', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.keyValueStores().getOrCreate('paging');
    const kvs = h.client.keyValueStore(id);
    for (const key of ['e', 'c', 'a', 'd', 'b']) await kvs.setRecord({ key, value: key.repeat(3) });
    const strip = (page: { items: { key: string; size: number }[] }) => ({
      ...page,
      items: page.items.map(({ key, size }) => ({ key, size })),
    });
    expect(strip(await kvs.listKeys({ limit: 2 }))).toEqual({
      items: [
        { key: 'a', size: 3 },
        { key: 'b', size: 3 },
      ],
      count: 2,
      limit: 2,
      exclusiveStartKey: null,
      isTruncated: true,
      nextExclusiveStartKey: 'b',
    });
    expect(strip(await kvs.listKeys({ limit: 2, exclusiveStartKey: 'b' }))).toEqual({
      items: [
        { key: 'c', size: 3 },
        { key: 'd', size: 3 },
      ],
      count: 2,
      limit: 2,
      exclusiveStartKey: 'b',
      isTruncated: true,
      nextExclusiveStartKey: 'd',
    });
    const last = await h.raw(`/v2/key-value-stores/${id}/keys?limit=2&exclusiveStartKey=d`);
    const body = (await last.json()) as { data: Record<string, unknown> };
    expect(body.data).toEqual({
      items: [
        {
          key: 'e',
          size: 3,
          recordPublicUrl: expect.stringMatching(new RegExp(`/v2/key-value-stores/${id}/records/e$`)),
        },
      ],
      count: 1,
      limit: 2,
      exclusiveStartKey: 'd',
      isTruncated: false,
      nextExclusiveStartKey: null,
    });
    const keys: string[] = [];
    for await (const item of kvs.listKeys()) keys.push(item.key);
    expect(keys).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await kvs.listKeys({ prefix: 'd' })).items.map((i) => i.key)).toEqual(['d']);
  });

  it('rejects an invalid key with 400 invalid-record-key', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.keyValueStores().getOrCreate('keys');
    const error = await h.client
      .keyValueStore(id)
      .setRecord({ key: 'bad key', value: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApifyApiError);
    expect((error as ApifyApiError).statusCode).toBe(400);
    expect((error as ApifyApiError).type).toBe('invalid-record-key');
    const slash = await h.client
      .keyValueStore(id)
      .setRecord({ key: 'a/b', value: 'x' })
      .catch((e: unknown) => e);
    expect((slash as ApifyApiError).type).toBe('invalid-record-key');
    expect((await h.client.keyValueStore(id).listKeys()).items).toEqual([]);
  });

  it('keeps Content-Type byte for byte', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.keyValueStores().getOrCreate('types');
    const put = await h.raw(`/v2/key-value-stores/${id}/records/odd`, {
      method: 'PUT',
      headers: { 'content-type': 'Application/X-Odd; Charset="latin1"; q=1' },
      body: 'abc',
    });
    expect(put.status).toBe(201);
    expect(await put.json()).toEqual({});
    const got = await h.raw(`/v2/key-value-stores/${id}/records/odd?attachment=true`);
    expect(got.headers.get('content-type')).toBe('Application/X-Odd; Charset="latin1"; q=1');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="odd"');
    expect(await got.text()).toBe('abc');
  });
});

/** A raw HTTP request whose path is sent exactly as written (fetch and URL would normalise `..`). */
function rawPut(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, path, method: 'PUT', headers: { 'content-type': 'text/plain' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('escaped');
  });
}

describe('key-value store keys cannot escape storageDir', () => {
  it('rejects ../x, a/b and %2e%2e over real HTTP and in-process, writing nothing outside', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'emu-escape-'));
    try {
      const storageDir = join(parent, 'storage');
      await using emulator = createEmulator({ storageDir });
      const { url } = await emulator.listen();
      const created = await fetch(`${url}/v2/key-value-stores?name=jail`, { method: 'POST' });
      const { id } = ((await created.json()) as { data: { id: string } }).data;
      const base = `/v2/key-value-stores/${id}/records`;
      const attempts = [
        `${base}/../x`,
        `${base}/../../../x`,
        `${base}/a/b`,
        `${base}/%2e%2e`,
        `${base}/%2E%2E/x`,
        `${base}/..%2Fx`,
        `${base}/a%2Fb`,
        `${base}/.`,
      ];
      for (const path of attempts) {
        const { status, body } = await rawPut(url, path);
        expect([path, status]).toEqual([path, 400]);
        expect((JSON.parse(body) as { error: { type: string } }).error.type).toBe('invalid-record-key');
      }
      // In-process, `new Request()` already normalises `..` and `%2e%2e` segments away, so only the
      // encodings that survive URL parsing can reach the handler.
      for (const key of ['a%2Fb', '..%2Fx', '%2e%2e%2Fx', 'a/b']) {
        const response = await emulator.fetch(
          new Request(`http://emulator.test${base}/${key}`, { method: 'PUT', body: 'escaped' }),
        );
        expect([key, response.status]).toEqual([key, 400]);
        expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
          'invalid-record-key',
        );
      }
      const keys = await fetch(`${url}/v2/key-value-stores/${id}/keys`);
      expect(((await keys.json()) as { data: { items: unknown[] } }).data.items).toEqual([]);
      expect(await readdir(parent)).toEqual(['storage']);
      // The lock file says which emulator holds the folder while it runs.
      expect((await readdir(storageDir)).sort()).toEqual(['emulator.lock', 'journal.log']);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
