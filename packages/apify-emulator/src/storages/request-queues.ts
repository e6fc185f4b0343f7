import { ApiError, notFound } from '../errors.js';
import { requestIdFromUniqueKey } from '../ids.js';
import { SerialByKey } from '../serial-by-key.js';
import {
  type JournalHeader,
  type JournalSnapshotRecord,
  type Persist,
  StorageFamily,
  type StorageMeta,
  USER,
} from './common.js';
import { QueueDraft } from './queue-draft.js';

export type RequestData = Record<string, unknown>;

/**
 * One request in the ordering model shared by crawlee memory-storage and apify-storage-local:
 * `orderNo` is null when handled, negative for forefront (LIFO), positive otherwise (FIFO), and a lock
 * pushes |orderNo| into the future. `tick` breaks ties between requests stamped in the same millisecond.
 */
export interface StoredRequest {
  id: string;
  seq: number;
  orderNo: number | null;
  tick: number;
  lockedBy: string | null;
  data: RequestData;
}

export interface RequestQueue {
  meta: StorageMeta;
  requests: Map<string, StoredRequest>;
  nextSeq: number;
  clientKeys: Set<string>;
  hadMultipleClients: boolean;
}

export const MAX_BATCH = 25;

export class RequestQueues extends StorageFamily<RequestQueue> {
  private tick = 0;
  private readonly serial = new SerialByKey();

  constructor(persist: Persist) {
    super('Request queue', 'request-queues', persist);
  }

  protected override create(meta: StorageMeta): RequestQueue {
    return emptyQueue(meta);
  }

  protected override restore(
    meta: StorageMeta,
    existing: RequestQueue | undefined,
    header: JournalHeader,
  ): RequestQueue {
    const queue = existing ?? emptyQueue(meta);
    queue.meta = meta;
    queue.hadMultipleClients = header.hadMultipleClients === true;
    return queue;
  }

  async getOrCreate(
    name: string | null,
    owner?: { actId: string; actRunId: string },
  ): Promise<{ queue: RequestQueue; created: boolean }> {
    const { storage, created } = await this.obtain(name, owner);
    return { queue: storage, created };
  }

  /** Records which client touched the queue; `hadMultipleClients` flips once a second one shows up. */
  async seeClient(queue: RequestQueue, clientKey: string | null): Promise<void> {
    if (clientKey !== null && clientKey.length > 32) {
      throw new ApiError(400, 'invalid-client-key', 'clientKey must be 1-32 characters long');
    }
    if (queue.hadMultipleClients) return;
    // A call without a clientKey counts as a new client every time, as on the platform.
    const distinct =
      clientKey === null ? queue.clientKeys.size + 1 : new Set([...queue.clientKeys, clientKey]).size;
    if (distinct > 1) await this.writeMeta(queue, queue.meta, true);
    if (clientKey !== null) queue.clientKeys.add(clientKey);
    if (distinct > 1) queue.hadMultipleClients = true;
  }

  /**
   * One write to the queue: `compute` changes a draft, whose requests are journaled and only then put in
   * place. Writes to one queue run one at a time, so none is computed from a state another is replacing.
   */
  change<T>(queue: RequestQueue, compute: (draft: QueueDraft) => T): Promise<T> {
    return this.serial.run(queue.meta.id, async () => {
      const draft = new QueueDraft(queue);
      const result = compute(draft);
      if (draft.isEmpty) return result;
      const modifiedAt = new Date().toISOString();
      const id = queue.meta.id;
      await Promise.all([
        ...[...draft.changed.values()].map((request) =>
          this.persist.write({ t: 'request', id, request, modifiedAt }),
        ),
        ...[...draft.deleted].map((requestId) =>
          this.persist.write({ t: 'unrequest', id, requestId, modifiedAt }),
        ),
      ]);
      for (const requestId of draft.deleted) queue.requests.delete(requestId);
      for (const request of draft.changed.values()) queue.requests.set(request.id, request);
      queue.nextSeq = draft.nextSeq;
      queue.meta.modifiedAt = modifiedAt;
      queue.meta.accessedAt = modifiedAt;
      return result;
    });
  }

  stamp(forefront: boolean, at = Date.now()): { orderNo: number; tick: number } {
    return { orderNo: forefront ? -at : at, tick: ++this.tick };
  }

  isLocked(request: StoredRequest, now = Date.now()): boolean {
    return request.orderNo !== null && Math.abs(request.orderNo) > now;
  }

  /** Pending requests in head order: by orderNo, same-millisecond forefront ones newest first. */
  ordered(queue: RequestQueue): StoredRequest[] {
    const pending = [...queue.requests.values()].filter((r) => r.orderNo !== null);
    return pending.sort((a, b) => {
      const byOrder = (a.orderNo as number) - (b.orderNo as number);
      if (byOrder !== 0) return byOrder;
      return (a.orderNo as number) < 0 ? b.tick - a.tick : a.tick - b.tick;
    });
  }

  requireRequest(queue: RequestQueue, id: string): StoredRequest {
    const request = queue.requests.get(id);
    if (request === undefined) throw notFound(`Request '${id}'`);
    return request;
  }

