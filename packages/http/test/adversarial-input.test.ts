import { once } from 'node:events';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Headers, InvalidURL, LocalProtocolError, Request, ResponseTooLarge } from '../src/index.js';
import { onRequestHead, type RawServer, rawServer } from './support/raw-server.js';
import { httpServer, type TestServer } from './support/servers.js';
import { report, type UploadReport } from './support/upload-server.js';

const CONTROL: Array<[string, string]> = [
  ['CR', '\r'],
  ['LF', '\n'],
  ['NUL', '\0'],
];

// Every request below must fail before a byte leaves the process: this server counts connections.
let target: RawServer;
beforeAll(async () => {
  target = await rawServer((socket) =>
    onRequestHead(socket, () => socket.write('HTTP/1.1 204 No Content\r\n\r\n')),
  );
});
afterAll(() => target.close());

async function rejected(run: () => Promise<unknown> | unknown): Promise<Error> {
  let error: unknown = null;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(Error);
  expect(target.accepted).toHaveLength(0);
  return error as Error;
}

function exactly(error: Error, type: new (...args: never[]) => Error, message: string): void {
  expect(error).toBeInstanceOf(type);
  expect(error.name).toBe(type.name);
  expect(error.message).toBe(message);
}

describe.each(CONTROL)('%s in request parts is refused before sending', (_label, char) => {
  const shown = JSON.stringify(char).slice(1, -1);

  it('header values and names (request, client and Headers)', async () => {
    await using client = new Client();
    const value = await rejected(() =>
      client.get(target.url, { headers: { 'X-Evil': `a${char}Injected: 1` } }),
    );
    exactly(value, LocalProtocolError, 'Invalid header value for "X-Evil": CR, LF and NUL are not allowed');
    const name = await rejected(() => client.get(target.url, { headers: { [`X-Evil${char}`]: 'v' } }));
    exactly(name, LocalProtocolError, `Invalid header name "X-Evil${shown}"`);
    const onClient = await rejected(() => {
      client.headers.set('X-Default', `v${char}`);
    });
    exactly(
      onClient,
      LocalProtocolError,
      'Invalid header value for "X-Default": CR, LF and NUL are not allowed',
    );
    const direct = await rejected(() => new Headers([['X-A', `1${char}2`]]));
    expect(direct).toBeInstanceOf(LocalProtocolError);
  });

  it('methods', async () => {
    await using client = new Client();
    const error = await rejected(() => client.request(`GET${char}`, target.url));
    exactly(error, LocalProtocolError, `Invalid HTTP method "GET${shown}"`);
    expect(await rejected(() => new Request(`GET ${char}/x`, target.url))).toBeInstanceOf(LocalProtocolError);
  });

  it('URLs: path, query, fragment and host, also through baseUrl', async () => {
    await using client = new Client();
    const port = target.port;
    const cases = [
      `http://127.0.0.1:${port}/a${char}b`,
      `http://127.0.0.1:${port}/?q=a${char}b`,
      `http://127.0.0.1:${port}/#a${char}b`,
      `http://127.0.0.1${char}.example:${port}/`,
    ];
    for (const url of cases) {
      const error = await rejected(() => client.get(url));
      exactly(
        error,
        InvalidURL,
        `Invalid non-printable ASCII character in URL, ${JSON.stringify(char)} at position ${url.indexOf(char)}.`,
      );
    }
    await using based = new Client({ baseUrl: target.url });
    const relative = await rejected(() => based.get(`/items${char}`));
    exactly(
      relative,
      InvalidURL,
      `Invalid non-printable ASCII character in URL, ${JSON.stringify(char)} at position 6.`,
    );
    const base = await rejected(() => new Client({ baseUrl: `${target.url}/v1${char}` }));
    expect(base).toBeInstanceOf(InvalidURL);
  });

  it('cookie names and values', async () => {
    await using client = new Client();
    const value = await rejected(() => client.get(target.url, { cookies: { session: `x${char}Set: y` } }));
    exactly(value, LocalProtocolError, 'Invalid header value for "Cookie": CR, LF and NUL are not allowed');
    const name = await rejected(() => client.get(target.url, { cookies: { [`s${char}`]: 'x' } }));
    exactly(name, LocalProtocolError, 'Invalid header value for "Cookie": CR, LF and NUL are not allowed');
  });

  it("multipart part headers and a file's content type", async () => {
    await using client = new Client();
    const type = await rejected(() =>
      client.post(target.url, { files: { upload: ['a.txt', 'data', `text/plain${char}X-Evil: 1`] } }),
    );
    exactly(
      type,
      LocalProtocolError,
      'Invalid content type for file field "upload": CR, LF and NUL are not allowed',
    );
    const extra = await rejected(() =>
      client.post(target.url, {
        files: { upload: ['a.txt', 'data', 'text/plain', { 'X-Part': `v${char}` }] },
      }),
    );
    exactly(extra, LocalProtocolError, 'Invalid header value for "X-Part": CR, LF and NUL are not allowed');
  });
});

