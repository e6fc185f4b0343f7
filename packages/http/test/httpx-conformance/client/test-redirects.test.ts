// HTTPX tests/client/test_redirects.py (0.28), first cases: status codes, methods and history.
import { describe, expect, it } from 'vitest';
import {
  BaseTransport,
  Client,
  MockTransport,
  type Request,
  Response,
  StreamConsumed,
  TooManyRedirects,
  UnsupportedProtocol,
} from '../../../src/index.js';

function redirects(request: Request): Response {
  const path = request.url.pathname;
  if (path === '/redirect_301') return new Response(301, { headers: { location: 'https://example.org/' } });
  if (path === '/redirect_302') return new Response(302, { headers: { location: 'https://example.org/' } });
  if (path === '/redirect_303') return new Response(303, { headers: { location: 'https://example.org/' } });
  if (path === '/relative_redirect') return new Response(303, { headers: { location: '/' } });
  if (path === '/no_scheme_redirect') return new Response(303, { headers: { location: '//example.org/' } });
  if (path === '/multiple_redirects') {
    const count = Number(request.url.searchParams.get('count') ?? '0');
    if (count === 0) return new Response(200);
    const location = count > 1 ? `/multiple_redirects?count=${count - 1}` : '/multiple_redirects';
    return new Response(303, { headers: { location } });
  }
  if (path === '/redirect_loop') return new Response(303, { headers: { location: '/redirect_loop' } });
  if (path === '/cross_domain')
    return new Response(303, { headers: { location: 'https://example.org/cross_domain_target' } });
  if (path === '/cross_domain_target')
    return new Response(200, { json: { authorization: request.headers.get('authorization') ?? null } });
  if (path === '/redirect_301_body')
    return new Response(301, {
      headers: { location: 'https://example.org/' },
      content: "<a href='https://example.org/'>here</a>",
    });
  if (path === '/cross_subdomain' && request.url.host !== 'www.example.org')
    return new Response(308, { headers: { location: 'https://www.example.org/cross_subdomain' } });
  if (path === '/redirect_custom_scheme')
    return new Response(301, { headers: { location: 'market://details?id=42' } });
  if (path === '/malformed_redirect') return new Response(303, { headers: { location: 'https://:443/' } });
  if (path === '/invalid_redirect') return new Response(303, { headers: { location: 'https://😇/' } });
  if (path === '/redirect_body') return new Response(308, { headers: { location: '/redirect_body_target' } });
  if (path === '/redirect_no_body')
    return new Response(303, { headers: { location: '/redirect_body_target' } });
  return new Response(200, { text: request.method === 'HEAD' ? '' : 'Hello, world!' });
}

/** HTTPX's ConsumeBodyTransport: iterates the request body as a network transport does, without keeping it. */
class ConsumeBodyTransport extends BaseTransport {
  override async handleRequest(request: Request): Promise<Response> {
    for await (const _chunk of request.body?.stream() ?? []);
    return redirects(request);
  }
}

const client = () => new Client({ transport: new MockTransport(redirects), followRedirects: true });

