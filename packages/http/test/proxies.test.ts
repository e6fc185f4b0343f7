import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// biome-ignore lint/suspicious/noShadowRestrictedNames: HTTPX's public name, as users import it
import { Client, HTTPTransport, Proxy, ProxyError, UsageError } from '../src/index.js';
import { captureSocks5Warning } from './support/process-warnings.js';
import { startProxy, startSocksServer } from './support/proxies.js';
import {
  type Certificates,
  echo,
  httpServer,
  httpsServer,
  makeCertificates,
  type TestServer,
} from './support/servers.js';

let target: TestServer;
let secureTarget: TestServer;
let certs: Certificates;

beforeAll(async () => {
  certs = await makeCertificates();
  target = await httpServer(echo);
  secureTarget = await httpsServer(certs, (_req, res) => res.end('secret hello'));
});
afterAll(async () => {
  await target.close();
  await secureTarget.close();
});

captureSocks5Warning();

describe('Proxy model', () => {
  it('moves URL credentials into auth and never shows the password', () => {
    const proxy = new Proxy('http://user:hunter2@127.0.0.1:3128');
    expect(proxy.auth).toEqual(['user', 'hunter2']);
    expect(proxy.url.href).toBe('http://127.0.0.1:3128/');
    expect(String(proxy)).toBe("Proxy('http://127.0.0.1:3128', auth=['user', '[secure]'])");
    expect(inspect(proxy)).toBe("Proxy('http://127.0.0.1:3128', auth=['user', '[secure]'])");
    expect(JSON.stringify(proxy)).not.toContain('hunter2');
  });

  it('accepts http, https, socks5 and socks5h and rejects other schemes by name', () => {
    for (const scheme of ['http', 'https', 'socks5', 'socks5h'])
      expect(new Proxy(`${scheme}://127.0.0.1:1`).scheme).toBe(scheme);
    expect(() => new Proxy('socks4://127.0.0.1:1')).toThrow(UsageError);
    expect(() => new Proxy('socks4://127.0.0.1:1')).toThrow(/socks4:/);
  });
});

describe('HTTP proxies', () => {
  it('forwards an http:// target with an absolute-form request line', async () => {
    await using proxy = await startProxy();
    await using client = new Client({ proxy: proxy.url });
    const response = await client.get(`${target.url}/path?q=1`);
    expect(response.statusCode).toBe(200);
    expect(proxy.forwarded).toEqual([`${target.url}/path?q=1`]);
    expect(proxy.tunnels).toEqual([]);
    expect(response.json()).toMatchObject({ method: 'GET', url: '/path?q=1' });
  });

  it('tunnels an https:// target with CONNECT and verifies the target with the client CA', async () => {
    await using proxy = await startProxy();
    await using client = new Client({ proxy: proxy.url, verify: certs.caPath });
    const response = await client.get(`${secureTarget.url}/x`);
    expect(response.text).toBe('secret hello');
    expect(proxy.tunnels).toEqual([`127.0.0.1:${secureTarget.port}`]);
    expect(proxy.forwarded).toEqual([]);
  });

  it('TUNNEL_ONLY tunnels an http:// target too', async () => {
    await using proxy = await startProxy();
    await using client = new Client({ proxy: new Proxy(proxy.url, { mode: 'TUNNEL_ONLY' }) });
    const response = await client.get(`${target.url}/t`);
    expect(response.json()).toMatchObject({ url: '/t' });
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
    expect(proxy.forwarded).toEqual([]);
  });

  it('FORWARD_ONLY forwards even with a transport built by hand', async () => {
    await using proxy = await startProxy();
    const transport = new HTTPTransport({ proxy: new Proxy(proxy.url, { mode: 'FORWARD_ONLY' }) });
    await using client = new Client({ transport });
    const response = await client.get(`${target.url}/f`);
    expect(response.json()).toMatchObject({ url: '/f' });
    expect(proxy.forwarded).toEqual([`${target.url}/f`]);
    expect(proxy.tunnels).toEqual([]);
  });

  it('sends Proxy-Authorization from URL credentials, forwarded and tunnelled', async () => {
    await using proxy = await startProxy(['user', 'p@ss']);
    const url = new URL(proxy.url);
    url.username = 'user';
    url.password = encodeURIComponent('p@ss');
    await using client = new Client({ proxy: url, verify: certs.caPath });
    expect((await client.get(`${target.url}/a`)).statusCode).toBe(200);
    expect((await client.get(`${secureTarget.url}/b`)).text).toBe('secret hello');
    const expected = `Basic ${Buffer.from('user:p@ss').toString('base64')}`;
    expect(proxy.authorizations).toEqual([expected, expected]);
  });

  it('sends custom proxy headers', async () => {
    await using proxy = await startProxy();
    const seen: string[] = [];
    proxy.forwarded.length = 0;
    await using client = new Client({
      proxy: new Proxy(proxy.url, { headers: { 'X-Proxy-Token': 'abc' } }),
      eventHooks: { response: [(r) => void seen.push(String(r.statusCode))] },
    });
    const response = await client.get(`${target.url}/h`);
    const headers = (response.json() as { headers: string[] }).headers;
    expect(headers).toContain('abc');
    expect(seen).toEqual(['200']);
  });

  it('wrong credentials → ProxyError (forwarded and tunnelled), and the password never shows', async () => {
    await using proxy = await startProxy(['user', 'right']);
    await using client = new Client({
      proxy: `http://user:wrong-secret@127.0.0.1:${proxy.port}`,
      verify: certs.caPath,
    });
    for (const url of [`${target.url}/`, `${secureTarget.url}/`]) {
      const error = await client.get(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProxyError);
      const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
      expect(text).toContain('407');
      expect(text).not.toContain('wrong-secret');
    }
    expect(inspect(client)).not.toContain('wrong-secret');
  });

  it('an unreachable proxy → ProxyError', async () => {
    const closed = await startProxy();
    await closed.close();
    await using client = new Client({ proxy: closed.url });
    const error = await client.get(`${target.url}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).message).toContain(`Cannot connect to proxy ${closed.url}: ECONNREFUSED`);
  });
});

describe('SOCKS5 proxies', () => {
  it('socks5:// resolves the name locally and sends an address', async () => {
    await using socks = await startSocksServer();
    await using client = new Client({ proxy: socks.url });
    const response = await client.get(`http://localhost:${target.port}/s`);
    expect(response.json()).toMatchObject({ url: '/s' });
    expect(socks.requests).toEqual([
      { addressType: 1, host: '127.0.0.1', port: target.port, username: null },
    ]);
  });

  it('socks5h:// sends the hostname to the proxy, with username/password auth and TLS to the target', async () => {
    await using socks = await startSocksServer(['sock', 'pw']);
    await using client = new Client({
      proxy: `socks5h://sock:pw@127.0.0.1:${socks.port}`,
      verify: certs.caPath,
    });
    const response = await client.get(`https://localhost:${secureTarget.port}/`);
    expect(response.text).toBe('secret hello');
    expect(socks.requests).toEqual([
      { addressType: 3, host: 'localhost', port: secureTarget.port, username: 'sock' },
    ]);
  });

  it('wrong SOCKS credentials → ProxyError without the password', async () => {
    await using socks = await startSocksServer(['sock', 'pw']);
    await using client = new Client({ proxy: `socks5h://sock:bad-pass@127.0.0.1:${socks.port}` });
    const error = await client.get(`http://localhost:${target.port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyError);
    expect(inspect(error)).not.toContain('bad-pass');
  });
});
