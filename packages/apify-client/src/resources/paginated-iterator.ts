import type { PaginatedList } from './base.js';

/**
 * What the official client's `list()` methods return: a promise of the first page that is also an
 * async iterable of every item, so both `await list()` and `for await (… of list())` work.
 */
export type PaginatedIterator<T> = Promise<PaginatedList<T>> & AsyncIterable<T>;

export interface OffsetListOptions {
  offset?: number;
  limit?: number;
  /** Items fetched per request while iterating. */
  chunkSize?: number;
}

/** `0` means "no limit" in both places, as in the official client (which then omits the parameter). */
function minLimit(a: number | undefined, b: number | undefined): number | undefined {
  const left = a === 0 ? undefined : a;
  const right = b === 0 ? undefined : b;
  if (left === undefined) return right;
  if (right === undefined) return left;
  return Math.min(left, right);
}

/**
 * Offset pagination with the official client's stopping rule: keep fetching while the last page
 * had items and fewer than `min(limit, total - offset)` have been yielded.
 */
export function offsetPaginatedIterator<T, O extends OffsetListOptions>(
  fetchPage: (options: O) => Promise<PaginatedList<T>>,
  options: O,
): PaginatedIterator<T> {
  const first = fetchPage({ ...options, limit: minLimit(options.limit, options.chunkSize) });
  async function* all(): AsyncGenerator<T> {
    let page = await first;
    yield* page.items;
    const offset = options.offset ?? 0;
    const limit = Math.min(options.limit || page.total, page.total);
    let nextOffset = offset + page.items.length;
    let remaining = Math.min(page.total - offset, limit) - page.items.length;
    while (page.items.length > 0 && remaining > 0) {
      page = await fetchPage({
        ...options,
        limit: minLimit(remaining, options.chunkSize),
        offset: nextOffset,
      });
      yield* page.items;
      nextOffset += page.items.length;
      remaining -= page.items.length;
    }
  }
  // An unobserved rejection of the first page would crash the process when only iterating.
  first.catch(() => {});
  return Object.defineProperty(first, Symbol.asyncIterator, { value: all }) as PaginatedIterator<T>;
}

/** Cursor pagination: a first page that is also an iterable of all items, following `next(page)`. */
export function cursorPaginatedIterator<P extends { items: T[] }, T>(
  fetchPage: (cursor: string | undefined, remaining: number | undefined) => Promise<P>,
  next: (page: P) => string | null | undefined,
  limit: number | undefined,
): Promise<P> & AsyncIterable<T> {
  const first = fetchPage(undefined, limit);
  async function* all(): AsyncGenerator<T> {
    let page = await first;
    yield* page.items;
    let remaining = limit ? limit - page.items.length : undefined;
    let cursor = next(page);
    while (page.items.length > 0 && cursor && (remaining === undefined || remaining > 0)) {
      page = await fetchPage(cursor, remaining);
      yield* page.items;
      if (remaining) remaining -= page.items.length;
      cursor = next(page);
    }
  }
  first.catch(() => {});
  return Object.defineProperty(first, Symbol.asyncIterator, { value: all }) as Promise<P> & AsyncIterable<T>;
}
