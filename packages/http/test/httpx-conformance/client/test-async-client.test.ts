// HTTPX tests/client/test_async_client.py (0.28): the cases test_client.py has no twin of. The
// twins are in test-client.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, MockTransport, Response, ResponseNotRead, type ResponseStream } from '../../../src/index.js';
import { httpxTestServer } from '../../support/httpx-test-app.js';
import type { TestServer } from '../../support/servers.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await httpxTestServer();
  url = `${server.url}/`;
});

afterAll(() => server.close());

const bytes = (chunk: string) => new TextEncoder().encode(chunk);

describe('HTTPX tests/client/test_async_client.py', () => {
  it('test_access_content_stream_response', async () => {
    await using client = new Client();
    const response = await client.stream('GET', url);
    await response.close();
    expect(response.statusCode).toBe(200);
    expect(() => response.content).toThrow(ResponseNotRead);
  });

  it('test_stream_request', async () => {
    async function* helloWorld() {
      yield bytes('Hello, ');
      yield bytes('world!');
    }
    await using client = new Client();
    const response = await client.post(url, { content: helloWorld() });
    expect(response.statusCode).toBe(200);
    // Beyond HTTPX's assertion: the chunks arrive, in order.
    const echoed = await client.post(`${server.url}/echo_body`, { content: helloWorld() });
    expect(echoed.text).toBe('Hello, world!');
  });

  // HTTPX's AsyncClient refuses a sync generator (RuntimeError). Ours has one client, and a sync
  // iterable of chunks is as good a body as an async one, so it is sent (migration guide).
  it('test_cannot_stream_sync_request (ours: a sync iterable is sent as the body)', async () => {
    function* helloWorld() {
      yield bytes('Hello, ');
      yield bytes('world!');
    }
    await using client = new Client();
    const response = await client.post(`${server.url}/echo_body`, { content: helloWorld() });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('Hello, world!');
  });

  it('test_100_continue', async () => {
    const content = bytes('Echo request body');
    await using client = new Client();
    const response = await client.post(`${server.url}/echo_body`, {
      headers: { Expect: '100-continue' },
      content,
    });
    expect(response.statusCode).toBe(200);
    expect(response.content).toEqual(content);
  });

  it('test_async_mock_transport', async () => {
    const helloWorld = async () => new Response(200, { text: 'Hello, world!' });
    await using client = new Client({ transport: new MockTransport(helloWorld) });
    const response = await client.get('https://www.example.com');
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('Hello, world!');
  });

  // HTTPX raises KeyboardInterrupt mid-stream; any error thrown while the body is read plays that part.
  it('test_cancellation_during_stream', async () => {
    let streamWasClosed = false;
    const interrupted = new Error('interrupted while streaming');
    const cancelledStream: ResponseStream = {
      async *[Symbol.asyncIterator]() {
        yield bytes('Hello');
        throw interrupted;
      },
      close() {
        streamWasClosed = true;
      },
    };
    await using client = new Client({
      transport: new MockTransport(
        () => new Response(200, { headers: { 'Content-Length': '12' }, stream: cancelledStream }),
      ),
    });
    await expect(client.get('https://www.example.com')).rejects.toBe(interrupted);
    expect(streamWasClosed).toBe(true);
  });
});
