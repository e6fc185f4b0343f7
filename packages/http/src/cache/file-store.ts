import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

export interface FileCacheStoreOptions extends StoreBounds {
  /** The folder holding the cache (created if missing). One store per folder at a time. */
  directory: string;
}

const ID = /^[0-9a-f-]{36}$/;

/**
 * A bounded store on disk (1 GiB by default): each response is `<id>.json` (metadata) beside
 * `<id>.body` (the bytes as received). Bodies stream to a temporary file while the caller reads and
 * are renamed into place only once complete, so a crash or an aborted read never leaves a truncated
 * entry; metadata is written the same way (tmp + rename). A folder written before is picked up again.
 */
export class FileCacheStore implements CacheStore {
  readonly directory: string;
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  // LRU order, oldest first.
  readonly #entries = new Map<string, { meta: CachedResponse; bytes: number }>();
  #size = 0;
  #closed = false;
  #ready: Promise<void> | null = null;
  readonly #writers = new Set<FileHandle>();

  constructor(options: FileCacheStoreOptions) {
    if (typeof options?.directory !== 'string' || options.directory === '')
      throw new UsageError('FileCacheStore needs a `directory`');
    this.directory = options.directory;
    ({ maxBytes: this.#maxBytes, maxEntryBytes: this.#maxEntryBytes } = checkBounds(options, 1024 ** 3));
  }

  get size(): number {
    return this.#size;
  }

  async lookup(key: string, signal?: AbortSignal): Promise<CachedResponse[]> {
    await this.#open(signal);
    const found = [...this.#entries.values()].filter((entry) => entry.meta.key === key);
    for (const entry of found) {
      this.#entries.delete(entry.meta.id);
      this.#entries.set(entry.meta.id, entry);
    }
    return found.reverse().map((entry) => ({ ...entry.meta, headers: [...entry.meta.headers] }));
  }

  async body(meta: CachedResponse, signal?: AbortSignal): Promise<CachedBody | null> {
    await this.#open(signal);
    if (!this.#entries.has(meta.id)) return null;
    let handle: FileHandle;
    try {
      handle = await open(this.#path(meta.id, 'body'), 'r');
    } catch {
      return null;
    }
    // The open handle keeps the bytes readable even if the entry is evicted meanwhile.
    const stream = createReadStream('', { fd: handle, highWaterMark: 1024 * 1024 });
    return {
      [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>,
      close: async () => {
        if (stream.closed) return;
        await new Promise<void>((resolve) => {
          stream.once('close', () => resolve());
          stream.destroy();
        });
      },
    };
  }

  async begin(meta: Omit<CachedResponse, 'size'>, signal?: AbortSignal): Promise<CacheWriter> {
    await this.#open(signal);
    if (!ID.test(meta.id)) throw new UsageError(`Invalid cache entry id ${JSON.stringify(meta.id)}`);
    const tmp = this.#path(meta.id, 'body.tmp');
    const handle = await open(tmp, 'w');
    this.#writers.add(handle);
    const overhead = metadataBytes(meta);
    let bytes = 0;
    let state: 'open' | 'done' = 'open';
    const discard = async () => {
      state = 'done';
      this.#writers.delete(handle);
      await handle.close().catch(() => {});
      await rm(tmp, { force: true });
    };
    return {
      write: async (chunk) => {
        if (state !== 'open') return;
        bytes += chunk.byteLength;
        if (bytes + overhead > this.#maxEntryBytes) return discard();
        await handle.write(chunk);
      },
      commit: async () => {
        if (state !== 'open') return;
        state = 'done';
        this.#writers.delete(handle);
        await handle.close();
        if (this.#closed) {
          await rm(tmp, { force: true });
          return;
        }
        const full: CachedResponse = { ...meta, size: bytes };
        await rename(tmp, this.#path(meta.id, 'body'));
        await this.#writeMeta(full);
        await this.#insert(full, bytes + overhead);
      },
      abort: async () => {
        if (state === 'open') await discard();
      },
    };
  }

  async update(meta: CachedResponse, signal?: AbortSignal): Promise<void> {
    await this.#open(signal);
    const entry = this.#entries.get(meta.id);
    if (entry === undefined) return;
    const full = { ...meta, size: entry.meta.size };
    await this.#writeMeta(full);
    this.#entries.delete(meta.id);
    this.#size -= entry.bytes;
    const bytes = full.size + metadataBytes(full);
    this.#entries.set(meta.id, { meta: full, bytes });
    this.#size += bytes;
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.#open(signal);
    for (const entry of [...this.#entries.values()])
      if (entry.meta.key === key) await this.#remove(entry.meta.id);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ready?.catch(() => {});
    for (const handle of [...this.#writers]) await handle.close().catch(() => {});
    this.#writers.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #path(id: string, kind: 'json' | 'body' | 'json.tmp' | 'body.tmp'): string {
    return join(this.directory, `${id}.${kind}`);
  }

  async #writeMeta(meta: CachedResponse): Promise<void> {
    const tmp = this.#path(meta.id, 'json.tmp');
    await writeFile(tmp, JSON.stringify(meta));
    await rename(tmp, this.#path(meta.id, 'json'));
  }

  async #insert(meta: CachedResponse, bytes: number): Promise<void> {
    for (const other of [...this.#entries.values()])
      if (sameVariant(other.meta, meta)) await this.#remove(other.meta.id);
    for (const oldest of [...this.#entries.values()]) {
      if (this.#size + bytes <= this.#maxBytes) break;
      await this.#remove(oldest.meta.id);
    }
    this.#entries.set(meta.id, { meta, bytes });
    this.#size += bytes;
  }

  async #remove(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#size -= entry.bytes;
    // Metadata first: without it the body is an orphan the next scan deletes.
    await rm(this.#path(id, 'json'), { force: true });
    await rm(this.#path(id, 'body'), { force: true });
  }

  #open(signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(signal);
    if (this.#closed) return Promise.reject(new UsageError('The cache store is closed'));
    this.#ready ??= this.#scan();
    return this.#ready;
  }

  /** Loads what an earlier store left in the folder; leftovers of interrupted writes are deleted. */
  async #scan(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const names = new Set(await readdir(this.directory));
    const found: CachedResponse[] = [];
    for (const name of names) {
      const [id, ...rest] = name.split('.');
      const kind = rest.join('.');
      if (id === undefined || !ID.test(id)) continue;
      if (kind.endsWith('.tmp') || (kind === 'body' && !names.has(`${id}.json`))) {
        await rm(join(this.directory, name), { force: true });
        continue;
      }
      if (kind !== 'json') continue;
      try {
        const meta = JSON.parse(await readFile(join(this.directory, name), 'utf8')) as CachedResponse;
        if (meta.id === id && names.has(`${id}.body`)) found.push(meta);
      } catch {
        // An unreadable entry is dropped, never served.
      }
    }
    found.sort((a, b) => a.responseTime - b.responseTime);
    for (const meta of found) {
      const bytes = meta.size + metadataBytes(meta);
      this.#entries.set(meta.id, { meta, bytes });
      this.#size += bytes;
    }
    for (const oldest of [...this.#entries.values()]) {
      if (this.#size <= this.#maxBytes) break;
      await this.#remove(oldest.meta.id);
    }
  }
}
