import { describe, expect, it } from 'vitest';
import { type OffsetPage, paginateOffset } from '../src/resources/pagination.js';

/** A stored list of 25 numbers served by offset and limit; every fetch is recorded. */
function store(total = 25) {
  const fetched: [number, number][] = [];
  const fetchPage = async (offset: number, limit: number): Promise<OffsetPage<number>> => {
    fetched.push([offset, limit]);
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) => offset + k);
    return { items, scanned: items.length };
  };
  return { fetched, fetchPage };
}

describe('offset pagination iterator', () => {
  it('next() calls made before a page arrives share that page: each offset is fetched once, in order', async () => {
    const { fetched, fetchPage } = store();
    const pages = paginateOffset(fetchPage, { chunkSize: 10 });
    const results = await Promise.all(Array.from({ length: 27 }, () => pages.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value))).toEqual([
      ...Array.from({ length: 25 }, (_, k) => k),
      'done',
      'done',
    ]);
    expect(fetched).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
      [25, 10],
    ]);
  });

  it('stops fetching after break, after limit, and after a failed page', async () => {
    const broken = store();
    for await (const n of paginateOffset(broken.fetchPage, { chunkSize: 10 })) if (n === 3) break;
    expect(broken.fetched).toEqual([[0, 10]]);

    const limited = store();
    const items: number[] = [];
    for await (const n of paginateOffset(limited.fetchPage, { chunkSize: 10, limit: 12, offset: 5 }))
      items.push(n);
    expect(items).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(limited.fetched).toEqual([
      [5, 10],
      [15, 2],
    ]);

    const failing = paginateOffset(async () => Promise.reject(new Error('page lost')), {});
    await expect(failing.next()).rejects.toThrow('page lost');
    await expect(failing.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('checks the signal before each item, and ends once it has thrown', async () => {
    const { fetchPage } = store();
    const controller = new AbortController();
    const pages = paginateOffset(fetchPage, { chunkSize: 10, signal: controller.signal });
    expect(await pages.next()).toEqual({ done: false, value: 0 });
    controller.abort(new Error('stop'));
    await expect(pages.next()).rejects.toThrow('stop');
    await expect(pages.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
