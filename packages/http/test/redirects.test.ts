import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamConsumed, TooManyRedirects } from '../src/index.js';
import {
  type Certificates,
  echo,
  httpServer,
  httpsServer,
  makeCertificates,
  readBody,
  type TestServer,
} from './support/servers.js';

let server: TestServer;
let other: TestServer;

beforeAll(async () => {
  other = await httpServer(echo);
  server = await httpServer(async (req, res) => {
    const url = new URL(req.url as string, 'http://x');
    const status = Number(url.searchParams.get('status') ?? 0);
    if (url.pathname === '/redirect') {
      res.writeHead(status, { Location: url.searchParams.get('to') ?? '/echo' });
      res.end();
      return;
    }
    if (url.pathname === '/count') {
      const n = Number(url.searchParams.get('n'));
      if (n > 0) res.writeHead(302, { Location: `/count?n=${n - 1}` });
      res.end(n > 0 ? '' : 'done');
      return;
    }
    await echo(req, res);
  });
});
afterAll(async () => {
  await server.close();
  await other.close();
});

interface Echo {
  method: string;
  url: string;
  headers: string[];
  body: string;
}
const header = (e: Echo, name: string) => {
  const i = e.headers.findIndex((h, j) => j % 2 === 0 && h.toLowerCase() === name);
  return i === -1 ? undefined : e.headers[i + 1];
};

describe('redirects', () => {
  it('are off by default, with nextRequest set', async () => {
    await using client = new Client();
    const response = await client.get(`${server.url}/redirect?status=302`);
    expect(response.statusCode).toBe(302);
    expect(response.nextRequest?.url.href).toBe(`${server.url}/echo`);
    const followed = await client.send(response.nextRequest!);
    expect(followed.statusCode).toBe(200);
    expect(followed.nextRequest).toBeNull();
  });

  it.each([
    [301, 'POST', 'GET', ''],
    [302, 'POST', 'GET', ''],
    [303, 'POST', 'GET', ''],
    [303, 'PUT', 'GET', ''],
    [307, 'POST', 'POST', 'payload'],
    [308, 'POST', 'POST', 'payload'],
    [301, 'PUT', 'PUT', 'payload'],
    [302, 'HEAD', 'HEAD', ''],
  ])('%i turns %s into %s', async (status, method, expectedMethod, expectedBody) => {
    await using client = new Client({ followRedirects: true });
    const response = await client.request(method, `${server.url}/redirect?status=${status}`, {
      content: method === 'HEAD' ? undefined : 'payload',
    });
    expect(response.statusCode).toBe(200);
    expect(response.history.map((r) => r.statusCode)).toEqual([status]);
    expect(response.request.method).toBe(expectedMethod);
    if (method !== 'HEAD') {
      const seen = response.json<Echo>();
      expect(seen.method).toBe(expectedMethod);
      expect(seen.body).toBe(expectedBody);
      expect(header(seen, 'content-length')).toBe(expectedBody === '' ? undefined : '7');
    }
  });

  it('refuses to resend a one-shot stream body on 307', async () => {
    await using client = new Client({ followRedirects: true });
    async function* body() {
      yield new TextEncoder().encode('once');
    }
    await expect(client.post(`${server.url}/redirect?status=307`, { content: body() })).rejects.toThrow(
      StreamConsumed,
    );
  });

  it('sending the nextRequest of a one-shot body raises StreamConsumed before anything is sent (HTTPX)', async () => {
    await using client = new Client();
    async function* body() {
      yield new TextEncoder().encode('once');
    }
    const response = await client.post(`${server.url}/redirect?status=308`, { content: body() });
    expect(response.statusCode).toBe(308);
    const next = response.nextRequest;
    if (next === null) throw new Error('no nextRequest');
    let received = 0;
    const count = () => {
      received += 1;
    };
    server.server.on('request', count);
    try {
      await expect(client.send(next)).rejects.toThrow(StreamConsumed);
      // The same for the first request, sent again.
      await expect(client.send(response.request)).rejects.toThrow(StreamConsumed);
    } finally {
      server.server.off('request', count);
    }
    expect(received).toBe(0);
  });

  it('follows maxRedirects and raises on one more', async () => {
    await using client = new Client({ followRedirects: true, maxRedirects: 3 });
    const ok = await client.get(`${server.url}/count?n=3`);
    expect(ok.text).toBe('done');
    expect(ok.history).toHaveLength(3);
    expect(ok.history[1]?.history).toHaveLength(1);
    await expect(client.get(`${server.url}/count?n=4`)).rejects.toThrow(TooManyRedirects);
  });

  it('keeps Authorization on the same origin and drops it on another port or host', async () => {
    await using client = new Client({ followRedirects: true, headers: { Authorization: 'Bearer secret' } });
    const same = await client.get(`${server.url}/redirect?status=302&to=/echo`);
    expect(header(same.json<Echo>(), 'authorization')).toBe('Bearer secret');
    const otherPort = await client.get(
      `${server.url}/redirect?status=302&to=${encodeURIComponent(`${other.url}/echo`)}`,
    );
    expect(header(otherPort.json<Echo>(), 'authorization')).toBeUndefined();
    expect(header(otherPort.json<Echo>(), 'host')).toBe(new URL(other.url).host);
    const otherHost = await client.get(
      `${server.url}/redirect?status=302&to=${encodeURIComponent(`http://localhost:${server.port}/echo`)}`,
    );
    expect(header(otherHost.json<Echo>(), 'authorization')).toBeUndefined();
  });

  it('keeps the fragment and joins relative locations', async () => {
    await using client = new Client({ followRedirects: true });
    const response = await client.get(`${server.url}/redirect?status=302&to=/echo#frag`);
    expect(response.url.href).toBe(`${server.url}/echo#frag`);
  });
});

