// HTTPX tests/models/test_responses.py, case by case (titles name the HTTPX test).
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DecodingError,
  HTTPStatusError,
  Request,
  Response,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
  UsageError,
} from '../../../src/index.js';

const bytes = (text: string, encoding: BufferEncoding = 'utf8') =>
  new Uint8Array(Buffer.from(text, encoding));
const text = (chunk: Uint8Array) => Buffer.from(chunk).toString('latin1');

function* streamingBody(): Generator<Uint8Array> {
  yield bytes('Hello, ');
  yield bytes('world!');
}
async function* asyncStreamingBody(): AsyncGenerator<Uint8Array> {
  yield bytes('Hello, ');
  yield bytes('world!');
}
function* withEmptyChunks(): Generator<Uint8Array> {
  yield bytes('Hello, ');
  yield new Uint8Array(0);
  yield bytes('world!');
  yield new Uint8Array(0);
}
async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('HTTPX tests/models/test_responses.py', () => {
  it('test_response', () => {
    const response = new Response(200, {
      content: bytes('Hello, world!'),
      request: new Request('GET', 'https://example.org'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('Hello, world!');
    expect(response.request.method).toBe('GET');
    expect(response.request.url.href).toBe('https://example.org/');
    expect(response.isError).toBe(false);
  });

  it('test_response_content', () => {
    const response = new Response(200, { content: 'Hello, world!' });
    expect(response.text).toBe('Hello, world!');
    expect(response.headers.raw).toEqual([['Content-Length', '13']]);
  });

  it('test_response_text', () => {
    const response = new Response(200, { text: 'Hello, world!' });
    expect(response.text).toBe('Hello, world!');
    expect(response.headers.raw).toEqual([
      ['Content-Length', '13'],
      ['Content-Type', 'text/plain; charset=utf-8'],
    ]);
  });

  it('test_response_html', () => {
    const response = new Response(200, { html: '<html><body>Hello, world!</html></body>' });
    expect(response.text).toBe('<html><body>Hello, world!</html></body>');
    expect(response.headers.raw).toEqual([
      ['Content-Length', '39'],
      ['Content-Type', 'text/html; charset=utf-8'],
    ]);
  });

  it('test_response_json (HTTPX 0.28: compact JSON)', () => {
    const response = new Response(200, { json: { hello: 'world' } });
    expect(response.json()).toEqual({ hello: 'world' });
    expect(response.headers.raw).toEqual([
      ['Content-Length', '17'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('test_raise_for_status', () => {
    const request = new Request('GET', 'https://example.org');
    expect(new Response(200, { request }).raiseForStatus().statusCode).toBe(200);
    const cases: Array<[number, Record<string, string>, string]> = [
      [101, {}, "Informational response '101 Switching Protocols' for url 'https://example.org/'"],
      [
        303,
        { location: 'https://other.org' },
        "Redirect response '303 See Other' for url 'https://example.org/'\nRedirect location: 'https://other.org'",
      ],
      [403, {}, "Client error '403 Forbidden' for url 'https://example.org/'"],
      [500, {}, "Server error '500 Internal Server Error' for url 'https://example.org/'"],
    ];
    for (const [status, headers, message] of cases) {
      const response = new Response(status, { headers, request });
      expect(() => response.raiseForStatus()).toThrow(HTTPStatusError);
      expect(() => response.raiseForStatus()).toThrow(
        `${message}\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${status}`,
      );
    }
    expect(() => new Response(200).raiseForStatus()).toThrow(UsageError);
  });

  it('test_response_repr', () => {
    expect(String(new Response(200, { content: bytes('Hello, world!') }))).toBe('<Response [200 OK]>');
  });

  it('test_response_content_type_encoding', () => {
    const response = new Response(200, {
      content: bytes('Latin 1: ÿ', 'latin1'),
      headers: { 'Content-Type': 'text-plain; charset=latin-1' },
    });
    expect(response.text).toBe('Latin 1: ÿ');
    expect(response.encoding).toBe('latin-1');
  });

  it('test_response_default_encoding', () => {
    const response = new Response(200, { content: bytes('おはようございます。') });
    expect(response.text).toBe('おはようございます。');
    expect(response.encoding).toBe('utf-8');
  });

  it('test_response_fallback_to_utf8', () => {
    const response = new Response(200, {
      content: bytes('おはようございます。'),
      headers: { 'Content-Type': 'text-plain; charset=invalid-codec-name' },
    });
    expect(response.text).toBe('おはようございます。');
    expect(response.encoding).toBe('utf-8');
  });

  it('test_response_no_charset_with_ascii_content', () => {
    const response = new Response(200, {
      content: bytes('Hello, world!'),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(response.encoding).toBe('utf-8');
    expect(response.text).toBe('Hello, world!');
  });

  it('test_response_no_charset_with_utf8_content', () => {
    const response = new Response(200, {
      content: bytes('Unicode Snowman: ☃'),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(response.text).toBe('Unicode Snowman: ☃');
    expect(response.encoding).toBe('utf-8');
  });

  it('test_response_no_charset_with_cp_1252_content (a defaultEncoding function stands in for charset_normalizer)', () => {
    const content = new Uint8Array([...bytes('Euro Currency: '), 0x80, ...bytes(' abc')]);
    const response = new Response(200, {
      content,
      headers: { 'Content-Type': 'text/plain' },
      defaultEncoding: () => 'windows-1252',
    });
    expect(response.text).toBe('Euro Currency: € abc');
    expect(response.encoding).toBe('windows-1252');
  });

  it('test_response_non_text_encoding', () => {
    const response = new Response(200, { content: bytes('xyz'), headers: { 'Content-Type': 'image/png' } });
    expect(response.text).toBe('xyz');
    expect(response.encoding).toBe('utf-8');
  });

  it('test_response_set_explicit_encoding', () => {
    const response = new Response(200, {
      content: bytes('Latin 1: ÿ', 'latin1'),
      headers: { 'Content-Type': 'text-plain; charset=utf-8' },
    });
    response.encoding = 'latin-1';
    expect(response.text).toBe('Latin 1: ÿ');
    expect(response.encoding).toBe('latin-1');
  });

  it('test_response_force_encoding', () => {
    const response = new Response(200, { content: bytes('Snowman: ☃') });
    response.encoding = 'iso-8859-1';
    expect(response.text).toBe('Snowman: â\x98\x83');
    expect(response.encoding).toBe('iso-8859-1');
  });

  it('test_read / test_aread', async () => {
    const response = new Response(200, { content: bytes('Hello, world!') });
    expect(response.text).toBe('Hello, world!');
    expect(response.encoding).toBe('utf-8');
    expect(response.isClosed).toBe(true);
    expect(text(await response.read())).toBe('Hello, world!');
    expect(text(response.content)).toBe('Hello, world!');
    expect(response.isClosed).toBe(true);
  });

  it('test_empty_read / test_empty_aread', async () => {
    const response = new Response(200);
    expect(response.text).toBe('');
    expect(response.encoding).toBe('utf-8');
    expect(response.isClosed).toBe(true);
    expect((await response.read()).byteLength).toBe(0);
    expect(response.isClosed).toBe(true);
  });

  it('test_iter_raw / test_aiter_raw / test_iter_raw_on_iterable', async () => {
    for (const content of [streamingBody(), asyncStreamingBody(), [bytes('Hello, '), bytes('world!')]]) {
      const response = new Response(200, { content });
      expect((await collect(response.iterRaw())).map(text).join('')).toBe('Hello, world!');
    }
  });

  it('test_iter_raw_with_chunksize / test_aiter_raw_with_chunksize', async () => {
    for (const [size, parts] of [
      [5, ['Hello', ', wor', 'ld!']],
      [13, ['Hello, world!']],
      [20, ['Hello, world!']],
    ] as const) {
      const response = new Response(200, { content: asyncStreamingBody() });
      expect((await collect(response.iterRaw(size))).map(text)).toEqual(parts);
    }
  });

  it('test_iter_raw_doesnt_return_empty_chunks', async () => {
    const response = new Response(200, { content: withEmptyChunks() });
    expect((await collect(response.iterRaw())).map(text)).toEqual(['Hello, ', 'world!']);
  });

  it('test_iter_raw_increments_updates_counter / test_aiter_raw_increments_updates_counter', async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    let downloaded = response.numBytesDownloaded;
    for await (const part of response.iterRaw()) {
      expect(part.byteLength).toBe(response.numBytesDownloaded - downloaded);
      downloaded = response.numBytesDownloaded;
    }
    expect(downloaded).toBe(13);
  });

  it('test_iter_bytes / test_aiter_bytes', async () => {
    const response = new Response(200, { content: bytes('Hello, world!') });
    expect((await collect(response.iterBytes())).map(text).join('')).toBe('Hello, world!');
  });

  it('test_iter_bytes_with_chunk_size / test_aiter_bytes_with_chunk_size', async () => {
    for (const [size, parts] of [
      [5, ['Hello', ', wor', 'ld!']],
      [13, ['Hello, world!']],
      [20, ['Hello, world!']],
    ] as const) {
      const response = new Response(200, { content: streamingBody() });
      expect((await collect(response.iterBytes(size))).map(text)).toEqual(parts);
    }
  });

  it('test_iter_bytes_with_empty_response', async () => {
    expect(await collect(new Response(200, { content: bytes('') }).iterBytes())).toEqual([]);
  });

  it('test_iter_bytes_doesnt_return_empty_chunks', async () => {
    const response = new Response(200, { content: withEmptyChunks() });
    expect((await collect(response.iterBytes())).map(text)).toEqual(['Hello, ', 'world!']);
  });

  it('test_iter_text / test_aiter_text', async () => {
    const response = new Response(200, { content: bytes('Hello, world!') });
    expect((await collect(response.iterText())).join('')).toBe('Hello, world!');
  });

  it('test_iter_text_with_chunk_size / test_aiter_text_with_chunk_size', async () => {
    for (const [size, parts] of [
      [5, ['Hello', ', wor', 'ld!']],
      [13, ['Hello, world!']],
      [20, ['Hello, world!']],
    ] as const) {
      const response = new Response(200, { content: bytes('Hello, world!') });
      expect(await collect(response.iterText(size))).toEqual(parts);
    }
  });

  it('test_iter_lines / test_aiter_lines (HTTPX 0.28: line endings removed)', async () => {
    const response = new Response(200, { content: bytes('Hello,\nworld!') });
    expect(await collect(response.iterLines())).toEqual(['Hello,', 'world!']);
  });

  it('test_sync_streaming_response / test_async_streaming_response', async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    expect(response.isClosed).toBe(false);
    expect(text(await response.read())).toBe('Hello, world!');
    expect(text(response.content)).toBe('Hello, world!');
    expect(response.isClosed).toBe(true);
  });

  it('test_cannot_read_after_stream_consumed / test_cannot_aread_after_stream_consumed', async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    await collect(response.iterBytes());
    await expect(response.read()).rejects.toThrow(StreamConsumed);
  });

  it('test_cannot_read_after_response_closed / test_cannot_aread_after_response_closed', async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    await response.close();
    await expect(response.read()).rejects.toThrow(StreamClosed);
  });

  it('test_elapsed_not_available_until_closed', async () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    expect(() => response.elapsed).toThrow(
      "'.elapsed' may only be accessed after the response has been read or closed.",
    );
    await response.read();
    expect(response.elapsed).toBeGreaterThanOrEqual(0);
  });

  it('test_unknown_status_code', () => {
    const response = new Response(600);
    expect(response.statusCode).toBe(600);
    expect(response.reasonPhrase).toBe('');
    expect(response.text).toBe('');
  });

  it('test_json_with_specified_encoding', () => {
    const data = { greeting: 'hello', recipient: 'world' };
    const content = new Uint8Array([0xff, 0xfe, ...Buffer.from(JSON.stringify(data), 'utf16le')]);
    const response = new Response(200, {
      content,
      headers: { 'Content-Type': 'application/json, charset=utf-16' },
    });
    expect(response.json()).toEqual(data);
  });

  const data = { greeting: 'hello', recipient: 'world' };
  const json = JSON.stringify(data);
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  const utf32 = (s: string, littleEndian: boolean) => {
    const out = Buffer.alloc(s.length * 4);
    for (let i = 0; i < s.length; i++) {
      if (littleEndian) out.writeUInt32LE(s.charCodeAt(i), i * 4);
      else out.writeUInt32BE(s.charCodeAt(i), i * 4);
    }
    return out;
  };
  const encodings: Record<string, Uint8Array> = {
    'utf-8': Buffer.from(json),
    'utf-8-sig': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
    'utf-16': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]),
    'utf-16-be': utf16be(json),
    'utf-16-le': Buffer.from(json, 'utf16le'),
    'utf-32': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(json, true)]),
    'utf-32-be': utf32(json, false),
    'utf-32-le': utf32(json, true),
  };

  for (const [encoding, content] of Object.entries(encodings)) {
    it(`test_json_without_specified_charset[${encoding}]`, () => {
      const response = new Response(200, { content, headers: { 'Content-Type': 'application/json' } });
      expect(response.json()).toEqual(data);
    });
    it(`test_json_with_specified_charset[${encoding}]`, () => {
      const headers = { 'Content-Type': `application/json; charset=${encoding}` };
      expect(new Response(200, { content, headers }).json()).toEqual(data);
    });
  }

  it('test_link_headers', () => {
    expect(new Response(200, { headers: { Link: "<https://example.com>; rel='preload'" } }).links).toEqual({
      preload: { rel: 'preload', url: 'https://example.com' },
    });
    expect(
      new Response(200, { headers: { Link: '</hub>; rel="hub", </resource>; rel="self"' } }).links,
    ).toEqual({
      hub: { url: '/hub', rel: 'hub' },
      self: { url: '/resource', rel: 'self' },
    });
  });

  for (const coding of ['deflate', 'gzip', 'br']) {
    it(`test_decode_error_with_request[${coding}] / test_value_error_without_request[${coding}]`, () => {
      const corrupt = brotliCompressSync(Buffer.from('test 123')).subarray(3);
      const headers = { 'Content-Encoding': coding };
      expect(() => new Response(200, { headers, content: corrupt })).toThrow(DecodingError);
      const request = new Request('GET', 'https://www.example.org/');
      expect(() => new Response(200, { headers, content: corrupt, request })).toThrow(DecodingError);
    });
  }

  it('test_response_with_unset_request', () => {
    const response = new Response(200, { content: bytes('Hello, world!') });
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('Hello, world!');
    expect(response.isError).toBe(false);
  });

  it('test_set_request_after_init', () => {
    const response = new Response(200, { content: bytes('Hello, world!') });
    response.request = new Request('GET', 'https://www.example.org');
    expect(response.request.method).toBe('GET');
    expect(response.request.url.href).toBe('https://www.example.org/');
  });

  it('test_cannot_access_unset_request', () => {
    expect(() => new Response(200, { content: bytes('Hello, world!') }).request).toThrow(UsageError);
  });

  it('test_generator_with_transfer_encoding_header', () => {
    const response = new Response(200, { content: streamingBody() });
    expect(response.headers.raw).toEqual([['Transfer-Encoding', 'chunked']]);
  });

  it('test_generator_with_content_length_header', () => {
    const response = new Response(200, { content: streamingBody(), headers: { 'Content-Length': '8' } });
    expect(response.headers.raw).toEqual([['Content-Length', '8']]);
  });

  it('a streamed content response is not read until read()', () => {
    const response = new Response(200, { content: asyncStreamingBody() });
    expect(() => response.content).toThrow(ResponseNotRead);
    expect(response.isStreamConsumed).toBe(false);
    expect(response.numBytesDownloaded).toBe(0);
  });
});

describe('HTTPX decodes a Response built with content and Content-Encoding (test_decoders.py, test_responses.py)', () => {
  it('gzip content is decoded on construction, iterRaw still gives the wire bytes', async () => {
    const { gzipSync } = await import('node:zlib');
    const raw = gzipSync(Buffer.from('test 123'));
    const response = new Response(200, { headers: { 'Content-Encoding': 'gzip' }, content: raw });
    expect(response.text).toBe('test 123');
    expect(response.numBytesDownloaded).toBe(raw.byteLength);
    expect(Buffer.concat(await collect(response.iterRaw())).equals(raw)).toBe(true);
  });

  it('content: 123 and json: NaN are refused with a typed error', () => {
    expect(() => new Response(200, { content: 123 as unknown as string })).toThrow(
      "Unexpected type for 'content': 123",
    );
    expect(() => new Response(200, { json: Number.NaN })).toThrow(UsageError);
    expect(() => new Response(200, { json: Number.NaN })).toThrow(
      'Out of range float values are not JSON compliant: NaN',
    );
  });
});
