import { Readable } from 'node:stream';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { collect, TRANSPORTS } from './helpers/clients.js';
import { startFaultProxy } from './helpers/servers.js';

describe.each(TRANSPORTS)('key-value stores over %s', (_name, makeClient) => {
  it('getOrCreate, get, update, list, iterate and delete', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const store = await client.keyValueStores().getOrCreate('kv');
    expect((await client.keyValueStores().getOrCreate('kv')).id).toBe(store.id);
    expect(await client.keyValueStore(store.id).get()).toMatchObject({ id: store.id, name: 'kv' });
    expect((await client.keyValueStore(store.id).update({ name: 'kv2' })).name).toBe('kv2');
    expect((await client.keyValueStores().list()).items.map((s) => s.name)).toEqual(['kv2']);
    expect((await collect(client.keyValueStores().iterate())).map((s) => s.id)).toEqual([store.id]);
    await client.keyValueStore(store.id).delete();
    expect(await client.keyValueStore(store.id).get()).toBeUndefined();
  });

  it('records: JSON parsed, text as string, bytes as bytes, buffer and stream options', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.keyValueStores().getOrCreate('records');
    const store = client.keyValueStore(id);
    await store.setRecord({ key: 'json', value: { a: [1, 2], s: 'é' } });
    await store.setRecord({ key: 'text', value: 'hello' });
    await store.setRecord({ key: 'bytes', value: new Uint8Array([0, 1, 2, 255]) });
    await store.setRecord({ key: 'html', value: '<b>x</b>', contentType: 'text/html' });
    expect(await store.getRecord('json')).toEqual({
      key: 'json',
      value: { a: [1, 2], s: 'é' },
      contentType: 'application/json; charset=utf-8',
    });
    expect(await store.getRecord('text')).toEqual({
      key: 'text',
      value: 'hello',
      contentType: 'text/plain; charset=utf-8',
    });
    const bytes = await store.getRecord('bytes');
    expect(bytes?.contentType).toBe('application/octet-stream');
    expect(Buffer.isBuffer(bytes?.value)).toBe(true);
    expect(Array.from(bytes?.value as Buffer)).toEqual([0, 1, 2, 255]);
    expect((await store.getRecord('html'))?.value).toBe('<b>x</b>');
    const buffered = await store.getRecord('json', { buffer: true });
    expect(Buffer.isBuffer(buffered?.value)).toBe(true);
    expect(JSON.parse(buffered?.value.toString('utf8') ?? '')).toEqual({ a: [1, 2], s: 'é' });
    const streamed = await store.getRecord('text', { stream: true });
    expect(streamed?.value).toBeInstanceOf(Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of streamed?.value ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello');
    expect(await store.getRecord('missing')).toBeUndefined();
    expect(await store.getRecord('missing', { stream: true })).toBeUndefined();
    expect(await store.recordExists('json')).toBe(true);
    expect(await store.recordExists('missing')).toBe(false);
    await store.deleteRecord('json');
    expect(await store.recordExists('json')).toBe(false);
    await expect(store.deleteRecord('json')).resolves.toBeUndefined();
  });

  it('uploads a stream value as it is read, and keeps a large body byte-for-byte', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.keyValueStores().getOrCreate('upload');
    const parts = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, i));
    await client.keyValueStore(id).setRecord({ key: 'file.bin', value: Readable.from(parts) });
    const record = await client.keyValueStore(id).getRecord('file.bin');
    expect(Buffer.from(record?.value as Uint8Array).equals(Buffer.concat(parts))).toBe(true);
  });

  it('listKeys and iterateKeys follow nextExclusiveStartKey', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.keyValueStores().getOrCreate('keys');
    const store = client.keyValueStore(id);
    const keys = ['a1', 'a2', 'a3', 'b1', 'b2'];
    for (const key of keys) await store.setRecord({ key, value: { key } });
    const first = await store.listKeys({ limit: 2 });
    expect(first).toMatchObject({ count: 2, limit: 2, isTruncated: true, nextExclusiveStartKey: 'a2' });
    expect(first.items.map((item) => item.key)).toEqual(['a1', 'a2']);
    expect((await store.listKeys({ exclusiveStartKey: 'a3' })).items.map((i) => i.key)).toEqual(['b1', 'b2']);
    expect((await collect(store.iterateKeys({ limit: 2 }))).map((i) => i.key)).toEqual(['a1', 'a2']);
    expect((await collect(store.iterateKeys())).map((i) => i.key)).toEqual(keys);
    expect((await collect(store.iterateKeys({ prefix: 'b' }))).map((i) => i.key)).toEqual(['b1', 'b2']);
  });

  it('iterateKeys pages with small server pages', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using proxy = await startFaultProxy(url);
    await using client = makeClient(proxy.url);
    const { id } = await client.keyValueStores().getOrCreate('paged');
    for (let i = 0; i < 7; i++) await client.keyValueStore(id).setRecord({ key: `k${i}`, value: i });
    const seen: string[] = [];
    let next: string | null | undefined;
    do {
      const page = await client
        .keyValueStore(id)
        .listKeys({ limit: 3, ...(next ? { exclusiveStartKey: next } : {}) });
      seen.push(...page.items.map((i) => i.key));
      next = page.nextExclusiveStartKey;
    } while (next !== null);
    expect(seen).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  });

  it('getRecordPublicUrl points at the record and opens without a token', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.keyValueStores().getOrCreate('public');
    await client.keyValueStore(id).setRecord({ key: 'OUTPUT', value: 'done' });
    const publicUrl = await client.keyValueStore(id).getRecordPublicUrl('OUTPUT');
    expect(publicUrl.startsWith(`${url}/v2/key-value-stores/${id}/records/OUTPUT`)).toBe(true);
    const response = await fetch(publicUrl);
    expect(await response.text()).toBe('done');
  });
});
