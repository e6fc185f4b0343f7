import { createHash } from 'node:crypto';
import { ApifyApiError } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

/** The ID rule, computed independently of the emulator's code. */
function idOf(uniqueKey: string): string {
  return createHash('sha256').update(uniqueKey).digest('base64').replace(/[+/=]/g, '').slice(0, 15);
}

const req = (name: string) => ({ url: `https://example.com/${name}`, uniqueKey: name });
const headItem = (name: string) => ({
  id: idOf(name),
  uniqueKey: name,
  url: `https://example.com/${name}`,
  method: 'GET',
  retryCount: 0,
});

describe.each(MODES)('request queues through the official client (%s)', (mode) => {
  it('getOrCreate, list, get, update and delete', async () => {
    await using h = await harness(mode);
    const queue = await h.client.requestQueues().getOrCreate('work');
    expect(queue).toMatchObject({
      name: 'work',
      totalRequestCount: 0,
      handledRequestCount: 0,
      pendingRequestCount: 0,
      hadMultipleClients: false,
    });
    const list = await h.client.requestQueues().list();
    expect([list.total, list.count, list.items[0]?.id]).toEqual([1, 1, queue.id]);
    expect((await h.client.requestQueue(queue.id).update({ name: 'jobs' })).name).toBe('jobs');
    await h.client.requestQueue(queue.id).delete();
    expect(await h.client.requestQueue(queue.id).get()).toBeUndefined();
  });

  it('dedups by uniqueKey, batch-adds 30, and keeps FIFO and forefront order in the head', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.requestQueues().getOrCreate('order');
    const rq = h.client.requestQueue(id, { clientKey: 'main' });

    expect(await rq.addRequest(req('r1'))).toEqual({
      requestId: idOf('r1'),
      wasAlreadyPresent: false,
      wasAlreadyHandled: false,
    });
    expect(await rq.addRequest(req('r1'))).toEqual({
      requestId: idOf('r1'),
      wasAlreadyPresent: true,
      wasAlreadyHandled: false,
    });
    await rq.addRequest(req('r2'));
    await rq.addRequest(req('f1'), { forefront: true });
    await rq.addRequest(req('f2'), { forefront: true });
    const head = await rq.listHead({ limit: 10 });
    expect(head.limit).toBe(10);
    expect(head.hadMultipleClients).toBe(false);
    expect(head.items).toEqual([headItem('f2'), headItem('f1'), headItem('r1'), headItem('r2')]);

    const batch = Array.from({ length: 30 }, (_, i) => req(`b${i}`));
    // The client splits 31 into 25 + 6; one batch at a time keeps the arrival order deterministic.
    const added = await rq.batchAddRequests(
      [...batch.slice(0, 29), req('r2'), batch[29] as { url: string; uniqueKey: string }],
      { maxParallel: 1 },
    );
    expect(added.unprocessedRequests).toEqual([]);
    expect(added.processedRequests).toHaveLength(31);
    expect(added.processedRequests.filter((p) => p.wasAlreadyPresent).map((p) => p.uniqueKey)).toEqual([
      'r2',
    ]);
    expect(added.processedRequests.find((p) => p.uniqueKey === 'b7')).toEqual({
      requestId: idOf('b7'),
      uniqueKey: 'b7',
      wasAlreadyPresent: false,
      wasAlreadyHandled: false,
    });
    const after = await rq.listHead({ limit: 1000 });
    expect(after.items.map((i) => i.uniqueKey)).toEqual([
      'f2',
      'f1',
      'r1',
      'r2',
      ...batch.map((b) => b.uniqueKey),
    ]);
    expect(await rq.getRequest(idOf('b3'))).toEqual({
      id: idOf('b3'),
      uniqueKey: 'b3',
      url: 'https://example.com/b3',
      method: 'GET',
    });
    expect(await rq.getRequest('nonexistent0000')).toBeUndefined();
    const queue = await rq.get();
    expect([queue?.totalRequestCount, queue?.pendingRequestCount, queue?.handledRequestCount]).toEqual([
      34, 34, 0,
    ]);
  });

  it('locks the head per clientKey, prolongs and deletes locks, and counts handled requests', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.requestQueues().getOrCreate('locks');
    const a = h.client.requestQueue(id, { clientKey: 'client-a' });
    const b = h.client.requestQueue(id, { clientKey: 'client-b' });
    for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) await a.addRequest(req(name));

    const before = Date.now();
    const lockedA = await a.listAndLockHead({ lockSecs: 60, limit: 2 });
    expect(lockedA.items.map(({ lockExpiresAt: _l, ...item }) => item)).toEqual([
      headItem('r1'),
      headItem('r2'),
    ]);
    expect(lockedA).toMatchObject({
      limit: 2,
      lockSecs: 60,
      clientKey: 'client-a',
      queueHasLockedRequests: true,
    });
    const expires = (lockedA.items[0] as { lockExpiresAt: Date }).lockExpiresAt.getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);

    const lockedB = await b.listAndLockHead({ lockSecs: 60, limit: 2 });
    expect(lockedB.items.map((i) => i.uniqueKey)).toEqual(['r3', 'r4']);
    expect(lockedB.hadMultipleClients).toBe(true);
    expect((await a.listHead()).items).toEqual([headItem('r5')]);

    const prolonged = await a.prolongRequestLock(idOf('r1'), { lockSecs: 120 });
    expect(prolonged.lockExpiresAt.getTime()).toBeGreaterThanOrEqual(expires + 60_000);
    const stolen = await b.prolongRequestLock(idOf('r1'), { lockSecs: 120 }).catch((e: unknown) => e);
    expect(stolen).toBeInstanceOf(ApifyApiError);
    expect([(stolen as ApifyApiError).statusCode, (stolen as ApifyApiError).type]).toEqual([
      409,
      'request-handled-or-locked',
    ]);

    await a.deleteRequestLock(idOf('r2'), { forefront: true });
    expect((await a.listHead()).items.map((i) => i.uniqueKey)).toEqual(['r2', 'r5']);

    const r5 = await a.getRequest(idOf('r5'));
    const updated = await a.updateRequest({
      ...(r5 as NonNullable<typeof r5>),
      handledAt: new Date().toISOString(),
    });
    expect(updated).toEqual({ requestId: idOf('r5'), wasAlreadyPresent: true, wasAlreadyHandled: false });
    expect((await a.listHead()).items.map((i) => i.uniqueKey)).toEqual(['r2']);
    const queue = await a.get();
    expect([queue?.totalRequestCount, queue?.pendingRequestCount, queue?.handledRequestCount]).toEqual([
      5, 4, 1,
    ]);
    expect(await a.addRequest(req('r5'))).toEqual({
      requestId: idOf('r5'),
      wasAlreadyPresent: true,
      wasAlreadyHandled: true,
    });

    expect(await b.unlockRequests()).toEqual({ unlockedCount: 2 });
    expect((await a.listHead()).items.map((i) => i.uniqueKey)).toEqual(['r2', 'r3', 'r4']);
  });

  it('lists requests with a cursor and batch-deletes by id and uniqueKey', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.requestQueues().getOrCreate('listing');
    const rq = h.client.requestQueue(id);
    await rq.batchAddRequests(['a', 'b', 'c', 'd', 'e'].map(req));

    const first = await rq.listRequests({ limit: 2 });
    expect(first.items.map((i) => i.uniqueKey)).toEqual(['a', 'b']);
    expect(first.limit).toBe(2);
    expect(typeof first.nextCursor).toBe('string');
    const second = await rq.listRequests({ limit: 2, cursor: first.nextCursor as string });
    expect(second.items.map((i) => i.uniqueKey)).toEqual(['c', 'd']);
    const third = await rq.listRequests({ limit: 2, cursor: second.nextCursor as string });
    expect(third.items.map((i) => i.uniqueKey)).toEqual(['e']);
    expect(third.nextCursor).toBeNull();
    const all: string[] = [];
    for await (const item of rq.listRequests({ limit: 2 })) all.push(item.uniqueKey);
    expect(all).toEqual(['a', 'b']);

    const deleted = await rq.batchDeleteRequests([{ id: idOf('a') }, { uniqueKey: 'c' }]);
    expect(deleted).toEqual({
      processedRequests: [
        { id: idOf('a'), uniqueKey: 'a' },
        { id: idOf('c'), uniqueKey: 'c' },
      ],
      unprocessedRequests: [],
    });
    expect((await rq.listRequests()).items.map((i) => i.uniqueKey)).toEqual(['b', 'd', 'e']);
    await rq.deleteRequest(idOf('d'));
    expect((await rq.listHead()).items.map((i) => i.uniqueKey)).toEqual(['b', 'e']);
  });

  it('rejects a body id that does not match the uniqueKey hash', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.requestQueues().getOrCreate('ids');
    const response = await h.raw(`/v2/request-queues/${id}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'wrongwrongwrong', url: 'https://x.y', uniqueKey: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { type: 'request-id-invalid', message: 'Request ID does not correspond to uniqueKey' },
    });
  });

  it('answers with the platform status codes', async () => {
    await using h = await harness(mode);
    const { id } = await h.client.requestQueues().getOrCreate('statuses');
    const base = `/v2/request-queues/${id}`;
    const call = async (path: string, method: string, body?: unknown) =>
      (
        await h.raw(`${base}${path}`, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
      ).status;
    expect(await call('/requests?clientKey=k', 'POST', req('one'))).toBe(201);
    expect(await call('/requests/batch?clientKey=k', 'POST', [req('two'), req('three')])).toBe(201);
    expect(await call('/head/lock?lockSecs=30&limit=1&clientKey=k', 'POST')).toBe(201);
    expect(await call(`/requests/${idOf('one')}/lock?lockSecs=60&clientKey=k`, 'PUT')).toBe(200);
    expect(await call(`/requests/${idOf('one')}/lock?clientKey=k`, 'DELETE')).toBe(204);
    expect(
      await call(`/requests/${idOf('two')}?clientKey=k`, 'PUT', { ...req('two'), id: idOf('two') }),
    ).toBe(200);
    expect(await call('/requests/unlock?clientKey=k', 'POST')).toBe(200);
    expect(await call('/requests/batch?clientKey=k', 'DELETE', [{ uniqueKey: 'three' }])).toBe(200);
    expect(await call(`/requests/${idOf('one')}?clientKey=k`, 'DELETE')).toBe(204);
    expect(await call(`/requests/${idOf('one')}`, 'GET')).toBe(404);
    expect(await call('/head/lock', 'POST')).toBe(400);
    const tooMany = Array.from({ length: 26 }, (_, i) => req(`x${i}`));
    expect(await call('/requests/batch', 'POST', tooMany)).toBe(400);
  });
});
