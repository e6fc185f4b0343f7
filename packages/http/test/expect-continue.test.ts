import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { httpServer, readBody } from './support/servers.js';

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
});