// Where the documented behaviour is to encode rather than refuse, the control character must reach
// the server as data, never as protocol: checked on the wire.
describe('control characters that are encoded, not refused', () => {
  let seen: Array<{ url: string; headers: string[]; upload: UploadReport | null }>;
  let server: TestServer;
  beforeAll(async () => {
    seen = [];
    server = await httpServer(async (req, res) => {
      const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/');
      seen.push({
        url: req.url ?? '',
        headers: req.rawHeaders,
        upload: multipart ? await report(req) : null,
      });
      res.end();
    });
  });
  afterAll(() => server.close());

  it('params keys and values are percent-encoded into the query', async () => {
    await using client = new Client();
    await client.get(`${server.url}/p`, { params: { 'k\r\n': 'v\0\nX-Evil: 1' } });
    expect(seen.at(-1)?.url).toBe('/p?k%0D%0A=v%00%0AX-Evil%3A+1');
    expect(seen.at(-1)?.headers.includes('X-Evil')).toBe(false);
  });

  it('multipart field names and filenames escape control characters as %XX (HTML5 form encoding)', async () => {
    await using client = new Client();
    await client.post(`${server.url}/m`, {
      data: { 'field\r\nX-Evil: 1': 'v' },
      files: { 'file\0': ['name\r\n.txt', 'bytes', 'text/plain'] },
    });
    const upload = seen.at(-1)?.upload as UploadReport;
    expect(upload.parts.map((p) => [p.kind, p.name, p.filename, p.mimeType, p.text])).toEqual([
      ['field', 'field%0D%0AX-Evil: 1', null, 'text/plain', 'v'],
      ['file', 'file%00', 'name%0D%0A.txt', 'text/plain', 'bytes'],
    ]);
  });
});

