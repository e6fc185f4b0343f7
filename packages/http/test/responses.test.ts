import { describe, expect, it } from 'vitest';
import {
  HTTPStatusError,
  Request,
  Response,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
} from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

function streamed(
  chunks: Array<string | Uint8Array>,
  init: { headers?: Record<string, string> } = {},
): Response {
  return new Response(200, {
    ...init,
    stream: chunks.map((c) => (typeof c === 'string' ? enc(c) : c)),
    request: new Request('GET', 'https://example.org/'),
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('Response', () => {
  it('splits lines across chunks on \\n, \\r\\n and \\r', async () => {
    expect(await collect(streamed(['a\r', '\n\r\nb\r\nc']).iterLines())).toEqual(['a', '', 'b', 'c']);
    expect(await collect(streamed(['12345\r', 'foo ', 'bar ', 'baz\r']).iterLines())).toEqual([
      '12345',
      'foo bar baz',
    ]);
  });

  it('rechunks raw, bytes and text', async () => {
    const raw = await collect(streamed(['Hello, world!']).iterRaw(5));
    expect(raw.map((b) => new TextDecoder().decode(b))).toEqual(['Hello', ', wor', 'ld!']);
    expect(await collect(streamed(['Hello, world!!']).iterText(7))).toEqual(['Hello, ', 'world!!']);
  });

  it('throws ResponseNotRead for content of an unread stream, StreamConsumed when iterated twice', async () => {
    const response = streamed(['abc']);
    expect(() => response.content).toThrow(ResponseNotRead);
    await collect(response.iterBytes());
    await expect(collect(response.iterBytes())).rejects.toThrow(StreamConsumed);
    const closed = streamed(['abc']);
    await closed.close();
    await expect(closed.read()).rejects.toThrow(StreamClosed);
  });

  it('reads once and then serves content, text and json', async () => {
    const response = streamed(['{"a":', '1}']);
    expect(new TextDecoder().decode(await response.read())).toBe('{"a":1}');
    expect(response.json()).toEqual({ a: 1 });
    expect(response.isClosed).toBe(true);
    expect(response.numBytesDownloaded).toBe(7);
  });

  it('builds test responses from text, html, json and content', () => {
    const json = new Response(200, { json: { hello: 'world' } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('content-length')).toBe('17');
    expect(new Response(200, { text: 'hi' }).headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(new Response(200, { html: '<p>' }).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(new Response(404).reasonPhrase).toBe('Not Found');
    expect(new Response(600).reasonPhrase).toBe('');
  });

  it('raises for status with HTTPX messages', () => {
    const request = new Request('GET', 'https://example.org');
    const make = (status: number, headers: Record<string, string> = {}) =>
      new Response(status, { headers, request });
    expect(make(200).raiseForStatus().statusCode).toBe(200);
    const cases: Array<[number, string, Record<string, string>]> = [
      [
        101,
        "Informational response '101 Switching Protocols' for url 'https://example.org/'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/101",
        {},
      ],
      [
        303,
        "Redirect response '303 See Other' for url 'https://example.org/'\nRedirect location: 'https://other.org'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/303",
        { Location: 'https://other.org' },
      ],
      [
        403,
        "Client error '403 Forbidden' for url 'https://example.org/'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/403",
        {},
      ],
      [
        404,
        "Client error '404 Not Found' for url 'https://example.org/'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404",
        {},
      ],
      [
        500,
        "Server error '500 Internal Server Error' for url 'https://example.org/'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/500",
        {},
      ],
    ];
    for (const [status, message, headers] of cases) {
      const response = make(status, headers);
      let caught: unknown;
      try {
        response.raiseForStatus();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HTTPStatusError);
      expect((caught as HTTPStatusError).message).toBe(message);
      expect((caught as HTTPStatusError).response).toBe(response);
    }
  });

  it('parses JSON in UTF-16 with a BOM, and in every UTF variant', () => {
    const text = '{"snowman":"☃"}';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(new Response(200, { content: utf16le }).json()).toEqual({ snowman: '☃' });
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    expect(new Response(200, { content: utf16be }).json()).toEqual({ snowman: '☃' });
    const utf32le = Buffer.alloc(text.length * 4);
    for (const [i, ch] of [...text].entries()) utf32le.writeUInt32LE(ch.codePointAt(0) as number, i * 4);
    expect(new Response(200, { content: utf32le }).json()).toEqual({ snowman: '☃' });
  });

  it('detects text encoding from the charset, default and explicit setting', () => {
    expect(
      new Response(200, {
        content: Buffer.from('ÿ', 'latin1'),
        headers: { 'Content-Type': 'text/plain; charset=latin-1' },
      }).text,
    ).toBe('ÿ');
    expect(
      new Response(200, { content: 'Snowman: ☃', headers: { 'Content-Type': 'text/plain; charset=bogus' } })
        .text,
    ).toBe('Snowman: ☃');
    const latin = new Response(200, { content: 'Snowman: ☃' });
    latin.encoding = 'iso-8859-1';
    expect(latin.text).toBe('Snowman: â\x98\x83');
    expect(() => {
      latin.encoding = 'utf-8';
    }).toThrow('Setting encoding after `text` has been accessed is not allowed.');
    const sjis = new Response(200, {
      content: Buffer.from([0x83, 0x67, 0x83, 0x89, 0x83, 0x78, 0x83, 0x8b]),
      headers: { 'Content-Type': 'text/html; charset=shift_jis' },
    });
    expect(sjis.text).toBe('トラベル');
  });

  it('parses Link headers and status predicates', () => {
    const response = new Response(301, {
      headers: { Link: '</hub>; rel="hub", </resource>; rel="self"', Location: '/x' },
    });
    expect(response.links).toEqual({
      hub: { url: '/hub', rel: 'hub' },
      self: { url: '/resource', rel: 'self' },
    });
    expect([response.isRedirect, response.hasRedirectLocation, response.isError]).toEqual([
      true,
      true,
      false,
    ]);
    expect(new Response(300, { headers: { Location: '/x' } }).hasRedirectLocation).toBe(false);
  });
});
