// HTTPX tests/models/test_cookies.py (0.28), case by case.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CookieConflict, Cookies, Headers } from '../../../src/index.js';

describe('HTTPX tests/models/test_cookies.py', () => {
  it('test_cookies', () => {
    const cookies = new Cookies({ name: 'value' });
    expect(cookies.get('name')).toBe('value');
    expect(cookies.size).toBe(1);
    expect(Object.fromEntries(cookies)).toEqual({ name: 'value' });
    cookies.delete('name');
    expect(cookies.get('name')).toBeNull();
    expect(cookies.size).toBe(0);
    expect(Object.fromEntries(cookies)).toEqual({});
  });

  it('test_cookies_update', () => {
    const cookies = new Cookies();
    const more = new Cookies();
    more.set('name', 'value', { domain: 'example.com' });
    cookies.update(more);
    expect(Object.fromEntries(cookies)).toEqual({ name: 'value' });
    expect(cookies.get('name', { domain: 'example.com' })).toBe('value');
  });

  it('test_cookies_with_domain', () => {
    const cookies = new Cookies();
    cookies.set('name', 'value', { domain: 'example.com' });
    cookies.set('name', 'value', { domain: 'example.org' });
    // The same value on two domains still conflicts: which cookie would be meant?
    expect(() => cookies.get('name')).toThrow(CookieConflict);
    expect(() => cookies.get('name')).toThrow('Multiple cookies exist with name=name');
    cookies.clear({ domain: 'example.com' });
    expect(cookies.size).toBe(1);
    expect(cookies.get('name')).toBe('value');
  });

  it('test_cookies_with_domain_and_path', () => {
    const cookies = new Cookies();
    cookies.set('name', 'value', { domain: 'example.com', path: '/subpath/1' });
    cookies.set('name', 'value', { domain: 'example.com', path: '/subpath/2' });
    cookies.clear({ domain: 'example.com', path: '/subpath/1' });
    expect(cookies.size).toBe(1);
    cookies.delete('name', { domain: 'example.com', path: '/subpath/2' });
    expect(cookies.size).toBe(0);
  });

  it('test_multiple_set_cookie', () => {
    const headers = new Headers([
      [
        'Set-Cookie',
        '1P_JAR=2020-08-09-18; expires=Tue, 08-Sep-2099 18:33:35 GMT; path=/; domain=.example.org; Secure',
      ],
      [
        'Set-Cookie',
        'NID=204=KWdX; expires=Mon, 08-Feb-2099 18:33:35 GMT; path=/; domain=.example.org; HttpOnly',
      ],
    ]);
    const cookies = new Cookies();
    cookies.extract(new URL('https://www.example.org'), headers);
    expect(cookies.size).toBe(2);
    expect(cookies.get('NID')).toBe('204=KWdX');
  });

  it('test_cookies_can_be_a_list_of_tuples', () => {
    const pairs: Array<[string, string]> = [
      ['name1', 'val1'],
      ['name2', 'val2'],
    ];
    const cookies = new Cookies(pairs);
    expect([...cookies]).toHaveLength(2);
    for (const [name, value] of pairs) expect(cookies.get(name)).toBe(value);
  });

  it('test_cookies_repr (values are masked, on purpose)', () => {
    const cookies = new Cookies();
    cookies.set('foo', 'bar', { domain: 'blah.com' });
    cookies.set('fizz', 'buzz', { domain: 'hello.com' });
    expect(inspect(cookies)).toBe(
      'Cookies([<Cookie foo=[secure] for blah.com/ />, <Cookie fizz=[secure] for hello.com/ />])',
    );
  });
});
