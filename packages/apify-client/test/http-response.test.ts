import { describe, expect, it } from 'vitest';
import { FetchHttpClient, isHttpResponse } from '../src/index.js';
import { memoryResponse } from './helpers/recording-client.js';
import { json, startServer } from './helpers/servers.js';

class GetterResponse {
  reads = 0;
  statusCode = 200;
  headers = new Headers({ 'content-type': 'text/plain' });
  get text(): string {
    this.reads += 1;
    throw new Error('body consumed by a getter');
  }
  get content(): Uint8Array {
    this.reads += 1;
    throw new Error('body consumed by a getter');
  }
  json(): unknown {
    return null;
  }
  async read(): Promise<Uint8Array> {
    return new Uint8Array();
  }
  close(): void {}
  async *iterBytes(): AsyncIterable<Uint8Array> {}
}

describe('isHttpResponse', () => {
  it('accepts a plain object with every member and a class with getters, without invoking them', () => {
    expect(isHttpResponse(memoryResponse(200))).toBe(true);
    const response = new GetterResponse();
    expect(isHttpResponse(response)).toBe(true);
    expect(response.reads).toBe(0);
  });

  it('accepts a subclass whose getters live further up the prototype chain', () => {
    class Sub extends GetterResponse {}
    const response = new Sub();
    expect(isHttpResponse(response)).toBe(true);
    expect(response.reads).toBe(0);
  });

  it('rejects values missing members or with wrong member types', () => {
    expect(isHttpResponse(null)).toBe(false);
    expect(isHttpResponse('response')).toBe(false);
    const { iterBytes: _omitted, ...withoutIter } = memoryResponse(200);
    expect(isHttpResponse(withoutIter)).toBe(false);
    expect(isHttpResponse({ ...memoryResponse(200), statusCode: '200' })).toBe(false);
    expect(isHttpResponse({ ...memoryResponse(200), json: 'nope' })).toBe(false);
    expect(isHttpResponse({ ...memoryResponse(200), headers: { get: 1 } })).toBe(false);
    expect(isHttpResponse(new Response('x'))).toBe(false);
  });

  it('leaves a streamed response unread', async () => {
    await using server = await startServer((_req, res) => json(res, 200, { data: 'streamed' }));
    const client = new FetchHttpClient();
    const response = await client.call({ method: 'GET', url: server.url, stream: true });
    expect(isHttpResponse(response)).toBe(true);
    expect(() => response.text).toThrow(/not been read/);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.iterBytes()) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('{"data":"streamed"}');
  });
});
