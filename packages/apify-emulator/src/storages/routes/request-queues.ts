import type { Context } from 'hono';
import { ApiError, invalidParameter } from '../../errors.js';
import {
  type App,
  type AppContext,
  origin,
  param,
  requestUrl,
  type StorageResolver,
} from '../../http/context.js';
import { readJson, readStorageUpdate } from '../../http/json-body.js';
import { boolParam, dataResponse, intParam, noContent, paginate } from '../../http/query.js';
import {
  MAX_BATCH,
  queueObject,
  type RequestData,
  type RequestQueue,
  type RequestQueues,
  type StoredRequest,
} from '../request-queues.js';

export function queueCollectionRoutes(app: App, ctx: AppContext): void {
  const queues = ctx.state.requestQueues;
  app.get('/v2/request-queues', (c) => {
    const url = requestUrl(c);
    const unnamed = boolParam(url, 'unnamed');
    const page = paginate(url, queues.collection.list(unnamed));
    return dataResponse({
      ...page,
      unnamed,
      items: page.items.map((q) => queueObject(queues, q, origin(c))),
    });
  });
  app.post('/v2/request-queues', async (c) => {
    const name = requestUrl(c).searchParams.get('name');
    const { queue, created } = await queues.getOrCreate(name === null || name === '' ? null : name);
    const headers = { location: `${origin(c)}/v2/request-queues/${queue.meta.id}` };
    return dataResponse(queueObject(queues, queue, origin(c)), created ? 201 : 200, headers);
  });
}

function headItem(r: StoredRequest): Record<string, unknown> {
  return {
    id: r.id,
    uniqueKey: r.data.uniqueKey,
    url: r.data.url,
    method: r.data.method,
    retryCount: r.data.retryCount ?? 0,
  };
}

function clientKeyOf(c: Context): string | null {
  return requestUrl(c).searchParams.get('clientKey') || null;
}

/** Only the client that holds a lock may prolong or release it, and only while it holds it. */
function requireOwnLock(queues: RequestQueues, request: StoredRequest, clientKey: string | null): void {
  if (request.orderNo === null) {
    throw new ApiError(409, 'request-handled-or-locked', `Request '${request.id}' is already handled`);
  }
  if (!queues.isLocked(request))
    throw new ApiError(409, 'request-handled-or-locked', `Request '${request.id}' is not locked`);
  if (request.lockedBy !== (clientKey ?? '')) {
    throw new ApiError(
      409,
      'request-handled-or-locked',
      `Request '${request.id}' is locked by another client`,
    );
  }
}

