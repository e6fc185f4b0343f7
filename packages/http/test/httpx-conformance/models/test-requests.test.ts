// HTTPX tests/models/test_requests.py (0.28), case by case.
import { describe, expect, it } from 'vitest';
import { Request, RequestNotRead } from '../../../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
async function* streamed(): AsyncGenerator<Uint8Array> {
  yield enc('test 123');
}

describe('HTTPX tests/models/test_requests.py', () => {
  it('test_request_repr', () => {
    expect(String(new Request('GET', 'http://example.org'))).toBe("<Request(GET, 'http://example.org/')>");
  });

  it('test_no_content', () => {
    expect(new Request('GET', 'http://example.org').headers.has('Content-Length')).toBe(false);
  });

  it('test_content_length_header', () => {
    expect(
      new Request('POST', 'http://example.org', { content: enc('test 123') }).headers.get('Content-Length'),
    ).toBe('8');
  });

  it('test_iterable_content', async () => {
    const request = new Request('POST', 'http://example.org', { content: [enc('test 123')] });
    expect(request.headers.raw).toEqual([
      ['Host', 'example.org'],
      ['Transfer-Encoding', 'chunked'],
    ]);
    expect(Buffer.from(await request.read()).toString()).toBe('test 123');
  });

  it('test_generator_with_transfer_encoding_header', () => {
    const request = new Request('POST', 'http://example.org', { content: streamed() });
    expect(request.headers.raw).toEqual([
      ['Host', 'example.org'],
      ['Transfer-Encoding', 'chunked'],
    ]);
  });

  it('test_generator_with_content_length_header', () => {
    const request = new Request('POST', 'http://example.org', {
      content: streamed(),
      headers: { 'Content-Length': '8' },
    });
    expect(request.headers.raw).toEqual([
      ['Host', 'example.org'],
      ['Content-Length', '8'],
    ]);
  });

  it('test_url_encoded_data', async () => {
    const request = new Request('POST', 'http://example.org', { data: { test: '123' } });
    expect(request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(Buffer.from(await request.read()).toString()).toBe('test=123');
  });

  it('test_json_encoded_data', async () => {
    const request = new Request('POST', 'http://example.org', { json: { test: 123 } });
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(Buffer.from(await request.read()).toString()).toBe('{"test":123}');
  });

  it('test_headers', () => {
    const request = new Request('POST', 'http://example.org', { json: { test: 123 } });
    expect(request.headers.raw).toEqual([
      ['Host', 'example.org'],
      ['Content-Length', '12'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('test_read_and_stream_data / test_aread_and_stream_data', async () => {
    const request = new Request('POST', 'http://example.org', { content: streamed() });
    const content = await request.read();
    expect(Buffer.from(request.content).toString()).toBe('test 123');
    const again: Uint8Array[] = [];
    for await (const chunk of request.body?.stream() ?? []) again.push(chunk);
    expect(Buffer.concat(again).toString()).toBe(Buffer.from(content).toString());
  });

  it('test_cannot_access_streaming_content_without_read', () => {
    const request = new Request('POST', 'http://example.org', { content: streamed() });
    expect(() => request.content).toThrow(RequestNotRead);
  });

  it('test_transfer_encoding_header', () => {
    const request = new Request('POST', 'http://example.org', { content: streamed() });
    expect(request.headers.get('Transfer-Encoding')).toBe('chunked');
  });

  it('test_ignore_transfer_encoding_header_if_content_length_exists', () => {
    const request = new Request('POST', 'http://example.org', {
      content: streamed(),
      headers: { 'Content-Length': '8' },
    });
    expect(request.headers.has('Transfer-Encoding')).toBe(false);
    expect(request.headers.get('Content-Length')).toBe('8');
  });

  it('test_override_host_header', () => {
    const request = new Request('GET', 'http://example.org', { headers: { Host: 'www.example.org' } });
    expect(request.headers.get('Host')).toBe('www.example.org');
  });

  it('test_override_accept_encoding_header', () => {
    const request = new Request('GET', 'http://example.org', { headers: { 'Accept-Encoding': 'identity' } });
    expect(request.headers.get('Accept-Encoding')).toBe('identity');
  });

  it('test_override_content_length_header', () => {
    const request = new Request('POST', 'http://example.org', {
      content: streamed(),
      headers: { 'Content-Length': '8' },
    });
    expect(request.headers.get('Content-Length')).toBe('8');
  });

  it('test_url', () => {
    const http = new Request('GET', 'http://example.org');
    expect([http.url.protocol, http.url.port, http.url.pathname, http.url.search]).toEqual([
      'http:',
      '',
      '/',
      '',
    ]);
    const https = new Request('GET', 'https://example.org/abc?foo=bar');
    expect([
      https.url.protocol,
      https.url.port,
      https.url.hostname,
      https.url.pathname,
      https.url.search,
    ]).toEqual(['https:', '', 'example.org', '/abc', '?foo=bar']);
  });

  it('test_request_params', () => {
    const request = new Request('GET', 'http://example.com', { params: {} });
    expect(request.url.href).toBe('http://example.com/');
    const withParams = new Request('GET', 'http://example.com?c=3', { params: { a: '1', b: '2' } });
    // HTTPX 0.28 replaces the URL's query (encode/httpx#3433); we append, on purpose.
    expect(withParams.url.href).toBe('http://example.com/?c=3&a=1&b=2');
  });
});
