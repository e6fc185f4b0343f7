// HTTPX tests/test_decoders.py (0.28): Content-Encoding and charset decoding of responses.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Client, DecodingError, Response } from '../../src/index.js';
import { httpServer } from '../support/servers.js';

const body = Buffer.from('test 123');
async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}
async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('HTTPX tests/test_decoders.py', () => {
  it('test_deflate (raw deflate)', () => {
    const response = new Response(200, {
      headers: { 'Content-Encoding': 'deflate' },
      content: zlib.deflateRawSync(body),
    });
    expect(response.text).toBe('test 123');
  });

  it('test_zlib (zlib-wrapped deflate)', () => {
    const response = new Response(200, {
      headers: { 'Content-Encoding': 'deflate' },
      content: zlib.deflateSync(body),
    });
    expect(response.text).toBe('test 123');
  });

  it('test_gzip', () => {
    const response = new Response(200, {
      headers: { 'Content-Encoding': 'gzip' },
      content: zlib.gzipSync(body),
    });
    expect(response.text).toBe('test 123');
  });

  it('test_brotli', () => {
    const response = new Response(200, {
      headers: { 'Content-Encoding': 'br' },
      content: zlib.brotliCompressSync(body),
    });
    expect(response.text).toBe('test 123');
  });

  it('test_multi (deflate, gzip: decoded in reverse order)', () => {
    const content = zlib.gzipSync(zlib.deflateSync(body));
    const response = new Response(200, { headers: { 'Content-Encoding': 'deflate, gzip' }, content });
    expect(response.text).toBe('test 123');
  });

  it('test_multi_with_identity', () => {
    const content = zlib.brotliCompressSync(body);
    for (const coding of ['br, identity', 'identity, br']) {
      expect(new Response(200, { headers: { 'Content-Encoding': coding }, content }).text).toBe('test 123');
    }
  });

  it('test_streaming', async () => {
    const compressed = zlib.gzipSync(body);
    const response = new Response(200, {
      headers: { 'Content-Encoding': 'gzip' },
      content: chunks(compressed.subarray(0, 5), compressed.subarray(5)),
    });
    expect(Buffer.from(await response.read()).toString()).toBe('test 123');
  });

  for (const coding of ['deflate', 'gzip', 'br', 'identity']) {
    it(`test_empty_content[${coding}]`, () => {
      const response = new Response(200, {
        headers: { 'Content-Encoding': coding },
        content: new Uint8Array(0),
      });
      expect(response.content.byteLength).toBe(0);
    });
    it(`test_decoders_empty_cases[${coding}]`, async () => {
      const response = new Response(200, { headers: { 'Content-Encoding': coding }, content: chunks() });
      expect(await collect(response.iterBytes())).toEqual([]);
    });
  }

  for (const coding of ['deflate', 'gzip', 'br']) {
    it(`test_decoding_errors[${coding}]`, async () => {
      const corrupt = Buffer.from('invalid');
      expect(() => new Response(200, { headers: { 'Content-Encoding': coding }, content: corrupt })).toThrow(
        DecodingError,
      );
      const streamed = new Response(200, {
        headers: { 'Content-Encoding': coding },
        content: chunks(corrupt),
      });
      await expect(streamed.read()).rejects.toThrow(DecodingError);
    });
  }

  it('test_text_decoder_with_bom', () => {
    const withBom = (bom: number[], text: Buffer) => new Uint8Array([...bom, ...text]);
    expect(new Response(200, { content: withBom([0xef, 0xbb, 0xbf], Buffer.from('hello')) }).text).toBe(
      'hello',
    );
    const utf16 = new Response(200, {
      content: withBom([0xff, 0xfe], Buffer.from('hello', 'utf16le')),
      headers: { 'Content-Type': 'text/plain; charset=utf-16' },
    });
    expect(utf16.text).toBe('hello');
  });

  it('test_text_decoder_known_encoding', async () => {
    const response = new Response(200, {
      headers: { 'Content-Type': 'text/html; charset=shift-jis' },
      content: chunks(
        new Uint8Array([0x83, 0x67]),
        new Uint8Array([0x83]),
        new Uint8Array([0x89, 0x83, 0x78, 0x83, 0x8b]),
      ),
    });
    await response.read();
    expect(response.text).toBe('トラベル');
  });

  it('test_text_decoder_empty_cases', async () => {
    expect(new Response(200).text).toBe('');
    expect(await collect(new Response(200, { content: chunks(new Uint8Array(0)) }).iterText())).toEqual([]);
  });

  it('test_streaming_text_decoder (a multi-byte character split across chunks)', async () => {
    const snowman = Buffer.from('☃');
    const response = new Response(200, {
      content: chunks(snowman.subarray(0, 1), snowman.subarray(1, 2), snowman.subarray(2)),
    });
    expect((await collect(response.iterText())).join('')).toBe('☃');
  });

  it('test_line_decoder_nl / test_line_decoder_cr / test_line_decoder_crnl', async () => {
    for (const [input, lines] of [
      [['a\n\nb\nc'], ['a', '', 'b', 'c']],
      [['a\r\rb\rc'], ['a', '', 'b', 'c']],
      [['a\r\n\r\nb\r\nc'], ['a', '', 'b', 'c']],
      [
        ['a\r', '\nb'],
        ['a', 'b'],
      ],
    ] as const) {
      const response = new Response(200, { content: chunks(...input.map((s) => Buffer.from(s))) });
      expect(await collect(response.iterLines())).toEqual(lines);
    }
  });

  // zstd: Node.js decodes it from 22.15 on. Each case asserts the branch this Node takes: the
  // HTTPX value where zstd is available, else a DecodingError naming the missing support.
  const zstdDecodes = typeof (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync === 'function';
  const zstdMissing = `Cannot decode a zstd response body: Node.js ${process.version} has no zstd support (zlib.createZstdDecompress needs Node.js 22.15 or later)`;
  // zstd frames of 'test 123', 'foo' and 'bar' (made with zlib.zstdCompressSync on Node 24), and a skippable frame.
  const zstdTest123 = Buffer.from('28b52ffd20084100007465737420313233', 'hex');
  const zstdFoo = Buffer.from('28b52ffd2003190000666f6f', 'hex');
  const zstdBar = Buffer.from('28b52ffd2003190000626172', 'hex');
  const skippable = Buffer.from('502a4d18' + '07000000' + '00000000000000', 'hex');
  const zstd = (content: Uint8Array | AsyncIterable<Uint8Array>) =>
    new Response(200, { headers: { 'Content-Encoding': 'zstd' }, content });

  it('test_zstd', async () => {
    if (zstdDecodes) {
      expect(zstd(zstdTest123).text).toBe('test 123');
      expect(Buffer.from(await zstd(chunks(zstdTest123)).read()).toString()).toBe('test 123');
    } else {
      expect(() => zstd(zstdTest123)).toThrow(new DecodingError(zstdMissing));
      await expect(zstd(chunks(zstdTest123)).read()).rejects.toThrow(new DecodingError(zstdMissing));
    }
  });

  it('test_zstd_decoding_error', async () => {
    const corrupt = Buffer.from('this_is_not_zstd_compressed_data');
    const message = zstdDecodes
      ? 'Failed to decode zstd response body: Unknown frame descriptor'
      : zstdMissing;
    expect(() => zstd(corrupt)).toThrow(new DecodingError(message));
    await expect(zstd(chunks(corrupt)).read()).rejects.toThrow(new DecodingError(message));
  });

  it('test_zstd_empty (an empty body is valid with or without zstd support)', async () => {
    expect(zstd(new Uint8Array(0)).content.byteLength).toBe(0);
    expect(await collect(zstd(chunks()).iterBytes())).toEqual([]);
  });

  it('test_zstd_truncated', async () => {
    for (const truncated of [zstdTest123.subarray(1, 3), zstdTest123.subarray(0, zstdTest123.length - 2)]) {
      expect(() => zstd(truncated)).toThrow(DecodingError);
      await expect(zstd(chunks(truncated)).read()).rejects.toThrow(DecodingError);
    }
    if (zstdDecodes) {
      expect(() => zstd(zstdTest123.subarray(0, zstdTest123.length - 2))).toThrow(
        new DecodingError('Failed to decode zstd response body: unexpected end of file'),
      );
    }
  });

  it('test_zstd_multiframe (two frames and a skippable frame between them, whole and byte by byte)', async () => {
    const data = Buffer.concat([zstdFoo, skippable, zstdBar]);
    const byteByByte = [...data].map((byte) => Uint8Array.of(byte));
    if (zstdDecodes) {
      expect(zstd(data).text).toBe('foobar');
      expect(Buffer.from(await zstd(chunks(data)).read()).toString()).toBe('foobar');
      expect(Buffer.from(await zstd(chunks(...byteByByte)).read()).toString()).toBe('foobar');
    } else {
      expect(() => zstd(data)).toThrow(new DecodingError(zstdMissing));
      await expect(zstd(chunks(...byteByByte)).read()).rejects.toThrow(new DecodingError(zstdMissing));
    }
  });

  it('zstd over the wire: offered in Accept-Encoding only where Node decodes it (issue 12)', async () => {
    await using server = await httpServer((req, res) => {
      res.setHeader('content-encoding', 'zstd');
      res.end(Buffer.concat([zstdFoo, zstdBar]));
      seen.push(req.headers['accept-encoding'] ?? '');
    });
    const seen: string[] = [];
    await using client = new Client({ trustEnv: false });
    if (zstdDecodes) {
      expect((await client.get(server.url)).text).toBe('foobar');
      expect(seen).toEqual(['gzip, deflate, br, zstd']);
    } else {
      await expect(client.get(server.url)).rejects.toThrow(new DecodingError(zstdMissing));
      expect(seen).toEqual(['gzip, deflate, br']);
    }
  });

  it('test_invalid_content_encoding_header (unknown codings are passed through)', () => {
    const response = new Response(200, { headers: { 'Content-Encoding': 'invalid-header' }, content: body });
    expect(response.text).toBe('test 123');
  });

  it('windows-1252 text decodes the same whole and streamed, on every Node (issue 12: Node 20 gave Latin-1)', async () => {
    await using server = await httpServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; charset=windows-1252');
      res.end(Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9]));
    });
    await using client = new Client({ trustEnv: false });
    const response = await client.get(server.url);
    expect(response.text).toBe('€ “q” é');
    expect(
      (
        await collect(new Response(200, { content: response.content, headers: response.headers }).iterText())
      ).join(''),
    ).toBe('€ “q” é');
  });

  it('UTF-8 bytes in a response header arrive as UTF-8 text, Latin-1 bytes as Latin-1 (HTTPX Headers.encoding)', async () => {
    await using server = await httpServer((req, res) => {
      // Node writes header strings one byte per character: this sends the UTF-8 (or Latin-1) bytes.
      const value = req.url === '/utf8' ? Buffer.from('Code point: ☃').toString('latin1') : 'Code point: ÿ';
      res.setHeader('x-custom', value);
      res.end();
    });
    await using client = new Client({ trustEnv: false });
    const utf8 = await client.get(`${server.url}/utf8`);
    expect(utf8.headers.get('x-custom')).toBe('Code point: ☃');
    expect(utf8.headers.encoding).toBe('utf-8');
    const latin1 = await client.get(`${server.url}/latin1`);
    expect(latin1.headers.get('x-custom')).toBe('Code point: ÿ');
    expect(latin1.headers.encoding).toBe('iso-8859-1');
  });
});
