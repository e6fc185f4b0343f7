import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Client, Request, UsageError } from '../src/index.js';
import { httpServer, readBody } from './support/servers.js';

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function capture(send: (client: Client, url: string) => Promise<unknown>): Promise<Seen[]> {
  const seen: Seen[] = [];
  await using server = await httpServer(async (req, res) => {
    seen.push({ headers: req.headers, body: await readBody(req) });
    res.end('ok');
  });
  await using client = new Client();
  await send(client, server.url);
  return seen;
}

describe('request bodies', () => {
  it('sends content bytes and strings with Content-Length', async () => {
    const [text, bytes] = await capture(async (client, url) => {
      await client.post(url, { content: 'héllo' });
      await client.post(url, { content: new Uint8Array([0, 1, 2, 255]) });
    });
    expect(text?.body).toEqual(Buffer.from('héllo', 'utf8'));
    expect(text?.headers['content-length']).toBe('6');
    expect(bytes?.body).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(bytes?.headers['content-length']).toBe('4');
  });

  it('form-encodes data', async () => {
    const [seen] = await capture((client, url) =>
      client.post(url, { data: { a: 'b c', x: ['1', '2'], t: true, n: null } }),
    );
    expect(seen?.body.toString()).toBe('a=b+c&x=1&x=2&t=true&n=');
    expect(seen?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen?.headers['content-length']).toBe('23');
  });

  it('sends compact UTF-8 JSON', async () => {
    const [seen] = await capture((client, url) => client.post(url, { json: { a: 'é', b: null, c: true } }));
    expect(seen?.body.toString('utf8')).toBe('{"a":"é","b":null,"c":true}');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é","b":null,"c":true}')));
  });

  it('sends a streamed body chunked', async () => {
    const [seen] = await capture((client, url) =>
      client.post(url, { content: Readable.from([Buffer.from('ab'), Buffer.from('cd')]) }),
    );
    expect(seen?.body.toString()).toBe('abcd');
    expect(seen?.headers['transfer-encoding']).toBe('chunked');
    expect(seen?.headers['content-length']).toBeUndefined();
  });

  it('sends an async generator body chunked', async () => {
    async function* chunks() {
      yield new TextEncoder().encode('x');
      yield new TextEncoder().encode('yz');
    }
    const [seen] = await capture((client, url) => client.post(url, { content: chunks() }));
    expect(seen?.body.toString()).toBe('xyz');
    expect(seen?.headers['transfer-encoding']).toBe('chunked');
  });

  it('sends a web ReadableStream body chunked', async () => {
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('we'));
        controller.enqueue(new TextEncoder().encode('b!'));
        controller.close();
      },
    });
    const [seen] = await capture((client, url) => client.post(url, { content: web }));
    expect(seen?.body.toString()).toBe('web!');
    expect(seen?.headers['transfer-encoding']).toBe('chunked');
  });

  it('rejects two body kinds with a typed error before sending anything', async () => {
    const seen = await capture(async (client, url) => {
      await expect(client.post(url, { content: 'a', json: { b: 1 } })).rejects.toThrow(UsageError);
      await expect(client.post(url, { data: { a: '1' }, json: 1 })).rejects.toThrow(
        "Pass only one of 'data' and 'json': they are all request bodies",
      );
    });
    expect(seen).toEqual([]);
  });

  it('rejects NaN in JSON and a dict as content', () => {
    expect(() => new Request('POST', 'http://x/', { json: { a: Number.NaN } })).toThrow(UsageError);
    expect(() => new Request('POST', 'http://x/', { content: {} as unknown as string })).toThrow(
      "Unexpected type for 'content': [object Object]",
    );
  });

  it('builds requests with HTTPX header order and lengths', () => {
    const post = new Request('POST', 'http://www.example.com');
    expect(post.headers.raw).toEqual([
      ['Host', 'www.example.com'],
      ['Content-Length', '0'],
    ]);
    const json = new Request('POST', 'http://www.example.com', { json: { Hello: 'world!' } });
    expect(new TextDecoder().decode(json.content)).toBe('{"Hello":"world!"}');
    expect(json.headers.get('content-length')).toBe('18');
    const data = new Request('POST', 'http://x', { data: { example: ['a', 1, true] } });
    expect(new TextDecoder().decode(data.content)).toBe('example=a&example=1&example=true');
  });
});
