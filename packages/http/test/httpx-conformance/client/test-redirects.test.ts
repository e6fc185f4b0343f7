// HTTPX tests/client/test_redirects.py (0.28), first cases: status codes, methods and history.
import { describe, expect, it } from 'vitest';
import { Client, MockTransport, type Request, Response } from '../../../src/index.js';

function redirects(request: Request): Response {
  const path = request.url.pathname;
  if (path === '/redirect_301') return new Response(301, { headers: { location: 'https://example.org/' } });
  if (path === '/redirect_302') return new Response(302, { headers: { location: 'https://example.org/' } });
  if (path === '/redirect_303') return new Response(303, { headers: { location: 'https://example.org/' } });
  if (path === '/relative_redirect') return new Response(303, { headers: { location: '/' } });
  if (path === '/no_scheme_redirect') return new Response(303, { headers: { location: '//example.org/' } });
  return new Response(200, { text: request.method === 'HEAD' ? '' : 'Hello, world!' });
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
});
