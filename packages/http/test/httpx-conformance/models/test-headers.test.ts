// HTTPX tests/models/test_headers.py (0.28), case by case, plus the header items of issue 12.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Client, Headers, MockTransport, Response, UsageError } from '../../../src/index.js';

const raw = (pairs: Array<[string, Buffer]>) =>
  Headers.fromRaw(pairs.flatMap(([n, v]) => [Buffer.from(n), v]));

describe('HTTPX tests/models/test_headers.py', () => {
  it('test_headers', () => {
    const h = new Headers([
      ['a', '123'],
      ['a', '456'],
      ['b', '789'],
    ]);
    expect([h.has('a'), h.has('A'), h.has('b'), h.has('B'), h.has('c')]).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(h.get('a')).toBe('123, 456');
    expect(h.get('nope')).toBeNull();
    expect(h.getList('a')).toEqual(['123', '456']);
    expect(h.keys()).toEqual(['a', 'b']);
    expect(h.values()).toEqual(['123, 456', '789']);
    expect(h.entries()).toEqual([
      ['a', '123, 456'],
      ['b', '789'],
    ]);
    expect([...h].map(([name]) => name)).toEqual(['a', 'b']);
    expect(h.multiItems()).toEqual([
      ['a', '123'],
      ['a', '456'],
      ['b', '789'],
    ]);
    expect(
      h.equals([
        ['a', '123'],
        ['b', '789'],
        ['a', '456'],
      ]),
    ).toBe(true);
    expect(
      h.equals([
        ['a', '123'],
        ['A', '456'],
        ['b', '789'],
      ]),
    ).toBe(true);

    const d = new Headers({ a: '123', b: '789' });
    expect(d.get('A')).toBe('123');
    expect(d.get('B')).toBe('789');
    expect(d.raw).toEqual([
      ['a', '123'],
      ['b', '789'],
    ]);
  });

  it('test_header_mutations', () => {
    const h = new Headers();
    expect(h.entries()).toEqual([]);
    h.set('a', '1');
    expect(h.entries()).toEqual([['a', '1']]);
    h.set('a', '2');
    expect(h.entries()).toEqual([['a', '2']]);
    if (!h.has('a')) h.set('a', '3');
    expect(h.entries()).toEqual([['a', '2']]);
    if (!h.has('b')) h.set('b', '4');
    expect(h.entries()).toEqual([
      ['a', '2'],
      ['b', '4'],
    ]);
    h.delete('a');
    expect(h.raw).toEqual([['b', '4']]);
  });

  it('test_copy_headers_method', () => {
    const headers = new Headers({ custom: 'example' });
    const copy = headers.copy();
    expect(copy.equals(headers)).toBe(true);
    expect(copy).not.toBe(headers);
  });

  it('test_copy_headers_init', () => {
    const headers = new Headers({ custom: 'example' });
    expect(new Headers(headers).equals(headers)).toBe(true);
  });

  it('test_headers_insert_retains_ordering', () => {
    const headers = new Headers({ a: 'a', b: 'b', c: 'c' });
    headers.set('b', '123');
    expect(headers.values()).toEqual(['a', '123', 'c']);
  });

  it('test_headers_insert_appends_if_new', () => {
    const headers = new Headers({ a: 'a', b: 'b', c: 'c' });
    headers.set('d', '123');
    expect(headers.values()).toEqual(['a', 'b', 'c', '123']);
  });

  it('test_headers_insert_removes_all_existing', () => {
    const headers = new Headers([
      ['a', '123'],
      ['a', '456'],
    ]);
    headers.set('a', '789');
    expect(headers.entries()).toEqual([['a', '789']]);
  });

  it('test_headers_delete_removes_all_existing', () => {
    const headers = new Headers([
      ['a', '123'],
      ['a', '456'],
    ]);
    headers.delete('a');
    expect(headers.entries()).toEqual([]);
  });

  it('test_headers_decode_ascii', () => {
    const headers = raw([['Custom', Buffer.from('Example')]]);
    expect(headers.entries()).toEqual([['custom', 'Example']]);
    expect(headers.encoding).toBe('ascii');
  });

  it('test_headers_decode_utf_8', () => {
    const headers = raw([['Custom', Buffer.from('Code point: ☃', 'utf8')]]);
    expect(headers.entries()).toEqual([['custom', 'Code point: ☃']]);
    expect(headers.encoding).toBe('utf-8');
  });

  it('test_headers_decode_iso_8859_1', () => {
    const headers = raw([['Custom', Buffer.from('Code point: ÿ', 'latin1')]]);
    expect(headers.entries()).toEqual([['custom', 'Code point: ÿ']]);
    expect(headers.encoding).toBe('iso-8859-1');
  });

  it('test_headers_decode_explicit_encoding', () => {
    const headers = raw([['Custom', Buffer.from('Code point: ☃', 'utf8')]]);
    headers.encoding = 'iso-8859-1';
    expect(headers.entries()).toEqual([['custom', 'Code point: â\x98\x83']]);
    expect(headers.encoding).toBe('iso-8859-1');
  });

  it('test_multiple_headers', () => {
    const cookies = new Headers([
      ['set-cookie', 'a, b'],
      ['set-cookie', 'c'],
    ]);
    expect(cookies.getList('Set-Cookie')).toEqual(['a, b', 'c']);
    const vary = new Headers([
      ['vary', 'a, b'],
      ['vary', 'c'],
    ]);
    expect(vary.getList('Vary', { splitCommas: true })).toEqual(['a', 'b', 'c']);
  });

  it('test_sensitive_headers (inspect output masks them)', () => {
    const headers = new Headers({ Authorization: 'Bearer s3cret', 'Proxy-Authorization': 'Basic x' });
    const shown = inspect(headers);
    expect(shown).not.toContain('s3cret');
    expect(headers.toJSON()).toEqual({ authorization: '[secure]', 'proxy-authorization': '[secure]' });
  });

  it('test_parse_header_links', () => {
    const links = (value: string) => new Response(200, { headers: { Link: value } }).links;
    expect(links('<http:/.../front.jpeg>; rel=front; type="image/jpeg"')).toEqual({
      front: { url: 'http:/.../front.jpeg', rel: 'front', type: 'image/jpeg' },
    });
    expect(links('<http:/.../front.jpeg>')).toEqual({
      'http:/.../front.jpeg': { url: 'http:/.../front.jpeg' },
    });
    expect(links('<http:/.../front.jpeg>;')).toEqual({
      'http:/.../front.jpeg': { url: 'http:/.../front.jpeg' },
    });
    expect(links('<http:/.../front.jpeg>; type="image/jpeg",<http://.../back.jpeg>;')).toEqual({
      'http:/.../front.jpeg': { url: 'http:/.../front.jpeg', type: 'image/jpeg' },
      'http://.../back.jpeg': { url: 'http://.../back.jpeg' },
    });
    expect(links('')).toEqual({});
  });

  it('test_parse_header_links_no_link', () => {
    expect(new Response(200).links).toEqual({});
  });

  it('equals() is false for what cannot be headers, as HTTPX Headers.__eq__ (issue 12: it threw)', () => {
    const headers = new Headers({ a: '1' });
    expect(headers.equals('a string')).toBe(false);
    expect(headers.equals(42)).toBe(false);
    expect(headers.equals(null)).toBe(false);
  });
});

describe('header values HTTPX refuses (normalize_header_value raises TypeError)', () => {
  it('a null or object value is a UsageError naming the header, before anything is sent', async () => {
    let sent = 0;
    await using client = new Client({
      transport: new MockTransport(() => {
        sent += 1;
        return new Response(200);
      }),
    });
    for (const value of [null, { a: 1 }, ['ok', {}]]) {
      const headers = { 'X-Bad': value } as unknown as Record<string, string>;
      await expect(client.get('http://example.org/', { headers })).rejects.toThrow(UsageError);
      await expect(client.get('http://example.org/', { headers })).rejects.toThrow(
        /Invalid type for value of header "X-Bad": expected a string or number, got (null|an object)/,
      );
    }
    expect(() => new Headers({ x: null } as unknown as Record<string, string>)).toThrow(
      'Invalid type for value of header "x": expected a string or number, got null',
    );
    expect(sent).toBe(0);
  });
});
