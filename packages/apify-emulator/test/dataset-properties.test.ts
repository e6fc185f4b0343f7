import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';

/**
 * The dataset items listing over real HTTP against an in-memory oracle written from the API's
 * description: the window (offset, limit, desc) is cut from the stored items first, then each item
 * loses its hidden (`#`) fields (skipHidden, clean), is dropped when nothing is left (skipEmpty,
 * clean), and is projected by `fields` and `omit`.
 */

type Item = Record<string, unknown>;

interface Query {
  offset?: number;
  limit?: number;
  desc?: boolean;
  fields?: string[];
  omit?: string[];
  clean?: boolean;
  skipEmpty?: boolean;
  skipHidden?: boolean;
  format: 'json' | 'jsonl';
}

const KEYS = ['a', 'b', 'c', 'nested', '#h', '#secret'];
/** What the API reports as the limit when none (or 0) is asked for. */
const NO_LIMIT = 999_999_999_999;

const value = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { maxKeys: 2 }),
);
const item: fc.Arbitrary<Item> = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 });
const keys = fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 });
const query: fc.Arbitrary<Query> = fc.record(
  {
    offset: fc.integer({ min: 0, max: 14 }),
    limit: fc.integer({ min: 0, max: 14 }),
    desc: fc.boolean(),
    fields: keys,
    omit: keys,
    clean: fc.boolean(),
    skipEmpty: fc.boolean(),
    skipHidden: fc.boolean(),
    format: fc.constantFrom('json', 'jsonl'),
  },
  { requiredKeys: ['format'] },
);

function oracle(items: Item[], q: Query): { rows: Item[]; offset: number; limit: number; count: number } {
  const offset = q.offset ?? 0;
  const limit = q.limit === undefined || q.limit === 0 ? NO_LIMIT : q.limit;
  const ordered = q.desc ? [...items].reverse() : items;
  const window = ordered.slice(offset, offset + limit);
  const rows: Item[] = [];
  for (const stored of window) {
    let row = stored;
    if (q.clean || q.skipHidden)
      row = Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('#')));
    if ((q.clean || q.skipEmpty) && Object.keys(row).length === 0) continue;
    if (q.fields) row = Object.fromEntries(Object.entries(row).filter(([k]) => q.fields?.includes(k)));
    if (q.omit) row = Object.fromEntries(Object.entries(row).filter(([k]) => !q.omit?.includes(k)));
    rows.push(row);
  }
  return { rows, offset, limit, count: window.length };
}

function search(q: Query): string {
  const params = new URLSearchParams({ format: q.format });
  for (const name of ['offset', 'limit'] as const)
    if (q[name] !== undefined) params.set(name, String(q[name]));
  for (const name of ['desc', 'clean', 'skipEmpty', 'skipHidden'] as const)
    if (q[name] !== undefined) params.set(name, q[name] ? '1' : '0');
  if (q.fields) params.set('fields', q.fields.join(','));
  if (q.omit) params.set('omit', q.omit.join(','));
  return params.toString();
}

describe('dataset listing properties over HTTP', () => {
  let emulator: Emulator;
  let base: string;

  beforeAll(async () => {
    emulator = createEmulator();
    base = (await emulator.listen()).url;
  });
  afterAll(() => emulator.close());

  it('offset, limit, desc, fields, omit, clean, skipEmpty and skipHidden match the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 12 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        async (items, queries) => {
          // One fresh dataset per run, pushed in one request, then read several ways.
          const created = await fetch(`${base}/v2/datasets`, { method: 'POST' });
          const { id } = ((await created.json()) as { data: { id: string } }).data;
          if (items.length > 0) {
            const pushed = await fetch(`${base}/v2/datasets/${id}/items`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(items),
            });
            expect(pushed.status).toBe(201);
          }
          for (const q of queries) {
            const response = await fetch(`${base}/v2/datasets/${id}/items?${search(q)}`);
            const text = await response.text();
            const rows =
              q.format === 'json'
                ? JSON.parse(text)
                : text
                    .split('\n')
                    .filter((line) => line !== '')
                    .map((line) => JSON.parse(line));
            const expected = oracle(items, q);
            expect({
              status: response.status,
              rows,
              offset: response.headers.get('x-apify-pagination-offset'),
              limit: response.headers.get('x-apify-pagination-limit'),
              count: response.headers.get('x-apify-pagination-count'),
              total: response.headers.get('x-apify-pagination-total'),
              desc: response.headers.get('x-apify-pagination-desc'),
            }).toEqual({
              status: 200,
              rows: expected.rows,
              offset: String(expected.offset),
              limit: String(expected.limit),
              count: String(expected.count),
              total: String(items.length),
              desc: String(q.desc ?? false),
            });
          }
          await fetch(`${base}/v2/datasets/${id}`, { method: 'DELETE' });
        },
      ),
      { numRuns: 80 },
    );
  });
});
