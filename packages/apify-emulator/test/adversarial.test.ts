import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, maxHeaderSize } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';

/**
 * Hostile and broken input against a persisted emulator over real HTTP. Each request must get a clean
 * 4xx in the API's error shape, leave the storage folder byte-for-byte and the API listing unchanged,
 * and the server must keep serving.
 */

const MAX_PAYLOAD = 4096;
const MAX_RECORD = 64 * 1024;
const BODY_TIMEOUT = 300;
const JSON_TYPE = { 'content-type': 'application/json' };
const HUGE_REQUEST = JSON.stringify({
  uniqueKey: 'big',
  url: `https://example.com/${'u'.repeat(10 * 1024 * 1024)}`,
});

interface Raw {
  status: number;
  body: string;
}

/** node:http keeps the path exactly as given (fetch would resolve `..` before sending it). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    // An explicit length: node:http frames a DELETE body with neither it nor chunked encoding.
    const framed =
      body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = httpRequest({ host: hostname, port, method, path, headers: framed, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    // The server may answer (413, 431) and close before a large body is fully written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

/** Every file under `dir` with the sha256 of its bytes. */
async function walk(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

describe('adversarial input to a persisted emulator', () => {
  let emulator: Emulator;
  let dir: string;
  let base: string;
  const ids = { dataset: '', store: '', queue: '' };

  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    return response.json();
  };

  /** Everything the API shows: listings with their timestamps, items, keys, records and requests. */
  const listing = async (): Promise<unknown> => ({
    datasets: await get('/v2/datasets?unnamed=1'),
    stores: await get('/v2/key-value-stores?unnamed=1'),
    queues: await get('/v2/request-queues?unnamed=1'),
    items: await get(`/v2/datasets/${ids.dataset}/items`),
    keys: await get(`/v2/key-value-stores/${ids.store}/keys`),
    record: await get(`/v2/key-value-stores/${ids.store}/records/config`),
    requests: await get(`/v2/request-queues/${ids.queue}/requests`),
  });

  let before: { files: Record<string, string>; api: unknown };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-adversarial-'));
    emulator = createEmulator({
      storageDir: dir,
      maxPayloadBytes: MAX_PAYLOAD,
      maxRecordBytes: MAX_RECORD,
      bodyTimeoutMs: BODY_TIMEOUT,
    });
    base = (await emulator.listen()).url;
    const created = async (path: string): Promise<string> => {
      const response = await fetch(`${base}${path}`, { method: 'POST' });
      return ((await response.json()) as { data: { id: string } }).data.id;
    };
    ids.dataset = await created('/v2/datasets?name=target');
    ids.store = await created('/v2/key-value-stores?name=target');
    ids.queue = await created('/v2/request-queues?name=target');
    const setup = [
      fetch(`${base}/v2/datasets/${ids.dataset}/items`, {
        method: 'POST',
        headers: JSON_TYPE,
        body: '[{"n":1},{"n":2}]',
      }),
      fetch(`${base}/v2/key-value-stores/${ids.store}/records/config`, {
        method: 'PUT',
        headers: JSON_TYPE,
        body: '{"depth":2}',
      }),
      fetch(`${base}/v2/request-queues/${ids.queue}/requests`, {
        method: 'POST',
        headers: JSON_TYPE,
        body: '{"uniqueKey":"a","url":"https://example.com/a"}',
      }),
      // A client with a key: a second key would flip hadMultipleClients, which is a write.
      fetch(`${base}/v2/request-queues/${ids.queue}/head?clientKey=first`),
    ];
    for (const response of await Promise.all(setup)) expect(response.ok).toBe(true);
    before = { files: await walk(dir), api: await listing() };
    expect(Object.keys(before.files).length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The case answered `status` with exactly this error, nothing changed, and the server still serves. */
  async function expectRefused(raw: Raw, status: number, type: string, message: string): Promise<void> {
    expect({ status: raw.status, body: JSON.parse(raw.body) as unknown }).toEqual({
      status,
      body: { error: { type, message } },
    });
    expect(await walk(dir)).toEqual(before.files);
    expect(await listing()).toEqual(before.api);
  }

  const ds = () => `/v2/datasets/${ids.dataset}`;
  const kvs = () => `/v2/key-value-stores/${ids.store}`;
  const rq = () => `/v2/request-queues/${ids.queue}`;
  const keyRule = (key: string) =>
    `The key '${key}' is invalid: keys are 1-256 characters of a-zA-Z0-9!-_.'() and not '.' or '..'`;
  const nameRule = (name: string) =>
    `Storage name '${name}' is invalid: use 1-63 characters a-z, A-Z, 0-9 and '-'`;
  const tooLarge = (limit: number, actual: number | null) =>
    `The POST payload is too large (limit: ${limit} bytes, actual length: ${actual === null ? `more than ${limit}` : actual} bytes).`;
  const notAnObject = 'The body must be a JSON object';

  type Case = [
    string,
    () => [method: string, path: string, headers: Record<string, string>, body?: string | Buffer],
    number,
    string,
    () => string,
  ];

  const cases: Case[] = [
    // Malformed JSON
    [
      'items: truncated JSON',
      () => ['POST', `${ds()}/items`, JSON_TYPE, '{"a":'],
      400,
      'invalid-request',
      () => 'POST data must be valid JSON',
    ],
    [
      'dataset update: truncated JSON',
      () => ['PUT', ds(), JSON_TYPE, '{"name":'],
      400,
      'invalid-request',
      () => 'The body must be valid JSON',
    ],
    [
      'queue add: truncated JSON',
      () => ['POST', `${rq()}/requests`, JSON_TYPE, '{'],
      400,
      'invalid-request',
      () => 'The body must be valid JSON',
    ],
    [
      'queue batch: truncated JSON',
      () => ['POST', `${rq()}/requests/batch`, JSON_TYPE, '[{"uniqueKey":'],
      400,
      'invalid-request',
      () => 'The body must be valid JSON',
    ],
    [
      'items: invalid UTF-8 is not JSON',
      () => ['POST', `${ds()}/items`, JSON_TYPE, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
      400,
      'invalid-request',
      () => 'POST data must be valid JSON',
    ],
    // JSON of the wrong shape
    [
      'items: a number',
      () => ['POST', `${ds()}/items`, JSON_TYPE, '42'],
      400,
      'invalid-request',
      () => 'POST data must be a JSON object or an array of JSON objects',
    ],
    [
      'items: one bad entry after a good one',
      () => ['POST', `${ds()}/items`, JSON_TYPE, '[{"a":1},"x"]'],
      400,
      'invalid-request',
      () =>
        'Dataset item at index 1 is not a JSON object: the API accepts only an object or an array of objects',
    ],
    [
      'dataset update: an array',
      () => ['PUT', ds(), JSON_TYPE, '[]'],
      400,
      'invalid-request',
      () => notAnObject,
    ],
    [
      'store update: null',
      () => ['PUT', kvs(), JSON_TYPE, 'null'],
      400,
      'invalid-request',
      () => notAnObject,
    ],
    [
      'queue update: a string',
      () => ['PUT', rq(), JSON_TYPE, '"renamed"'],
      400,
      'invalid-request',
      () => notAnObject,
    ],
    [
      'dataset update: a numeric name',
      () => ['PUT', ds(), JSON_TYPE, '{"name":42}'],
      400,
      'invalid-value',
      () => 'The name must be a string or null, got 42',
    ],
    [
      'queue add: an array',
      () => ['POST', `${rq()}/requests?clientKey=second`, JSON_TYPE, '[]'],
      400,
      'invalid-value',
      () => 'A request must be a JSON object',
    ],
    [
      'queue batch: an object',
      () => ['POST', `${rq()}/requests/batch?clientKey=second`, JSON_TYPE, '{}'],
      400,
      'invalid-value',
      () => 'The body must be an array of at most 25 requests',
    ],
    [
      'queue batch: a bad entry after a good one',
      () => [
        'POST',
        `${rq()}/requests/batch`,
        JSON_TYPE,
        '[{"uniqueKey":"b","url":"https://example.com/b"},7]',
      ],
      400,
      'invalid-value',
      () => 'A request must be a JSON object',
    ],
    [
      'queue batch delete: entries without id or uniqueKey',
      () => ['DELETE', `${rq()}/requests/batch?clientKey=second`, JSON_TYPE, '[{"url":"x"}]'],
      400,
      'invalid-value',
      () => 'Each entry needs an id or a uniqueKey',
    ],
    [
      'queue request update: null',
      () => ['PUT', `${rq()}/requests/abc?clientKey=second`, JSON_TYPE, 'null'],
      400,
      'invalid-value',
      () => 'Request.uniqueKey is required and must be a non-empty string',
    ],
    // Huge keys and values
    [
      'record key of 300 characters',
      () => ['PUT', `${kvs()}/records/${'k'.repeat(300)}`, {}, 'x'],
      400,
      'invalid-record-key',
      () => keyRule('k'.repeat(300)),
    ],
    [
      'record key of 100 KiB',
      () => ['PUT', `${kvs()}/records/${'k'.repeat(100 * 1024)}`, {}, 'x'],
      431,
      'request-headers-too-large',
      () => `The request line and headers exceed ${maxHeaderSize} bytes`,
    ],
    [
      'request URL of 10 MiB',
      () => ['POST', `${rq()}/requests`, JSON_TYPE, HUGE_REQUEST],
      413,
      'request-too-large',
      () => tooLarge(MAX_PAYLOAD, HUGE_REQUEST.length),
    ],
    // Path traversal in keys, names and IDs
    [
      'record key ../../etc/passwd (raw dot segments)',
      () => ['PUT', `${kvs()}/records/../../etc/passwd`, {}, 'x'],
      400,
      'invalid-record-key',
      () => "The key '../../etc/passwd' is invalid: keys must not contain '/' or be '.' or '..'",
    ],
    [
      'record key %2e%2e%2f…',
      () => ['PUT', `${kvs()}/records/%2e%2e%2f%2e%2e%2fetc%2fpasswd`, {}, 'x'],
      400,
      'invalid-record-key',
      () => keyRule('../../etc/passwd'),
    ],
    [
      'record key ..\\..\\windows',
      () => ['PUT', `${kvs()}/records/..%5C..%5Cwindows`, {}, 'x'],
      400,
      'invalid-record-key',
      () => keyRule('..\\..\\windows'),
    ],
    [
      'record key with a NUL byte',
      () => ['PUT', `${kvs()}/records/a%00b`, {}, 'x'],
      400,
      'invalid-record-key',
      () => keyRule('a\u0000b'),
    ],
    [
      'record key /etc/passwd (absolute)',
      () => ['PUT', `${kvs()}/records/%2Fetc%2Fpasswd`, {}, 'x'],
      400,
      'invalid-record-key',
      () => keyRule('/etc/passwd'),
    ],
    [
      'record key .. on delete',
      () => ['DELETE', `${kvs()}/records/%2e%2e`, {}],
      400,
      'invalid-record-key',
      () => "The key '..' is invalid: keys must not contain '/' or be '.' or '..'",
    ],
    [
      'dataset name ../../etc/passwd',
      () => ['POST', '/v2/datasets?name=..%2F..%2Fetc%2Fpasswd', {}],
      400,
      'invalid-value',
      () => nameRule('../../etc/passwd'),
    ],
    [
      'store name with a NUL byte',
      () => ['POST', '/v2/key-value-stores?name=a%00b', {}],
      400,
      'invalid-value',
      () => nameRule('a\u0000b'),
    ],
    [
      'queue name /etc/passwd',
      () => ['POST', '/v2/request-queues?name=%2Fetc%2Fpasswd', {}],
      400,
      'invalid-value',
      () => nameRule('/etc/passwd'),
    ],
    [
      'rename to ..\\x',
      () => ['PUT', ds(), JSON_TYPE, '{"name":"..\\\\x"}'],
      400,
      'invalid-value',
      () => nameRule('..\\x'),
    ],
    [
      'dataset ID ../../etc/passwd (raw dot segments)',
      () => ['GET', '/v2/datasets/../../etc/passwd', {}],
      400,
      'invalid-request',
      () => 'The request path must not contain dot segments',
    ],
    [
      'dataset ID %2e%2e%2f… on push',
      () => ['POST', '/v2/datasets/%2e%2e%2f%2e%2e%2fetc%2fpasswd/items', JSON_TYPE, '{}'],
      404,
      'record-not-found',
      () => "Dataset '../../etc/passwd' was not found",
    ],
    [
      'store ID /etc/passwd on write',
      () => ['PUT', '/v2/key-value-stores/%2Fetc%2Fpasswd/records/k', {}, 'x'],
      404,
      'record-not-found',
      () => "Key-value store '/etc/passwd' was not found",
    ],
    [
      'queue ID with a NUL byte',
      () => ['POST', '/v2/request-queues/a%00b/requests', JSON_TYPE, '{"uniqueKey":"x","url":"y"}'],
      404,
      'record-not-found',
      () => "Request queue 'a\u0000b' was not found",
    ],
    // Bodies over the limits
    [
      'items over maxPayloadBytes',
      () => ['POST', `${ds()}/items`, JSON_TYPE, JSON.stringify({ p: 'x'.repeat(MAX_PAYLOAD) })],
      413,
      'request-too-large',
      () => tooLarge(MAX_PAYLOAD, MAX_PAYLOAD + 8),
    ],
    [
      'record over maxRecordBytes',
      () => ['PUT', `${kvs()}/records/big`, {}, 'r'.repeat(MAX_RECORD + 1)],
      413,
      'request-too-large',
      () => tooLarge(MAX_RECORD, MAX_RECORD + 1),
    ],
    [
      'dataset update over maxPayloadBytes',
      () => ['PUT', ds(), JSON_TYPE, JSON.stringify({ name: 'n', pad: 'x'.repeat(MAX_PAYLOAD) })],
      413,
      'request-too-large',
      () => tooLarge(MAX_PAYLOAD, MAX_PAYLOAD + 21),
    ],
    // Invalid query parameters
    [
      'limit=-1',
      () => ['GET', `${ds()}/items?limit=-1`, {}],
      400,
      'invalid-parameter',
      () => "Parameter 'limit' must be at least 0, got -1",
    ],
    [
      'offset=abc',
      () => ['GET', `${ds()}/items?offset=abc`, {}],
      400,
      'invalid-parameter',
      () => "Parameter 'offset' must be an integer, got 'abc'",
    ],
    [
      'desc=maybe',
      () => ['GET', `${ds()}/items?desc=maybe`, {}],
      400,
      'invalid-parameter',
      () => "Parameter 'desc' must be a boolean (1, 0, true or false), got 'maybe'",
    ],
    [
      'format=xml',
      () => ['GET', `${ds()}/items?format=xml`, {}],
      400,
      'invalid-parameter',
      () => "Format 'xml' is not supported by the emulator; use json, jsonl or csv",
    ],
    [
      'keys limit=-1',
      () => ['GET', `${kvs()}/keys?limit=-1`, {}],
      400,
      'invalid-parameter',
      () => "Parameter 'limit' must be at least 0, got -1",
    ],
    [
      'head limit=abc',
      () => ['GET', `${rq()}/head?limit=abc`, {}],
      400,
      'invalid-parameter',
      () => "Parameter 'limit' must be an integer, got 'abc'",
    ],
    [
      'head lock lockSecs=0',
      () => ['POST', `${rq()}/head/lock?lockSecs=0`, {}],
      400,
      'invalid-parameter',
      () => "Parameter 'lockSecs' must be at least 1, got 0",
    ],
    [
      'datasets offset=1e3',
      () => ['GET', '/v2/datasets?offset=1e3', {}],
      400,
      'invalid-parameter',
      () => "Parameter 'offset' must be an integer, got '1e3'",
    ],
    // Wrong content types
    [
      'items as application/xml',
      () => ['POST', `${ds()}/items`, { 'content-type': 'application/xml' }, '{"a":1}'],
      400,
      'invalid-content-type-header',
      () => "Content-Type 'application/xml' is not accepted here: send the body as application/json",
    ],
    [
      'queue add as multipart',
      () => [
        'POST',
        `${rq()}/requests`,
        { 'content-type': 'multipart/form-data; boundary=x' },
        '{"uniqueKey":"m","url":"u"}',
      ],
      400,
      'invalid-content-type-header',
      () =>
        "Content-Type 'multipart/form-data; boundary=x' is not accepted here: send the body as application/json",
    ],
    [
      'store update as a form',
      () => ['PUT', kvs(), { 'content-type': 'application/x-www-form-urlencoded' }, 'name=x'],
      400,
      'invalid-content-type-header',
      () =>
        "Content-Type 'application/x-www-form-urlencoded' is not accepted here: send the body as application/json",
    ],
    [
      'Content-Encoding zstd',
      () => ['POST', `${ds()}/items`, { ...JSON_TYPE, 'content-encoding': 'zstd' }, '{"a":1}'],
      415,
      'unsupported-content-encoding',
      () => "Content-Encoding 'zstd' is not supported; use br, gzip, deflate or identity",
    ],
    // Compressed bodies: bombs stop at the decoded limit, garbage is a 400
    [
      'items gzip bomb (64 MiB of zeros)',
      () => [
        'POST',
        `${ds()}/items`,
        { ...JSON_TYPE, 'content-encoding': 'gzip' },
        gzipSync(Buffer.alloc(64 * 1024 * 1024)),
      ],
      413,
      'request-too-large',
      () => tooLarge(MAX_PAYLOAD, null),
    ],
    [
      'record br bomb',
      () => [
        'PUT',
        `${kvs()}/records/bomb`,
        { 'content-encoding': 'br' },
        brotliCompressSync(Buffer.alloc(16 * 1024 * 1024)),
      ],
      413,
      'request-too-large',
      () => tooLarge(MAX_RECORD, null),
    ],
    [
      'queue batch gzip bomb',
      () => [
        'POST',
        `${rq()}/requests/batch`,
        { ...JSON_TYPE, 'content-encoding': 'gzip' },
        gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)),
      ],
      413,
      'request-too-large',
      () => tooLarge(MAX_PAYLOAD, null),
    ],
    [
      'items that are not gzip',
      () => ['POST', `${ds()}/items`, { ...JSON_TYPE, 'content-encoding': 'gzip' }, 'not gzip at all'],
      400,
      'invalid-request',
      () => 'The request body could not be decoded as gzip',
    ],
    [
      'record that is not deflate',
      () => [
        'PUT',
        `${kvs()}/records/bad`,
        { 'content-encoding': 'deflate' },
        Buffer.from([0x78, 0x9c, 1, 2, 3, 4]),
      ],
      400,
      'invalid-request',
      () => 'The request body could not be decoded as deflate',
    ],
  ];

  it.each(cases)('%s', async (_name, request, status, type, message) => {
    const [method, path, headers, body] = request();
    await expectRefused(await send(base, method, path, headers, body), status, type, message());
  });

  it('a body that stalls after one byte gets 408 while other requests are served; nothing is stored', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      socket.on('close', () => resolve(text));
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = performance.now();
    socket.write(
      `POST ${ds()}/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[`,
    );
    // The stalled upload holds only its own request: a normal read completes meanwhile.
    expect(await get(`${ds()}/items`)).toEqual([{ n: 1 }, { n: 2 }]);
    const response = await Promise.race([
      answer,
      new Promise<string>((resolve) =>
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))),
      ),
    ]);
    socket.destroy();
    const elapsed = performance.now() - started;
    const [head = '', body = ''] = response.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(JSON.parse(body)).toEqual({
      error: {
        type: 'request-timeout',
        message: `The request body stalled: no bytes arrived for ${BODY_TIMEOUT} ms, so the request was dropped`,
      },
    });
    expect(elapsed).toBeGreaterThanOrEqual(BODY_TIMEOUT - 5);
    expect(await walk(dir)).toEqual(before.files);
    expect(await listing()).toEqual(before.api);
  });
});

describe('bodyTimeoutMs', () => {
  it('must be a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createEmulator({ bodyTimeoutMs: bad })).toThrow(
        `bodyTimeoutMs must be a positive number, got ${bad}`,
      );
    }
  });
});
