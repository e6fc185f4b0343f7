import net, { type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BasicAuth, Client, HTTPStatusError, Request } from '../src/index.js';
import { httpServer } from './support/servers.js';

const SECRET = 'sentinel-s3cr3t';

function scan(value: unknown): string[] {
  const texts = [inspect(value, { depth: 8 }), String(value), JSON.stringify(value) ?? ''];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '');
  return texts.filter((t) => t.includes(SECRET) || t.includes(Buffer.from(`u:${SECRET}`).toString('base64')));
}

describe('secrets stay out of errors and inspect output', () => {
  it('masks Basic and Bearer credentials in messages but keeps ordinary prose', async () => {
    const { redactText } = await import('../src/internal/redact.js');
    expect(redactText('sent Bearer abc.def and Basic dXM6cA==')).toBe(
      'sent Bearer [secure] and Basic [secure]',
    );
    expect(redactText('Malformed Digest WWW-Authenticate header')).toBe(
      'Malformed Digest WWW-Authenticate header',
    );
    expect(redactText('proxy http://u:pw@h:1/ failed')).toBe('proxy http://u:[secure]@h:1/ failed');
  });

  it('redacts Authorization in requests, clients and headers', () => {
    const request = new Request('GET', `https://user:${SECRET}@example.org/`, {
      headers: { Authorization: `Bearer ${SECRET}`, 'Proxy-Authorization': `Basic ${SECRET}` },
    });
    expect(scan(request)).toEqual([]);
    expect(scan(request.headers)).toEqual([]);
    const client = new Client({ auth: ['u', SECRET], baseUrl: `https://u:${SECRET}@example.org` });
    expect(scan(client)).toEqual([]);
    expect(scan(new BasicAuth('u', SECRET))).toEqual([]);
  });

  it('keeps secrets out of connection, timeout and status errors', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await using client = new Client({
      headers: { Authorization: `Bearer ${SECRET}` },
      timeout: { read: 100 },
    });
    const refused = await client.get(`http://u:${SECRET}@127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(scan(refused)).toEqual([]);

    await using stalled = await httpServer(() => {});
    const timeout = await client
      .get(`http://u:${SECRET}@127.0.0.1:${stalled.port}/`)
      .catch((e: unknown) => e);
    expect((timeout as Error).name).toBe('ReadTimeout');
    expect(scan(timeout)).toEqual([]);

    await using failing = await httpServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const response = await client.get(`http://u:${SECRET}@127.0.0.1:${failing.port}/`);
    const status = (() => {
      try {
        response.raiseForStatus();
      } catch (error) {
        return error;
      }
    })();
    expect(status).toBeInstanceOf(HTTPStatusError);
    expect(scan(status)).toEqual([]);
    expect(scan(response)).toEqual([]);
  });
});
