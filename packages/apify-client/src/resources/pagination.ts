export interface OffsetPage<T> {
  items: T[];
  /** How many stored items the page covered (more than `items.length` when the server filtered). */
  scanned: number;
}

export interface OffsetPaginationOptions {
  offset?: number;
  /** Total number of items to yield; unlimited when absent. */
  limit?: number;
  chunkSize?: number;
  signal?: AbortSignal;
}

/**
 * Pages by offset until a page scans nothing or `limit` is reached. It never consults `total`, so
 * filtered pages (`clean`, `skipEmpty`) that return fewer items than they cover don't end it early.
 */
export function paginateOffset<T>(
  fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
  options: OffsetPaginationOptions = {},
): AsyncIterableIterator<T> {
  return new OffsetPages(fetchPage, options);
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The offset pager as a plain iterator rather than an async generator: an item of a page already in
 * memory is handed out with one resolved promise, where a generator's `yield` costs several
 * microtask hops. Over a million items that was a tenth of the client's CPU for iterating.
 * Calls to `next()` made while a page is on its way wait for it, so no page is fetched twice.
 */
class OffsetPages<T> implements AsyncIterableIterator<T> {
  readonly #fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>;
  readonly #chunkSize: number;
  readonly #signal: AbortSignal | undefined;
  #offset: number;
  #remaining: number;
  #items: readonly T[] = [];
  #index = 0;
  #done = false;
  /** Settles (never rejects) when the page being fetched has arrived or failed. */
  #fetching: Promise<void> | undefined;

  constructor(
    fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
    options: OffsetPaginationOptions,
  ) {
    this.#fetchPage = fetchPage;
    this.#chunkSize = options.chunkSize ?? 1000;
    this.#signal = options.signal;
    this.#offset = options.offset ?? 0;
    this.#remaining = options.limit ?? Number.POSITIVE_INFINITY;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#fetching !== undefined) return this.#fetching.then(() => this.next());
    if (this.#done) return Promise.resolve(DONE);
    try {
      if (this.#index < this.#items.length) {
        this.#signal?.throwIfAborted();
        const value = this.#items[this.#index++] as T;
        this.#remaining -= 1;
        if (this.#remaining <= 0) this.#finish();
        return Promise.resolve({ done: false, value });
      }
      if (this.#remaining <= 0) {
        this.#finish();
        return Promise.resolve(DONE);
      }
      this.#signal?.throwIfAborted();
      const page = this.#fetchPage(this.#offset, Math.min(this.#chunkSize, this.#remaining)).then(
        (page) => {
          this.#fetching = undefined;
          if (page.scanned === 0 && page.items.length === 0) return this.#finish();
          this.#items = page.items;
          this.#index = 0;
          this.#offset += Math.max(page.scanned, page.items.length);
        },
        (error: unknown) => {
          this.#fetching = undefined;
          this.#finish();
          throw error;
        },
      );
      this.#fetching = page.catch(() => undefined);
      return page.then(() => this.next());
    } catch (error) {
      this.#finish();
      return Promise.reject(error);
    }
  }

  return(): Promise<IteratorResult<T>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  #finish(): void {
    this.#done = true;
    this.#items = [];
    this.#index = 0;
  }
}

/** Pages by cursor until the server returns no next cursor (or an empty page). */
export async function* paginateCursor<T, C>(
  fetchPage: (cursor: C | undefined) => Promise<{ items: T[]; next: C | null | undefined }>,
  options: { signal?: AbortSignal | undefined; limit?: number | undefined } = {},
): AsyncIterableIterator<T> {
  let cursor: C | undefined;
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  const signal = options.signal;
  for (;;) {
    signal?.throwIfAborted();
    const page = await fetchPage(cursor);
    for (const item of page.items) {
      signal?.throwIfAborted();
      yield item;
      remaining -= 1;
      if (remaining <= 0) return;
    }
    if (page.items.length === 0 || page.next === null || page.next === undefined) return;
    cursor = page.next;
  }
}
