import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client, HTTPTransport, MockTransport, Response, UnsupportedProtocol } from '../src/index.js';
import { httpServer, makeCertificates } from './support/servers.js';

describe('HTTPTransport options', () => {
  it('talks over a Unix domain socket with uds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pluggable-uds-'));
    const path = join(dir, 'server.sock');
    const server = http.createServer((req, res) => res.end(`${req.method} ${req.url} ${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await using client = new Client({ transport: new HTTPTransport({ uds: path }) });
      expect((await client.get('http://docker/info')).text).toBe('GET /info docker');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('binds the source address with localAddress', async () => {
    await using server = await httpServer((req, res) => res.end(req.socket.remoteAddress));
    await using client = new Client({ transport: new HTTPTransport({ localAddress: '127.0.0.2' }) });
    expect((await client.get(server.url)).text).toBe('127.0.0.2');
  });

  it('negotiates HTTP/2 by ALPN with http2: true', async () => {
    const certs = await makeCertificates();
    const server = http2.createSecureServer(
      { cert: certs.cert, key: certs.key, allowHTTP1: true },
      (req, res) => {
        res.end(`version ${req.httpVersion}`);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await using h2 = new Client({ http2: true, verify: certs.caPath });
      const response = await h2.get(url);
      expect(response.httpVersion).toBe('HTTP/2');
      expect(response.text).toBe('version 2.0');
      await using h1 = new Client({ verify: certs.caPath });
      const plain = await h1.get(url);
      expect(plain.httpVersion).toBe('HTTP/1.1');
      expect(plain.text).toBe('version 1.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retries connect failures only as many times as asked', async () => {
    const server = http.createServer((_req, res) => res.end('late'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    // Bring the server back while the transport is backing off after the first refused connect.
    const revived = http.createServer((_req, res) => res.end('late'));
    setTimeout(() => revived.listen(port, '127.0.0.1'), 50);
    try {
      await using client = new Client({ transport: new HTTPTransport({ retries: 3 }) });
      expect((await client.get(`http://127.0.0.1:${port}/`)).text).toBe('late');
    } finally {
      await new Promise((resolve) => revived.close(resolve));
    }
  });

  it('rejects unsupported schemes with HTTPX wording', async () => {
    await using client = new Client();
    await expect(client.get('ftp://example.org/x')).rejects.toThrow(
      new UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'."),
    );
    await expect(client.get('example.org/x')).rejects.toThrow(UnsupportedProtocol);
  });

  it('routes custom schemes to mounted transports', async () => {
    await using client = new Client({
      mounts: {
        'file://': new MockTransport((request) => new Response(200, { text: request.url.pathname })),
      },
    });
    expect((await client.get('file:///etc/hosts')).text).toBe('/etc/hosts');
  });
});
