import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, VERSION } from '../src/index.js';

// A raw TCP server: it sees the request head exactly as written on the wire.
let server: net.Server;
let url: string;
const heads: string[] = [];

beforeAll(async () => {
  server = net.createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      heads.push(buffer.slice(0, end));
      buffer = '';
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function headerLines(head: string): string[] {
  return head.split('\r\n').slice(1);
}

describe('default headers on the wire', () => {
  it('sends Host first, then Accept, Accept-Encoding and User-Agent', async () => {
    await using client = new Client();
    const response = await client.get(`${url}/path?q=1`);
    expect(response.text).toBe('ok');
    const head = heads.at(-1) as string;
    expect(head.split('\r\n')[0]).toBe('GET /path?q=1 HTTP/1.1');
    const lines = headerLines(head).map((l) => l.toLowerCase());
    expect(lines[0]).toBe(`host: 127.0.0.1:${new URL(url).port}`);
    expect(lines).toContain('accept: */*');
    const acceptEncoding = lines.find((l) => l.startsWith('accept-encoding:'));
    const expected =
      typeof (await import('node:zlib')).createZstdDecompress === 'function'
        ? 'accept-encoding: gzip, deflate, br, zstd'
        : 'accept-encoding: gzip, deflate, br';
    expect(acceptEncoding).toBe(expected);
    expect(lines).toContain(`user-agent: pluggable-http/${VERSION}`);
    expect(VERSION).toBe((await import('../package.json', { with: { type: 'json' } })).default.version);
  });

  it('sends Content-Length: 0 for a body-less POST', async () => {
    await using client = new Client();
    await client.post(url);
    const lines = headerLines(heads.at(-1) as string).map((l) => l.toLowerCase());
    expect(lines).toContain('content-length: 0');
  });

  it('does not send a deleted default header', async () => {
    await using client = new Client();
    client.headers.delete('User-Agent');
    await client.get(url);
    const lines = headerLines(heads.at(-1) as string).map((l) => l.toLowerCase());
    expect(lines.some((l) => l.startsWith('user-agent'))).toBe(false);
  });
});
