// HTTPX tests/test_api.py (0.28): the one-off top-level functions, against a real loopback server.
import { describe, expect, it } from 'vitest';
import * as httpx from '../../src/index.js';
import { httpServer } from '../support/servers.js';

const hello = () =>
  httpServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(req.method === 'HEAD' ? undefined : 'Hello, world!'));
  });

describe('HTTPX tests/test_api.py', () => {
  it('test_get', async () => {
    await using server = await hello();
    const response = await httpx.get(server.url, { trustEnv: false });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('Hello, world!');
    expect(response.httpVersion).toBe('HTTP/1.1');
  });

  it('test_post', async () => {
    await using server = await hello();
    const response = await httpx.post(server.url, { content: 'Hello, world!', trustEnv: false });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
  });

  it('test_post_byte_iterator', async () => {
    await using server = await hello();
    async function* data(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('Hello');
      yield Buffer.from(', ');
      yield Buffer.from('world!');
    }
    const response = await httpx.post(server.url, { content: data(), trustEnv: false });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
  });

  for (const [name, call] of [
    ['test_options', httpx.options],
    ['test_head', httpx.head],
    ['test_put', httpx.put],
    ['test_patch', httpx.patch],
    ['test_delete', httpx.delete],
  ] as const) {
    it(name, async () => {
      await using server = await hello();
      const response = await call(server.url, { trustEnv: false });
      expect(response.statusCode).toBe(200);
      expect(response.reasonPhrase).toBe('OK');
    });
  }

  it('test_stream', async () => {
    await using server = await hello();
    const response = await httpx.stream('GET', server.url, { trustEnv: false });
    await response.read();
    await response.close();
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('Hello, world!');
    expect(response.httpVersion).toBe('HTTP/1.1');
  });

  it('test_get_invalid_url', async () => {
    await expect(httpx.get('invalid://example.org', { trustEnv: false })).rejects.toThrow(
      httpx.UnsupportedProtocol,
    );
  });
});
