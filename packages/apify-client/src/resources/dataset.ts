import { InvalidArgumentError } from '../errors.js';
import type { HttpResponse } from '../http/http-response.js';
import { utf8ByteLength } from '../http/pipeline.js';
import { serializeJson } from '../validation/options.js';
import {
  CollectionClient,
  type IterateOptions,
  type RequestOptions,
  ResourceClient,
  splitOptions,
} from './base.js';
import { paginateOffset } from './pagination.js';
import type { Dataset } from './types.js';

/** 9 MiB, the API's decoded body limit, minus 0.01 % of headroom (as Crawlee). */
export const DEFAULT_MAX_PAYLOAD_BYTES = Math.floor(9_437_184 * 0.9999);

export interface DatasetItemsParams {
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
    fields: { name?: string | null; generalAccess?: string },
    options?: RequestOptions,
  ): Promise<Dataset> {
    return this._update<Dataset>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  async listItems(options?: DatasetItemsParams & RequestOptions): Promise<DatasetItemsPage<T>> {
    const { params, request } = splitOptions(options);
    const response = await this.send({ method: 'GET', sub: 'items', params, tier: 'long', options: request });
    const parsed = this.ctx.parseJson(response, { method: 'GET', path: `${this.path}/items` });
    const items = (Array.isArray(parsed) ? parsed : []) as T[];
    return {
      items,
      total: headerNumber(response, 'x-apify-pagination-total') ?? items.length,
      offset: headerNumber(response, 'x-apify-pagination-offset') ?? options?.offset ?? 0,
      // The header counts scanned items, which exceeds the array when the server filtered some.
      count: Math.max(headerNumber(response, 'x-apify-pagination-count') ?? 0, items.length),
      limit: headerNumber(response, 'x-apify-pagination-limit') ?? options?.limit ?? items.length,
      desc: (response.headers.get('x-apify-pagination-desc') ?? String(options?.desc ?? false)) === 'true',
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
    return paginateOffset<T>(async (offset, limit) => {
      const page = await this.listItems({ ...(params as DatasetItemsParams), ...request, offset, limit });
      return { items: page.items, scanned: page.count };
    }, pagination);
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
  ): Promise<Uint8Array> {
    const { params, request } = splitOptions(options);
    const response = await this.send({
      method: 'GET',
      sub: 'items',
      params: { ...params, format },
      tier: 'long',
      options: request,
    });
    return response.content;
  }

  /**
   * Appends items in order. Arrays are split into payloads under the limit and sent one at a time;
   * an item larger than the limit fails before anything is sent. A push whose outcome is unknown
   * (timeout, lost response) is not replayed, because a replay would store the items twice.
   */
  async pushItems(items: T | T[] | string, options: PushItemsOptions = {}): Promise<void> {
    const { maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES, ...requestOptions } = options;
    const payloads =
      typeof items === 'string'
        ? [items]
        : chunkItems(Array.isArray(items) ? items : [items], maxPayloadBytes);
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
      this.sendData<Record<string, unknown>>({ method: 'GET', sub: 'statistics', tier: 'short', options }),
    );
  }
}

/** Serializes each item once and packs them, in order, into JSON arrays of at most `limit` bytes. */
export function chunkItems(items: readonly unknown[], limit: number): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InvalidArgumentError(`Dataset item at index ${index} is not an object`);
    }
    const json = serializeJson(item, `Dataset item at index ${index}`);
    const bytes = utf8ByteLength(json);
    if (bytes + 2 > limit) {
      throw new InvalidArgumentError(
        `Dataset item at index ${index} is ${bytes} bytes, over the payload limit of ${limit} bytes`,
      );
    }
    const added = bytes + (current.length > 0 ? 1 : 0);
    if (size + added > limit) {
      payloads.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    size += bytes + (current.length > 0 ? 1 : 0);
    current.push(json);
  }
  if (current.length > 0) payloads.push(`[${current.join(',')}]`);
  return payloads;
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