export function queueRoutes(
  app: App,
  ctx: AppContext,
  base: string,
  resolve: StorageResolver<RequestQueue>,
): void {
  const queues = ctx.state.requestQueues;
  /** Resolves the queue and records the calling client. */
  const queueFor = async (c: Context): Promise<RequestQueue> => {
    const queue = resolve(c);
    await queues.seeClient(queue, clientKeyOf(c));
    return queue;
  };
  /**
   * The queue and the parsed body, checked before the client is recorded: recording can write, and a
   * request refused for its body must leave no trace.
   */
  const queueAndBody = async (
    c: Context,
    check: (payload: unknown) => void,
  ): Promise<{ queue: RequestQueue; payload: unknown }> => {
    resolve(c);
    const payload = await readJson(c, ctx, 'The body');
    check(payload);
    return { queue: await queueFor(c), payload };
  };
  const batchOf = (payload: unknown): void => {
    if (!Array.isArray(payload) || payload.length > MAX_BATCH) {
      throw new ApiError(400, 'invalid-value', `The body must be an array of at most ${MAX_BATCH} requests`);
    }
  };

  app.get(base, (c) => dataResponse(queueObject(queues, resolve(c), origin(c))));
  app.put(base, async (c) => {
    const queue = resolve(c);
    const { name } = await readStorageUpdate(c, ctx);
    await queues.update(queue, name);
    return dataResponse(queueObject(queues, queue, origin(c)));
  });
  app.delete(base, async (c) => {
    await queues.remove(resolve(c));
    return noContent();
  });

  app.post(`${base}/requests`, async (c) => {
    const forefront = boolParam(requestUrl(c), 'forefront');
    const { queue, payload } = await queueAndBody(c, (p) => queues.validate(p, false));
    const result = await queues.change(queue, (draft) => queues.add(draft, payload, forefront));
    const { wasAlreadyPresent, wasAlreadyHandled } = result;
    return dataResponse({ requestId: result.request.id, wasAlreadyPresent, wasAlreadyHandled }, 201);
  });

  app.post(`${base}/requests/batch`, async (c) => {
    const forefront = boolParam(requestUrl(c), 'forefront');
    // Validate everything first, so a bad entry leaves the queue untouched.
    const { queue, payload } = await queueAndBody(c, (p) => {
      batchOf(p);
      for (const entry of p as unknown[]) queues.validate(entry, false);
    });
    const list = payload as unknown[];
    const results = await queues.change(queue, (draft) =>
      list.map((entry) => queues.add(draft, entry, forefront)),
    );
    const processedRequests = results.map((r) => ({
      requestId: r.request.id,
      uniqueKey: r.request.data.uniqueKey,
      wasAlreadyPresent: r.wasAlreadyPresent,
      wasAlreadyHandled: r.wasAlreadyHandled,
    }));
    return dataResponse({ processedRequests, unprocessedRequests: [] }, 201);
  });

  app.delete(`${base}/requests/batch`, async (c) => {
    const { queue, payload: list } = await queueAndBody(c, (p) => {
      batchOf(p);
      for (const entry of p as { id?: unknown; uniqueKey?: unknown }[]) {
        if (typeof entry?.id !== 'string' && typeof entry?.uniqueKey !== 'string')
          throw new ApiError(400, 'invalid-value', 'Each entry needs an id or a uniqueKey');
      }
    });
    const processedRequests = await queues.change(queue, (draft) =>
      (list as { id?: unknown; uniqueKey?: unknown }[]).map((entry) => {
        const id =
          typeof entry?.id === 'string'
            ? entry.id
            : queues.validate({ uniqueKey: entry.uniqueKey, url: 'x' }, false).id;
        const found = draft.get(id);
        draft.remove(id);
        return { id, uniqueKey: found?.data.uniqueKey ?? entry.uniqueKey };
      }),
    );
    return dataResponse({ processedRequests, unprocessedRequests: [] });
  });

  app.post(`${base}/requests/unlock`, async (c) => {
    const queue = await queueFor(c);
    const owner = clientKeyOf(c) ?? '';
    const unlockedCount = await queues.change(queue, (draft) => {
      const now = Date.now();
      const unlocked = [...queue.requests.values()].filter(
        (r) => r.lockedBy === owner && queues.isLocked(r, now),
      );
      queues.unlock(draft, unlocked, now);
      return unlocked.length;
    });
    return dataResponse({ unlockedCount });
  });

  app.get(`${base}/requests`, async (c) => listRequests(c, queues, await queueFor(c)));

  app.get(`${base}/requests/:requestId`, (c) => {
    const request = queues.requireRequest(resolve(c), param(c, 'requestId'));
    return dataResponse(request.data);
  });

  app.put(`${base}/requests/:requestId`, async (c) => {
    const id = param(c, 'requestId');
    const validated = (payload: unknown): RequestData => {
      const raw = payload as Record<string, unknown> | null;
      const { id: derived, data } = queues.validate({ ...raw, id: raw?.id ?? id }, true);
      if (derived !== id)
        throw new ApiError(400, 'request-id-invalid', 'Request ID in the body and the URL differ');
      return data;
    };
    const { queue, payload } = await queueAndBody(c, validated);
    const data = validated(payload);
    const forefront = boolParam(requestUrl(c), 'forefront');
    const { existed, wasAlreadyHandled } = await queues.change(queue, (draft) => {
      const existing = draft.get(id);
      const request: StoredRequest = draft.edit(id) ?? {
        id,
        seq: draft.nextSeq++,
        lockedBy: null,
        data,
        ...queues.stamp(forefront),
      };
      request.data = data;
      if (data.handledAt !== undefined && data.handledAt !== null) {
        request.orderNo = null;
        request.lockedBy = null;
      } else if (existing === undefined || request.orderNo === null || forefront) {
        Object.assign(request, queues.stamp(forefront));
        request.lockedBy = null;
      }
      draft.put(request);
      return { existed: existing !== undefined, wasAlreadyHandled: existing?.orderNo === null };
    });
    return dataResponse({ requestId: id, wasAlreadyPresent: existed, wasAlreadyHandled });
  });

  app.delete(`${base}/requests/:requestId`, async (c) => {
    const queue = await queueFor(c);
    await queues.change(queue, (draft) => {
      draft.remove(queues.requireRequest(queue, param(c, 'requestId')).id);
    });
    return noContent();
  });

  app.put(`${base}/requests/:requestId/lock`, async (c) => {
    const queue = await queueFor(c);
    const url = requestUrl(c);
    const lockSecs = intParam(url, 'lockSecs', { min: 1 });
    if (lockSecs === undefined) throw invalidParameter("Parameter 'lockSecs' is required");
    const until = await queues.change(queue, (draft) => {
      const request = queues.requireRequest(queue, param(c, 'requestId'));
      requireOwnLock(queues, request, clientKeyOf(c));
      const at = Date.now() + lockSecs * 1000;
      Object.assign(draft.edit(request.id) as StoredRequest, queues.stamp(boolParam(url, 'forefront'), at));
      return at;
    });
    return dataResponse({ lockExpiresAt: new Date(until).toISOString() });
  });

  app.delete(`${base}/requests/:requestId/lock`, async (c) => {
    const queue = await queueFor(c);
    await queues.change(queue, (draft) => {
      const request = queues.requireRequest(queue, param(c, 'requestId'));
      requireOwnLock(queues, request, clientKeyOf(c));
      const copy = draft.edit(request.id) as StoredRequest;
      Object.assign(copy, queues.stamp(boolParam(requestUrl(c), 'forefront')));
      copy.lockedBy = null;
    });
    return noContent();
  });

  app.get(`${base}/head`, async (c) => {
    const queue = await queueFor(c);
    const limit = intParam(requestUrl(c), 'limit', { min: 0, max: 1000 }) || 100;
    const now = Date.now();
    const items = queues
      .ordered(queue)
      .filter((r) => !queues.isLocked(r, now))
      .slice(0, limit);
    return dataResponse({
      limit,
      queueModifiedAt: queue.meta.modifiedAt,
      hadMultipleClients: queue.hadMultipleClients,
      items: items.map(headItem),
    });
  });

  app.post(`${base}/head/lock`, async (c) => {
    const queue = await queueFor(c);
    const url = requestUrl(c);
    const lockSecs = intParam(url, 'lockSecs', { min: 1 });
    if (lockSecs === undefined) throw invalidParameter("Parameter 'lockSecs' is required");
    const limit = intParam(url, 'limit', { min: 0, max: 25 }) || 25;
    const owner = clientKeyOf(c) ?? '';
    const { picked, until } = await queues.change(queue, (draft) => {
      const now = Date.now();
      const lockedUntil = now + lockSecs * 1000;
      const head = queues
        .ordered(queue)
        .filter((r) => !queues.isLocked(r, now))
        .slice(0, limit);
      const copies = head.map((r) => {
        const copy = draft.edit(r.id) as StoredRequest;
        Object.assign(copy, queues.stamp((copy.orderNo as number) < 0, lockedUntil));
        copy.lockedBy = owner;
        return copy;
      });
      return { picked: copies, until: lockedUntil };
    });
    const lockExpiresAt = new Date(until).toISOString();
    return dataResponse(
      {
        limit,
        lockSecs,
        queueModifiedAt: queue.meta.modifiedAt,
        queueHasLockedRequests: [...queue.requests.values()].some((r) => queues.isLocked(r)),
        clientKey: clientKeyOf(c),
        hadMultipleClients: queue.hadMultipleClients,
        items: picked.map((r) => ({ ...headItem(r), lockExpiresAt })),
      },
      201,
    );
  });
}

