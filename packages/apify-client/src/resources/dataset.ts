import type { HttpResponse } from '../http/http-response.js';
import { checkOneOf } from '../validation/options.js';
import {
  CollectionClient,
  type IterateOptions,
  type RequestOptions,
  ResourceClient,
  splitOptions,
} from './base.js';
import { DownloadItemsFormat } from './enums.js';
import { chunkItems } from './item-chunks.js';
import { offsetPaginatedIterator, type PaginatedIterator } from './paginated-iterator.js';
import { paginateOffset } from './pagination.js';
import type { Dataset } from './types.js';

export { chunkItems } from './item-chunks.js';

/** 9 MiB, the API's decoded body limit, minus 0.01 % of headroom (as Crawlee). */
export const DEFAULT_MAX_PAYLOAD_BYTES = Math.floor(9_437_184 * 0.9999);

export interface DatasetItemsParams {
  /** Items per request while iterating `listItems()`; the first page is `min(limit, chunkSize)`. */
  chunkSize?: number;
  offset?: number;
  limit?: number;
  desc?: boolean;
  clean?: boolean;
  fields?: string[];
  omit?: string[];
  unwind?: string[];
  flatten?: string[];
  skipEmpty?: boolean;
  skipHidden?: boolean;
  view?: string;
  signature?: string;
}

export type DatasetItemFormat = 'json' | 'jsonl' | 'csv' | 'html' | 'xlsx' | 'xml' | 'rss';

export interface DatasetItemsPage<T> {
  items: T[];
  total: number;
  offset: number;
  count: number;
  limit: number;
  desc: boolean;
}

export interface PushItemsOptions extends RequestOptions {
  /** Each request body stays at or under this many bytes; default 9 MiB − 0.01 %. */
  maxPayloadBytes?: number;
}