describe('redirects across schemes (TLS)', () => {
  let certs: Certificates;
  let tls: TestServer;
  beforeAll(async () => {
    certs = await makeCertificates();
    tls = await httpsServer(certs, async (req, res) => {
      if (req.url?.startsWith('/down')) {
        res.writeHead(302, { Location: `${server.url}/echo` });
        res.end();
        return;
      }
      await readBody(req);
      res.end(req.headers.authorization ?? 'none');
    });
  });
  afterAll(() => tls.close());

  it('drops Authorization on an https → http downgrade', async () => {
    await using client = new Client({ followRedirects: true, verify: certs.caPath, auth: ['u', 'p'] });
    const response = await client.get(`${tls.url}/down`);
    expect(header(response.json<Echo>(), 'authorization')).toBeUndefined();
  });

  it('computes the http:80 → https:443 upgrade rule', async () => {
    const { isHttpsUpgrade, isSameOrigin } = await import('../src/models/urls.js');
    const u = (s: string) => new URL(s);
    expect(isHttpsUpgrade(u('http://a.com/'), u('https://a.com/t'))).toBe(true);
    expect(isHttpsUpgrade(u('http://a.com:8080/'), u('https://a.com/'))).toBe(false);
    expect(isSameOrigin(u('https://a.com:443/'), u('https://a.com/t'))).toBe(true);
    for (const to of ['https://b.com', 'https://sub.a.com', 'https://a.com:8443', 'http://a.com']) {
      expect(isSameOrigin(u('https://a.com'), u(to)) || isHttpsUpgrade(u('https://a.com'), u(to))).toBe(
        false,
      );
    }
  });

  it('keeps Authorization on an http:80 → https:443 upgrade of the same host, drops it from another port', async () => {
    // The rule is about the default ports, so this test binds 80 and 443 on loopback (CI runs as root).
    const http = await import('node:http');
    const https = await import('node:https');
    const secure = https.createServer({ cert: certs.cert, key: certs.key }, (req, res) =>
      res.end(req.headers.authorization ?? 'none'),
    );
    const plain = http.createServer((_req, res) => {
      res.writeHead(301, { Location: 'https://127.0.0.1/echo' });
      res.end();
    });
    await new Promise<void>((resolve) => secure.listen(443, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => plain.listen(80, '127.0.0.1', resolve));
    try {
      await using client = new Client({
        followRedirects: true,
        verify: certs.caPath,
        headers: { Authorization: 'Bearer t' },
      });
      const upgraded = await client.get('http://127.0.0.1/start');
      expect(upgraded.url.href).toBe('https://127.0.0.1/echo');
      expect(upgraded.text).toBe('Bearer t');
      const fromOtherPort = await client.get(
        `${server.url}/redirect?status=302&to=${encodeURIComponent('https://127.0.0.1/echo')}`,
      );
      expect(fromOtherPort.text).toBe('none');
    } finally {
      plain.closeAllConnections();
      secure.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
      await new Promise((resolve) => secure.close(resolve));
    }
  });
});
