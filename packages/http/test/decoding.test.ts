import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Client, DecodingError } from '../src/index.js';
import { httpServer } from './support/servers.js';

const payload = Buffer.from('{"hello":"world","n":'.concat('1'.repeat(5000), '}'));

const bodies: Record<string, [string, Buffer]> = {
  '/gzip': ['gzip', zlib.gzipSync(payload)],
  '/deflate-raw': ['deflate', zlib.deflateRawSync(payload)],
  '/deflate-zlib': ['deflate', zlib.deflateSync(payload)],
  '/br': ['br', zlib.brotliCompressSync(payload)],
  '/br-identity': ['br, identity', zlib.brotliCompressSync(payload)],
  '/stacked': ['deflate, gzip', zlib.gzipSync(zlib.deflateSync(payload))],
  '/unknown': ['x-custom', payload],
  '/corrupt-gzip': ['gzip', Buffer.concat([zlib.gzipSync(payload).subarray(0, 20), Buffer.from('garbage')])],
  '/truncated-gzip': ['gzip', zlib.gzipSync(payload).subarray(0, 30)],
  '/empty-gzip': ['gzip', Buffer.alloc(0)],
};

describe('content decoding over HTTP', () => {
  it.each(['/gzip', '/deflate-raw', '/deflate-zlib', '/br', '/br-identity', '/stacked', '/unknown'])(
    'decodes %s',
    async (path) => {
      await using server = await httpServer((req, res) => {
        const [coding, body] = bodies[req.url as string] as [string, Buffer];
        res.setHeader('Content-Encoding', coding);
        res.end(body);
      });
      await using client = new Client();
      const response = await client.get(`${server.url}${path}`);
      expect(Buffer.from(response.content)).toEqual(payload);
      expect(response.json<{ hello: string }>().hello).toBe('world');
    },
  );

  it.each(['/corrupt-gzip', '/truncated-gzip'])('raises DecodingError for %s', async (path) => {
    await using server = await httpServer((req, res) => {
      const [coding, body] = bodies[req.url as string] as [string, Buffer];
      res.setHeader('Content-Encoding', coding);
      res.end(body);
    });
    await using client = new Client();
    await expect(client.get(`${server.url}${path}`)).rejects.toThrow(DecodingError);
  });

  it('accepts an empty gzip body', async () => {
    await using server = await httpServer((_req, res) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.end();
    });
    await using client = new Client();
    expect((await client.get(server.url)).content.byteLength).toBe(0);
  });

  it('decodes latin-1 text via the charset', async () => {
    await using server = await httpServer((_req, res) => {
      res.setHeader('Content-Type', 'text/plain; charset=latin-1');
      res.end(Buffer.from('café ÿ', 'latin1'));
    });
    await using client = new Client();
    const response = await client.get(server.url);
    expect(response.encoding).toBe('latin-1');
    expect(response.text).toBe('café ÿ');
  });

  it('streams decoded bytes from a gzip response', async () => {
    await using server = await httpServer((_req, res) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(zlib.gzipSync(payload));
    });
    await using client = new Client();
    const response = await client.stream('GET', server.url);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.iterBytes(1000)) chunks.push(chunk);
    expect(chunks.every((c, i) => c.byteLength === 1000 || i === chunks.length - 1)).toBe(true);
    expect(Buffer.concat(chunks)).toEqual(payload);
    expect(response.numBytesDownloaded).toBe(zlib.gzipSync(payload).byteLength);
  });
});
