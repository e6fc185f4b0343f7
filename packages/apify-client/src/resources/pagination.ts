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
export async function* paginateOffset<T>(
  fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
  options: OffsetPaginationOptions = {},
): AsyncIterableIterator<T> {
  const chunkSize = options.chunkSize ?? 1000;
  let offset = options.offset ?? 0;
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  const signal = options.signal;
  while (remaining > 0) {
    signal?.throwIfAborted();
    const page = await fetchPage(offset, Math.min(chunkSize, remaining));
    if (page.scanned === 0 && page.items.length === 0) return;
    for (const item of page.items) {
      signal?.throwIfAborted();
      yield item;
      remaining -= 1;
      if (remaining <= 0) return;
    }
    offset += Math.max(page.scanned, page.items.length);
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
