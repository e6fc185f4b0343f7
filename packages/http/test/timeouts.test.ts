import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  Client,
  ConnectError,
  Limits,
  PoolTimeout,
  ReadTimeout,
  RequestAborted,
  TotalTimeout,
  WriteTimeout,
} from '../src/index.js';
import { httpServer } from './support/servers.js';

describe('timeouts', () => {
  it('raises ReadTimeout when headers stall', async () => {
    await using server = await httpServer(() => {});
    await using client = new Client({ timeout: { read: 200 } });
    const started = performance.now();
    await expect(client.get(server.url)).rejects.toThrow(ReadTimeout);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(600);
  });

  it('raises ReadTimeout when the body stalls', async () => {
    await using server = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '10' });
      res.write('abc');
    });
    await using client = new Client({ timeout: { read: 200 } });
    await expect(client.get(server.url)).rejects.toThrow(ReadTimeout);
  });

  it('raises PoolTimeout when every connection is taken', async () => {
    await using server = await httpServer((req, res) => {
      if (req.url === '/stall') res.write('partial');
      else res.end('ok');
    });
    await using client = new Client({ limits: new Limits({ maxConnections: 1 }), timeout: { pool: 100 } });
    const held = await client.stream('GET', `${server.url}/stall`);
    await expect(client.get(`${server.url}/ok`)).rejects.toThrow(PoolTimeout);
    await held.close();
    expect((await client.get(`${server.url}/ok`)).text).toBe('ok');
  });

  it('raises ConnectError on a closed port', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await using client = new Client();
    const error = await client.get(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).message).toContain('ECONNREFUSED');
    expect((error as ConnectError).request.url.port).toBe(String(port));
  });

  it('never times out a slow download whose chunks keep arriving within the read timeout', async () => {
    await using server = await httpServer((_req, res) => {
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`chunk ${sent}\n`);
        if (++sent === 20) {
          clearInterval(timer);
          res.end();
        }
      }, 500);
    });
    await using client = new Client({ timeout: { read: 2000 } });
    const response = await client.get(server.url);
    expect(response.text.split('\n').filter(Boolean)).toHaveLength(20);
  }, 20_000);

  it('raises WriteTimeout when the server never reads the upload', async () => {
    // A raw TCP server that accepts and never reads: the receive window fills and writes stall.
    const accepted: net.Socket[] = [];
    const sink = net.createServer((socket) => {
      accepted.push(socket);
      socket.pause();
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
    await using client = new Client({ timeout: { write: 300, read: null } });
    async function* huge() {
      const chunk = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 512; i++) yield chunk;
    }
    const started = performance.now();
    await expect(client.post(url, { content: huge() })).rejects.toThrow(WriteTimeout);
    expect(performance.now() - started).toBeLessThan(3000);
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => sink.close(resolve));
  });

  it('raises TotalTimeout for a deadline over the whole request (beyond HTTPX)', async () => {
    await using server = await httpServer((_req, res) => {
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    await using client = new Client({ timeout: { read: 1000, total: 300 } });
    await expect(client.get(server.url)).rejects.toThrow(TotalTimeout);
  });

  it('aborts within 100 ms on an AbortSignal and frees the connection', async () => {
    await using server = await httpServer((req, res) => {
      if (req.url === '/ok') res.end('ok');
    });
    await using client = new Client({ limits: new Limits({ maxConnections: 1 }), timeout: 5000 });
    const controller = new AbortController();
    const pending = client.get(`${server.url}/stall`, { signal: controller.signal });
    await new Promise<void>((resolve) => server.server.once('request', () => resolve()));
    const abortedAt = performance.now();
    controller.abort();
    await expect(pending).rejects.toThrow(RequestAborted);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect((await client.get(`${server.url}/ok`)).text).toBe('ok');
  });
});
