import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Headers, LocalProtocolError, QueryParams } from '../src/index.js';

describe('Headers', () => {
  it('joins repeated fields with ", " and keeps order and case', () => {
    const h = new Headers([
      ['a', '123'],
      ['a', '456'],
      ['b', '789'],
    ]);
    expect(h.get('A')).toBe('123, 456');
    expect(h.values()).toEqual(['123, 456', '789']);
    expect(h.keys()).toEqual(['a', 'b']);
    expect(h.multiItems()).toEqual([
      ['a', '123'],
      ['a', '456'],
      ['b', '789'],
    ]);
    expect(h.equals({ a: '123', A: '456', b: '789' })).toBe(true);
    expect(
      h.equals(
        new Headers([
          ['A', '456'],
          ['b', '789'],
          ['a', '123'],
        ]),
      ),
    ).toBe(true);
  });

  it('sets in place, keeping the position of the first occurrence', () => {
    const h = new Headers([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['B', '4'],
    ]);
    h.set('b', '123');
    expect(h.raw).toEqual([
      ['a', '1'],
      ['b', '123'],
      ['c', '3'],
    ]);
  });

  it('splits comma-separated values on request', () => {
    const h = new Headers([
      ['vary', 'a, b'],
      ['vary', 'c'],
    ]);
    expect(h.getList('Vary', { splitCommas: true })).toEqual(['a', 'b', 'c']);
    expect(h.getList('Vary')).toEqual(['a, b', 'c']);
  });

  it('masks credentials in inspect, toString and JSON', () => {
    const h = new Headers({
      Authorization: 'Bearer sekrit-token',
      'Proxy-Authorization': 'Basic cGFzcw==',
      X: 'y',
    });
    for (const text of [inspect(h), String(h), JSON.stringify(h)]) {
      expect(text).not.toContain('sekrit');
      expect(text).not.toContain('cGFzcw');
      expect(text).toContain('[secure]');
    }
    expect(h.get('authorization')).toBe('Bearer sekrit-token');
  });

  it.each([
    ['x', 'a\r\nInjected: 1'],
    ['x', 'a\nb'],
    ['x', 'a\0b'],
    ['bad name', 'v'],
    ['x\r\n', 'v'],
  ])('rejects %j: %j with LocalProtocolError', (name, value) => {
    expect(() => new Headers({ [name]: value })).toThrow(LocalProtocolError);
  });
});

describe('QueryParams', () => {
  it('is an immutable multidict', () => {
    const q = new QueryParams('a=123&b=456');
    const merged = q.merge({ a: '000', c: '789' });
    expect(merged.toString()).toBe('b=456&a=000&c=789');
    expect(q.toString()).toBe('a=123&b=456');
    expect(q.add('a', 'x').getList('a')).toEqual(['123', 'x']);
    expect(q.set('a', true).toString()).toBe('a=true&b=456');
    expect(q.remove('a').toString()).toBe('b=456');
    expect(new QueryParams({ a: 123 }).equals('a=123')).toBe(true);
    expect(() => {
      (q as unknown as { x: number }).x = 1;
    }).toThrow(TypeError);
  });

  it('encodes like application/x-www-form-urlencoded', () => {
    expect(new QueryParams({ u: 'with%20spaces', s: 'a b/c', t: true, n: null }).toString()).toBe(
      'u=with%2520spaces&s=a+b%2Fc&t=true&n=',
    );
  });
});
