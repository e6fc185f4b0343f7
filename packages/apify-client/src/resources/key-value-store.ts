import { Readable } from 'node:stream';
import { InvalidArgumentError } from '../errors.js';
import { isJsonContentType } from '../http/buffered-response.js';
import type { HttpResponse } from '../http/http-response.js';
import { isStreamBody, type StreamBody } from '../http/pipeline.js';
import { checkCallOptions } from '../validation/call-options.js';
import {
  CollectionClient,
  isResourceNotFound,
  type RequestOptions,
  ResourceClient,
  safeId,
  splitOptions,
} from './base.js';
import { toBuffer } from './dataset.js';
import { cursorPaginatedIterator } from './paginated-iterator.js';
import { paginateCursor } from './pagination.js';
import { createHmacSignature } from './signature.js';
import type { KeyValueStore } from './types.js';

export interface KeyValueStoreRecord<V> {
  key: string;
  value: V;
  contentType: string | undefined;
}

export interface ListKeysOptions extends RequestOptions {
  limit?: number;
  exclusiveStartKey?: string;
  collection?: string;
  prefix?: string;
  signature?: string;
}

export interface KeyValueStoreKey {
  key: string;
  size: number;
  recordPublicUrl?: string;
}

export interface KeyValueListKeysResult {
  items: KeyValueStoreKey[];
  count: number;
  limit: number;
  exclusiveStartKey: string | null;
  isTruncated: boolean;
  nextExclusiveStartKey: string | null;
}

export interface GetRecordOptions extends RequestOptions {
  /** Return the value as a `Buffer` whatever its content type. */
  buffer?: boolean;
  /** Return the value as a Node `Readable` of the body; destroy it if you stop reading early. */
  stream?: boolean;
  signature?: string;
}

export interface SetRecordInput {
  key: string;
  /** Strings are sent as text, bytes and streams as-is, anything else as JSON. */
  value: unknown;
  contentType?: string;
}

/** The official `setRecord` options, plus ours. */
export interface SetRecordOptions extends RequestOptions {
  /** The HTTP deadline of each attempt, in seconds (default 360). */
  timeoutSecs?: number;
  /** A timed-out upload is not sent again (nor one that failed after it was sent). */
  doNotRetryTimeouts?: boolean;
}

