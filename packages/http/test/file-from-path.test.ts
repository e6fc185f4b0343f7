import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, fileFromPath, RequestAborted, UsageError } from '../src/index.js';
import { httpServer, readBody, type TestServer } from './support/servers.js';
import { report, sha256, type UploadReport } from './support/upload-server.js';

const dir = mkdtempSync(join(tmpdir(), 'pluggable-file-from-path-'));
// Not a multiple of the 256 KiB read size, so the last short chunk is exercised too.
const bytes = randomBytes(3 * 1024 * 1024 + 12_345);
const path = join(dir, 'payload.bin');
writeFileSync(path, bytes);

let server: TestServer;
let stalledRequest: ((req: IncomingMessage) => void) | null = null;

beforeAll(async () => {
  server = await httpServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/stall') {
      stalledRequest?.(req);
      return;
    }
    if (req.url === '/raw') {
      const body = await readBody(req);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          length: req.headers['content-length'] ?? null,
          te: req.headers['transfer-encoding'] ?? null,
          sha256: sha256(body),
        }),
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(await report(req)));
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// The descriptors this process holds on `target`, read from /proc so no file API is mocked.
function openDescriptorsOn(target: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === target;
    } catch {
      return false;
    }
  }).length;
}

describe('fileFromPath', () => {
  it('uploads a multipart file with its exact bytes, name and a Content-Length', async () => {
    await using client = new Client();
    const files = { upload: await fileFromPath(path) };
    const response = await client.post(`${server.url}/`, { files });
    const got = response.json() as UploadReport;
    expect(got.headers['transfer-encoding']).toBeUndefined();
    expect(Number(got.headers['content-length'])).toBe(got.size);
    expect(got.parts).toHaveLength(1);
    expect(got.parts[0]).toMatchObject({
      kind: 'file',
      name: 'upload',
      filename: 'payload.bin',
      mimeType: 'application/octet-stream',
      size: bytes.byteLength,
      sha256: sha256(bytes),
    });
    expect(openDescriptorsOn(path)).toBe(0);
  });

  it('sends a file as `content` with Content-Length and no chunked encoding', async () => {
    await using client = new Client();
    const response = await client.post(`${server.url}/raw`, { content: await fileFromPath(path) });
    expect(response.json()).toEqual({ length: String(bytes.byteLength), te: null, sha256: sha256(bytes) });
  });

  it('rereads the file when a redirect resends the body', async () => {
    const redirecting = await httpServer(async (req, res) => {
      await readBody(req);
      if (req.url === '/first') res.writeHead(307, { Location: `${server.url}/raw` }).end();
      else res.writeHead(404).end();
    });
    try {
      await using client = new Client({ followRedirects: true });
      const response = await client.post(`${redirecting.url}/first`, { content: await fileFromPath(path) });
      expect(response.json()).toEqual({ length: String(bytes.byteLength), te: null, sha256: sha256(bytes) });
    } finally {
      await redirecting.close();
    }
  });

  it('closes the file when the request is aborted mid-upload', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 0x61));
    const arrived = new Promise<IncomingMessage>((resolve) => {
      stalledRequest = resolve;
    });
    await using client = new Client();
    const controller = new AbortController();
    const sending = client.post(`${server.url}/stall`, {
      content: await fileFromPath(big),
      signal: controller.signal,
    });
    const req = await arrived;
    // Wait for real body bytes, then stop reading so the upload is stuck mid-file.
    await once(req, 'data');
    req.pause();
    expect(openDescriptorsOn(big)).toBe(1);
    controller.abort();
    await expect(sending).rejects.toBeInstanceOf(RequestAborted);
    await expect.poll(() => openDescriptorsOn(big), { timeout: 10_000 }).toBe(0);
  });

  it('rejects a missing path or a directory before any request', async () => {
    await expect(fileFromPath(join(dir, 'missing.bin'))).rejects.toThrow(UsageError);
    await expect(fileFromPath(join(dir, 'missing.bin'))).rejects.toThrow(
      /cannot read .*missing\.bin: ENOENT/,
    );
    await expect(fileFromPath(dir)).rejects.toThrow(/is not a regular file/);
  });
});
