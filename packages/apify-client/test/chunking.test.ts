import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkItems } from '../src/resources/dataset.js';
import { splitBatches } from '../src/resources/request-queue.js';

const byteLength = (text: string) => new TextEncoder().encode(text).byteLength;
const item = fc.record({ n: fc.integer(), s: fc.string({ unit: 'grapheme', maxLength: 60 }) });

describe('payload chunking (property-based)', () => {
  it('pushItems payloads keep every item, in order, each payload within the limit', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 80 }), fc.integer({ min: 300, max: 2000 }), (items, limit) => {
        const payloads = chunkItems(items, limit);
        for (const payload of payloads) expect(payload.byteLength).toBeLessThanOrEqual(limit);
        const texts = payloads.map((payload) => new TextDecoder().decode(payload));
        expect(texts.flatMap((text) => JSON.parse(text) as unknown[])).toEqual(items);
        if (items.length === 0) expect(payloads).toEqual([]);
      }),
    );
  });

  it('payloads are greedy: each ends where the next item would not fit, also when packed in blocks', () => {
    const one = (value: unknown) => byteLength(JSON.stringify(value));
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 200, maxLength: 1500 }),
        fc.integer({ min: 500, max: 20_000 }),
        (items, limit) => {
          const payloads = chunkItems(items, limit);
          const texts = payloads.map((payload) => new TextDecoder().decode(payload));
          const parsed = texts.map((text) => JSON.parse(text) as unknown[]);
          expect(parsed.flat()).toEqual(items);
          for (const [k, payload] of payloads.entries()) {
            expect(payload.byteLength).toBeLessThanOrEqual(limit);
            // The item-by-item definition: '[' + items joined by ',' + ']'.
            expect(texts[k]).toBe(`[${(parsed[k] ?? []).map((x) => JSON.stringify(x)).join(',')}]`);
            const next = parsed[k + 1]?.[0];
            if (next !== undefined) expect(payload.byteLength + 1 + one(next)).toBeGreaterThan(limit);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a bad item is named by its index, whichever path packs the items', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ i }));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => chunkItems([...many, { n: 1n }], 4000)).toThrow(
      'Dataset item at index 500 cannot be serialized to JSON: Do not know how to serialize a BigInt',
    );
    expect(() => chunkItems([...many.slice(0, 7), circular, ...many], 4000)).toThrow(
      /^Dataset item at index 7 cannot be serialized to JSON: Converting circular structure to JSON/,
    );
    expect(() => chunkItems([...many, { toJSON: () => undefined }], 4000)).toThrow(
      'Dataset item at index 500 cannot be serialized to JSON: it is an object',
    );
    expect(() => chunkItems([...many, 5], 4000)).toThrow(
      'Dataset item at index 500 is not an object or a string',
    );
    expect(() => chunkItems([...many, { big: 'x'.repeat(5000) }, { n: 1n }], 4000)).toThrow(
      'Dataset item at index 500 is 5010 bytes, over the payload limit of 4000 bytes',
    );
  });

  it('an item over the limit throws before anything is produced', () => {
    expect(() => chunkItems([{ a: 1 }, { big: 'x'.repeat(100) }], 50)).toThrow(
      /index 1 .* over the payload limit of 50 bytes/,
    );
  });

  it('request batches hold ≤ 25 requests within the byte limit, in order', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 120 }),
        fc.integer({ min: 300, max: 5000 }),
        (requests, limit) => {
          const batches = splitBatches(requests, limit);
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(25);
            expect(byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(limit);
          }
          expect(batches.flat()).toEqual(requests);
        },
      ),
    );
  });
});