describe('response size bounds', () => {
  const MiB = 1024 * 1024;
  const BOUND = 8 * MiB;
  const DECODED = 1024 * MiB;
  let gzipMember: Buffer;
  let brotliBomb: Buffer;

  beforeAll(async () => {
    // Concatenated gzip members decode as one stream: 1024 copies of 1 MiB of zeros is 1 GiB.
    gzipMember = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
    const brotli = zlib.createBrotliCompress({
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: DECODED },
    });
    const out: Buffer[] = [];
    brotli.on('data', (chunk: Buffer) => out.push(chunk));
    const zero = Buffer.alloc(MiB);
    for (let i = 0; i < 1024; i++) if (!brotli.write(zero)) await once(brotli, 'drain');
    brotli.end();
    await once(brotli, 'end');
    brotliBomb = Buffer.concat(out);
  }, 60_000);

  /** Serves `body` with `encoding`, then holds the response open: only the client can end the exchange. */
  async function bombServer(encoding: string, body: () => Iterable<Buffer>) {
    const closed: Array<Promise<unknown>> = [];
    let written = 0;
    const server = await httpServer(async (req, res) => {
      // Plain listeners: a reset socket emits 'error', which would reject an `once()` promise.
      const gone = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      closed.push(gone);
      res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Type': 'application/octet-stream' });
      for (const chunk of body()) {
        if (res.destroyed) return;
        written += chunk.byteLength;
        if (!res.write(chunk))
          await Promise.race([new Promise((resolve) => res.once('drain', resolve)), gone]);
      }
    });
    return { server, closed, written: () => written };
  }

  function peakRss(): { stop(): number } {
    const start = process.memoryUsage().rss;
    let peak = start;
    // Sampling for a measurement, not to wait for anything.
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    return {
      stop: () => {
        clearInterval(timer);
        return Math.max(peak, process.memoryUsage().rss) - start;
      },
    };
  }

  const bombs: Array<[string, () => Iterable<Buffer>, () => number]> = [
    [
      'gzip',
      function* () {
        for (let i = 0; i < 1024; i++) yield gzipMember;
      },
      () => gzipMember.byteLength * 1024,
    ],
    ['br', () => [brotliBomb], () => brotliBomb.byteLength],
  ];

  for (const [encoding, body, encodedSize] of bombs) {
    it(`a ${encoding} bomb (1 GiB of zeros) stops at maxResponseBytes, with bounded RSS, and the connection is dropped`, async () => {
      expect(encodedSize()).toBeLessThan(2 * MiB);
      const bomb = await bombServer(encoding, body);
      try {
        await using client = new Client({ maxResponseBytes: BOUND });
        const rss = peakRss();
        const started = performance.now();
        const error = await client.get(bomb.server.url).catch((e: unknown) => e);
        const grew = rss.stop();
        exactly(
          error as Error,
          ResponseTooLarge,
          `Response body exceeds maxResponseBytes (${BOUND} bytes) for url '${bomb.server.url}/'`,
        );
        expect(performance.now() - started).toBeLessThan(10_000);
        expect(grew).toBeLessThan(64 * MiB);
        // The server's response is still open; only our discarding the connection ends it.
        await Promise.all(bomb.closed);
        expect(bomb.closed).toHaveLength(1);
      } finally {
        await bomb.server.close();
      }
    }, 60_000);
  }

  it('an identity body streamed past the bound stops at the bound and the connection is dropped', async () => {
    const bomb = await bombServer('identity', function* () {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      for (let i = 0; i < 16 * 1024; i++) yield chunk; // 1 GiB if nobody stops it
    });
    try {
      await using client = new Client({ maxResponseBytes: BOUND });
      const rss = peakRss();
      const error = await client.get(bomb.server.url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseTooLarge);
      expect(rss.stop()).toBeLessThan(64 * MiB);
      await Promise.all(bomb.closed);
      // Socket buffers hold a few MiB at most: the server was stopped long before 1 GiB.
      expect(bomb.written()).toBeLessThan(BOUND + 32 * MiB);
    } finally {
      await bomb.server.close();
    }
  });

  it('a Content-Length above the bound fails before reading the body', async () => {
    const heads: string[] = [];
    await using server = await rawServer((socket) =>
      onRequestHead(socket, (head) => {
        heads.push(head);
        // Declares 1 GiB, sends a few bytes, then stalls: reading would wait for the read timeout.
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${DECODED}\r\n\r\nabc`);
      }),
    );
    await using client = new Client({ maxResponseBytes: BOUND, timeout: { read: 10_000 } });
    const started = performance.now();
    const error = await client.get(server.url).catch((e: unknown) => e);
    exactly(
      error as Error,
      ResponseTooLarge,
      `Response body exceeds maxResponseBytes (${BOUND} bytes) for url '${server.url}/'`,
    );
    expect(performance.now() - started).toBeLessThan(2000);
    await server.drained();
    expect(heads).toHaveLength(1);
  });

  it('a HEAD response declaring a length over the bound is not held against it', async () => {
    await using server = await httpServer((_req, res) => {
      res.setHeader('Content-Length', DECODED);
      res.end();
    });
    await using client = new Client({ maxResponseBytes: BOUND });
    const response = await client.head(server.url);
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(DECODED));
    expect(response.content.byteLength).toBe(0);
  });
});
