// HTTPX tests/models/test_queryparams.py (0.28), case by case.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { QueryParams } from '../../../src/index.js';

describe('HTTPX tests/models/test_queryparams.py', () => {
  const sources = {
    string: 'a=123&a=456&b=789',
    object: { a: ['123', '456'], b: '789' },
    pairs: [
      ['a', '123'],
      ['a', '456'],
      ['b', '789'],
    ] as Array<[string, string]>,
    QueryParams: new QueryParams('a=123&a=456&b=789'),
  };
  for (const [kind, source] of Object.entries(sources)) {
    it(`test_queryparams[${kind}]`, () => {
      const q = new QueryParams(source);
      expect(q.has('a')).toBe(true);
      expect(q.has('A')).toBe(false);
      expect(q.has('c')).toBe(false);
      expect(q.get('a')).toBe('123');
      expect(q.get('nope')).toBeNull();
      expect(q.getList('a')).toEqual(['123', '456']);
      expect(q.keys()).toEqual(['a', 'b']);
      expect(q.values()).toEqual(['123', '789']);
      expect(q.entries()).toEqual([
        ['a', '123'],
        ['b', '789'],
      ]);
      expect([...q].map(([key]) => key)).toEqual(['a', 'b']);
      expect(q.multiItems()).toEqual([
        ['a', '123'],
        ['a', '456'],
        ['b', '789'],
      ]);
      expect(q.size).toBe(2);
      expect(String(q)).toBe('a=123&a=456&b=789');
      expect(inspect(q)).toBe("QueryParams('a=123&a=456&b=789')");
      expect(q.equals('a=123&b=789&a=456')).toBe(true);
      expect(q.equals({ b: '789', a: ['123', '456'] })).toBe(true);
    });
  }

  it('test_queryparam_types', () => {
    expect(String(new QueryParams(null))).toBe('');
    expect(String(new QueryParams({ a: true }))).toBe('a=true');
    expect(String(new QueryParams({ a: false }))).toBe('a=false');
    expect(String(new QueryParams({ a: '' }))).toBe('a=');
    expect(String(new QueryParams({ a: null }))).toBe('a=');
    expect(String(new QueryParams({ a: 1.23 }))).toBe('a=1.23');
    expect(String(new QueryParams({ a: 123 }))).toBe('a=123');
    expect(String(new QueryParams({ a: [1, 2] }))).toBe('a=1&a=2');
  });

  it('test_empty_query_params', () => {
    expect(String(new QueryParams({ a: '' }))).toBe('a=');
    expect(String(new QueryParams('a='))).toBe('a=');
    expect(String(new QueryParams('a'))).toBe('a=');
  });

  it('test_queryparam_set', () => {
    const q = new QueryParams('a=123');
    expect(q.set('a', '456').equals('a=456')).toBe(true);
    expect(String(q)).toBe('a=123');
  });

  it('test_queryparam_add', () => {
    expect(String(new QueryParams('a=123').add('a', '456'))).toBe('a=123&a=456');
  });

  it('test_queryparam_remove', () => {
    expect(String(new QueryParams('a=123').remove('a'))).toBe('');
  });

  it('test_queryparam_merge', () => {
    const q = new QueryParams('a=123');
    expect(String(q.merge({ b: '456' }))).toBe('a=123&b=456');
    expect(String(q.merge({ a: '456', b: '789' }))).toBe('a=456&b=789');
  });

  it('test_queryparams_are_hashable (an equal value, compared by content)', () => {
    expect(new QueryParams('a=123').equals(new QueryParams({ a: '123' }))).toBe(true);
    expect(new QueryParams('a=123').equals('a=124')).toBe(false);
  });
});
