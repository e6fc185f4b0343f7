// HTTPX tests/test_content.py (0.28): request and response bodies and the headers they imply.
import { describe, expect, it } from 'vitest';
import { Client, MockTransport, Request, Response, UsageError } from '../../src/index.js';

const post = (init: ConstructorParameters<typeof Request>[2]) =>
  new Request('POST', 'https://www.example.com', init);
const implied = (request: Request) => request.headers.raw.filter(([name]) => name !== 'Host');
const body = async (request: Request) => Buffer.from(await request.read()).toString('utf8');

describe('HTTPX tests/test_content.py', () => {
  it('test_empty_content', async () => {
    const request = new Request('GET', 'https://www.example.com');
    expect(implied(request)).toEqual([]);
    expect(await body(request)).toBe('');
  });

  it('test_bytes_content', async () => {
    const request = post({ content: new TextEncoder().encode('Hello, world!') });
    expect(implied(request)).toEqual([['Content-Length', '13']]);
    expect(await body(request)).toBe('Hello, world!');
  });

  it('test_iterator_content / test_aiterator_content', async () => {
    async function* hello() {
      yield new TextEncoder().encode('Hello, ');
      yield new TextEncoder().encode('world!');
    }
    const request = post({ content: hello() });
    expect(implied(request)).toEqual([['Transfer-Encoding', 'chunked']]);
    expect(await body(request)).toBe('Hello, world!');
  });

  it('test_json_content', async () => {
    const request = post({ json: { Hello: 'world!' } });
    expect(implied(request)).toEqual([
      ['Content-Length', '18'],
      ['Content-Type', 'application/json'],
    ]);
    expect(await body(request)).toBe('{"Hello":"world!"}');
  });

  it('test_urlencoded_content', async () => {
    const request = post({ data: { Hello: 'world!' } });
    expect(implied(request)).toEqual([
      ['Content-Length', '14'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ]);
    expect(await body(request)).toBe('Hello=world%21');
  });

  it('test_urlencoded_boolean', async () => {
    expect(await body(post({ data: { example: true } }))).toBe('example=true');
  });

  it('test_urlencoded_none', async () => {
    expect(await body(post({ data: { example: null } }))).toBe('example=');
  });

  it('test_urlencoded_list', async () => {
    expect(await body(post({ data: { example: ['a', 1, true] } }))).toBe('example=a&example=1&example=true');
  });

  it('test_multipart_files_content', async () => {
    const request = post({
      headers: { 'Content-Type': 'multipart/form-data; boundary=+++' },
      files: { file: ['upload', 'Hello, world!'] },
    });
    const expected =
      '--+++\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\nHello, world!\r\n--+++--\r\n';
    expect(implied(request)).toEqual([
      ['Content-Type', 'multipart/form-data; boundary=+++'],
      ['Content-Length', String(expected.length)],
    ]);
    expect(await body(request)).toBe(expected);
  });

  it('test_multipart_data_and_files_content', async () => {
    const request = post({
      headers: { 'Content-Type': 'multipart/form-data; boundary=+++' },
      data: { message: 'Hello, world!' },
      files: { file: ['upload', 'Hello, world!'] },
    });
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="message"\r\n\r\nHello, world!\r\n' +
        '--+++\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\nHello, world!\r\n--+++--\r\n',
    );
  });

  it('test_empty_request', async () => {
    const request = post({ data: {}, files: {} });
    expect(implied(request)).toEqual([['Content-Length', '0']]);
    expect(await body(request)).toBe('');
  });

  it('test_invalid_argument', () => {
    expect(() => post({ content: 123 as unknown as string })).toThrow(UsageError);
    expect(() => post({ content: { a: 1 } as unknown as string })).toThrow("Unexpected type for 'content'");
  });

  it('test_multipart_multiple_files_single_input_content', async () => {
    const request = post({
      headers: { 'Content-Type': 'multipart/form-data; boundary=+++' },
      files: [
        ['file', ['a.txt', 'A']],
        ['file', ['b.txt', 'B']],
      ],
    });
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nA\r\n' +
        '--+++\r\nContent-Disposition: form-data; name="file"; filename="b.txt"\r\nContent-Type: text/plain\r\n\r\nB\r\n--+++--\r\n',
    );
  });

  it('test_response_empty_content', () => {
    const response = new Response(200);
    expect(response.headers.raw).toEqual([]);
    expect(response.content.byteLength).toBe(0);
  });

  it('test_response_bytes_content', () => {
    const response = new Response(200, { content: new TextEncoder().encode('Hello, world!') });
    expect(response.headers.raw).toEqual([['Content-Length', '13']]);
    expect(response.text).toBe('Hello, world!');
  });

  it('test_response_iterator_content / test_response_aiterator_content', async () => {
    async function* hello() {
      yield new TextEncoder().encode('Hello, ');
      yield new TextEncoder().encode('world!');
    }
    const response = new Response(200, { content: hello() });
    expect(response.headers.raw).toEqual([['Transfer-Encoding', 'chunked']]);
    await response.read();
    expect(response.text).toBe('Hello, world!');
  });

  it('test_response_invalid_argument', () => {
    expect(() => new Response(200, { content: 123 as unknown as string })).toThrow(
      "Unexpected type for 'content': 123",
    );
  });

  it('test_ensure_ascii_false_with_french_characters', async () => {
    expect(await body(post({ json: { greeting: 'Bonjour, ça va ?' } }))).toBe(
      '{"greeting":"Bonjour, ça va ?"}',
    );
  });

  it('test_separators_for_compact_json', async () => {
    expect(await body(post({ json: { greeting: 'hello', recipient: 'world' } }))).toBe(
      '{"greeting":"hello","recipient":"world"}',
    );
  });

  it('test_allow_nan_false', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => post({ json: { number: value } })).toThrow(
        `Out of range float values are not JSON compliant: ${value}`,
      );
    }
  });
});

describe('loose input is a typed error naming the bad value, before anything is sent (issue 12)', () => {
  it('circular JSON, object params and object form values', async () => {
    let sent = 0;
    await using client = new Client({
      transport: new MockTransport(() => {
        sent += 1;
        return new Response(200);
      }),
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(client.post('http://example.org/', { json: circular })).rejects.toThrow(UsageError);
    await expect(client.post('http://example.org/', { json: circular })).rejects.toThrow(
      /^Value is not JSON serializable: Converting circular structure to JSON/,
    );
    await expect(
      client.get('http://example.org/', {
        params: { filter: { a: 1 } } as unknown as Record<string, string>,
      }),
    ).rejects.toThrow(
      'Invalid type for query param "filter": expected a string, number, boolean, bigint or null, got an object',
    );
    await expect(
      client.post('http://example.org/', { data: { a: { b: 1 } } as unknown as Record<string, string> }),
    ).rejects.toThrow('Invalid type for form field "a"');
    await expect(client.get('http://example.org/', { params: 42 as unknown as string })).rejects.toThrow(
      'Invalid params: expected an object, pairs, a string, URLSearchParams or QueryParams, got 42',
    );
    expect(sent).toBe(0);
  });
});
