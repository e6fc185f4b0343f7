// HTTPX tests/models/test_url.py (0.28): the cases that concern a request URL. Our URLs are WHATWG
// `URL`s, so HTTPX's own URL class API (copy_with, join, raw_path…) is listed in the README instead.
import { describe, expect, it } from 'vitest';
import {
  Client,
  InvalidURL,
  MockTransport,
  Request,
  Response,
  UnsupportedProtocol,
  UsageError,
} from '../../../src/index.js';

const invalid = (url: string) => () => new Request('GET', url);

describe('HTTPX tests/models/test_url.py', () => {
  it('test_basic_url', () => {
    const { url } = new Request('GET', 'https://www.example.com/');
    expect([url.protocol, url.hostname, url.port, url.pathname, url.search, url.hash]).toEqual([
      'https:',
      'www.example.com',
      '',
      '/',
      '',
      '',
    ]);
  });

  it('test_complete_url', () => {
    const { url } = new Request('GET', 'https://example.org:123/path/to/somewhere?abc=123#anchor');
    expect([url.hostname, url.port, url.pathname, url.search, url.hash]).toEqual([
      'example.org',
      '123',
      '/path/to/somewhere',
      '?abc=123',
      '#anchor',
    ]);
  });

  it('test_url_invalid_type', () => {
    expect(() => new Request('GET', {} as unknown as string)).toThrow(UsageError);
    expect(() => new Request('GET', {} as unknown as string)).toThrow(
      'Invalid type for url: expected a string or URL, got an object',
    );
  });

  it('test_url_copywith_security (CVE-2021-41945: an invalid host never parses)', () => {
    expect(invalid('https://u:p@[invalid!]//evilHost/path?t=w#tw')).toThrow(InvalidURL);
    expect(invalid('https://u:p@[invalid!]//evilHost/path?t=w#tw')).toThrow(
      "Invalid IPv6 address: '[invalid!]'",
    );
  });

  it('test_url_invalid_port', () => {
    expect(invalid('https://example.com:abc/')).toThrow("Invalid port: 'abc'");
    expect(invalid('http://example.com:99999/')).toThrow("Invalid port: '99999'");
  });

  it('test_url_invalid_ipv4', () => {
    expect(invalid('https://999.999.999.999/')).toThrow("Invalid IPv4 address: '999.999.999.999'");
  });

  it('test_url_valid_ipv4', () => {
    expect(new Request('GET', 'https://1.2.3.4/').url.hostname).toBe('1.2.3.4');
  });

  it('test_url_invalid_ipv6', () => {
    expect(invalid('https://[2001]/')).toThrow("Invalid IPv6 address: '[2001]'");
    // An unclosed bracket is a bad IPv6 address, not a relative URL (issue 12).
    expect(invalid('http://[::1')).toThrow("Invalid IPv6 address: '[::1'");
  });

  it('test_url_valid_ipv6', () => {
    expect(new Request('GET', 'https://[2001:db8::ff00:42:8329]/').url.hostname).toBe(
      '[2001:db8::ff00:42:8329]',
    );
  });

  it('test_ipv6_url', () => {
    const { url } = new Request('GET', 'http://[::ffff:192.168.0.1]:5678/');
    expect(url.host).toBe('[::ffff:c0a8:1]:5678');
  });

  // The Sinhala and Persian cases differ on purpose: WHATWG's UTS #46 drops their zero-width
  // joiners, where HTTPX's IDNA 2008 keeps them (docs/migrating-from-httpx.md).
  it('test_idna_url', () => {
    const cases: Array<[string, string]> = [
      ['http://中国.icom.museum:80/', 'http://xn--fiqs8s.icom.museum/'],
      ['http://Königsgäßchen.de', 'http://xn--knigsgchen-b4a3dun.de/'],
      ['https://faß.de', 'https://xn--fa-hia.de/'],
      ['https://βόλος.com:443', 'https://xn--nxasmm1c.com/'],
    ];
    for (const [given, idna] of cases) expect(new Request('GET', given).url.href).toBe(idna);
  });

  it('test_url_escaped_idna_host', () => {
    expect(new Request('GET', 'https://xn--fiqs8s.icom.museum/').url.hostname).toBe('xn--fiqs8s.icom.museum');
  });

  it('test_url_excessively_long_url', () => {
    expect(invalid(`https://www.example.com/${'x'.repeat(100_000)}`)).toThrow('URL too long');
  });

  it('test_url_non_printing_character_in_url', () => {
    expect(invalid('https://www.example.com/\n')).toThrow(
      'Invalid non-printable ASCII character in URL, "\\n" at position 24.',
    );
  });

  it('a request URL without a scheme is UnsupportedProtocol (HTTPX Client message)', () => {
    expect(invalid('www.example.com/')).toThrow(UnsupportedProtocol);
    expect(invalid('www.example.com/')).toThrow(
      "Request URL is missing an 'http://' or 'https://' protocol: 'www.example.com/'.",
    );
  });

  it('the bad part is named without the userinfo', () => {
    expect(invalid('http://user:s3cret@example.com:99999/')).toThrow("Invalid port: '99999'");
  });
});

describe('a URL that is not a string or URL is a typed error before anything is sent (issue 12)', () => {
  it('client.get(undefined) rejects with UsageError', async () => {
    let sent = 0;
    await using client = new Client({
      transport: new MockTransport(() => {
        sent += 1;
        return new Response(200);
      }),
    });
    await expect(client.get(undefined as unknown as string)).rejects.toThrow(
      'Invalid type for url: expected a string or URL, got undefined',
    );
    const withBase = new Client({
      baseUrl: 'http://example.org',
      transport: new MockTransport(() => new Response(200)),
    });
    await expect(withBase.get(null as unknown as string)).rejects.toThrow(UsageError);
    expect(sent).toBe(0);
  });
});
