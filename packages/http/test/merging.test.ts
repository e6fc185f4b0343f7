import { describe, expect, it } from 'vitest';
import { Client, MockTransport, Response } from '../src/index.js';
import { echo, httpServer } from './support/servers.js';

describe('merging client and request configuration', () => {
  it('combines headers, params and cookies, the request winning per key', async () => {
    await using server = await httpServer(echo);
    await using client = new Client({
      headers: { 'X-Auth': 'from-client', 'X-Both': 'client' },
      params: { client_id: 'client1', both: 'client' },
      cookies: { session: 'c', shared: 'client' },
    });
    const response = await client.get(`${server.url}/p`, {
      headers: { 'X-Custom': 'from-request', 'X-Both': 'request' },
      params: { request_id: 'request1', both: 'request' },
      cookies: { shared: 'request' },
    });
    const { url, headers } = response.json<{ url: string; headers: string[] }>();
    expect(url).toBe('/p?client_id=client1&request_id=request1&both=request');
    const get = (name: string) =>
      headers[headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1];
    expect(get('x-auth')).toBe('from-client');
    expect(get('x-custom')).toBe('from-request');
    expect(get('x-both')).toBe('request');
    expect(get('cookie')).toBe('session=c; shared=request');
  });

  it('appends params to the query already in the URL', async () => {
    await using server = await httpServer(echo);
    await using client = new Client({ baseUrl: server.url });
    const response = await client.get('/p?c=3', { params: { b: 2 } });
    expect(response.json<{ url: string }>().url).toBe('/p?c=3&b=2');
    expect(response.request.url.search).toBe('?c=3&b=2');
  });

  it('lets the request override other options (auth)', async () => {
    const seen: string[] = [];
    await using client = new Client({
      auth: ['tom', 'mot123'],
      transport: new MockTransport((request) => {
        seen.push(request.headers.get('authorization') ?? '');
        return new Response(200);
      }),
    });
    await client.get('http://example.com/', { auth: ['alice', 'ecila123'] });
    expect(Buffer.from((seen[0] as string).split(' ')[1] as string, 'base64').toString()).toBe(
      'alice:ecila123',
    );
  });
});

describe('baseUrl', () => {
  const cases: Array<[string, string, string]> = [
    ['https://www.example.com/some/path', '/testing/123', 'https://www.example.com/some/path/testing/123'],
    ['https://www.example.com/some/path', '../testing/123', 'https://www.example.com/some/testing/123'],
    ['https://www.example.com/some/path', '/testing:123', 'https://www.example.com/some/path/testing:123'],
    ['https://www.example.com/', '/testing%2F123', 'https://www.example.com/testing%2F123'],
    ['https://www.example.com/base%2Fpath', '/testing', 'https://www.example.com/base%2Fpath/testing'],
    ['https://e.com/api', '', 'https://e.com/api/'],
    ['https://e.com/api', '/users', 'https://e.com/api/users'],
    ['https://e.com/api', 'https://other.com/x', 'https://other.com/x'],
    ['https://e.com/api?k=v', '/a', 'https://e.com/api/a?k=v'],
    ['https://e.com/api?k=v', '/a?b=1', 'https://e.com/api/a?k=v&b=1'],
    ['https://e.com/api', '//other.com/x', 'https://other.com/x'],
    ['http://httpbin.org', '/headers', 'http://httpbin.org/headers'],
  ];
  it.each(cases)('%s + %j → %s', (base, url, expected) => {
    const client = new Client({ baseUrl: base });
    expect(client.buildRequest('GET', url).url.href).toBe(expected);
  });
});
