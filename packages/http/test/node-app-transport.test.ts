import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Client, NodeAppTransport } from '../src/index.js';

interface ExpressLikeRequest extends IncomingMessage {
  originalUrl: string;
}

/** What an Express handler reads: method, url/originalUrl, headers, body and the peer address. */
async function expressStyle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  res.statusCode = 201;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Set-Cookie', ['a=1', 'b=2']);
  res.end(
    JSON.stringify({
      method: req.method,
      url: req.url,
      originalUrl: (req as ExpressLikeRequest).originalUrl,
      contentType: req.headers['content-type'],
      custom: req.headers['x-custom'],
      body: Buffer.concat(chunks).toString(),
      remoteAddress: req.socket.remoteAddress,
    }),
  );
}

describe('NodeAppTransport', () => {
  it('gives an Express-style handler method, path with scriptName, headers, body and remoteAddr', async () => {
    const transport = new NodeAppTransport({ app: expressStyle, scriptName: '/api', remoteAddr: '1.2.3.4' });
    await using client = new Client({ transport, baseUrl: 'http://testserver' });
    const response = await client.post('/api/items?x=1', {
      json: { name: 'widget' },
      headers: { 'X-Custom': 'yes' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getList('set-cookie')).toEqual(['a=1', 'b=2']);
    expect(response.json()).toEqual({
      method: 'POST',
      url: '/items?x=1',
      originalUrl: '/api/items?x=1',
      contentType: 'application/json',
      custom: 'yes',
      body: '{"name":"widget"}',
      remoteAddress: '1.2.3.4',
    });
    expect(client.cookies.get('b')).toBe('2');
  });

  it('streams a request body to the app and writeHead/write/end out', async () => {
    async function* parts(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('one,');
      yield new TextEncoder().encode('two');
    }
    const app = async (req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      res.writeHead(202, 'Accepted Later', { 'X-Length': String(text.length) });
      res.write('got:');
      res.end(text);
    };
    await using client = new Client({ transport: new NodeAppTransport({ app }) });
    const response = await client.put('http://testserver/', { content: parts() });
    expect(response.statusCode).toBe(202);
    expect(response.reasonPhrase).toBe('Accepted Later');
    expect(response.headers.get('x-length')).toBe('7');
    expect(response.text).toBe('got:one,two');
  });

  it('a throwing app raises its error by default', async () => {
    const app = () => {
      throw new Error('boom');
    };
    await using client = new Client({ transport: new NodeAppTransport({ app }) });
    await expect(client.get('http://testserver/')).rejects.toThrow('boom');
  });

  it('an async app that rejects, with raiseAppExceptions: false, becomes a 500', async () => {
    const app = async () => {
      throw new Error('boom');
    };
    const transport = new NodeAppTransport({ app, raiseAppExceptions: false });
    await using client = new Client({ transport });
    const response = await client.get('http://testserver/');
    expect(response.statusCode).toBe(500);
  });

  it('an error event on the response is raised', async () => {
    const app = (_req: IncomingMessage, res: ServerResponse) => {
      queueMicrotask(() => res.emit('error', new Error('stream broke')));
    };
    await using client = new Client({ transport: new NodeAppTransport({ app }) });
    await expect(client.get('http://testserver/')).rejects.toThrow('stream broke');
  });

  it('emits finish so on-finished style middleware runs', async () => {
    const events: string[] = [];
    const app = (_req: IncomingMessage, res: ServerResponse) => {
      res.on('finish', () => events.push('finish'));
      res.end('done');
    };
    await using client = new Client({ transport: new NodeAppTransport({ app }) });
    expect((await client.get('http://testserver/')).text).toBe('done');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(events).toEqual(['finish']);
  });
});
