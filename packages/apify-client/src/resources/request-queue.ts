import type { ApiContext } from '../api-context.js';
import { InvalidArgumentError } from '../errors.js';
import { abortableSleep, backoffDelay } from '../http/retry-policy.js';
import {
  CollectionClient,
  type QueryParams,
  type RequestOptions,
  ResourceClient,
  type SendSpec,
  safeId,
} from './base.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './dataset.js';
import { cursorPaginatedIterator } from './paginated-iterator.js';
import { paginateCursor } from './pagination.js';
import {
  checkBatchAddOptions,
  defined,
  describe,
  MAX_REQUESTS_PER_BATCH,
  splitBatches,
} from './request-queue-batches.js';
import type {
  BatchAddOptions,
  BatchAddResult,
  ListRequestsOptions,
  ListRequestsResult,
  NewRequest,
  PaginateRequestsOptions,
  RequestOperationInfo,
  RequestQueueHead,
  RequestQueueRequest,
} from './request-queue-types.js';
import type { ApiObject, RequestQueue } from './types.js';

export { splitBatches } from './request-queue-batches.js';
export type {
  BatchAddOptions,
  BatchAddResult,
  ListRequestsOptions,
  ListRequestsResult,
  NewRequest,
  PaginateRequestsOptions,
  RequestOperationInfo,
  RequestQueueHead,
  RequestQueueRequest,
} from './request-queue-types.js';

export class RequestQueueClient extends ResourceClient {
  readonly clientKey: string | undefined;
  /** `requestQueue(id, { timeoutSecs })`: caps the HTTP deadline of every request, in ms. */
  readonly timeoutMillis: number | undefined;

  constructor(
    ctx: ApiContext,
    path: string,
    options: {
      clientKey?: string | undefined;
      timeoutSecs?: number | undefined;
      params?: QueryParams;
      chained?: boolean;
    } = {},
  ) {
    super(ctx, path, { params: options.params ?? {}, chained: options.chained ?? false });
    this.clientKey = options.clientKey;
    this.timeoutMillis = options.timeoutSecs ? options.timeoutSecs * 1000 : undefined;
  }