function listRequests(c: Context, queues: RequestQueues, queue: RequestQueue): Response {
  const url = requestUrl(c);
  const limit = intParam(url, 'limit', { min: 0, max: 10_000 }) || 100;
  const cursor = url.searchParams.get('cursor') || null;
  const exclusiveStartId = url.searchParams.get('exclusiveStartId') || null;
  const filter = (url.searchParams.get('filter') || '').split(',').filter(Boolean);
  let after = -1;
  if (cursor !== null) {
    const decoded = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded)) throw invalidParameter(`Parameter 'cursor' is invalid: '${cursor}'`);
    after = decoded;
  } else if (exclusiveStartId !== null) {
    after = queue.requests.get(exclusiveStartId)?.seq ?? -1;
  }
  const now = Date.now();
  const matches = (r: StoredRequest): boolean => {
    if (filter.length === 0) return true;
    const locked = queues.isLocked(r, now);
    return (
      (filter.includes('locked') && locked) || (filter.includes('pending') && r.orderNo !== null && !locked)
    );
  };
  const all = [...queue.requests.values()]
    .filter((r) => r.seq > after && matches(r))
    .sort((a, b) => a.seq - b.seq);
  const page = all.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    all.length > page.length && last ? Buffer.from(String(last.seq)).toString('base64url') : null;
  return dataResponse({
    items: page.map((r) => r.data),
    count: page.length,
    limit,
    exclusiveStartId,
    cursor,
    nextCursor,
  });
}
