import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { collect, TRANSPORTS } from './helpers/clients.js';
import { startFaultProxy } from './helpers/servers.js';

const request = (n: number) => ({ url: `https://example.com/${n}`, uniqueKey: `https://example.com/${n}` });

describe.each(TRANSPORTS)('request queues over %s', (_name, makeClient) => {
  it('getOrCreate, get, update, list and delete', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const queue = await client.requestQueues().getOrCreate('q');
    expect((await client.requestQueues().getOrCreate('q')).id).toBe(queue.id);
    expect(await client.requestQueue(queue.id).get()).toMatchObject({
      id: queue.id,
      name: 'q',
      totalRequestCount: 0,
    });
    expect((await client.requestQueue(queue.id).update({ name: 'q2' })).name).toBe('q2');
    expect((await client.requestQueues().list()).items.map((q) => q.name)).toEqual(['q2']);
    expect((await collect(client.requestQueues().iterate())).length).toBe(1);
    await client.requestQueue(queue.id).delete();
    expect(await client.requestQueue(queue.id).get()).toBeUndefined();
  });

  it('add, get, update, delete requests; head and locks', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using client = makeClient(url);
    const { id } = await client.requestQueues().getOrCreate('work');
    const queue = client.requestQueue(id, { clientKey: 'client-a' });
    const added = await queue.addRequest(request(1));
    expect(added).toMatchObject({ wasAlreadyPresent: false, wasAlreadyHandled: false });
    expect(await queue.addRequest(request(1))).toMatchObject({
      requestId: added.requestId,
      wasAlreadyPresent: true,
    });
    await queue.addRequest(request(2));
    await queue.addRequest(request(0), { forefront: true });
    const stored = await queue.getRequest(added.requestId);
    expect(stored).toMatchObject({ id: added.requestId, url: 'https://example.com/1' });
    expect(await queue.getRequest('nonexistent00000')).toBeUndefined();
    expect((await queue.listHead()).items.map((i) => i.url)).toEqual([
      'https://example.com/0',
      'https://example.com/1',
      'https://example.com/2',
    ]);
    const locked = await queue.listAndLockHead({ lockSecs: 60, limit: 2 });
    expect(locked.items.map((i) => i.url)).toEqual(['https://example.com/0', 'https://example.com/1']);
    expect(locked.items[0]?.lockExpiresAt).toBeDefined();
    const prolonged = await queue.prolongRequestLock(added.requestId, { lockSecs: 120 });
    expect(new Date(prolonged.lockExpiresAt).getTime()).toBeGreaterThan(Date.now() + 100_000);
    await queue.deleteRequestLock(added.requestId);
    expect((await queue.unlockRequests()).unlockedCount).toBe(1);
    await queue.updateRequest({
      ...(stored as NonNullable<typeof stored>),
      handledAt: new Date().toISOString(),
    });
    expect((await queue.listHead()).items.map((i) => i.url)).toEqual([
      'https://example.com/0',
      'https://example.com/2',
    ]);
    await queue.deleteRequest(added.requestId);
    expect(await queue.getRequest(added.requestId)).toBeUndefined();
    expect(await queue.get()).toMatchObject({ pendingRequestCount: 2 });
  });

  it('batchAddRequests sends ≤ 25 per call with bounded parallelism, keeps order; batchDelete; iterateRequests', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using proxy = await startFaultProxy(url);
    await using client = makeClient(proxy.url);
    const { id } = await client.requestQueues().getOrCreate('batch');
    const queue = client.requestQueue(id);
    const requests = Array.from({ length: 60 }, (_, n) => request(n));
    const result = await queue.batchAddRequests(requests, { maxParallel: 2 });
    expect(result.unprocessedRequests).toEqual([]);
    expect(result.processedRequests.map((r) => r.uniqueKey)).toEqual(requests.map((r) => r.uniqueKey));
    const batches = proxy.requests.filter((r) => r.path.endsWith('/requests/batch'));
    expect(batches.map((b) => (JSON.parse(b.body.toString()) as unknown[]).length)).toEqual([25, 25, 10]);
    const listed = await collect(queue.iterateRequests({ chunkSize: 7 }));
    expect(listed.map((r) => r.url).sort()).toEqual(requests.map((r) => r.url).sort());
    const page = await queue.listRequests({ limit: 10 });
    expect(page.items).toHaveLength(10);
    const deleted = await queue.batchDeleteRequests(
      requests.slice(0, 5).map((r) => ({ uniqueKey: r.uniqueKey })),
    );
    expect(deleted.processedRequests).toHaveLength(5);
    expect(await queue.get()).toMatchObject({ totalRequestCount: 55 });
  });

  it('batchAddRequests splits by payload size', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    await using proxy = await startFaultProxy(url);
    await using client = makeClient(proxy.url);
    const { id } = await client.requestQueues().getOrCreate('sized');
    const requests = Array.from({ length: 10 }, (_, n) => ({
      ...request(n),
      userData: { pad: 'x'.repeat(400) },
    }));
    await client.requestQueue(id).batchAddRequests(requests, { maxPayloadBytes: 1500 });
    const batches = proxy.requests.filter((r) => r.path.endsWith('/requests/batch'));
    expect(batches.length).toBe(4);
    for (const batch of batches) expect(batch.body.byteLength).toBeLessThanOrEqual(1500);
    expect((await client.requestQueue(id).get())?.totalRequestCount).toBe(10);
  });

  it('retries unprocessed requests with backoff until they are processed', async () => {
    await using emu = createEmulator();
    const { url } = await emu.listen();
    // The first batch answer claims both requests were rate limited (as the platform does under load).
    const unprocessed = [request(0), request(1)].map((r) => ({ ...r, method: 'GET' }));
    await using proxy = await startFaultProxy(
      url,
      [{ status: 201, body: { data: { processedRequests: [], unprocessedRequests: unprocessed } } }],
      (r) => r.path.endsWith('/requests/batch'),
    );
    await using client = makeClient(proxy.url);
    const { id } = await client.requestQueues().getOrCreate('unprocessed');
    const result = await client
      .requestQueue(id)
      .batchAddRequests([request(0), request(1)], { minDelayBetweenUnprocessedRequestsRetriesMillis: 1 });
    const batches = proxy.log.filter((r) => r.path.endsWith('/requests/batch'));
    expect(batches.map((b) => b.action)).toEqual(['201', 'pass']);
    expect(result.unprocessedRequests).toEqual([]);
    expect(result.processedRequests.map((r) => r.uniqueKey)).toEqual([
      request(0).uniqueKey,
      request(1).uniqueKey,
    ]);
    expect((await client.requestQueue(id).get())?.totalRequestCount).toBe(2);
  });
});