  /** Every queue request carries the client's cap and, where the official client sends it, its key. */
  #spec<S extends SendSpec>(spec: S, withClientKey = true): S {
    const params = withClientKey ? { ...spec.params, clientKey: this.clientKey } : spec.params;
    return { ...spec, params: params ?? {}, maxTimeout: this.timeoutMillis };
  }

  get(options?: RequestOptions): Promise<RequestQueue | undefined> {
    return this._get<RequestQueue>(options);
  }

  update(
    fields: { name?: string | null; title?: string; generalAccess?: string },
    options?: RequestOptions,
  ): Promise<RequestQueue> {
    return this._update<RequestQueue>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  listHead(options: RequestOptions & { limit?: number } = {}): Promise<RequestQueueHead> {
    return this.sendData(
      this.#spec({
        method: 'GET',
        sub: 'head',
        params: defined({ limit: options.limit }),
        tier: 'short',
        options,
      }),
    );
  }

  /** Locks up to `limit` (≤ 25) head requests for `lockSecs`; a replay only locks other requests. */
  listAndLockHead(options: RequestOptions & { lockSecs: number; limit?: number }): Promise<RequestQueueHead> {
    // Without lockSecs the server would pick its own lock time; the official client rejects it too.
    if (typeof options?.lockSecs !== 'number' || !Number.isFinite(options.lockSecs)) {
      return Promise.reject(
        new InvalidArgumentError(
          `listAndLockHead: options.lockSecs must be a number of seconds, got ${describe(options?.lockSecs)}`,
        ),
      );
    }
    return this.sendData(
      this.#spec({
        method: 'POST',
        sub: 'head/lock',
        params: defined({ lockSecs: options.lockSecs, limit: options.limit }),
        tier: 'medium',
        options,
        idempotent: true,
      }),
    );
  }

  /** Deduplicated by `uniqueKey` on the server, so a replay is harmless. */
  addRequest(
    request: NewRequest,
    options: RequestOptions & { forefront?: boolean } = {},
  ): Promise<RequestOperationInfo> {
    if ('id' in request && request.id !== undefined)
      throw new InvalidArgumentError('addRequest: the request must not have an "id"');
    return this.sendData(
      this.#spec({
        method: 'POST',
        sub: 'requests',
        json: request,
        params: defined({ forefront: options.forefront }),
        tier: 'short',
        options,
        idempotent: true,
      }),
    );
  }

  /**
   * Adds any number of requests: batches of ≤ 25 under the payload limit, `maxParallel` at once,
   * unprocessed requests (rate limited by the server) retried with backoff. The result lists keep
   * input order; the queue order across batches does not when `maxParallel` > 1.
   */
  async batchAddRequests(requests: NewRequest[], options: BatchAddOptions = {}): Promise<BatchAddResult> {
    const {
      forefront,
      maxParallel = 5,
      maxUnprocessedRequestsRetries = 3,
      minDelayBetweenUnprocessedRequestsRetriesMillis = 500,
      maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
      ...request
    } = options;
    checkBatchAddOptions(options);
    for (const item of requests) {
      if ('id' in item && item.id !== undefined)
        throw new InvalidArgumentError('batchAddRequests: requests must not have an "id"');
    }
    const batches = splitBatches(requests, maxPayloadBytes);
    const results: BatchAddResult[] = new Array(batches.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const index = next++;
        results[index] = await this.#addBatch(
          batches[index] ?? [],
          forefront,
          maxUnprocessedRequestsRetries,
          minDelayBetweenUnprocessedRequestsRetriesMillis,
          request,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(maxParallel, batches.length)) }, worker));
    return {
      processedRequests: results.flatMap((result) => result.processedRequests),
      unprocessedRequests: results.flatMap((result) => result.unprocessedRequests),
    };
  }

  async #addBatch(
    batch: NewRequest[],
    forefront: boolean | undefined,
    maxRetries: number,
    minDelay: number,
    options: RequestOptions,
  ): Promise<BatchAddResult> {
    const processed: BatchAddResult['processedRequests'] = [];
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      const result = await this.sendData<BatchAddResult>(
        this.#spec({
          method: 'POST',
          sub: 'requests/batch',
          json: pending,
          params: defined({ forefront }),
          tier: 'medium',
          options,
          idempotent: true,
        }),
      );
      processed.push(...result.processedRequests);
      if (result.unprocessedRequests.length === 0 || attempt > maxRetries) {
        return { processedRequests: processed, unprocessedRequests: result.unprocessedRequests };
      }
      const unprocessed = new Set(result.unprocessedRequests.map((item) => item.uniqueKey));
      pending = pending.filter((item) => unprocessed.has(item.uniqueKey));
      await abortableSleep(backoffDelay(attempt, minDelay, Math.random), options.signal);
    }
  }

  batchDeleteRequests(
    requests: ({ id: string } | { uniqueKey: string })[],
    options?: RequestOptions,
  ): Promise<{ processedRequests: ApiObject[]; unprocessedRequests: ApiObject[] }> {
    if (requests.length > MAX_REQUESTS_PER_BATCH) {
      throw new InvalidArgumentError(
        `batchDeleteRequests takes at most ${MAX_REQUESTS_PER_BATCH} requests, got ${requests.length}`,
      );
    }
    return this.sendData(
      this.#spec({
        method: 'DELETE',
        sub: 'requests/batch',
        json: requests,
        tier: 'medium',
        options,
      }),
    );
  }

  getRequest(id: string, options?: RequestOptions): Promise<RequestQueueRequest | undefined> {
    return this.orUndefined(() =>
      this.sendData(
        this.#spec({ method: 'GET', sub: `requests/${safeId(id)}`, tier: 'short', options }, false),
      ),
    );
  }

  updateRequest(
    request: RequestQueueRequest,
    options: RequestOptions & { forefront?: boolean } = {},
  ): Promise<RequestOperationInfo> {
    return this.sendData(
      this.#spec({
        method: 'PUT',
        sub: `requests/${safeId(request.id)}`,
        json: request,
        params: defined({ forefront: options.forefront }),
        tier: 'short',
        options,
      }),
    );
  }

  async deleteRequest(id: string, options?: RequestOptions): Promise<void> {
    await this.send(this.#spec({ method: 'DELETE', sub: `requests/${safeId(id)}`, tier: 'short', options }));
  }

  prolongRequestLock(
    id: string,
    options: RequestOptions & { lockSecs: number; forefront?: boolean },
  ): Promise<{ lockExpiresAt: Date }> {
    return this.sendData(
      this.#spec({
        method: 'PUT',
        sub: `requests/${safeId(id)}/lock`,
        params: defined({ lockSecs: options.lockSecs, forefront: options.forefront }),
        tier: 'short',
        options,
      }),
    );
  }

  async deleteRequestLock(id: string, options: RequestOptions & { forefront?: boolean } = {}): Promise<void> {
    await this.send(
      this.#spec({
        method: 'DELETE',
        sub: `requests/${safeId(id)}/lock`,
        params: defined({ forefront: options.forefront }),
        tier: 'short',
        options,
      }),
    );
  }

  /** Releases every lock held by this client key. */
  unlockRequests(options?: RequestOptions): Promise<{ unlockedCount: number }> {
    return this.sendData(
      this.#spec({
        method: 'POST',
        sub: 'requests/unlock',
        tier: 'short',
        options,
        idempotent: true,
      }),
    );
  }

  /** The first page, which is also an async iterable of every request (`for await`). */
  listRequests(
    options: ListRequestsOptions = {},
  ): Promise<ListRequestsResult> & AsyncIterable<RequestQueueRequest> {
    if (options.cursor !== undefined && options.exclusiveStartId !== undefined) {
      const error = new InvalidArgumentError(
        'listRequests: pass either cursor or exclusiveStartId, not both',
      );
      const rejected: Promise<ListRequestsResult> = Promise.reject(error);
      rejected.catch(() => {});
      return Object.assign(rejected, {
        async *[Symbol.asyncIterator](): AsyncGenerator<RequestQueueRequest> {
          yield* (await rejected).items;
        },
      });
    }
    return cursorPaginatedIterator<ListRequestsResult, RequestQueueRequest>(
      (cursor, remaining) => {
        const page: ListRequestsOptions = cursor === undefined ? options : { ...options, cursor };
        if (cursor !== undefined) {
          delete page.exclusiveStartId;
          if (remaining !== undefined) page.limit = remaining;
        }
        return this.#listRequestsPage(page);
      },
      (page) => page.nextCursor,
      options.limit,
    );
  }

  #listRequestsPage(options: ListRequestsOptions): Promise<ListRequestsResult> {
    const { limit, cursor, exclusiveStartId, filter } = options;
    return this.sendData(
      this.#spec({
        method: 'GET',
        sub: 'requests',
        params: defined({ limit, cursor, exclusiveStartId, filter }),
        tier: 'medium',
        options,
      }),
    );
  }

  /**
   * Pages of requests (not single requests), `maxPageLimit` per page, until `limit` requests or the
   * last cursor: the official `paginateRequests`.
   */
  async *paginateRequests(options: PaginateRequestsOptions = {}): AsyncGenerator<ListRequestsResult> {
    const { limit, filter, maxPageLimit = 1000, signal } = options;
    if (options.cursor !== undefined && options.exclusiveStartId !== undefined) {
      throw new InvalidArgumentError('paginateRequests: pass either cursor or exclusiveStartId, not both');
    }
    let cursor = options.cursor;
    let exclusiveStartId = options.exclusiveStartId;
    let seen = 0;
    for (;;) {
      const page: ListRequestsOptions = {
        limit: limit ? Math.min(maxPageLimit, limit - seen) : maxPageLimit,
      };
      if (cursor !== undefined) page.cursor = cursor;
      if (exclusiveStartId !== undefined) page.exclusiveStartId = exclusiveStartId;
      if (filter !== undefined) page.filter = filter;
      if (signal !== undefined) page.signal = signal;
      if (options.httpTimeout !== undefined) page.httpTimeout = options.httpTimeout;
      const result = await this.#listRequestsPage(page);
      if (result.items.length === 0) return;
      yield result;
      seen += result.items.length;
      if ((limit && seen >= limit) || !result.nextCursor) return;
      cursor = result.nextCursor;
      // After the first page the cursor alone positions the listing.
      exclusiveStartId = undefined;
    }
  }

  /** Every request, following `nextCursor`. */
  iterateRequests(
    options: Omit<ListRequestsOptions, 'cursor' | 'exclusiveStartId'> & { chunkSize?: number } = {},
  ): AsyncIterableIterator<RequestQueueRequest> {
    const { limit, chunkSize, ...rest } = options;
    return paginateCursor<RequestQueueRequest, string>(
      async (cursor) => {
        const pageOptions: ListRequestsOptions = { ...rest };
        if (chunkSize !== undefined) pageOptions.limit = chunkSize;
        if (cursor !== undefined) pageOptions.cursor = cursor;
        const page = await this.listRequests(pageOptions);
        return { items: page.items, next: page.nextCursor };
      },
      { signal: options.signal, limit },
    );
  }
}

export interface RequestQueueListParams {
  unnamed?: boolean;
  ownership?: 'ownedByMe' | 'sharedWithMe';
}

export class RequestQueueCollectionClient extends CollectionClient<RequestQueue, RequestQueueListParams> {
  getOrCreate(name?: string, options?: RequestOptions): Promise<RequestQueue> {
    return this._getOrCreate<RequestQueue>(name, undefined, options);
  }
}
