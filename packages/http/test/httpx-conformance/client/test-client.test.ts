// HTTPX tests/client/test_client.py and the twins in tests/client/test_async_client.py (0.28): one
// async Client plays both httpx.Client and httpx.AsyncClient. Where the two files assert different
// values for one case, the test asserts both. Cases only the async file has are in
// test-async-client.test.ts.
import zlib from 'node:zlib';
import chardet from 'chardet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BaseTransport,
  Client,
  HTTPStatusError,
  InvalidURL,
  MockTransport,
  type Request,
  Response,
  UnsupportedProtocol,
  UsageError,
  VERSION,
} from '../../../src/index.js';
import { httpxTestServer } from '../../support/httpx-test-app.js';
import type { TestServer } from '../../support/servers.js';

let server: TestServer;
// HTTPX's `server.url`: the root, with its trailing slash.
let url: string;

beforeAll(async () => {
  server = await httpxTestServer();
  url = `${server.url}/`;
});

afterAll(() => server.close());

const helloWorld = () => new Response(200, { text: 'Hello, world!' });

// HTTPX's `autodetect`: chardet names the encoding of content that has no charset.
const autodetect = (content: Uint8Array): string => chardet.detect(content) ?? 'utf-8';

// French text with accents, sent as ISO-8859-1 bytes and no charset (HTTPX's case uses its own French passage).
const frenchText =
  "Les élèves de l'école du village préféraient les châteaux, les crêpes et le théâtre. " +
  'Où était le garçon qui avait mangé la pâtisserie près de la fenêtre? ' +
  "Même à Noël, on se promenait le long de la rivière jusqu'à la forêt, où l'été durait longtemps.";

