import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryParams } from '../src/index.js';

const SEED = 0x9a7a;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

type Pair = [string, string];

// Text that stresses form encoding: the delimiters, '+', '%', spaces, '?', '#', and any Unicode
// (astral characters included), mixed with plain letters.
const special = fc.constantFrom(
  '&',
  '=',
  '+',
  '%',
  ' ',
  '?',
  '#',
  '%20',
  '%2',
  '~',
  '*',
  "'",
  '/',
  'a',
  'Z',
  '0',
);
const text = fc
  .array(fc.oneof(special, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 6 })
  .map((parts) => parts.join(''));
// A small key alphabet makes repeated keys, and keys shared by two multimaps, common.
const key = fc.oneof(fc.constantFrom('a', 'b', 'a b', 'é', '&', ''), text);
const multimap = fc.array(fc.tuple(key, text), { maxLength: 10 });

/** WHATWG keeps '*' and encodes '~'; Python's urlencode (and we) do the reverse. Everything else agrees. */
const canonical = (encoded: string) => encoded.replace(/%2A/g, '*').replace(/%7E/g, '~');

// Any UTF-16 text, lone surrogates included (JS strings may hold them; fast-check's units never do).
const utf16 = fc
  .array(
    fc.oneof(
      special,
      // Any code point (fast-check's own 'binary' unit takes seconds to set up).
      fc.string({
        unit: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
        maxLength: 3,
      }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));

describe('QueryParams (property-based)', () => {
  it('parse(serialize(x)) == x, order and repeats kept', () => {
    fc.assert(
      fc.property(multimap, (pairs) => {
        const params = new QueryParams(pairs);
        expect(params.multiItems()).toEqual(pairs);
        expect(new QueryParams(params.toString()).multiItems()).toEqual(pairs);
        expect(new QueryParams(`?${params.toString()}`).multiItems()).toEqual(pairs);
      }),
      run(400),
    );
  });

  it('serializes as URLSearchParams does, but for "*" and "~" (Python urlencode, on purpose)', () => {
    fc.assert(
      fc.property(multimap, (pairs) => {
        const ours = new QueryParams(pairs).toString();
        expect(canonical(ours)).toBe(canonical(new URLSearchParams(pairs).toString()));
        // Both write a space as '+', never '%20', and leave no raw '&', '=', '+' or '%' inside a pair.
        expect(ours).not.toMatch(/%20/);
        for (const piece of ours === '' ? [] : ours.split('&')) expect(piece.split('=')).toHaveLength(2);
      }),
      run(300),
    );
  });

  it('parses any query string as URLSearchParams does', () => {
    // Leading '?'s are where a prefix strip can go wrong, so they get their own chance.
    const query = fc
      .tuple(fc.constantFrom('', '?', '??', '?&'), utf16)
      .map(([prefix, rest]) => prefix + rest);
    fc.assert(
      fc.property(query, (input) => {
        expect(new QueryParams(input).multiItems()).toEqual([...new URLSearchParams(input)]);
      }),
      run(400),
    );
  });

  it('regression: a value with a lone surrogate serializes as URLSearchParams does (U+FFFD), no URIError', () => {
    expect(new QueryParams([['a', '\ud800']]).toString()).toBe('a=%EF%BF%BD');
    expect(new QueryParams([['\udc00x', 'y\ud83d']]).toString()).toBe(
      new URLSearchParams('\ufffdx=y\ufffd').toString(),
    );
  });

  it('regression: only one leading "?" is a query prefix ("??a=1" has the key "?a")', () => {
    expect(new QueryParams('??a=1').multiItems()).toEqual([['?a', '1']]);
  });

  it('lone surrogates anywhere: serialization matches URLSearchParams, never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(utf16, utf16), { maxLength: 5 }), (pairs) => {
        expect(canonical(new QueryParams(pairs).toString())).toBe(
          canonical(new URLSearchParams(pairs).toString()),
        );
      }),
      run(300),
    );
  });

  it('add appends; remove drops every value of a key; neither touches the original', () => {
    fc.assert(
      fc.property(multimap, key, text, (pairs, k, v) => {
        const params = new QueryParams(pairs);
        expect(params.add(k, v).multiItems()).toEqual([...pairs, [k, v]]);
        const removed = params.remove(k);
        expect(removed.multiItems()).toEqual(pairs.filter(([pk]) => pk !== k));
        expect(removed.has(k)).toBe(false);
        expect(removed.getList(k)).toEqual([]);
        expect(params.multiItems()).toEqual(pairs);
      }),
      run(300),
    );
  });

  it('set puts one value where the key first was (or at the end) and drops its other values', () => {
    fc.assert(
      fc.property(multimap, key, text, (pairs, k, v) => {
        const first = pairs.findIndex(([pk]) => pk === k);
        const expected = pairs.flatMap(([pk, pv], i): Pair[] => {
          if (pk !== k) return [[pk, pv]];
          return i === first ? [[k, v]] : [];
        });
        if (first === -1) expected.push([k, v]);
        const set = new QueryParams(pairs).set(k, v);
        expect(set.multiItems()).toEqual(expected);
        expect(set.get(k)).toBe(v);
        expect(set.getList(k)).toEqual([v]);
      }),
      run(300),
    );
  });

  it('get, getList, has, keys and size agree with the pairs', () => {
    fc.assert(
      fc.property(multimap, key, (pairs, k) => {
        const params = new QueryParams(pairs);
        const values = pairs.filter(([pk]) => pk === k).map(([, pv]) => pv);
        expect(params.getList(k)).toEqual(values);
        expect(params.get(k)).toBe(values[0] ?? null);
        expect(params.has(k)).toBe(values.length > 0);
        const keys = [...new Set(pairs.map(([pk]) => pk))];
        expect(params.keys()).toEqual(keys);
        expect(params.size).toBe(keys.length);
        expect(params.isEmpty).toBe(pairs.length === 0);
      }),
      run(300),
    );
  });

  it('merge: empty is the identity on both sides; the right side replaces each key it has', () => {
    fc.assert(
      fc.property(multimap, multimap, (left, right) => {
        const l = new QueryParams(left);
        const r = new QueryParams(right);
        expect(l.merge(new QueryParams()).multiItems()).toEqual(left);
        expect(l.merge(null).multiItems()).toEqual(left);
        expect(new QueryParams().merge(r).multiItems()).toEqual(right);
        const replaced = new Set(right.map(([k]) => k));
        // HTTPX merges dicts, which keeps a replaced key at the left's position; we move it after
        // the kept keys. Values and per-key order are the same either way.
        const merged = l.merge(r);
        expect(merged.multiItems()).toEqual([...left.filter(([k]) => !replaced.has(k)), ...right]);
        for (const k of new Set([...left, ...right].map(([pk]) => pk))) {
          expect(merged.getList(k)).toEqual(replaced.has(k) ? r.getList(k) : l.getList(k));
        }
        expect(l.multiItems()).toEqual(left);
        // Merging through the string form gives the same result.
        expect(l.merge(r.toString()).multiItems()).toEqual(merged.multiItems());
      }),
      run(300),
    );
  });

  it('equals ignores order but not multiplicity', () => {
    fc.assert(
      fc.property(
        multimap.chain((pairs) =>
          fc.tuple(fc.constant(pairs), fc.shuffledSubarray(pairs, { minLength: pairs.length })),
        ),
        ([pairs, shuffled]) => {
          expect(new QueryParams(pairs).equals(new QueryParams(shuffled))).toBe(true);
          if (pairs.length > 0)
            expect(new QueryParams(pairs).equals(new QueryParams(pairs.slice(1)))).toBe(false);
        },
      ),
      run(200),
    );
  });
});