  /** Validates a request body and derives its ID; a client-sent `id` must match the uniqueKey hash. */
  validate(body: unknown, idRequired: boolean): { id: string; data: RequestData } {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'invalid-value', 'A request must be a JSON object');
    }
    const data = body as RequestData;
    if (typeof data.uniqueKey !== 'string' || data.uniqueKey === '') {
      throw new ApiError(
        400,
        'invalid-value',
        'Request.uniqueKey is required and must be a non-empty string',
      );
    }
    if (typeof data.url !== 'string' || data.url === '') {
      throw new ApiError(400, 'invalid-value', 'Request.url is required and must be a non-empty string');
    }
    const id = requestIdFromUniqueKey(data.uniqueKey);
    if (idRequired && data.id === undefined)
      throw new ApiError(400, 'invalid-value', 'Request.id is required');
    if (data.id !== undefined && data.id !== id) {
      throw new ApiError(400, 'request-id-invalid', 'Request ID does not correspond to uniqueKey');
    }
    const { id: _ignored, uniqueKey, url, method, ...rest } = data;
    return { id, data: { id, uniqueKey, url, method: typeof method === 'string' ? method : 'GET', ...rest } };
  }

  /** Adds (or finds) a request in a draft, so that a batch sees its own earlier entries. */
  add(
    draft: QueueDraft,
    body: unknown,
    forefront: boolean,
  ): { request: StoredRequest; wasAlreadyPresent: boolean; wasAlreadyHandled: boolean } {
    const { id, data } = this.validate(body, false);
    const existing = draft.get(id);
    if (existing) {
      return { request: existing, wasAlreadyPresent: true, wasAlreadyHandled: existing.orderNo === null };
    }
    const handled = data.handledAt !== undefined && data.handledAt !== null;
    const { orderNo, tick } = this.stamp(forefront);
    const request: StoredRequest = {
      id,
      seq: draft.nextSeq++,
      orderNo: handled ? null : orderNo,
      tick,
      lockedBy: null,
      data,
    };
    draft.put(request);
    // A request added already handled still reports wasAlreadyHandled:false: that is how the API behaves.
    return { request, wasAlreadyPresent: false, wasAlreadyHandled: false };
  }

  /** Gives the draft's locked requests back to the head, keeping their forefront side. */
  unlock(draft: QueueDraft, requests: readonly StoredRequest[], now = Date.now()): void {
    for (const r of requests) {
      const copy = draft.edit(r.id) as StoredRequest;
      Object.assign(copy, this.stamp((copy.orderNo as number) < 0, now));
      copy.lockedBy = null;
    }
  }

  counts(queue: RequestQueue): { pending: number; handled: number } {
    let pending = 0;
    for (const r of queue.requests.values()) if (r.orderNo !== null) pending++;
    return { pending, handled: queue.requests.size - pending };
  }

  protected override writeMeta(
    queue: RequestQueue,
    meta: StorageMeta = queue.meta,
    hadMultipleClients = queue.hadMultipleClients,
  ): Promise<void> {
    return this.persist.write({ t: 'storage', kind: 'request-queues', meta, hadMultipleClients });
  }

  apply(header: { t: string; [k: string]: unknown }): boolean {
    if (this.applyLifecycle(header)) return true;
    if (header.t === 'request' || header.t === 'unrequest') {
      const queue = this.collection.byId.get(header.id as string);
      if (queue === undefined) return true;
      if (header.t === 'request') {
        const request = header.request as StoredRequest;
        queue.requests.delete(request.id);
        queue.requests.set(request.id, request);
        queue.nextSeq = Math.max(queue.nextSeq, request.seq + 1);
        this.tick = Math.max(this.tick, request.tick);
      } else {
        queue.requests.delete(header.requestId as string);
      }
      queue.meta.modifiedAt = header.modifiedAt as string;
      return true;
    }
    return false;
  }

  *snapshot(): Generator<JournalSnapshotRecord> {
    for (const queue of this.collection.byId.values()) {
      yield {
        header: {
          t: 'storage',
          kind: 'request-queues',
          meta: queue.meta,
          hadMultipleClients: queue.hadMultipleClients,
        },
      };
      const inSeqOrder = [...queue.requests.values()].sort((a, b) => a.seq - b.seq);
      for (const request of inSeqOrder) {
        yield { header: { t: 'request', id: queue.meta.id, request, modifiedAt: queue.meta.modifiedAt } };
      }
    }
  }
}

function emptyQueue(meta: StorageMeta): RequestQueue {
  return { meta, requests: new Map(), nextSeq: 0, clientKeys: new Set(), hadMultipleClients: false };
}

export function queueObject(
  queues: RequestQueues,
  queue: RequestQueue,
  baseUrl: string,
): Record<string, unknown> {
  const { pending, handled } = queues.counts(queue);
  return {
    ...queue.meta,
    username: USER.username,
    totalRequestCount: pending + handled,
    handledRequestCount: handled,
    pendingRequestCount: pending,
    hadMultipleClients: queue.hadMultipleClients,
    consoleUrl: `${baseUrl}/v2/request-queues/${queue.meta.id}`,
    stats: { readCount: 0, writeCount: 0, deleteCount: 0, headItemReadCount: 0, storageBytes: 0 },
  };
}
