import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';

/** What a store keeps about one stored response (the body is kept beside it). */
export interface CachedResponse {
  /** Unique per stored response; a replaced or updated response keeps its body under this id. */
  id: string;
  /** The cache key: the target URI without fragment. */
  key: string;
  statusCode: number;
  reasonPhrase: string;
  httpVersion: string;
  /** Header pairs as stored (hop-by-hop fields removed), in order. */
  headers: Array<[string, string]>;
  /** The request's values of the fields the response's `Vary` names (lower-case name → value, null if absent). */
  vary: Record<string, string | null>;
  /** When the request was sent and when the response headers arrived, ms since the epoch. */
  requestTime: number;
  responseTime: number;
  /** Body length in bytes (as stored: still content-encoded). */
  size: number;
}

/** A stored response being written while the caller reads it. */
export interface CacheWriter {
  /** Appends body bytes; resolves once they are written (so a slow disk slows the reader, not memory). */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the entry visible, replacing the stored response of the same key and `vary`. */
  commit(): Promise<void>;
  /** Drops everything written; nothing becomes visible. Safe to call more than once. */
  abort(): Promise<void>;
}

/** The stored body of a response, read once. */
export interface CachedBody extends AsyncIterable<Uint8Array> {
  close(): Promise<void>;
}

/**
 * Where `CacheTransport` keeps responses. Both stores shipped here are bounded in bytes and evict
 * the least recently used response first; `await using` closes them.
 */
export interface CacheStore extends AsyncDisposable {
  /** The stored responses of `key`, most recently stored first. Counts as a use for LRU. */
  lookup(key: string, signal?: AbortSignal): Promise<CachedResponse[]>;
  /** The body of a stored response; null when it has gone (evicted or invalidated). */
  body(entry: CachedResponse, signal?: AbortSignal): Promise<CachedBody | null>;
  /** Starts storing a response whose body will be written next. `size` in `entry` is ignored. */
  begin(entry: Omit<CachedResponse, 'size'>, signal?: AbortSignal): Promise<CacheWriter>;
  /** Replaces the metadata of a stored response (after a 304), keeping its body. */
  update(entry: CachedResponse, signal?: AbortSignal): Promise<void>;
  /** Removes every stored response of `key`. */
  delete(key: string, signal?: AbortSignal): Promise<void>;
  /** Bytes held now (bodies plus an estimate of the metadata). */
  readonly size: number;
  close(): Promise<void>;
}

export interface StoreBounds {
  /** Upper bound on the bytes a store holds; older entries are evicted to stay under it. */
  maxBytes?: number;
  /** A larger response is not stored at all (default: `maxBytes`). */
  maxEntryBytes?: number;
}

export function checkBounds(
  bounds: StoreBounds,
  defaultMax: number,
): { maxBytes: number; maxEntryBytes: number } {
  const maxBytes = bounds.maxBytes ?? defaultMax;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
    throw new UsageError(`maxBytes must be a positive integer, got ${String(maxBytes)}`);
  const maxEntryBytes = bounds.maxEntryBytes ?? maxBytes;
  if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 1)
    throw new UsageError(`maxEntryBytes must be a positive integer, got ${String(maxEntryBytes)}`);
  return { maxBytes, maxEntryBytes: Math.min(maxEntryBytes, maxBytes) };
}

/** The bytes counted for an entry's metadata (header text plus a fixed overhead). */
export function metadataBytes(entry: Omit<CachedResponse, 'size'>): number {
  let bytes = 256 + entry.key.length;
  for (const [name, value] of entry.headers) bytes += name.length + value.length + 4;
  for (const [name, value] of Object.entries(entry.vary)) bytes += name.length + (value?.length ?? 0) + 4;
  return bytes;
}

/** Whether two stored responses answer the same request variant (same key, same Vary values). */
export function sameVariant(a: Omit<CachedResponse, 'size'>, b: Omit<CachedResponse, 'size'>): boolean {
  if (a.key !== b.key) return false;
  const names = Object.keys(a.vary);
  if (names.length !== Object.keys(b.vary).length) return false;
  return names.every((name) => name in b.vary && b.vary[name] === a.vary[name]);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

/** A fresh id for a stored response (also a safe file name). */
export function newEntryId(): string {
  return randomUUID();
}
