import { describe, expect, it } from 'vitest';
import { Client, Limits } from '../src/index.js';
import { httpServer } from './support/servers.js';

describe('keep-alive and pooling', () => {
  it('uses one socket for 100 sequential requests', async () => {
    await using server = await httpServer((_req, res) => res.end('ok'));
    await using client = new Client();
    for (let i = 0; i < 100; i++) expect((await client.get(server.url)).text).toBe('ok');
    expect(server.sockets).toHaveLength(1);
  });

  it('survives a server that closes idle sockets after 50 ms, hit every 60 ms', async () => {
    await using server = await httpServer((_req, res) => res.end('ok'));
    server.server.keepAliveTimeout = 50;
    await using client = new Client();
    const errors: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      await client.get(server.url).catch((error: unknown) => errors.push(error));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(errors).toEqual([]);
    expect(server.sockets.length).toBeGreaterThan(1);
  }, 20_000);

  it('keeps at most maxKeepaliveConnections idle sockets', async () => {
    await using server = await httpServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    await using client = new Client({
      limits: new Limits({ maxConnections: 10, maxKeepaliveConnections: 2 }),
    });
    await Promise.all(Array.from({ length: 10 }, () => client.get(server.url)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const open = server.sockets.filter((s) => !s.destroyed).length;
    expect(open).toBeLessThanOrEqual(2);
  });
});
