import { UsageError } from '../errors.js';
import {
  type CachedBody,
  type CachedResponse,
  type CacheStore,
  type CacheWriter,
  checkBounds,
  metadataBytes,
  type StoreBounds,
  sameVariant,
  throwIfAborted,
} from './store.js';

interface MemoryEntry {
  meta: CachedResponse;
  chunks: Uint8Array[];
  bytes: number;
}

/** A bounded in-memory store (64 MiB by default), least recently used evicted first. */
export class MemoryCacheStore implements CacheStore {
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  // Map order is the LRU order: oldest first; a use moves an entry to the end.
  readonly #entries = new Map<string, MemoryEntry>();
  #size = 0;
  #closed = false;

  constructor(bounds: StoreBounds = {}) {
    ({ maxBytes: this.#maxBytes, maxEntryBytes: this.#maxEntryBytes } = checkBounds(
      bounds,
      64 * 1024 * 1024,
    ));
  }

  get size(): number {
    return this.#size;
  }

  async lookup(key: string, signal?: AbortSignal): Promise<CachedResponse[]> {
    this.#check(signal);
    const found: MemoryEntry[] = [];
    for (const entry of this.#entries.values()) if (entry.meta.key === key) found.push(entry);
    for (const entry of found) {
      this.#entries.delete(entry.meta.id);
      this.#entries.set(entry.meta.id, entry);
    }
    return found.reverse().map((entry) => ({ ...entry.meta }));
  }

  async body(meta: CachedResponse, signal?: AbortSignal): Promise<CachedBody | null> {
    this.#check(signal);
    const entry = this.#entries.get(meta.id);
    if (entry === undefined) return null;
    const chunks = entry.chunks;
    let closed = false;
    return {
      async *[Symbol.asyncIterator]() {
        for (const chunk of chunks) {
          if (closed) return;
          yield chunk;
        }
      },
      async close() {
        closed = true;
      },
    };
  }

  async begin(meta: Omit<CachedResponse, 'size'>, signal?: AbortSignal): Promise<CacheWriter> {
    this.#check(signal);
    const chunks: Uint8Array[] = [];
    const overhead = metadataBytes(meta);
    let bytes = 0;
    let done = false;
    return {
      write: async (chunk) => {
        if (done) return;
        bytes += chunk.byteLength;
        if (bytes + overhead > this.#maxEntryBytes) {
          // Too large to keep: stop collecting at once rather than hold it until the end.
          done = true;
          chunks.length = 0;
          return;
        }
        // A copy: the caller may reuse its buffer.
        chunks.push(Uint8Array.prototype.slice.call(chunk));
      },
      commit: async () => {
        if (done || this.#closed) return;
        done = true;
        this.#insert({ meta: { ...meta, size: bytes }, chunks, bytes: bytes + overhead });
      },
      abort: async () => {
        done = true;
        chunks.length = 0;
      },
    };
  }

  async update(meta: CachedResponse, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    const entry = this.#entries.get(meta.id);
    if (entry === undefined) return;
    this.#remove(entry);
    this.#insert({
      meta: { ...meta, size: entry.meta.size },
      chunks: entry.chunks,
      bytes: entry.meta.size + metadataBytes(meta),
    });
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    this.#check(signal);
    for (const entry of [...this.#entries.values()]) if (entry.meta.key === key) this.#remove(entry);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
    this.#size = 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #insert(entry: MemoryEntry): void {
    for (const other of [...this.#entries.values()])
      if (sameVariant(other.meta, entry.meta)) this.#remove(other);
    if (entry.bytes > this.#maxEntryBytes) return;
    for (const oldest of this.#entries.values()) {
      if (this.#size + entry.bytes <= this.#maxBytes) break;
      this.#remove(oldest);
    }
    this.#entries.set(entry.meta.id, entry);
    this.#size += entry.bytes;
  }

  #remove(entry: MemoryEntry): void {
    if (this.#entries.delete(entry.meta.id)) this.#size -= entry.bytes;
  }

  #check(signal: AbortSignal | undefined): void {
    throwIfAborted(signal);
    if (this.#closed) throw new UsageError('The cache store is closed');
  }
}
