import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { startCli } from './cli-process.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-persist-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface SentRecord {
  key: string;
  body: Buffer;
  contentType: string;
  encoding: string | null;
}

function records(): SentRecord[] {
  return Array.from({ length: 100 }, (_, i) => {
    const raw = randomBytes(1 + ((i * 997) % 5000));
    if (i % 10 === 0)
      return { key: `rec-${i}`, body: gzipSync(raw), contentType: 'application/x-gz-test', encoding: 'gzip' };
    if (i % 3 === 0)
      return {
        key: `rec-${i}`,
        body: Buffer.from(JSON.stringify({ i, hex: raw.toString('hex') })),
        contentType: 'application/json; charset=utf-8',
        encoding: null,
      };
    return { key: `rec-${i}`, body: raw, contentType: 'application/octet-stream', encoding: null };
  });
}

describe('persistence to storageDir', () => {
  it('keeps every acknowledged item and record, in order and byte for byte, across kill -9', async () => {
    const first = await startCli(['--port', '0', '--storage-dir', dir]);
    const items = Array.from({ length: 1000 }, (_, i) => ({
      i,
      text: `item ${i}`,
      nested: { ok: i % 2 === 0 },
    }));
    const sent = records();
    let datasetId = '';
    let storeId = '';
    try {
      const base = first.url;
      datasetId = (
        (await (await fetch(`${base}/v2/datasets?name=durable`, { method: 'POST' })).json()) as {
          data: { id: string };
        }
      ).data.id;
      storeId = (
        (await (await fetch(`${base}/v2/key-value-stores?name=durable`, { method: 'POST' })).json()) as {
          data: { id: string };
        }
      ).data.id;
      // Interleaved, one write per request, each awaited: every 201 is an acknowledged write.
      for (let i = 0; i < 1000; i++) {
        const pushed = await fetch(`${base}/v2/datasets/${datasetId}/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(items[i]),
        });
        expect(pushed.status).toBe(201);
        await pushed.arrayBuffer();
        const record = i % 10 === 0 ? sent[i / 10] : undefined;
        if (record) {
          const headers: Record<string, string> = { 'content-type': record.contentType };
          if (record.encoding) headers['content-encoding'] = record.encoding;
          const put = await fetch(`${base}/v2/key-value-stores/${storeId}/records/${record.key}`, {
            method: 'PUT',
            headers,
            body: record.body,
          });
          expect(put.status).toBe(201);
          await put.arrayBuffer();
        }
      }
    } finally {
      // Right after the last acknowledged write: no graceful shutdown, no flush.
      first.child.kill('SIGKILL');
    }
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await startCli(['--port', '0', '--storage-dir', dir]);
    try {
      const base = second.url;
      const listing = await fetch(`${base}/v2/datasets/${datasetId}/items`);
      expect(listing.headers.get('x-apify-pagination-total')).toBe('1000');
      expect(await listing.text()).toBe(`[${items.map((item) => JSON.stringify(item)).join(',\n')}]`);
      const byName = await fetch(`${base}/v2/datasets/~durable`);
      expect(((await byName.json()) as { data: { id: string; itemCount: number } }).data).toMatchObject({
        id: datasetId,
        itemCount: 1000,
      });
      for (const record of sent) {
        const got = await fetch(`${base}/v2/key-value-stores/${storeId}/records/${record.key}`, {
          headers: { 'accept-encoding': 'identity' },
        });
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toBe(record.contentType);
        const bytes = Buffer.from(await got.arrayBuffer());
        const expected =
          record.encoding === 'gzip' ? (await import('node:zlib')).gunzipSync(record.body) : record.body;
        expect(bytes.equals(expected)).toBe(true);
      }
      const keys = await fetch(`${base}/v2/key-value-stores/${storeId}/keys`);
      expect(((await keys.json()) as { data: { count: number } }).data.count).toBe(100);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('restores request queues, renames and deletions through the in-process API', async () => {
    {
      await using emulator = createEmulator({ storageDir: dir });
      const send = (path: string, init?: RequestInit) =>
        emulator.fetch(new Request(`http://e.test${path}`, init));
      const queue = (
        (await (await send('/v2/request-queues?name=q', { method: 'POST' })).json()) as {
          data: { id: string };
        }
      ).data;
      for (const name of ['a', 'b', 'c']) {
        await send(`/v2/request-queues/${queue.id}/requests`, {
          method: 'POST',
          body: JSON.stringify({ url: `https://x.y/${name}`, uniqueKey: name }),
        });
      }
      await send(`/v2/request-queues/${queue.id}/requests?forefront=1`, {
        method: 'POST',
        body: JSON.stringify({ url: 'https://x.y/f', uniqueKey: 'f' }),
      });
      const head = (await (await send(`/v2/request-queues/${queue.id}/head`)).json()) as {
        data: { items: { id: string }[] };
      };
      const a = head.data.items[1]?.id as string;
      const got = (await (await send(`/v2/request-queues/${queue.id}/requests/${a}`)).json()) as {
        data: object;
      };
      await send(`/v2/request-queues/${queue.id}/requests/${a}`, {
        method: 'PUT',
        body: JSON.stringify({ ...got.data, handledAt: '2026-01-01T00:00:00.000Z' }),
      });
      const ds = (
        (await (await send('/v2/datasets?name=gone', { method: 'POST' })).json()) as { data: { id: string } }
      ).data;
      await send(`/v2/datasets/${ds.id}`, { method: 'DELETE' });
      const kv = (
        (await (await send('/v2/key-value-stores?name=old', { method: 'POST' })).json()) as {
          data: { id: string };
        }
      ).data;
      await send(`/v2/key-value-stores/${kv.id}`, { method: 'PUT', body: JSON.stringify({ name: 'new' }) });
    }
    await using emulator = createEmulator({ storageDir: dir });
    const send = (path: string) => emulator.fetch(new Request(`http://e.test${path}`));
    const queue = (await (await send('/v2/request-queues/~q')).json()) as { data: Record<string, unknown> };
    expect(queue.data).toMatchObject({
      totalRequestCount: 4,
      handledRequestCount: 1,
      pendingRequestCount: 3,
    });
    const head = (await (await send(`/v2/request-queues/~q/head`)).json()) as {
      data: { items: { uniqueKey: string }[] };
    };
    expect(head.data.items.map((i) => i.uniqueKey)).toEqual(['f', 'b', 'c']);
    expect((await send('/v2/datasets/~gone')).status).toBe(404);
    expect((await send('/v2/key-value-stores/~old')).status).toBe(404);
    expect((await send('/v2/key-value-stores/~new')).status).toBe(200);
  });

  it('drops a frame torn by a crash mid-write and keeps everything before it', async () => {
    {
      await using emulator = createEmulator({ storageDir: dir });
      const created = await emulator.fetch(
        new Request('http://e.test/v2/datasets?name=torn', { method: 'POST' }),
      );
      const { id } = ((await created.json()) as { data: { id: string } }).data;
      await emulator.fetch(
        new Request(`http://e.test/v2/datasets/${id}/items`, { method: 'POST', body: '[{"kept":1}]' }),
      );
    }
    // Half a frame header and garbage: what kill -9 can leave behind in the middle of an append.
    await appendFile(join(dir, 'journal.log'), Buffer.from([200, 0, 0, 0, 5, 0, 0]));
    {
      await using emulator = createEmulator({ storageDir: dir });
      const items = await emulator.fetch(new Request('http://e.test/v2/datasets/~torn/items'));
      expect(await items.json()).toEqual([{ kept: 1 }]);
      await emulator.fetch(
        new Request('http://e.test/v2/datasets/~torn/items', { method: 'POST', body: '{"after":2}' }),
      );
    }
    await using emulator = createEmulator({ storageDir: dir });
    const items = await emulator.fetch(new Request('http://e.test/v2/datasets/~torn/items'));
    expect(await items.json()).toEqual([{ kept: 1 }, { after: 2 }]);
  });
});
