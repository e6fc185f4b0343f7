import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import busboy from 'busboy';

// Upload parsing for multipart tests: busboy reports every part by size and sha256 (plus the
// bytes of small ones), and the raw body of small requests, so tests compare byte for byte
// without buffering large uploads.
export interface PartReport {
  kind: 'field' | 'file';
  name: string;
  filename: string | null;
  mimeType: string;
  size: number;
  sha256: string;
  text: string | null;
}
export interface UploadReport {
  headers: Record<string, string | string[] | undefined>;
  size: number;
  sha256: string;
  raw: string | null;
  parts: PartReport[];
}

const SMALL = 1 << 20;

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Parses a multipart request with busboy, hashing as it streams. */
export async function report(req: IncomingMessage): Promise<UploadReport> {
  const rawHash = createHash('sha256');
  const rawChunks: Buffer[] = [];
  let size = 0;
  const parts: Array<Promise<PartReport>> = [];
  const parser = busboy({ headers: req.headers, defParamCharset: 'utf8' });
  parser.on('field', (name, value, info) => {
    parts.push(
      Promise.resolve({
        kind: 'field',
        name,
        filename: null,
        mimeType: info.mimeType,
        size: Buffer.byteLength(value),
        sha256: sha256(value),
        text: value,
      }),
    );
  });
  parser.on('file', (name, stream, info) => {
    parts.push(
      (async (): Promise<PartReport> => {
        const hash = createHash('sha256');
        const small: Buffer[] = [];
        let fileSize = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          fileSize += chunk.byteLength;
          if (fileSize <= SMALL) small.push(chunk);
        }
        return {
          kind: 'file',
          name,
          filename: info.filename ?? null,
          mimeType: info.mimeType,
          size: fileSize,
          sha256: hash.digest('hex'),
          text: fileSize <= SMALL ? Buffer.concat(small).toString('latin1') : null,
        };
      })(),
    );
  });
  const closed = once(parser, 'close');
  for await (const chunk of req as AsyncIterable<Buffer>) {
    rawHash.update(chunk);
    size += chunk.byteLength;
    if (size <= SMALL) rawChunks.push(chunk);
    if (!parser.write(chunk)) await once(parser, 'drain');
  }
  parser.end();
  await closed;
  return {
    headers: req.headers,
    size,
    sha256: rawHash.digest('hex'),
    raw: size <= SMALL ? Buffer.concat(rawChunks).toString('latin1') : null,
    parts: await Promise.all(parts),
  };
}

// A sparse file reads back as zeros, so its expected sha256 is computed from a zero buffer
// without touching the disk twice.
export function zerosSha256(size: number): string {
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= zeros.byteLength) {
    hash.update(zeros.subarray(0, Math.min(left, zeros.byteLength)));
  }
  return hash.digest('hex');
}

// The 1 GiB upload is parsed in a child process, so the RSS measured here is the client's alone:
// the server's own 1 GiB of socket reads would otherwise share this heap's GC schedule.
const CHILD_SERVER = `
const http = require('node:http'), crypto = require('node:crypto'), busboy = require('busboy');
const server = http.createServer((req, res) => {
  const parser = busboy({ headers: req.headers });
  const parts = [];
  const raw = crypto.createHash('sha256');
  let size = 0;
  req.on('data', (c) => { size += c.length; raw.update(c); });
  parser.on('field', (name, value) => parts.push({ kind: 'field', name, filename: null, size: Buffer.byteLength(value) }));
  parser.on('file', (name, stream, info) => {
    const hash = crypto.createHash('sha256');
    let n = 0;
    stream.on('data', (c) => { n += c.length; hash.update(c); });
    stream.on('end', () => parts.push({ kind: 'file', name, filename: info.filename, size: n, sha256: hash.digest('hex') }));
  });
  parser.on('close', () => res.end(JSON.stringify({ headers: req.headers, size, sha256: raw.digest('hex'), raw: null, parts })));
  req.pipe(parser);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export async function startChildServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', CHILD_SERVER], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout as Readable }), 'line')) as [string];
  return { url: `http://127.0.0.1:${line.trim()}`, child };
}
