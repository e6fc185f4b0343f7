import { ApiError } from '../errors.js';
import type { ContentEncoding } from '../http/body.js';
import {
  type JournalHeader,
  type JournalSnapshotRecord,
  type Persist,
  StorageFamily,
  type StorageMeta,
  USER,
} from './common.js';

export interface KvsRecord {
  key: string;
  /** The bytes exactly as uploaded (still in `encoding`, if any). */
  value: Buffer;
  contentType: string;
  encoding: ContentEncoding | null;
  /** Decoded size, as listed by `keys`. */
  size: number;
}

export interface KeyValueStore {
  meta: StorageMeta;
  records: Map<string, KvsRecord>;
}

const KEY_PATTERN = /^[a-zA-Z0-9!\-_.'()]{1,256}$/;

/**
 * The platform's key rule, plus `.` and `..`: they match the character class, but a key must never be
 * able to name a directory, whatever the storage layout.
 */
export function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key) || key === '.' || key === '..') {
    throw new ApiError(
      400,
      'invalid-record-key',
      `The key '${key}' is invalid: keys are 1-256 characters of a-zA-Z0-9!-_.'() and not '.' or '..'`,
    );
  }
  return key;
}

export class KeyValueStores extends StorageFamily<KeyValueStore> {
  constructor(persist: Persist) {
    super('Key-value store', 'key-value-stores', persist);
  }

  protected override create(meta: StorageMeta): KeyValueStore {
    return { meta, records: new Map() };
  }

  protected override restore(
    meta: StorageMeta,
    existing: KeyValueStore | undefined,
    _header: JournalHeader,
  ): KeyValueStore {
    return { meta, records: existing?.records ?? new Map() };
  }

  async getOrCreate(
    name: string | null,
    owner?: { actId: string; actRunId: string },
  ): Promise<{ store: KeyValueStore; created: boolean }> {
    const { storage, created } = await this.obtain(name, owner);
    return { store: storage, created };
  }

  /** Readers see the record only once it is durable: a failed write leaves the old value in place. */
  async setRecord(store: KeyValueStore, record: KvsRecord): Promise<void> {
    const modifiedAt = new Date().toISOString();
    await this.persist.write(recordHeader(store, record, modifiedAt), record.value);
    store.records.set(record.key, record);
    store.meta.modifiedAt = modifiedAt;
    store.meta.accessedAt = modifiedAt;
  }

  async deleteRecord(store: KeyValueStore, key: string): Promise<void> {
    const modifiedAt = new Date().toISOString();
    await this.persist.write({ t: 'unrecord', id: store.meta.id, key, modifiedAt });
    store.records.delete(key);
    store.meta.modifiedAt = modifiedAt;
    store.meta.accessedAt = modifiedAt;
  }

  listKeys(
    store: KeyValueStore,
    options: { exclusiveStartKey: string | null; limit: number; prefix: string | null },
  ): Record<string, unknown> {
    // Keys are ASCII by the key rule, so UTF-16 order is the platform's UTF-8 byte order.
    const keys = [...store.records.keys()]
      .filter((k) => options.prefix === null || k.startsWith(options.prefix))
      .filter((k) => options.exclusiveStartKey === null || k > options.exclusiveStartKey)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const page = keys.slice(0, options.limit);
    const isTruncated = keys.length > page.length;
    return {
      items: page.map((key) => ({ key, size: store.records.get(key)?.size ?? 0 })),
      count: page.length,
      limit: options.limit,
      exclusiveStartKey: options.exclusiveStartKey,
      isTruncated,
      // Must be an explicit null on the last page: the official client loops until it sees null.
      nextExclusiveStartKey: isTruncated ? (page.at(-1) ?? null) : null,
    };
  }

  apply(header: { t: string; [k: string]: unknown }, payload: Buffer): boolean {
    if (this.applyLifecycle(header)) return true;
    if (header.t === 'record' || header.t === 'unrecord') {
      const store = this.collection.byId.get(header.id as string);
      if (store === undefined) return true;
      const key = header.key as string;
      if (header.t === 'record') {
        store.records.set(key, {
          key,
          value: payload,
          contentType: header.contentType as string,
          encoding: header.encoding as ContentEncoding | null,
          size: header.size as number,
        });
      } else {
        store.records.delete(key);
      }
      store.meta.modifiedAt = header.modifiedAt as string;
      return true;
    }
    return false;
  }

  *snapshot(): Generator<JournalSnapshotRecord> {
    for (const store of this.collection.byId.values()) {
      yield { header: { t: 'storage', kind: 'key-value-stores', meta: store.meta } };
      for (const record of store.records.values()) {
        yield { header: recordHeader(store, record), payload: record.value };
      }
    }
  }
}

function recordHeader(
  store: KeyValueStore,
  record: KvsRecord,
  modifiedAt = store.meta.modifiedAt,
): Record<string, unknown> {
  return {
    t: 'record',
    id: store.meta.id,
    key: record.key,
    contentType: record.contentType,
    encoding: record.encoding,
    size: record.size,
    modifiedAt,
  };
}

export function storeObject(store: KeyValueStore, baseUrl: string): Record<string, unknown> {
  const { meta } = store;
  return {
    ...meta,
    username: USER.username,
    consoleUrl: `${baseUrl}/v2/key-value-stores/${meta.id}`,
    keysPublicUrl: `${baseUrl}/v2/key-value-stores/${meta.id}/keys`,
    stats: { readCount: 0, writeCount: 0, deleteCount: 0, listCount: 0, storageBytes: 0 },
  };
}
