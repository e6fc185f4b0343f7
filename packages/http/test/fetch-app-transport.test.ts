import { setTimeout as delay } from 'node:timers/promises';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Client, type FetchAppInfo, FetchAppTransport } from '../src/index.js';

describe('FetchAppTransport', () => {
  it('delivers the first streamed chunk before the handler finishes', async () => {
    const events: string[] = [];
    const encoder = new TextEncoder();
    const app = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            for (const part of ['a', 'b', 'c']) {
              events.push(`app wrote ${part}`);
              controller.enqueue(encoder.encode(part));
              await delay(200);
            }
            events.push('app finished');
            controller.close();
          },
        }),
      );
    await using client = new Client({ transport: new FetchAppTransport({ app }) });
    const response = await client.stream('GET', 'http://testserver/events');
    for await (const chunk of response.iterText()) events.push(`client got ${chunk}`);
    await response.close();
    expect(events.indexOf('client got a')).toBeGreaterThan(-1);
    expect(events.indexOf('client got a')).toBeLessThan(events.indexOf('app finished'));
    expect(events.filter((e) => e.startsWith('client got')).join('')).toBe(
      'client got aclient got bclient got c',
    );
  });

  it('passes the full URL, method, headers, body and info (rootPath, client)', async () => {
    let seen: Record<string, unknown> = {};
    const app = async (request: Request, info: FetchAppInfo) => {
      seen = {
        url: request.url,
        method: request.method,
        header: request.headers.get('x-test'),
        body: await request.text(),
        info,
      };
      return new Response('ok', { status: 201, headers: { 'X-Reply': '1' } });
    };
    const transport = new FetchAppTransport({ app, rootPath: '/root', client: ['1.2.3.4', 5678] });
    await using client = new Client({ transport });
    const response = await client.post('http://testserver/root/path?q=1', {
      content: 'payload',
      headers: { 'X-Test': 'yes' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.get('x-reply')).toBe('1');
    expect(response.text).toBe('ok');
    expect(seen).toEqual({
      url: 'http://testserver/root/path?q=1',
      method: 'POST',
      header: 'yes',
      body: 'payload',
      info: { client: { address: '1.2.3.4', port: 5678 }, rootPath: '/root' },
    });
  });

  it('a Hono app works unchanged', async () => {
    const app = new Hono().get('/', (c) => c.text('hi'));
    await using client = new Client({
      transport: new FetchAppTransport({ app }),
      baseUrl: 'http://testserver',
    });
    const response = await client.get('/');
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('hi');
    expect((await client.get('/missing')).statusCode).toBe(404);
  });

  it('raises app errors by default, and answers 500 with raiseAppExceptions: false', async () => {
    const app = () => {
      throw new Error('kaput');
    };
    await using raising = new Client({ transport: new FetchAppTransport({ app }) });
    await expect(raising.get('http://testserver/')).rejects.toThrow('kaput');
    await using quiet = new Client({ transport: new FetchAppTransport({ app, raiseAppExceptions: false }) });
    expect((await quiet.get('http://testserver/')).statusCode).toBe(500);
  });
});