describe('HTTPX tests/client/test_redirects.py', () => {
  it('test_redirect_301', async () => {
    await using c = client();
    const response = await c.post('https://example.org/redirect_301');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.history.length).toBe(1);
  });

  it('test_redirect_302', async () => {
    await using c = client();
    const response = await c.post('https://example.org/redirect_302');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.history.length).toBe(1);
  });

  it('test_redirect_303', async () => {
    await using c = client();
    const response = await c.get('https://example.org/redirect_303');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.history.length).toBe(1);
  });

  it('test_head_redirect', async () => {
    await using c = client();
    const response = await c.head('https://example.org/redirect_302');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.request.method).toBe('HEAD');
    expect(response.history.length).toBe(1);
    expect(response.text).toBe('');
  });

  it('test_relative_redirect', async () => {
    await using c = client();
    const response = await c.get('https://example.org/relative_redirect');
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.history.length).toBe(1);
  });

  it('test_no_scheme_redirect', async () => {
    await using c = client();
    const response = await c.get('https://example.org/no_scheme_redirect');
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.history.length).toBe(1);
  });

  it('test_multiple_redirects', async () => {
    await using c = client();
    const response = await c.get('https://example.org/multiple_redirects?count=20');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://example.org/multiple_redirects');
    expect(response.history.length).toBe(20);
    expect(String(response.history[0]?.url)).toBe('https://example.org/multiple_redirects?count=20');
    expect(String(response.history[1]?.url)).toBe('https://example.org/multiple_redirects?count=19');
  });

  it('test_too_many_redirects', async () => {
    await using c = client();
    await expect(c.get('https://example.org/multiple_redirects?count=21')).rejects.toThrow(TooManyRedirects);
  });

  it('test_redirect_loop', async () => {
    await using c = client();
    await expect(c.get('https://example.org/redirect_loop')).rejects.toThrow(TooManyRedirects);
  });

  it('test_cross_domain_redirect_with_auth_header', async () => {
    await using c = client();
    const response = await c.get('https://example.com/cross_domain', { headers: { authorization: 'abc' } });
    expect(String(response.url)).toBe('https://example.org/cross_domain_target');
    expect(response.json()).toEqual({ authorization: null });
  });

  it('test_cross_domain_redirect_with_auth', async () => {
    await using c = client();
    const response = await c.get('https://example.com/cross_domain', { auth: ['user', 'pass'] });
    expect(String(response.url)).toBe('https://example.org/cross_domain_target');
    expect(response.json()).toEqual({ authorization: null });
  });

  it('test_same_domain_redirect', async () => {
    await using c = client();
    const response = await c.get('https://example.org/cross_domain', { headers: { authorization: 'abc' } });
    expect(String(response.url)).toBe('https://example.org/cross_domain_target');
    expect(response.json()).toEqual({ authorization: 'abc' });
  });

  it('test_fragment_redirect', async () => {
    await using c = client();
    const response = await c.get('https://example.org/relative_redirect#fragment');
    expect(String(response.url)).toBe('https://example.org/#fragment');
    expect(response.history.length).toBe(1);
  });

  // The target echoes what arrived, so the body seen after the redirect is checked on the request side.
  async function bodyAfter(path: string): Promise<{ method: string; body: string; length: string | null }> {
    const seen: { method: string; body: string; length: string | null }[] = [];
    await using c = new Client({
      followRedirects: true,
      transport: new MockTransport(async (request) => {
        if (request.url.pathname !== '/redirect_body_target') return redirects(request);
        seen.push({
          method: request.method,
          body: new TextDecoder().decode(await request.read()),
          length: request.headers.get('content-length'),
        });
        return new Response(200);
      }),
    });
    await c.post(`https://example.org${path}`, { content: 'Example request body' });
    const [only] = seen;
    if (only === undefined) throw new Error('target not reached');
    return only;
  }

  it('test_body_redirect', async () => {
    expect(await bodyAfter('/redirect_body')).toEqual({
      method: 'POST',
      body: 'Example request body',
      length: '20',
    });
  });

  it('test_no_body_redirect', async () => {
    expect(await bodyAfter('/redirect_no_body')).toEqual({ method: 'GET', body: '', length: null });
  });

  it('test_cross_subdomain_redirect', async () => {
    await using c = client();
    const response = await c.get('https://example.com/cross_subdomain');
    expect(String(response.url)).toBe('https://www.example.org/cross_subdomain');
  });

  it('test_redirect_custom_scheme', async () => {
    await using c = client();
    await expect(c.post('https://example.org/redirect_custom_scheme')).rejects.toThrow(UnsupportedProtocol);
  });

  it('test_next_request', async () => {
    await using c = new Client({ transport: new MockTransport(redirects) });
    const request = c.buildRequest('POST', 'https://example.org/redirect_303');
    const first = await c.send(request, { followRedirects: false });
    expect(first.statusCode).toBe(303);
    expect(String(first.url)).toBe('https://example.org/redirect_303');
    expect(first.nextRequest).not.toBe(null);

    const second = await c.send(first.nextRequest as Request, { followRedirects: false });
    expect(second.statusCode).toBe(200);
    expect(String(second.url)).toBe('https://example.org/');
    expect(second.nextRequest).toBe(null);
  });

  // HTTPX's URL keeps the default port it was given (`https://example.org:443/`); a WHATWG URL drops it.
  it('test_malformed_redirect', async () => {
    await using c = client();
    const response = await c.get('http://example.org/malformed_redirect');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://example.org/');
    expect(response.url.port).toBe('');
    expect(response.history.length).toBe(1);
  });

  // On purpose: hosts follow WHATWG's UTS #46 mapping, which turns the emoji into punycode, where
  // HTTPX's IDNA 2008 refuses it with RemoteProtocolError (docs/migrating-from-httpx.md).
  it('test_invalid_redirect (on purpose: the emoji host is followed as punycode)', async () => {
    await using c = client();
    const response = await c.get('http://example.org/invalid_redirect');
    expect(response.statusCode).toBe(200);
    expect(String(response.url)).toBe('https://xn--l28h/');
    expect(response.history.length).toBe(1);
  });

  it('test_cross_domain_https_redirect_with_auth_header', async () => {
    await using c = client();
    const response = await c.get('http://example.com/cross_domain', { headers: { authorization: 'abc' } });
    expect(String(response.url)).toBe('https://example.org/cross_domain_target');
    expect(response.json()).toEqual({ authorization: null });
  });

  it('test_same_domain_https_redirect_with_auth_header', async () => {
    await using c = client();
    const response = await c.get('http://example.org/cross_domain', { headers: { authorization: 'abc' } });
    expect(String(response.url)).toBe('https://example.org/cross_domain_target');
    expect(response.json()).toEqual({ authorization: 'abc' });
  });

  it('test_can_stream_if_no_redirect', async () => {
    await using c = new Client({ transport: new MockTransport(redirects) });
    const response = await c.stream('GET', 'https://example.org/redirect_301_body', {
      followRedirects: false,
    });
    await response.close();
    expect(response.statusCode).toBe(301);
    expect(response.headers.get('location')).toBe('https://example.org/');
  });

  it('test_cannot_redirect_streaming_body', async () => {
    await using c = new Client({
      followRedirects: true,
      transport: new ConsumeBodyTransport(),
    });
    function* streamingBody() {
      yield new TextEncoder().encode('Example request body');
    }
    await expect(c.post('https://example.org/redirect_body', { content: streamingBody() })).rejects.toThrow(
      StreamConsumed,
    );
  });

  it('a one-shot body answered by a 308 without followRedirects returns the 308, as in HTTPX', async () => {
    await using c = new Client({
      transport: new ConsumeBodyTransport(),
    });
    function* streamingBody() {
      yield new TextEncoder().encode('Example request body');
    }
    const response = await c.post('https://example.org/redirect_body', { content: streamingBody() });
    expect(response.statusCode).toBe(308);
    expect(String(response.nextRequest?.url)).toBe('https://example.org/redirect_body_target');
  });

  it('test_redirect_cookie_behavior', async () => {
    const sessions = (request: Request): Response => {
      const path = request.url.pathname;
      if (path === '/') {
        return new Response(200, { text: request.headers.has('cookie') ? 'Logged in' : 'Not logged in' });
      }
      const setCookie =
        path === '/login'
          ? 'session=eyJ1c2VybmFtZSI6ICJ0b21; path=/; Max-Age=1209600; httponly; samesite=lax'
          : 'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax';
      expect(['/login', '/logout']).toContain(path);
      return new Response(303, { headers: { location: '/', 'set-cookie': setCookie } });
    };
    await using c = new Client({ transport: new MockTransport(sessions), followRedirects: true });
    const visit = async (method: string, path: string) => {
      const response = await c.request(method, `https://example.com${path}`);
      return [String(response.url), response.text];
    };
    expect(await visit('GET', '/')).toEqual(['https://example.com/', 'Not logged in']);
    expect(await visit('POST', '/login')).toEqual(['https://example.com/', 'Logged in']);
    expect(await visit('GET', '/')).toEqual(['https://example.com/', 'Logged in']);
    expect(await visit('POST', '/logout')).toEqual(['https://example.com/', 'Not logged in']);
    expect(await visit('GET', '/')).toEqual(['https://example.com/', 'Not logged in']);
  });
});
