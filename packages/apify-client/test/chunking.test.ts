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
        for (const payload of payloads) expect(byteLength(payload)).toBeLessThanOrEqual(limit);
        expect(payloads.flatMap((payload) => JSON.parse(payload) as unknown[])).toEqual(items);
        if (items.length === 0) expect(payloads).toEqual([]);
      }),
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
