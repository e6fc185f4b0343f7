import { describe, expect, it } from 'vitest';
import { Client, CookieConflict, Cookies, MockTransport, Response } from '../src/index.js';
import { httpServer } from './support/servers.js';

describe('cookies', () => {
  it('persists Set-Cookie by Path rules, sends them back and clears an expired one', async () => {
    const seen: Array<string | undefined> = [];
    await using server = await httpServer((req, res) => {
      seen.push(req.headers.cookie);
      if (req.url === '/login') {
        res.setHeader('Set-Cookie', [
          'a=1; Path=/',
          'b=2; Path=/sub',
          'c=3; Domain=other.com',
          'e=5; Max-Age=0',
        ]);
      }
      if (req.url === '/logout')
        res.setHeader('Set-Cookie', 'a=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
      res.end();
    });
    await using client = new Client({ baseUrl: server.url });
    await client.get('/login');
    await client.get('/');
    await client.get('/sub/x');
    await client.get('/logout');
    await client.get('/');
    expect(seen).toEqual([undefined, 'a=1', 'b=2; a=1', 'a=1', undefined]);
    expect(client.cookies.get('b')).toBe('2');
  });

  it('keeps host-only cookies off subdomains (RFC 6265, unlike HTTPX)', async () => {
    const sent: Record<string, string | null> = {};
    await using client = new Client({
      transport: new MockTransport((request) => {
        sent[request.url.host] = request.headers.get('cookie');
        return new Response(
          200,
          request.url.host === 'a.com' ? { headers: { 'Set-Cookie': 'h=1; Path=/' } } : {},
        );
      }),
    });
    await client.get('http://a.com/');
    await client.get('http://www.a.com/');
    await client.get('http://a.com/');
    expect(sent).toEqual({ 'a.com': 'h=1', 'www.a.com': null });
  });

  it('offers HTTPX Cookies operations', () => {
    const cookies = new Cookies({ plain: 'x' });
    cookies.set('n', '1', { domain: 'a.com' });
    cookies.set('n', '2', { domain: 'b.com' });
    expect(() => cookies.get('n')).toThrow(CookieConflict);
    expect(cookies.get('n', { domain: 'b.com' })).toBe('2');
    cookies.delete('n', { domain: 'a.com' });
    expect(cookies.get('n')).toBe('2');
    expect(cookies.headerFor(new URL('http://b.com/'))).toBe('plain=x; n=2');
    cookies.clear();
    expect(cookies.size).toBe(0);
  });
});