function headerNumber(response: HttpResponse, name: string): number | undefined {
  const value = response.headers.get(name);
  if (value === null || value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export class DatasetClient<T extends object = Record<string, unknown>> extends ResourceClient {
  get(options?: RequestOptions): Promise<Dataset | undefined> {
    return this._get<Dataset>(options);
  }

  update(
    fields: { name?: string | null; title?: string; generalAccess?: string },
    options?: RequestOptions,
  ): Promise<Dataset> {
    return this._update<Dataset>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  /**
   * The first page (`await`), which is also an async iterable of every item (`for await`). Items
   * are returned as stored: their `…At` fields stay strings, as in the official client.
   */
  listItems(options: DatasetItemsParams & RequestOptions = {}): PaginatedIterator<T> {
    return offsetPaginatedIterator(
      (pageOptions: DatasetItemsParams & RequestOptions) => this.#page(pageOptions),
      options,
    );
  }

  async #page(options: DatasetItemsParams & RequestOptions): Promise<DatasetItemsPage<T>> {
    // `chunkSize` goes out too: the official client sends it, and the API ignores it.
    const { params, request } = splitOptions(options);
    const response = await this.send({ method: 'GET', sub: 'items', params, tier: 'long', options: request });
    const parsed = this.ctx.parseJson(response, { method: 'GET', path: `${this.path}/items` });
    const items = (Array.isArray(parsed) ? parsed : []) as T[];
    return {
      items,
      total: headerNumber(response, 'x-apify-pagination-total') ?? items.length,
      offset: headerNumber(response, 'x-apify-pagination-offset') ?? options.offset ?? 0,
      // The header counts scanned items, which is wrong when hidden or empty items were skipped.
      count: items.length,
      limit: headerNumber(response, 'x-apify-pagination-limit') ?? options.limit ?? items.length,
      desc: (response.headers.get('x-apify-pagination-desc') ?? String(options.desc ?? false)) === 'true',
    };
  }

  /** How many stored items a page covered: more than its items when the server filtered some. */
  async #scannedPage(options: DatasetItemsParams & RequestOptions): Promise<{ items: T[]; scanned: number }> {
    const { params, request } = splitOptions(options, ['chunkSize']);
    const response = await this.send({ method: 'GET', sub: 'items', params, tier: 'long', options: request });
    const parsed = this.ctx.parseJson(response, { method: 'GET', path: `${this.path}/items` });
    const items = (Array.isArray(parsed) ? parsed : []) as T[];
    return {
      items,
      scanned: Math.max(headerNumber(response, 'x-apify-pagination-count') ?? 0, items.length),
    };
  }

  /** Every item, `chunkSize` per request, until a page scans nothing; bounded memory. */
  iterateItems(options: DatasetItemsParams & IterateOptions & RequestOptions = {}): AsyncIterableIterator<T> {
    const { params, request } = splitOptions(options, ['offset', 'limit', 'chunkSize']);
    const pagination: { offset?: number; limit?: number; chunkSize?: number; signal?: AbortSignal } = {};
    if (options.offset !== undefined) pagination.offset = options.offset;
    if (options.limit !== undefined) pagination.limit = options.limit;
    if (options.chunkSize !== undefined) pagination.chunkSize = options.chunkSize;
    if (request.signal !== undefined) pagination.signal = request.signal;
    return paginateOffset<T>(
      (offset, limit) => this.#scannedPage({ ...(params as DatasetItemsParams), ...request, offset, limit }),
      pagination,
    );
  }

  /** The items in `format` as an unread response; read it with `iterBytes()` and `close()` it. */
  streamItems(
    options: DatasetItemsParams & RequestOptions & { format?: DatasetItemFormat } = {},
  ): Promise<HttpResponse> {
    const { params, request } = splitOptions(options);
    return this.send({ method: 'GET', sub: 'items', params, stream: true, tier: 'long', options: request });
  }

  async downloadItems(
    format: DatasetItemFormat,
    options: DatasetItemsParams &
      RequestOptions &
      Record<string, string | number | boolean | string[] | undefined> = {},
  ): Promise<Buffer> {
    checkOneOf('format', format, Object.values(DownloadItemsFormat));
    const { params, request } = splitOptions(options);
    const response = await this.send({
      method: 'GET',
      sub: 'items',
      params: { format, ...params },
      tier: 'long',
      options: request,
    });
    return toBuffer(response.content);
  }

  /**
   * Appends items in order. Arrays are split into payloads under the limit and sent one at a time;
   * an item larger than the limit fails before anything is sent. A push whose outcome is unknown
   * (timeout, lost response) is not replayed, because a replay would store the items twice.
   */
  async pushItems(items: T | string | (T | string)[], options: PushItemsOptions = {}): Promise<void> {
    const { maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES, ...requestOptions } = options;
    // A single object goes out as it is (not wrapped in an array), as the official client sends it.
    const payloads =
      typeof items === 'string'
        ? [items]
        : Array.isArray(items)
          ? chunkItems(items, maxPayloadBytes)
          : [singleItem(items, maxPayloadBytes)];
    for (const payload of payloads) {
      requestOptions.signal?.throwIfAborted();
      await this.send({
        method: 'POST',
        sub: 'items',
        data: payload,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        tier: 'medium',
        options: requestOptions,
        idempotent: false,
      });
    }
  }

  /** A URL that lists the items without a token; signed (and optionally expiring) for private datasets. */
  createItemsPublicUrl(
    options: DatasetItemsParams & RequestOptions & { expiresInSecs?: number } = {},
  ): Promise<string> {
    const { expiresInSecs, ...rest } = options;
    const { params, request } = splitOptions(rest);
    return this.publicUrl('items', params, expiresInSecs, request);
  }

  getStatistics(options?: RequestOptions): Promise<Record<string, unknown> | undefined> {
    return this.orUndefined(() =>
      this.sendData<Record<string, unknown>>({
        method: 'GET',
        sub: 'statistics',
        tier: 'short',
        options,
        parseDates: false,
      }),
    );
  }
}

/** A view of the same bytes as a `Buffer`, the type the official client returns. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function singleItem(item: unknown, limit: number): Uint8Array {
  const [payload] = chunkItems([item], limit);
  return (payload as Uint8Array).subarray(1, -1);
}

export interface DatasetListParams {
  unnamed?: boolean;
  ownership?: 'ownedByMe' | 'sharedWithMe';
}

export class DatasetCollectionClient extends CollectionClient<Dataset, DatasetListParams> {
  getOrCreate(name?: string, options?: RequestOptions & { schema?: object }): Promise<Dataset> {
    const { schema, ...request } = options ?? {};
    return this._getOrCreate<Dataset>(name, schema === undefined ? undefined : { schema }, request);
  }
}
