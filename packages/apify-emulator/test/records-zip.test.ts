import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

async function unzip(response: Response): Promise<Record<string, Buffer>> {
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, Buffer.from(bytes)]));
}

describe.each(MODES)('key-value store records ZIP (%s)', (mode) => {
  it('downloads every record as a file named by its key, with the exact bytes', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.keyValueStores().getOrCreate('archive');
    const store = h.client.keyValueStore(id);
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    await store.setRecord({ key: 'INPUT', value: { query: 'shoes' } });
    await store.setRecord({ key: 'page.html', value: '<h1>hi</h1>', contentType: 'text/html' });
    await store.setRecord({ key: 'blob', value: binary, contentType: 'application/octet-stream' });
    // Stored gzip-encoded: the archive holds the decoded bytes.
    const gzipped = await h.raw(`/v2/key-value-stores/${id}/records/zipped`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from('plain text inside')),
    });
    expect(gzipped.status).toBe(201);

    const response = await h.raw(`/v2/key-value-stores/${id}/records`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="archive.zip"');
    const files = await unzip(response);
    expect(Object.keys(files)).toEqual(['INPUT', 'blob', 'page.html', 'zipped']);
    expect(JSON.parse(files.INPUT!.toString('utf8'))).toEqual({ query: 'shoes' });
    expect(files['page.html']!.toString('utf8')).toBe('<h1>hi</h1>');
    expect(files.blob!.equals(binary)).toBe(true);
    expect(files.zipped!.toString('utf8')).toBe('plain text inside');

    const prefixed = await unzip(await h.raw(`/v2/key-value-stores/${id}/records?prefix=p`));
    expect(Object.keys(prefixed)).toEqual(['page.html']);
    const none = await unzip(await h.raw(`/v2/key-value-stores/${id}/records?prefix=zz`));
    expect(none).toEqual({});
  });

  it("serves a run's default store under the run-scoped aliases", async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('writer', async (_input, ctx) => {
      await ctx.keyValueStore.setRecord('OUTPUT', { done: true });
    });
    const run = await h.client.actor('writer').call({ n: 1 }, { log: null });
    for (const path of [
      `/v2/actor-runs/${run.id}/key-value-store/records`,
      '/v2/actors/writer/runs/last/key-value-store/records',
    ]) {
      const files = await unzip(await h.raw(path));
      expect(Object.keys(files)).toEqual(['INPUT', 'OUTPUT']);
      expect(JSON.parse(files.OUTPUT!.toString('utf8'))).toEqual({ done: true });
      expect(JSON.parse(files.INPUT!.toString('utf8'))).toEqual({ n: 1 });
    }
  });

  it('rejects a collection (stores have no schema here) and a missing store', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.keyValueStores().getOrCreate('plain');
    const collection = await h.raw(`/v2/key-value-stores/${id}/records?collection=images`);
    expect(collection.status).toBe(400);
    expect(await collection.json()).toEqual({
      error: {
        type: 'invalid-parameter',
        message: "Collection 'images' does not exist: this store has no schema",
      },
    });
    const missing = await h.raw('/v2/key-value-stores/AAAAAAAAAAAAAAAAA/records');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.type).toBe('record-not-found');
  });
});
