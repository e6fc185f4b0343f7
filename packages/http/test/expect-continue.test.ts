import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { httpServer, makeCertificates, readBody } from './support/servers.js';

describe('Expect: 100-continue', () => {
  it('completes and delivers the body over HTTP/1.1 (undici cannot write the header; the body goes at once)', async () => {
    const seen: Array<{ expect: string | undefined; body: string }> = [];
    await using server = await httpServer(async (req, res) => {
      seen.push({ expect: req.headers.expect, body: (await readBody(req)).toString() });
      res.end('stored');
    });
    await using client = new Client();
    const response = await client.post(server.url, {
      headers: { Expect: '100-continue' },
      content: 'payload',
    });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('stored');
    expect(seen).toEqual([{ expect: undefined, body: 'payload' }]);
  });

  it('completes and delivers the body over HTTP/2 the same way (no 100 Continue is waited for)', async () => {
    const certs = await makeCertificates();
    const seen: Array<{ expect: string | undefined; body: string }> = [];
    // A server that never sends 100 Continue: a client waiting for it would hang.
    const server = http2.createSecureServer({ cert: certs.cert, key: certs.key });
    server.on('stream', async (stream, headers) => {
      seen.push({ expect: headers.expect as string | undefined, body: await text(stream) });
      stream.respond({ ':status': 200 });
      stream.end('stored');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await using client = new Client({ verify: certs.caPath, http2: true });
      const response = await client.post(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        headers: { Expect: '100-continue' },
        content: 'payload',
      });
      expect([response.httpVersion, response.statusCode, response.text]).toEqual(['HTTP/2', 200, 'stored']);
      expect(seen).toEqual([{ expect: undefined, body: 'payload' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
