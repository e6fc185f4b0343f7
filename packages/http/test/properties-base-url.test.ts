import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';

const SEED = 0xba5e;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

// One client; each run points its (settable) baseUrl elsewhere. buildRequest sends nothing.
const client = new Client();
afterAll(() => client.close());

function join(base: string, ref: string): URL {
  client.baseUrl = base;
  return client.buildRequest('GET', ref).url;
}

const SCHEME_PREFIX = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

const segment = fc.oneof(
  fc.constantFrom(
    'a',
    'api',
    'v1',
    '.',
    '..',
    '%2F',
    '%20',
    'x y',
    'é',
    'a:b',
    'a@b',
    '~u',
    'index.html',
    '',
  ),
  fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%"), minLength: 1, maxLength: 5 }),
);
const path = fc.array(segment, { maxLength: 4 }).map((segments) => segments.join('/'));
// An empty query ("?" alone) is dropped, where WHATWG keeps the bare "?": no query is sent either way.
const queryText = fc.string({ unit: fc.constantFrom(...'ab=&+%/? é'), minLength: 1, maxLength: 6 });
const optionalQuery = fc.option(queryText, { nil: undefined }).map((q) => (q === undefined ? '' : `?${q}`));
const optionalFragment = fc
  .option(fc.string({ unit: fc.constantFrom(...'ab#?/'), maxLength: 4 }), { nil: undefined })
  .map((f) => (f === undefined ? '' : `#${f}`));
const origin = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.constantFrom('', 'user:pass@'),
    fc.constantFrom('example.com', 'Sub.Example.org', '127.0.0.1', '[::1]'),
    fc.constantFrom('', ':8080', ':443', ':80'),
  )
  .map(([scheme, userinfo, host, port]) => `${scheme}://${userinfo}${host}${port}`);
const baseWithoutQuery = fc
  .tuple(origin, path, fc.boolean())
  .map(([o, p, slash]) => `${o}/${p}${slash && p !== '' ? '/' : ''}`);
const base = fc.tuple(baseWithoutQuery, optionalQuery).map(([b, q]) => b + q);
/** A relative-path reference (no scheme, no leading slash): path, query, fragment. */
const relative = fc
  .tuple(path, optionalQuery, optionalFragment)
  .map(([p, q, f]) => p + q + f)
  // WHATWG's parser trims surrounding spaces off a whole URL; we keep them, percent-encoded, as
  // HTTPX does, so the WHATWG comparisons leave such references out.
  .filter((ref) => !SCHEME_PREFIX.test(ref) && !ref.startsWith('/') && ref === ref.trim());

/** "A trailing / is implied" (design brief): the base as the client stores it. */
function withTrailingSlash(url: string): URL {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed;
}

describe('baseUrl joining (property-based)', () => {
  it('an absolute URL wins: the result is WHATWG new URL(ref, base) and new URL(ref)', () => {
    fc.assert(
      fc.property(base, origin, path, optionalQuery, optionalFragment, (b, o, p, q, f) => {
        const ref = `${o}/${p}${q}${f}`;
        expect(join(b, ref).href).toBe(new URL(ref, b).href);
        expect(join(b, ref).href).toBe(new URL(ref).href);
      }),
      run(300),
    );
  });

  it('a //host reference keeps its host and the base scheme, as WHATWG resolves it', () => {
    const host = fc.constantFrom('other.com', 'example.com:9', '10.0.0.1', '[2001:db8::1]:81', 'u:p@h.io');
    fc.assert(
      fc.property(base, host, path, optionalQuery, optionalFragment, (b, h, p, q, f) => {
        const ref = `//${h}/${p}${q}${f}`;
        expect(join(b, ref).href).toBe(new URL(ref, b).href);
      }),
      run(300),
    );
  });

  it('with a query-less base, a relative-path reference resolves as WHATWG does against base + "/"', () => {
    fc.assert(
      fc.property(baseWithoutQuery, relative, (b, ref) => {
        expect(join(b, ref).href).toBe(new URL(ref, withTrailingSlash(b)).href);
      }),
      run(500),
    );
  });

  it('a leading "/" is appended to the base path, not resolved from the root', () => {
    fc.assert(
      fc.property(base, relative, (b, ref) => {
        fc.pre(!ref.startsWith('/'));
        expect(join(b, `/${ref}`).href).toBe(join(b, ref).href);
        const joined = join(b, `/${ref}`);
        // Unless dot segments climb out of it, the result sits under the base path.
        if (!ref.split(/[/?#]/).some((s) => s === '..' || s === '%2e%2e' || s === '.%2e')) {
          expect(joined.pathname.startsWith(withTrailingSlash(b).pathname)).toBe(true);
        }
      }),
      run(400),
    );
  });

  it("a base query is kept in front of the reference's own; the fragment is the reference's", () => {
    fc.assert(
      fc.property(
        baseWithoutQuery,
        queryText,
        path,
        optionalQuery,
        optionalFragment,
        (b, baseQuery, p, q, f) => {
          fc.pre(!SCHEME_PREFIX.test(p) && !p.startsWith('/') && p === p.trimStart());
          const withQuery = `${b}?${baseQuery}`;
          const joined = join(withQuery, p + q + f);
          // The base's query as parsed (the parser trims trailing spaces, for one).
          const kept = new URL(withQuery).search.slice(1);
          const expected = new URL(p, withTrailingSlash(b));
          // The search setter drops one leading "?", so it gets one to drop.
          expected.search = `?${[kept, q.slice(1)].filter((part) => part !== '').join('&')}`;
          expected.hash = f;
          expect(joined.href).toBe(expected.href);
        },
      ),
      run(400),
    );
  });

  it('no relative reference changes scheme, host, port or userinfo, whatever its characters', () => {
    const nasty = fc
      .string({
        unit: fc.constantFrom('/', '\\', '.', '@', ':', '%', '?', '#', ' ', 'e', 'v', 'l', '5', 'C'),
        maxLength: 12,
      })
      .filter((ref) => !ref.startsWith('//') && !SCHEME_PREFIX.test(ref));
    fc.assert(
      fc.property(base, nasty, (b, ref) => {
        const expected = new URL(b);
        const joined = join(b, ref);
        expect([joined.protocol, joined.host, joined.username, joined.password]).toEqual([
          expected.protocol,
          expected.host,
          expected.username,
          expected.password,
        ]);
      }),
      run(600),
    );
  });

  it('regression: a backslash reference cannot become scheme-relative and leave the host', () => {
    // Found by the property above: with a base path of "/", "\\evil.com" was joined as "/\\evil.com",
    // which WHATWG reads as "//evil.com", so the request (and the client's auth) went to evil.com.
    expect(join('https://example.com', '\\evil.com').href).toBe('https://example.com/evil.com');
    expect(join('https://example.com/', '/\\evil.com/x').href).toBe('https://example.com/evil.com/x');
    expect(join('https://example.com', '\\/evil.com').href).toBe('https://example.com/evil.com');
    expect(join('https://example.com/api', '\\\\evil.com/x').href).toBe('https://example.com/api/evil.com/x');
  });

  it('regression: a base path starting with "//" keeps the base host', () => {
    // Found by the same property: "http://example.com//a" + "" resolved "//a/" as a reference, to host "a".
    expect(join('http://example.com//a', '').href).toBe('http://example.com//a/');
    expect(join('http://example.com//a', 'x?q=1').href).toBe('http://example.com//a/x?q=1');
  });
});
