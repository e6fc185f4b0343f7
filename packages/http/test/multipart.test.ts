import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type FilesInit, Request, StreamConsumed } from '../src/index.js';
import { httpServer, type TestServer } from './support/servers.js';
import { report, sha256, startChildServer, type UploadReport, zerosSha256 } from './support/upload-server.js';

// `/redirect` answers 307 to `/` so the client has to resend the body.
let server: TestServer;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'pluggable-multipart-'));

beforeAll(async () => {
  server = await httpServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/redirect') {
      req.resume();
      await once(req, 'end');
      res.writeHead(307, { Location: '/' }).end();
      return;
    }
    try {
      const body = JSON.stringify(await report(req));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    } catch (error) {
      res.writeHead(400).end(String(error));
    }
  });
  base = server.url;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const VECTOR =
  '--+++\r\nContent-Disposition: form-data; name="message"\r\n\r\nHello, world!\r\n' +
  '--+++\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\n<file content>\r\n' +
  '--+++--\r\n';
const FILE_ONLY =
  '--+++\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\n<file content>\r\n' +
  '--+++--\r\n';
const PLUS = { 'Content-Type': 'multipart/form-data; boundary=+++' };

async function upload(
  files: FilesInit,
  options: {
    data?: Record<string, string | number | boolean | null | string[]>;
    headers?: Record<string, string>;
  } = {},
): Promise<UploadReport> {
  await using client = new Client({ trustEnv: false });
  const response = await client.post(`${base}/`, { files, ...options });
  expect(response.statusCode).toBe(200);
  return response.json<UploadReport>();
}

function bodyText(request: Request): string {
  return Buffer.from(request.content).toString('latin1');
}

describe('multipart encoding (HTTPX vectors)', () => {
  it('data + bytes file with boundary +++ is exactly the 210-byte HTTPX body', async () => {
    const request = new Request('POST', 'http://example.org/', {
      headers: PLUS,
      data: { message: 'Hello, world!' },
      files: { file: new TextEncoder().encode('<file content>') },
    });
    expect(request.headers.get('content-length')).toBe('210');
    expect(request.headers.get('content-type')).toBe('multipart/form-data; boundary=+++');
    await request.read();
    expect(bodyText(request)).toBe(VECTOR);
    expect(VECTOR.length).toBe(210);
  });

  it('the 210-byte body arrives on the wire unchanged and busboy parses it', async () => {
    const got = await upload(
      { file: Buffer.from('<file content>') },
      { data: { message: 'Hello, world!' }, headers: PLUS },
    );
    expect(got.headers['content-length']).toBe('210');
    expect(got.headers['transfer-encoding']).toBeUndefined();
    expect(got.raw).toBe(VECTOR);
    expect(got.parts.map((p) => [p.kind, p.name, p.filename, p.mimeType, p.text])).toEqual([
      ['field', 'message', null, 'text/plain', 'Hello, world!'],
      ['file', 'file', 'upload', 'application/octet-stream', '<file content>'],
    ]);
  });

  it('the file-only body is 138 bytes', async () => {
    const got = await upload({ file: Buffer.from('<file content>') }, { headers: PLUS });
    expect(got.headers['content-length']).toBe('138');
    expect(got.raw).toBe(FILE_ONLY);
  });

  it('honours a quoted boundary among other Content-Type parameters', async () => {
    const got = await upload(
      { file: Buffer.from('<file content>') },
      { headers: { 'Content-Type': 'multipart/form-data; charset=utf-8; boundary="+++"' } },
    );
    expect(got.headers['content-type']).toBe('multipart/form-data; charset=utf-8; boundary="+++"');
    expect(got.raw).toBe(FILE_ONLY);
  });

  it('a caller multipart Content-Type without a boundary gets ours, matching the body', async () => {
    const got = await upload(
      { file: Buffer.from('x') },
      { headers: { 'Content-Type': 'multipart/form-data' } },
    );
    const type = got.headers['content-type'] as string;
    expect(type).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{32}$/);
    const boundary = type.slice(type.indexOf('=') + 1);
    expect(got.raw?.startsWith(`--${boundary}\r\n`)).toBe(true);
    expect(got.raw?.endsWith(`--${boundary}--\r\n`)).toBe(true);
    expect(got.parts).toHaveLength(1);
  });

  it('appends our boundary to a caller Content-Type, keeping its other parameters', () => {
    const request = new Request('POST', 'http://example.org/', {
      files: { f: Buffer.from('x') },
      headers: { 'Content-Type': 'multipart/form-data; charset=utf-8' },
    });
    expect(request.headers.get('content-type')).toMatch(
      /^multipart\/form-data; charset=utf-8; boundary=[0-9a-f]{32}$/,
    );
  });

  it('a random boundary is 32 hex characters and differs per request', () => {
    const make = () =>
      new Request('POST', 'http://example.org/', { files: { f: Buffer.from('x') } }).headers.get(
        'content-type',
      );
    expect(make()).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{32}$/);
    expect(make()).not.toBe(make());
  });
});

