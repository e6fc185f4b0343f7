// HTTPX tests/client/test_cookies.py (0.28).
import { describe, expect, it } from 'vitest';
import { Client, Cookies, MockTransport, Response } from '../../../src/index.js';

const echoCookies = new MockTransport((request) => {
  if (request.url.pathname === '/set_cookie') {
    return new Response(200, { headers: { 'set-cookie': 'example-name=example-value' } });
  }
  return new Response(200, { json: { cookies: request.headers.get('cookie') } });
});

describe('HTTPX tests/client/test_cookies.py', () => {
  it('test_set_cookie', async () => {
    await using client = new Client({ transport: echoCookies, cookies: { 'example-name': 'example-value' } });
    const response = await client.get('http://example.org/echo_cookies');
    expect(response.json()).toEqual({ cookies: 'example-name=example-value' });
  });

  it('test_set_cookie_with_cookies_model', async () => {
    const cookies = new Cookies();
    cookies.set('example-name', 'example-value');
    await using client = new Client({ transport: echoCookies });
    client.cookies = cookies;
    const response = await client.get('http://example.org/echo_cookies');
    expect(response.json()).toEqual({ cookies: 'example-name=example-value' });
  });

  it('test_get_cookie', async () => {
    await using client = new Client({ transport: echoCookies });
    const response = await client.get('http://example.org/set_cookie');
    expect(response.cookies.get('example-name')).toBe('example-value');
    expect(client.cookies.get('example-name')).toBe('example-value');
  });

  it('test_cookie_persistence', async () => {
    await using client = new Client({ transport: echoCookies });
    expect((await client.get('http://example.org/echo_cookies')).json()).toEqual({ cookies: null });
    await client.get('http://example.org/set_cookie');
    expect((await client.get('http://example.org/echo_cookies')).json()).toEqual({
      cookies: 'example-name=example-value',
    });
  });

  it('test_set_cookie_with_cookiejar / test_setting_client_cookies_to_cookiejar (our jar is Cookies.jar)', async () => {
    const cookies = new Cookies();
    cookies.jar.setCookieSync(
      'example-name=example-value; Domain=example.org; Path=/',
      'http://example.org/',
    );
    await using client = new Client({ transport: echoCookies, cookies });
    expect((await client.get('http://example.org/echo_cookies')).json()).toEqual({
      cookies: 'example-name=example-value',
    });
  });
});
