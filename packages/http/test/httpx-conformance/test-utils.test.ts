// HTTPX tests/test_utils.py (0.28): URLPattern matching and priority, environment proxies and
// NO_PROXY, and the origin rules of redirect headers: the parts of _utils we share.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getEnvironmentProxies, Headers, Request, Response, shouldBypassProxy } from '../../src/index.js';
import { isSameOrigin } from '../../src/models/urls.js';
import { buildRedirectRequest } from '../../src/redirects.js';
import { URLPattern } from '../../src/transports/mounts.js';

describe('HTTPX tests/test_utils.py', () => {
  const cases: Array<[string, string, boolean]> = [
    ['http://example.com', 'http://example.com', true],
    ['http://example.com', 'https://example.com', false],
    ['http://example.com', 'http://other.com', false],
    ['http://example.com:123', 'http://example.com:123', true],
    ['http://example.com:123', 'http://example.com:456', false],
    ['http://example.com:123', 'http://example.com', false],
    ['all://example.com', 'http://example.com', true],
    ['all://example.com', 'https://example.com', true],
    ['http://', 'http://example.com', true],
    ['http://', 'https://example.com', false],
    ['all://', 'https://example.com:123', true],
    ['', 'https://example.com:123', true],
    ['all://*', 'http://example.com', true],
    ['all://*.example.com', 'http://www.example.com', true],
    ['all://*.example.com', 'http://example.com', false],
    ['all://*example.com', 'http://www.example.com', true],
    ['all://*example.com', 'http://example.com', true],
    ['all://*example.com', 'http://notexample.com', false],
    ['all://*:123', 'http://example.com:123', true],
    ['all://*:123', 'http://example.com:456', false],
    ['all://[::1]', 'http://[::1]:8080/', true],
  ];
  for (const [pattern, url, expected] of cases) {
    it(`test_url_matches[${pattern || "''"}-${url}]`, () => {
      expect(new URLPattern(pattern).matches(new URL(url))).toBe(expected);
    });
  }

  it('test_pattern_priority', () => {
    const patterns = [
      'all://',
      'http://',
      'all://example.com',
      'all://example.com:123',
      'http://example.com:123',
    ];
    const sorted = patterns.map((p) => new URLPattern(p)).sort((a, b) => a.compare(b));
    expect(sorted.map((p) => p.pattern)).toEqual([
      'http://example.com:123',
      'all://example.com:123',
      'all://example.com',
      'http://',
      'all://',
    ]);
  });

  it('a default port written out matches only that port (on purpose: HTTPX drops it and matches any, issue 12)', () => {
    const pattern = new URLPattern('http://example.com:80');
    expect(pattern.matches(new URL('http://example.com/'))).toBe(true);
    expect(pattern.matches(new URL('http://example.com:80/'))).toBe(true);
    expect(pattern.matches(new URL('http://example.com:8080/'))).toBe(false);
  });

  const environments: Array<[Record<string, string>, Record<string, string>]> = [
    [{}, {}],
    [{ HTTP_PROXY: 'http://127.0.0.1' }, { 'http://': 'http://127.0.0.1' }],
    [
      { https_proxy: 'http://127.0.0.1', HTTP_PROXY: 'https://127.0.0.1' },
      { 'https://': 'http://127.0.0.1', 'http://': 'https://127.0.0.1' },
    ],
    [{ all_proxy: 'http://127.0.0.1' }, { 'all://': 'http://127.0.0.1' }],
    [{ TRAVIS_APT_PROXY: 'http://127.0.0.1' }, {}],
  ];
  for (const [environment, proxies] of environments) {
    it(`test_get_environment_proxies[${JSON.stringify(environment)}]`, () => {
      expect(getEnvironmentProxies(environment)).toEqual(proxies);
    });
  }

  // HTTPX returns each NO_PROXY entry as a `None` mount (`all://*github.com`); here NO_PROXY is a
  // predicate instead (so that CIDR ranges work), and the proxies map holds proxies only. Each case
  // checks the URLs HTTPX's mount pattern sends direct, and one it does not.
  const noProxy: Array<[string, string, string[], string[]]> = [
    ['127.0.0.1', 'all://127.0.0.1', ['http://127.0.0.1', 'https://127.0.0.1:8443/'], ['http://127.0.0.2']],
    ['192.168.0.0/16', 'all://192.168.0.0/16', ['http://192.168.1.1/'], ['http://192.169.0.1/']],
    ['::1', 'all://[::1]', ['http://[::1]/', 'https://[::1]:8443/'], ['http://[::2]/']],
    ['localhost', 'all://localhost', ['http://localhost/', 'https://localhost:1234/'], ['http://127.0.0.1/']],
    [
      'github.com',
      'all://*github.com',
      ['https://github.com/', 'https://api.github.com/'],
      ['https://notgithub.com/'],
    ],
    ['.github.com', 'all://*.github.com', ['https://api.github.com/'], ['https://github.com/']],
    ['http://github.com', 'http://github.com', ['http://github.com/'], ['https://github.com/']],
  ];
  for (const [entry, pattern, direct, proxied] of noProxy) {
    it(`test_get_environment_proxies[no_proxy=${entry}] (as a predicate, the URLs of ${pattern})`, () => {
      expect(getEnvironmentProxies({ no_proxy: entry })).toEqual({});
      for (const url of direct) expect([url, shouldBypassProxy(url, entry)]).toEqual([url, true]);
      for (const url of proxied) expect([url, shouldBypassProxy(url, entry)]).toEqual([url, false]);
    });
  }

  // HTTPX's `_redirect_headers(request, url, method)`: the headers of the request a redirect to `url` sends.
  const redirectHeaders = (request: Request, url: string) =>
    buildRedirectRequest(request, new Response(302, { headers: { location: url }, request })).headers;

  it('test_same_origin', () => {
    const origin = new URL('https://example.com');
    const request = new Request('GET', 'HTTPS://EXAMPLE.COM:443');
    expect(isSameOrigin(origin, request.url)).toBe(true);
    expect(redirectHeaders(request, origin.href).get('Host')).toBe(request.url.host);
  });

  it('test_not_same_origin', () => {
    const origin = new URL('https://example.com');
    const request = new Request('GET', 'HTTP://EXAMPLE.COM:80');
    expect(isSameOrigin(origin, request.url)).toBe(false);
    expect(redirectHeaders(request, origin.href).get('Host')).toBe(origin.host);
  });

  it('test_is_https_redirect', () => {
    const request = new Request('GET', 'http://example.com', { headers: { Authorization: 'empty' } });
    expect(redirectHeaders(request, 'https://example.com').has('Authorization')).toBe(true);
  });

  it('test_is_not_https_redirect', () => {
    const request = new Request('GET', 'http://example.com', { headers: { Authorization: 'empty' } });
    expect(redirectHeaders(request, 'https://www.example.com').has('Authorization')).toBe(false);
  });

  it('test_is_not_https_redirect_if_not_default_ports', () => {
    const request = new Request('GET', 'http://example.com:9999', { headers: { Authorization: 'empty' } });
    expect(redirectHeaders(request, 'https://example.com:1337').has('Authorization')).toBe(false);
  });

  /** Python's codecs for the JSON bodies HTTPX's cases build: `utf-16`/`utf-32` write a BOM (little-endian). */
  function encode(text: string, encoding: string): Uint8Array {
    const bom = encoding === 'utf-16' || encoding === 'utf-32' || encoding === 'utf-8-sig';
    const source = bom ? `\ufeff${text}` : text;
    if (encoding.startsWith('utf-8')) return Buffer.from(source, 'utf8');
    const points = [...source].map((c) => c.codePointAt(0) as number);
    const width = encoding.startsWith('utf-16') ? 2 : 4;
    const bytes = Buffer.alloc(points.length * width);
    const bigEndian = encoding.endsWith('-be');
    points.forEach((point, i) => {
      if (width === 2) bigEndian ? bytes.writeUInt16BE(point, i * 2) : bytes.writeUInt16LE(point, i * 2);
      else bigEndian ? bytes.writeUInt32BE(point, i * 4) : bytes.writeUInt32LE(point, i * 4);
    });
    return bytes;
  }

  for (const encoding of [
    'utf-32',
    'utf-8-sig',
    'utf-16',
    'utf-8',
    'utf-16-be',
    'utf-16-le',
    'utf-32-be',
    'utf-32-le',
  ]) {
    it(`test_encoded[${encoding}]`, () => {
      const response = new Response(200, { content: encode('{"abc": 123}', encoding) });
      expect(response.json()).toEqual({ abc: 123 });
    });
  }

  // HTTPX raises json.JSONDecodeError; JSON.parse's error is a SyntaxError.
  it('test_bad_utf_like_encoding', () => {
    const response = new Response(200, { content: new Uint8Array([0, 0, 0, 0]) });
    expect(() => response.json()).toThrow(SyntaxError);
  });

  for (const encoding of ['utf-16-be', 'utf-16-le', 'utf-32-be', 'utf-32-le']) {
    it(`test_guess_by_bom[${encoding}]`, () => {
      const response = new Response(200, { content: encode('\ufeff{"abc": 123}', encoding) });
      expect(response.json()).toEqual({ abc: 123 });
    });
  }

  const links: Array<[string, Array<Record<string, string>>]> = [
    [
      '<http:/.../front.jpeg>; rel=front; type="image/jpeg"',
      [{ url: 'http:/.../front.jpeg', rel: 'front', type: 'image/jpeg' }],
    ],
    ['<http:/.../front.jpeg>', [{ url: 'http:/.../front.jpeg' }]],
    ['<http:/.../front.jpeg>;', [{ url: 'http:/.../front.jpeg' }]],
    [
      '<http:/.../front.jpeg>; type="image/jpeg",<http://.../back.jpeg>;',
      [{ url: 'http:/.../front.jpeg', type: 'image/jpeg' }, { url: 'http://.../back.jpeg' }],
    ],
    ['', []],
  ];
  for (const [value, expected] of links) {
    it(`test_parse_header_links[${value}]`, () => {
      const all = Object.values(new Response(200, { headers: { link: value } }).links);
      for (const link of expected) expect(all).toContainEqual(link);
      expect(all).toHaveLength(expected.length);
    });
  }

  it('test_parse_header_links_no_link', () => {
    expect(new Response(200).links).toEqual({});
  });

  const sensitive: Array<[string, string, string]> = [
    ['content-type', 'text/html', 'text/html'],
    ['authorization', 's3kr3t', '[secure]'],
    ['proxy-authorization', 's3kr3t', '[secure]'],
  ];
  for (const [name, value, shown] of sensitive) {
    it(`test_obfuscate_sensitive_headers[${name}]`, () => {
      expect(inspect(new Headers({ [name]: value }))).toBe(`Headers([ [ '${name}', '${shown}' ] ])`);
    });
  }
});
