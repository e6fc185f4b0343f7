// HTTPX tests/client/test_properties.py (0.28): the client's attributes convert what is assigned.
import { describe, expect, it } from 'vitest';
import {
  Client,
  Cookies,
  Headers,
  MockTransport,
  QueryParams,
  type Request,
  Response,
  Timeout,
  UsageError,
} from '../../../src/index.js';
import { httpServer } from '../../support/servers.js';

describe('HTTPX tests/client/test_properties.py', () => {
  it('test_client_base_url', () => {
    const client = new Client();
    client.baseUrl = 'https://www.example.org/';
    expect(client.baseUrl?.href).toBe('https://www.example.org/');
  });

  it('test_client_base_url_without_trailing_slash', () => {
    const client = new Client();
    client.baseUrl = 'https://www.example.org/path';
    expect(client.baseUrl?.href).toBe('https://www.example.org/path/');
  });

  it('test_client_base_url_with_trailing_slash', () => {
    const client = new Client();
    client.baseUrl = 'https://www.example.org/path/';
    expect(client.baseUrl?.href).toBe('https://www.example.org/path/');
  });

  it('test_client_headers', () => {
    const client = new Client();
    client.headers = { a: 'b' };
    expect(client.headers).toBeInstanceOf(Headers);
    expect(client.headers.get('A')).toBe('b');
    // As HTTPX, the defaults stay underneath what is assigned.
    expect(client.headers.get('accept')).toBe('*/*');
    client.headers.update({ c: 'd' });
    expect(client.headers.get('c')).toBe('d');
  });

  it('test_client_cookies', () => {
    const client = new Client();
    client.cookies = { a: 'b' };
    expect(client.cookies).toBeInstanceOf(Cookies);
    expect(client.cookies.list()).toEqual([{ name: 'a', value: 'b', domain: '', path: '/' }]);
  });

  it('test_client_timeout', () => {
    const client = new Client();
    client.timeout = 12000;
    expect(client.timeout).toBeInstanceOf(Timeout);
    expect(client.timeout.connect).toBe(12000);
    expect(client.timeout.read).toBe(12000);
    expect(client.timeout.write).toBe(12000);
    expect(client.timeout.pool).toBe(12000);
  });

  it('test_client_event_hooks', () => {
    const client = new Client();
    const onRequest = (_request: Request) => {};
    client.eventHooks = { request: [onRequest] };
    expect(client.eventHooks).toEqual({ request: [onRequest], response: [] });
  });

  it('test_client_trust_env', () => {
    expect(new Client().trustEnv).toBe(true);
    expect(new Client({ trustEnv: false }).trustEnv).toBe(false);
  });

  it('params assigned as a string become QueryParams (issue 12)', () => {
    const client = new Client();
    client.params = 'a=1&b=2';
    expect(client.params).toBeInstanceOf(QueryParams);
    expect(client.params.get('b')).toBe('2');
  });
});

describe('assigned attributes are used by every later request (issue 12: they threw TypeError)', () => {
  it('cookies, headers, params, timeout and event hooks assigned after construction reach a real server', async () => {
    await using server = await httpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, cookie: req.headers.cookie, x: req.headers['x-set'] }));
    });
    await using client = new Client({ trustEnv: false });
    const seen: string[] = [];
    client.cookies = { session: 'abc' };
    client.headers = { 'X-Set': 'yes' };
    client.params = 'page=2';
    client.timeout = 12000;
    client.eventHooks = {
      request: [(request) => void seen.push(`request ${request.method}`)],
      response: [(response) => void seen.push(`response ${response.statusCode}`)],
    };
    const response = await client.get(`${server.url}/p`);
    expect(response.json()).toEqual({ url: '/p?page=2', cookie: 'session=abc', x: 'yes' });
    expect(response.request.extensions.timeout).toEqual({
      connect: 12000,
      read: 12000,
      write: 12000,
      pool: 12000,
      total: null,
    });
    expect(seen).toEqual(['request GET', 'response 200']);
  });

  it('assigning something that cannot be converted is a UsageError at the assignment', () => {
    const client = new Client({ transport: new MockTransport(() => new Response(200)) });
    expect(() => {
      client.timeout = 'abc' as unknown as number;
    }).toThrow(UsageError);
    expect(() => {
      client.eventHooks = { request: ['nope' as unknown as () => void] };
    }).toThrow('eventHooks.request must be an array of functions, got an array');
    expect(() => {
      client.headers = { x: null } as unknown as Record<string, string>;
    }).toThrow('Invalid type for value of header "x": expected a string or number, got null');
  });
});
