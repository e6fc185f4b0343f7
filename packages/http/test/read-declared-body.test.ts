import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { httpServer } from './support/servers.js';

const KiB = 1024;
const pattern = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 256));

describe('reading a body of declared length whole', () => {
  it('is exact when the whole body is already here before read()', async () => {
    const body = pattern(20 * KiB);
    await using server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(body.byteLength) });
      res.end(body);
    });
    await using client = new Client();
    const response = await client.get(server.url);
    expect(response.content.byteLength).toBe(20 * KiB);
    expect(Buffer.from(response.content).equals(body)).toBe(true);
  });

  it('is exact when the body arrives in many writes, some before read() and some after', async () => {
    const body = pattern(1024 * KiB + 3);
    let firstSent!: () => void;
    const sent = new Promise<void>((resolve) => (firstSent = resolve));
    await using server = await httpServer(async (_req, res) => {
      res.writeHead(200, { 'content-length': String(body.byteLength) });
      res.write(body.subarray(0, 100 * KiB), () => firstSent());
      for (let at = 100 * KiB; at < body.byteLength; at += 64 * KiB + 1) {
        if (!res.write(body.subarray(at, Math.min(at + 64 * KiB + 1, body.byteLength))))
          await once(res, 'drain');
      }
      res.end();
    });
    await using client = new Client();
    const response = await client.stream('GET', server.url);
    await sent;
    const content = await response.read();
    expect(content.byteLength).toBe(body.byteLength);
    expect(Buffer.from(content).equals(body)).toBe(true);
    expect(response.numBytesDownloaded).toBe(body.byteLength);
  });
});