/** The error a promise rejects with; a fulfilled promise fails the test. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the request to fail');
  return outcome;
}

// Latin-1 bytes of text whose every character is below U+0100.
const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

describe('HTTPX tests/client/test_client.py', () => {
  it('test_get', async () => {
    await using client = new Client({ http2: true });
    const response = await client.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.url.href).toBe(url);
    expect(response.content).toEqual(new TextEncoder().encode('Hello, world!'));
    expect(response.text).toBe('Hello, world!');
    // No TLS, so no ALPN: HTTP/1.1 even with http2 on, as HTTPX.
    expect(response.httpVersion).toBe('HTTP/1.1');
    expect(response.encoding).toBe('utf-8');
    expect(response.request.url.href).toBe(url);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.isRedirect).toBe(false);
    expect(String(response)).toBe('<Response [200 OK]>');
    expect(response.elapsed).toBeGreaterThan(0);
  });

  it('test_get_invalid_url [scheme-not-http(s)]', async () => {
    await using client = new Client();
    const error = await failure(client.get('invalid://example.org'));
    expect(error).toBeInstanceOf(UnsupportedProtocol);
    expect(error.message).toBe("Request URL has an unsupported protocol 'invalid://'.");
  });

  it('test_get_invalid_url [no-scheme]', async () => {
    await using client = new Client();
    const error = await failure(client.get('://example.org'));
    expect(error).toBeInstanceOf(UnsupportedProtocol);
    expect(error.message).toBe(
      "Request URL is missing an 'http://' or 'https://' protocol: '://example.org'.",
    );
  });

  it('test_get_invalid_url [no-host] (ours: InvalidURL, as the WHATWG parser refuses a URL with no host)', async () => {
    await using client = new Client();
    const error = await failure(client.get('http://'));
    expect(error).toBeInstanceOf(InvalidURL);
    expect(error.message).toBe("Invalid URL 'http://'");
  });

  it('test_build_request', async () => {
    await using client = new Client();
    const request = client.buildRequest('GET', `${server.url}/echo_headers`);
    request.headers.update({ 'Custom-header': 'value' });
    const response = await client.send(request);
    expect(response.statusCode).toBe(200);
    expect(response.url.href).toBe(`${server.url}/echo_headers`);
    expect((response.json() as Record<string, string>)['Custom-header']).toBe('value');
  });

  it('test_build_post_request', async () => {
    await using client = new Client();
    const request = client.buildRequest('POST', `${server.url}/echo_headers`);
    request.headers.update({ 'Custom-header': 'value' });
    const response = await client.send(request);
    expect(response.statusCode).toBe(200);
    expect(response.url.href).toBe(`${server.url}/echo_headers`);
    const echoed = response.json() as Record<string, string>;
    expect(echoed['Content-length']).toBe('0');
    expect(echoed['Custom-header']).toBe('value');
  });

  it('test_post', async () => {
    await using client = new Client();
    const response = await client.post(url, { content: 'Hello, world!' });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
  });

  it('test_post_json', async () => {
    await using client = new Client();
    const response = await client.post(url, { json: { text: 'Hello, world!' } });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
  });

  it('test_stream_response', async () => {
    await using client = new Client();
    const response = await client.stream('GET', url);
    const content = await response.read();
    await response.close();
    expect(response.statusCode).toBe(200);
    expect(new TextDecoder().decode(content)).toBe('Hello, world!');
    // The async twin also reads `content` once the body was read.
    expect(response.text).toBe('Hello, world!');
  });

  it('test_stream_iterator', async () => {
    await using client = new Client();
    let body = '';
    {
      await using response = await client.stream('GET', url);
      for await (const chunk of response.iterBytes()) body += new TextDecoder().decode(chunk);
      expect(response.statusCode).toBe(200);
    }
    expect(body).toBe('Hello, world!');
  });

  it('test_raw_iterator', async () => {
    await using client = new Client();
    let body = '';
    {
      await using response = await client.stream('GET', url);
      for await (const chunk of response.iterRaw()) body += new TextDecoder().decode(chunk);
      expect(response.statusCode).toBe(200);
    }
    expect(body).toBe('Hello, world!');
  });

  it('test_raise_for_status', async () => {
    await using client = new Client();
    for (const statusCode of [200, 400, 404, 500, 505]) {
      const response = await client.request('GET', `${server.url}/status/${statusCode}`);
      if (statusCode >= 400) {
        let raised: unknown;
        try {
          response.raiseForStatus();
        } catch (error) {
          raised = error;
        }
        expect(raised).toBeInstanceOf(HTTPStatusError);
        expect((raised as HTTPStatusError).response).toBe(response);
        expect((raised as HTTPStatusError).request.url.pathname).toBe(`/status/${statusCode}`);
      } else {
        expect(response.raiseForStatus()).toBe(response);
      }
    }
  });

  it('test_options', async () => {
    await using client = new Client();
    const response = await client.options(url);
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('Hello, world!');
  });

  it('test_head', async () => {
    await using client = new Client();
    const response = await client.head(url);
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('');
  });

  it('test_put', async () => {
    await using client = new Client();
    const response = await client.put(url, { content: 'Hello, world!' });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
  });

  it('test_patch', async () => {
    await using client = new Client();
    const response = await client.patch(url, { content: 'Hello, world!' });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
  });

  it('test_delete', async () => {
    await using client = new Client();
    const response = await client.delete(url);
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.text).toBe('Hello, world!');
  });

  it('test_base_url', async () => {
    await using client = new Client({ baseUrl: url });
    const response = await client.get('/');
    expect(response.statusCode).toBe(200);
    expect(response.url.href).toBe(url);
  });

  it('test_merge_absolute_url', () => {
    const client = new Client({ baseUrl: 'https://www.example.com/' });
    expect(client.buildRequest('GET', 'http://www.example.com/').url.href).toBe('http://www.example.com/');
  });

  it('test_merge_relative_url', () => {
    const client = new Client({ baseUrl: 'https://www.example.com/' });
    expect(client.buildRequest('GET', '/testing/123').url.href).toBe('https://www.example.com/testing/123');
  });

  it('test_merge_relative_url_with_path', () => {
    const client = new Client({ baseUrl: 'https://www.example.com/some/path' });
    expect(client.buildRequest('GET', '/testing/123').url.href).toBe(
      'https://www.example.com/some/path/testing/123',
    );
  });

  it('test_merge_relative_url_with_dotted_path', () => {
    const client = new Client({ baseUrl: 'https://www.example.com/some/path' });
    expect(client.buildRequest('GET', '../testing/123').url.href).toBe(
      'https://www.example.com/some/testing/123',
    );
  });

  it('test_merge_relative_url_with_path_including_colon', () => {
    const client = new Client({ baseUrl: 'https://www.example.com/some/path' });
    expect(client.buildRequest('GET', '/testing:123').url.href).toBe(
      'https://www.example.com/some/path/testing:123',
    );
  });

  it('test_merge_relative_url_with_encoded_slashes', () => {
    const client = new Client({ baseUrl: 'https://www.example.com/' });
    expect(client.buildRequest('GET', '/testing%2F123').url.href).toBe(
      'https://www.example.com/testing%2F123',
    );
    const based = new Client({ baseUrl: 'https://www.example.com/base%2Fpath' });
    expect(based.buildRequest('GET', '/testing').url.href).toBe(
      'https://www.example.com/base%2Fpath/testing',
    );
  });

  // HTTPX's `with Client(transport=...)` enters the transport, then closes and exits it. Ours has no
  // enter step (transports open on first use): leaving `await using` closes each transport once.
  it('test_context_managed_transport (no enter step: the transport is closed once on leaving await using)', async () => {
    const transport = new RecordingTransport('transport');
    {
      await using _client = new Client({ transport });
    }
    expect(transport.events).toEqual(['transport.close']);
  });

  it('test_context_managed_transport_and_mount (no enter step: each transport is closed once)', async () => {
    const transport = new RecordingTransport('transport');
    const mounted = new RecordingTransport('mounted');
    {
      await using _client = new Client({ transport, mounts: { 'http://www.example.org': mounted } });
    }
    expect(transport.events).toEqual(['transport.close']);
    expect(mounted.events).toEqual(['mounted.close']);
  });

  // HTTPX's RuntimeError is our UsageError. Re-entering a closed client has no counterpart: a
  // Client is opened by its first request, not by a `with` block.
  it('test_client_closed_state_using_implicit_open', async () => {
    const client = new Client({ transport: new MockTransport(helloWorld) });
    expect(client.isClosed).toBe(false);
    await client.get('http://example.com');
    expect(client.isClosed).toBe(false);
    await client.close();
    expect(client.isClosed).toBe(true);
    const error = await failure(client.get('http://example.com'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('Cannot send a request, as the client has been closed.');
  });

  it('test_client_closed_state_using_with_block', async () => {
    let outside: Client;
    {
      await using client = new Client({ transport: new MockTransport(helloWorld) });
      outside = client;
      expect(client.isClosed).toBe(false);
      await client.get('http://example.com');
    }
    expect(outside.isClosed).toBe(true);
    await expect(outside.get('http://example.com')).rejects.toBeInstanceOf(UsageError);
  });

  it('test_raw_client_header', async () => {
    const echoRawHeaders = (request: Request) => new Response(200, { json: request.headers.raw });
    await using client = new Client({
      transport: new MockTransport(echoRawHeaders),
      headers: { 'Example-Header': 'example-value' },
    });
    const response = await client.get('http://example.org/echo_headers');
    expect(response.statusCode).toBe(200);
    // Our Accept-Encoding lists what this Node.js decodes, and the User-Agent names this library.
    const acceptEncoding =
      typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function'
        ? 'gzip, deflate, br, zstd'
        : 'gzip, deflate, br';
    expect(response.json()).toEqual([
      ['Host', 'example.org'],
      ['Accept', '*/*'],
      ['Accept-Encoding', acceptEncoding],
      ['Connection', 'keep-alive'],
      ['User-Agent', `pluggable-http/${VERSION}`],
      ['Example-Header', 'example-value'],
    ]);
  });

  it('test_mounted_transport', async () => {
    await using client = new Client({
      transport: new MockTransport(() => new Response(200, { json: { app: 'unmounted' } })),
      mounts: { 'custom://': new MockTransport(() => new Response(200, { json: { app: 'mounted' } })) },
    });
    const unmounted = await client.get('https://www.example.com');
    expect(unmounted.statusCode).toBe(200);
    expect(unmounted.json()).toEqual({ app: 'unmounted' });
    const mounted = await client.get('custom://www.example.com');
    expect(mounted.statusCode).toBe(200);
    expect(mounted.json()).toEqual({ app: 'mounted' });
  });

  it('test_all_mounted_transport', async () => {
    await using client = new Client({
      mounts: { 'all://': new MockTransport(() => new Response(200, { json: { app: 'mounted' } })) },
    });
    const response = await client.get('https://www.example.com');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ app: 'mounted' });
  });

  it('test_server_extensions', async () => {
    await using client = new Client({ http2: true });
    const response = await client.get(`${server.url}/http_version_2`);
    expect(response.statusCode).toBe(200);
    // HTTPX's `extensions["http_version"]` is the bytes b"HTTP/1.1"; ours is the string.
    expect(response.extensions.httpVersion).toBe('HTTP/1.1');
  });

  it('test_client_decode_text_using_autodetect', async () => {
    await using client = new Client({
      transport: new MockTransport(() => new Response(200, { content: latin1(frenchText) })),
      defaultEncoding: autodetect,
    });
    const response = await client.get('http://www.example.com');
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.encoding).toBe('ISO-8859-1');
    expect(response.text).toBe(frenchText);
  });

  // HTTPX's body of this case passes `autodetect` again; the name says an explicit encoding, so that is what this one gives.
  it('test_client_decode_text_using_explicit_encoding', async () => {
    await using client = new Client({
      transport: new MockTransport(() => new Response(200, { content: latin1(frenchText) })),
      defaultEncoding: 'ISO-8859-1',
    });
    const response = await client.get('http://www.example.com');
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.encoding).toBe('ISO-8859-1');
    expect(response.text).toBe(frenchText);
  });
});

/** A transport that records being closed, as HTTPX's test transports record `close`. */
class RecordingTransport extends BaseTransport {
  readonly events: string[] = [];
  constructor(readonly name: string) {
    super();
  }
  override async handleRequest(): Promise<Response> {
    return helloWorld();
  }
  override async close(): Promise<void> {
    this.events.push(`${this.name}.close`);
  }
}