describe('multipart parts', () => {
  it('filename null → no filename and no Content-Type; an explicit type is still sent', async () => {
    const request = new Request('POST', 'http://example.org/', {
      headers: PLUS,
      files: [
        ['a', [null, 'one']],
        ['b', [null, 'two', 'text/csv']],
      ],
    });
    await request.read();
    expect(bodyText(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n' +
        '--+++\r\nContent-Disposition: form-data; name="b"\r\nContent-Type: text/csv\r\n\r\ntwo\r\n--+++--\r\n',
    );
  });

  it('guesses the type from the extension, falling back to application/octet-stream', async () => {
    const got = await upload([
      ['f', ['a.png', Buffer.from([0x89, 0x50])]],
      ['f', ['notes.txt', 'hello']],
      ['f', ['data.unknownext', 'x']],
      ['f', ['noext', 'y']],
      ['f', ['a.png', 'z', 'image/webp']],
    ]);
    expect(got.parts.map((p) => [p.filename, p.mimeType])).toEqual([
      ['a.png', 'image/png'],
      ['notes.txt', 'text/plain'],
      ['data.unknownext', 'application/octet-stream'],
      ['noext', 'application/octet-stream'],
      ['a.png', 'image/webp'],
    ]);
  });

  it('writes extra part headers before the Content-Type, which beats the ctype argument', async () => {
    const request = new Request('POST', 'http://example.org/', {
      headers: PLUS,
      files: { f: ['r.txt', 'data', 'text/plain', { 'Content-Type': 'text/x-custom', 'X-Part': '1' }] },
    });
    await request.read();
    expect(bodyText(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="f"; filename="r.txt"\r\nX-Part: 1\r\nContent-Type: text/x-custom\r\n\r\ndata\r\n--+++--\r\n',
    );
  });

  it('sends two files under one field (array form) after the fields, lists repeating', async () => {
    const got = await upload(
      [
        ['docs', ['one.txt', 'first']],
        ['docs', ['two.txt', 'second']],
      ],
      { data: { tag: ['a', 'b'], flag: true, empty: null, n: 1.5 } },
    );
    expect(got.parts.map((p) => [p.kind, p.name, p.filename, p.text])).toEqual([
      ['field', 'tag', null, 'a'],
      ['field', 'tag', null, 'b'],
      ['field', 'flag', null, 'true'],
      ['field', 'empty', null, ''],
      ['field', 'n', null, '1.5'],
      ['file', 'docs', 'one.txt', 'first'],
      ['file', 'docs', 'two.txt', 'second'],
    ]);
  });

  it('escapes names: " → %22, \\ → \\\\, controls incl. ESC and DEL → %XX (UTF-8 kept raw)', async () => {
    const request = new Request('POST', 'http://example.org/', {
      headers: PLUS,
      files: { 'field"\x01\x1b\x1f\x7f': ['hello\\world"\nü.txt', 'x'] },
    });
    await request.read();
    expect(bodyText(request)).toContain(
      Buffer.from(
        'Content-Disposition: form-data; name="field%22%01%1B%1F%7F"; filename="hello\\\\world%22%0Aü.txt"\r\n',
      ).toString('latin1'),
    );
    const got = await upload({ 'say "hi"': ['Grüße "x".txt', 'x'] });
    expect(got.parts[0]).toMatchObject({ name: 'say %22hi%22', filename: 'Grüße %22x%22.txt' });
  });

  it('sends binary content byte for byte', async () => {
    const bytes = randomBytes(300_000);
    const got = await upload({ bin: ['blob.bin', bytes] }, { data: { note: 'binary follows' } });
    expect(got.parts[1]).toMatchObject({ kind: 'file', size: bytes.byteLength, sha256: sha256(bytes) });
  });
});

describe('multipart sources', () => {
  it('Blob and File: File uses its name, a bare Blob is "upload"; Content-Length is known', async () => {
    const got = await upload({
      blob: new Blob(['blob data']),
      file: new File(['file data'], 'report.csv'),
    });
    expect(got.headers['content-length']).toBe(String(got.size));
    expect(got.parts.map((p) => [p.filename, p.mimeType, p.text])).toEqual([
      ['upload', 'application/octet-stream', 'blob data'],
      ['report.csv', 'text/csv', 'file data'],
    ]);
  });

  it('fs.openAsBlob is sent with Content-Length and can be replayed on a 307', async () => {
    const path = join(dir, 'replay.bin');
    const bytes = randomBytes(200_000);
    writeFileSync(path, bytes);
    await using client = new Client({ trustEnv: false, followRedirects: true });
    const response = await client.post(`${base}/redirect`, {
      files: { f: ['replay.bin', await openAsBlob(path)] },
    });
    expect(response.history.map((r) => r.statusCode)).toEqual([307]);
    const got = response.json<UploadReport>();
    expect(got.headers['content-length']).toBe(String(got.size));
    expect(got.parts[0]).toMatchObject({ filename: 'replay.bin', size: 200_000, sha256: sha256(bytes) });
  });

  it('a Node stream goes out chunked, and is one-shot', async () => {
    const chunks = [Buffer.from('first,'), Buffer.from('second,'), Buffer.from('third')];
    const got = await upload({ s: ['s.txt', Readable.from(chunks)] }, { data: { a: '1' } });
    expect(got.headers['transfer-encoding']).toBe('chunked');
    expect(got.headers['content-length']).toBeUndefined();
    expect(got.parts.map((p) => p.text)).toEqual(['1', 'first,second,third']);

    await using client = new Client({ trustEnv: false, followRedirects: true });
    const error = await client
      .post(`${base}/redirect`, { files: { s: ['s.txt', Readable.from(chunks)] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamConsumed);
  });

  it('a whole-file fs.ReadStream gets Content-Length and its basename as filename', async () => {
    const path = join(dir, 'stream.json');
    writeFileSync(path, '{"a":1}');
    const got = await upload({ f: createReadStream(path) });
    expect(got.headers['content-length']).toBe(String(got.size));
    expect(got.parts[0]).toMatchObject({
      filename: 'stream.json',
      mimeType: 'application/json',
      text: '{"a":1}',
    });
    const ranged = await upload({ f: createReadStream(path, { start: 1 }) });
    expect(ranged.headers['transfer-encoding']).toBe('chunked');
    expect(ranged.parts[0]?.text).toBe('"a":1}');
  });
});

describe('a 1 GiB upload from disk', () => {
  let child: ChildProcess | null = null;
  let childUrl = '';

  beforeAll(async () => {
    ({ child, url: childUrl } = await startChildServer());
  });

  afterAll(async () => {
    if (child !== null && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    }
  });

  it.each([
    ['fs.createReadStream', (path: string) => Promise.resolve(createReadStream(path))],
    ['fs.openAsBlob', (path: string) => openAsBlob(path)],
  ])(
    'streams via %s with Content-Length, under 64 MiB RSS growth, matching byte for byte',
    async (_how, open) => {
      const size = 1 << 30;
      const path = join(dir, 'big.bin');
      writeFileSync(path, '');
      await truncate(path, size);
      try {
        const expected = zerosSha256(size);
        await using client = new Client({ trustEnv: false, timeout: 60_000 });
        // Warm up the same code path first, so the measurement is what the upload's size costs,
        // not first-use costs (JIT, the undici pool, GC tuning) that any upload would pay.
        // V8 collects external (Buffer) memory in ~64 MiB steps whose size it tunes on the first
        // large stream; a 256 MiB warm-up gets there, so the 1 GiB figure is the steady state.
        const warmPath = join(dir, 'warm.bin');
        writeFileSync(warmPath, '');
        await truncate(warmPath, 256 << 20);
        await client.post(`${childUrl}/`, { files: { warm: ['warm.bin', await open(warmPath)] } });
        rmSync(warmPath, { force: true });
        const rssBefore = process.memoryUsage().rss;
        let peak = rssBefore;
        // Sampling, not synchronisation: it records the peak while the upload runs.
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 20);
        let got: UploadReport;
        try {
          const response = await client.post(`${childUrl}/`, {
            data: { kind: 'big' },
            files: { big: ['big.bin', await open(path)] },
          });
          got = response.json<UploadReport>();
        } finally {
          clearInterval(sampler);
        }
        peak = Math.max(peak, process.memoryUsage().rss);
        expect(got.headers['content-length']).toBe(String(got.size));
        expect(got.headers['transfer-encoding']).toBeUndefined();
        expect(got.parts.map((p) => [p.kind, p.name, p.filename, p.size])).toEqual([
          ['field', 'kind', null, 3],
          ['file', 'big', 'big.bin', size],
        ]);
        expect(got.parts[1]?.sha256).toBe(expected);
        const growth = peak - rssBefore;
        expect(growth, `peak RSS growth ${(growth / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(64 * 1024 * 1024);
      } finally {
        rmSync(path, { force: true });
      }
    },
    180_000,
  );
});
