import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { httpServer, readBody } from './support/servers.js';

describe('Expect: 100-continue', () => {
  it('a request with Expect: 100-continue completes and delivers its body (HTTP/1.1)', async () => {
    const bodies: string[] = [];
    await using server = await httpServer(async (req, res) => {
      bodies.push((await readBody(req)).toString());
      res.end('stored');
    });
    await using client = new Client();
    const response = await client.post(server.url, {
      headers: { Expect: '100-continue' },
      content: 'payload',
    });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('stored');
    expect(bodies).toEqual(['payload']);
  });
});