/** A response body as a Node stream that releases the connection when destroyed early. */
export function toReadable(response: HttpResponse): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of response.iterBytes()) yield toBuffer(chunk);
    } finally {
      await response.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

const KEY_PATTERN = /^[a-zA-Z0-9!\-_.'()]{1,256}$/;

function checkKey(key: string): void {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new InvalidArgumentError(
      `Invalid record key ${JSON.stringify(key)}: use 1–256 characters of a-zA-Z0-9!-_.'()`,
    );
  }
}

function isTextType(contentType: string): boolean {
  return /^text\/|[/+]xml\b/i.test(contentType);
}

export class KeyValueStoreClient extends ResourceClient {
  get(options?: RequestOptions): Promise<KeyValueStore | undefined> {
    return this._get<KeyValueStore>(options);
  }

  update(
    fields: { name?: string | null; title?: string; generalAccess?: string },
    options?: RequestOptions,
  ): Promise<KeyValueStore> {
    return this._update<KeyValueStore>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  /** The first page of keys, which is also an async iterable of every key (`for await`). */
  listKeys(options: ListKeysOptions = {}): Promise<KeyValueListKeysResult> & AsyncIterable<KeyValueStoreKey> {
    return cursorPaginatedIterator<KeyValueListKeysResult, KeyValueStoreKey>(
      (cursor, remaining) => {
        const page: ListKeysOptions =
          cursor === undefined ? options : { ...options, exclusiveStartKey: cursor };
        if (cursor !== undefined && remaining !== undefined) page.limit = remaining;
        const { params, request } = splitOptions(page);
        return this.sendData<KeyValueListKeysResult>({
          method: 'GET',
          sub: 'keys',
          params,
          tier: 'medium',
          options: request,
        });
      },
      (page) => page.nextExclusiveStartKey,
      options.limit,
    );
  }

  /** Every key, following `nextExclusiveStartKey` until the server says there is no more. */
  iterateKeys(
    options: Omit<ListKeysOptions, 'exclusiveStartKey'> & { limit?: number } = {},
  ): AsyncIterableIterator<KeyValueStoreKey> {
    const { limit, ...rest } = options;
    return paginateCursor<KeyValueStoreKey, string>(
      async (cursor) => {
        const page = await this.listKeys(
          cursor === undefined ? rest : { ...rest, exclusiveStartKey: cursor },
        );
        return { items: page.items, next: page.isTruncated === false ? null : page.nextExclusiveStartKey };
      },
      { signal: options.signal, limit },
    );
  }

  async recordExists(key: string, options?: RequestOptions): Promise<boolean> {
    checkKey(key);
    try {
      await this.send({ method: 'HEAD', sub: `records/${safeId(key)}`, tier: 'short', options });
      return true;
    } catch (error) {
      if (isResourceNotFound(error)) return false;
      throw error;
    }
  }

  getRecord(
    key: string,
    options: GetRecordOptions & { stream: true },
  ): Promise<KeyValueStoreRecord<Readable> | undefined>;
  getRecord(
    key: string,
    options: GetRecordOptions & { buffer: true },
  ): Promise<KeyValueStoreRecord<Buffer> | undefined>;
  getRecord(key: string, options?: GetRecordOptions): Promise<KeyValueStoreRecord<unknown> | undefined>;
  async getRecord(
    key: string,
    options: GetRecordOptions = {},
  ): Promise<KeyValueStoreRecord<unknown> | undefined> {
    checkKey(key);
    const { buffer, stream, signature, ...request } = options;
    checkCallOptions({ buffer, stream, signature });
    const response = await this.orUndefined(() =>
      this.send({
        method: 'GET',
        sub: `records/${safeId(key)}`,
        // The official client sends the literal `true` here, not its `1` for booleans.
        params: { attachment: 'true', signature },
        stream: stream === true,
        tier: 'long',
        options: request,
      }),
    );
    if (response === undefined) return undefined;
    const contentType = response.headers.get('content-type') ?? undefined;
    if (stream === true) return { key, value: toReadable(response), contentType };
    let value: unknown = toBuffer(response.content);
    if (buffer !== true && contentType !== undefined) {
      if (isJsonContentType(contentType))
        value = this.ctx.parseJson(response, { method: 'GET', path: this.path });
      else if (isTextType(contentType)) value = response.text;
    }
    return { key, value, contentType };
  }

  /**
   * Stores a record; a stream value is uploaded as it is read, and never retried. A JSON value is
   * stored indented by two spaces, as the official client stores it.
   */
  async setRecord(record: SetRecordInput, options: SetRecordOptions = {}): Promise<void> {
    checkKey(record.key);
    const { value } = record;
    let data: string | Uint8Array | StreamBody;
    let contentType = record.contentType;
    if (typeof value === 'string') {
      data = value;
      contentType ??= 'text/plain; charset=utf-8';
    } else if (value instanceof Uint8Array || isStreamBody(value)) {
      data = value;
      contentType ??= 'application/octet-stream';
    } else if (value instanceof ArrayBuffer) {
      data = new Uint8Array(value);
      contentType ??= 'application/octet-stream';
    } else {
      const json = JSON.stringify(value, null, 2);
      if (json === undefined)
        throw new InvalidArgumentError(`The value of record "${record.key}" is not JSON-serializable`);
      data = json;
      contentType ??= 'application/json; charset=utf-8';
    }
    const { timeoutSecs, doNotRetryTimeouts, ...request } = options;
    checkCallOptions({ timeoutSecs, doNotRetryTimeouts });
    if (timeoutSecs !== undefined) request.httpTimeout = timeoutSecs * 1000;
    await this.send({
      method: 'PUT',
      sub: `records/${safeId(record.key)}`,
      data,
      headers: { 'Content-Type': contentType },
      tier: 'long',
      options: request,
      ...(doNotRetryTimeouts === true ? { idempotent: false } : {}),
    });
  }

  async deleteRecord(key: string, options?: RequestOptions): Promise<void> {
    checkKey(key);
    try {
      await this.send({ method: 'DELETE', sub: `records/${safeId(key)}`, tier: 'short', options });
    } catch (error) {
      if (!isResourceNotFound(error)) throw error;
    }
  }

  /** A URL that lists the keys without a token; signed (and optionally expiring) for private stores. */
  createKeysPublicUrl(
    options: Omit<ListKeysOptions, 'signature'> & { expiresInSecs?: number } = {},
  ): Promise<string> {
    const { expiresInSecs, ...rest } = options;
    const { params, request } = splitOptions(rest);
    return this.publicUrl('keys', params, expiresInSecs, request);
  }

  /** A URL anyone can open; signed when the store has a signing key (non-public stores). */
  async getRecordPublicUrl(key: string, options?: RequestOptions): Promise<string> {
    checkKey(key);
    const store = await this.get(options);
    const url = new URL(`${this.ctx.publicApiUrl}/${this.path}/records/${safeId(key)}`);
    const secret = store?.urlSigningSecretKey;
    if (typeof secret === 'string' && secret !== '') {
      url.searchParams.set('signature', await createHmacSignature(secret, key));
    }
    return url.toString();
  }
}

export interface KeyValueStoreListParams {
  unnamed?: boolean;
  ownership?: 'ownedByMe' | 'sharedWithMe';
}

export class KeyValueStoreCollectionClient extends CollectionClient<KeyValueStore, KeyValueStoreListParams> {
  getOrCreate(name?: string, options?: RequestOptions & { schema?: object }): Promise<KeyValueStore> {
    const { schema, ...request } = options ?? {};
    return this._getOrCreate<KeyValueStore>(name, schema === undefined ? undefined : { schema }, request);
  }
}
