// HTTPX tests/client/test_proxies.py (0.28): which transport (and proxy) a URL takes, from mounts and
// from the environment, plus real sends through loopback proxies where HTTPX's case sends.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BaseTransport, Client, HTTPTransport, UsageError } from '../../../src/index.js';
import { captureSocks5Warning } from '../../support/process-warnings.js';
import { startProxy, startSocksServer } from '../../support/proxies.js';
import { echo, httpServer, type TestServer } from '../../support/servers.js';

const PROXY_URL = 'http://[::1]';

/** The origin of the proxy a transport sends through, or null for a direct one. */
function proxyOrigin(transport: BaseTransport): string | null {
  expect(transport).toBeInstanceOf(HTTPTransport);
  return (transport as HTTPTransport).proxy?.url.origin ?? null;
}

let origin: TestServer;
beforeAll(async () => {
  origin = await httpServer(echo);
});
afterAll(() => origin.close());

captureSocks5Warning();

describe('HTTPX tests/client/test_proxies.py', () => {
  it('test_socks_proxy', async () => {
    await using client = new Client({ proxy: 'socks5://localhost/' });
    const transport = client.transportFor(new URL('http://www.example.com'));
    expect((transport as HTTPTransport).proxy?.scheme).toBe('socks5');

    // And a request really goes through a SOCKS5 server.
    await using socks = await startSocksServer();
    await using viaSocks = new Client({ proxy: socks.url });
    const response = await viaSocks.get(`${origin.url}/socks`);
    expect(response.json()).toMatchObject({ method: 'GET', url: '/socks' });
    expect(socks.requests).toEqual([
      { addressType: 1, host: '127.0.0.1', port: origin.port, username: null },
    ]);
  });

  it('test_transport_for_request[http://example.com-None-None]', async () => {
    const fallback = new HTTPTransport();
    await using client = new Client({ transport: fallback });
    expect(client.transportFor(new URL('http://example.com'))).toBe(fallback);
  });

  const routes: Array<[string, Record<string, string | null>, string | null]> = [
    ['http://example.com', {}, null],
    ['http://example.com', { 'https://': PROXY_URL }, null],
    ['http://example.com', { 'http://example.net': PROXY_URL }, null],
    ['http://example.com', { 'http://*': PROXY_URL }, PROXY_URL],
    ['https://example.com', { 'http://*': PROXY_URL }, null],
    ['http://example.com', { 'http://example.com': PROXY_URL }, PROXY_URL],
    ['http://www.example.com', { 'http://example.com': PROXY_URL }, null],
    ['http://example.com', { 'http://*.example.com': PROXY_URL }, null],
    ['http://www.example.com', { 'http://*.example.com': PROXY_URL }, PROXY_URL],
    ['http://example.com', { 'http://*example.com': PROXY_URL }, PROXY_URL],
    ['http://www.example.com', { 'http://*example.com': PROXY_URL }, PROXY_URL],
    ['http://wwwexample.com', { 'http://*example.com': PROXY_URL }, null],
    ['http://example.com:443', { 'http://example.com': PROXY_URL }, PROXY_URL],
    ['http://example.com', { 'all://': PROXY_URL }, PROXY_URL],
    ['http://example.com', { 'all://': PROXY_URL, 'http://example.com': null }, null],
    ['http://example.com', { 'http://': PROXY_URL }, PROXY_URL],
    ['http://example.com', { 'all://example.com': PROXY_URL }, PROXY_URL],
    ['http://example.com', { 'http://example.com:80': PROXY_URL }, PROXY_URL],
    ['http://example.com:8080', { 'http://example.com:8080': PROXY_URL }, PROXY_URL],
    ['http://example.com:8080', { 'http://example.com': PROXY_URL }, PROXY_URL],
    [
      'http://example.com',
      {
        'all://': `${PROXY_URL}:1`,
        'http://': `${PROXY_URL}:2`,
        'all://example.com': `${PROXY_URL}:3`,
        'http://example.com': `${PROXY_URL}:4`,
      },
      `${PROXY_URL}:4`,
    ],
    [
      'http://example.com',
      { 'all://': `${PROXY_URL}:1`, 'http://': `${PROXY_URL}:2`, 'all://example.com': `${PROXY_URL}:3` },
      `${PROXY_URL}:3`,
    ],
    ['http://example.com', { 'all://': `${PROXY_URL}:1`, 'http://': `${PROXY_URL}:2` }, `${PROXY_URL}:2`],
  ];
  for (const [url, proxies, expected] of routes) {
    it(`test_transport_for_request[${url}-${JSON.stringify(proxies)}-${expected}]`, async () => {
      const fallback = new HTTPTransport();
      const mounts = Object.fromEntries(
        Object.entries(proxies).map(([key, proxy]) => [
          key,
          proxy === null ? null : new HTTPTransport({ proxy }),
        ]),
      );
      await using client = new Client({ transport: fallback, mounts });
      const transport = client.transportFor(new URL(url));
      if (expected === null) expect(transport).toBe(fallback);
      else expect(proxyOrigin(transport)).toBe(new URL(expected).origin);
    });
  }

  // HTTPX's twin cases send to example.com through a mount for https:// only; here the origin is
  // a loopback server, reached directly, and the proxy sees nothing.
  for (const name of ['test_async_proxy_close', 'test_sync_proxy_close']) {
    it(name, async () => {
      await using proxy = await startProxy();
      const client = new Client({ mounts: { 'https://': new HTTPTransport({ proxy: proxy.url }) } });
      try {
        const response = await client.get(`${origin.url}/direct`);
        expect(response.statusCode).toBe(200);
        expect(proxy.forwarded).toEqual([]);
        expect(proxy.tunnels).toEqual([]);
      } finally {
        await client.close();
      }
      expect(client.isClosed).toBe(true);
    });
  }

  it('test_unsupported_proxy_scheme', () => {
    expect(() => new Client({ proxy: 'ftp://127.0.0.1' })).toThrow(UsageError);
    expect(() => new Client({ proxy: 'ftp://127.0.0.1' })).toThrow(/ftp:/);
  });

  describe('test_proxies_environ', () => {
    const NAMES = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'];
    const saved = new Map<string, string | undefined>();
    beforeAll(() => {
      for (const name of [...NAMES, ...NAMES.map((n) => n.toLowerCase())]) saved.set(name, process.env[name]);
    });
    const clearEnv = () => {
      for (const name of saved.keys()) delete process.env[name];
    };
    afterEach(() => {
      clearEnv();
      for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
    });
    const withEnv = (env: Record<string, string>) => {
      clearEnv();
      Object.assign(process.env, env);
      return new Client();
    };

    const ALL = 'http://localhost:123';
    const cases: Array<[string, Record<string, string>, string | null]> = [
      ['http://google.com', {}, null],
      ['http://google.com', { HTTP_PROXY: 'http://example.com' }, 'http://example.com'],
      ['http://google.com', { HTTP_PROXY: 'example.com' }, 'http://example.com'],
      ['http://google.com', { HTTP_PROXY: 'http://example.com', NO_PROXY: 'google.com' }, null],
      ['http://127.0.0.1', { ALL_PROXY: ALL, NO_PROXY: '' }, ALL],
      ['http://127.0.0.1', { ALL_PROXY: ALL, NO_PROXY: '127.0.0.1' }, null],
      ['http://127.0.0.1', { ALL_PROXY: ALL, NO_PROXY: 'https://127.0.0.1' }, ALL],
      ['http://127.0.0.1', { ALL_PROXY: ALL, NO_PROXY: '1.1.1.1' }, ALL],
      ['http://courses.mit.edu', { ALL_PROXY: ALL, NO_PROXY: 'mit.edu' }, null],
      ['https://mit.edu.info', { ALL_PROXY: ALL, NO_PROXY: 'mit.edu' }, ALL],
      ['https://mit.edu.info', { ALL_PROXY: ALL, NO_PROXY: 'mit.edu,edu.info' }, null],
      ['https://mit.edu.info', { ALL_PROXY: ALL, NO_PROXY: 'mit.edu, edu.info' }, null],
      ['https://mit.edu.info', { ALL_PROXY: ALL, NO_PROXY: 'mit.edu,mit.info' }, ALL],
      ['https://foo.example.com', { ALL_PROXY: ALL, NO_PROXY: 'www.example.com' }, ALL],
      ['https://www.example1.com', { ALL_PROXY: ALL, NO_PROXY: '.example1.com' }, null],
      ['https://www.example2.com', { ALL_PROXY: ALL, NO_PROXY: 'ample2.com' }, ALL],
      ['https://www.example3.com', { ALL_PROXY: ALL, NO_PROXY: '*' }, null],
    ];
    for (const [url, env, expected] of cases) {
      it(`test_proxies_environ[${url}-${JSON.stringify(env)}-${expected}]`, async () => {
        await using client = withEnv(env);
        const transport = client.transportFor(new URL(url));
        expect(proxyOrigin(transport)).toBe(expected === null ? null : new URL(expected).origin);
      });
    }

    // The 127.0.0.1 cases once more with traffic: ALL_PROXY names a real proxy, the URL a real origin.
    const sends: Array<[Record<string, string>, boolean]> = [
      [{ NO_PROXY: '' }, true],
      [{ NO_PROXY: '127.0.0.1' }, false],
      [{ NO_PROXY: 'https://127.0.0.1' }, true],
      [{ NO_PROXY: '1.1.1.1' }, true],
    ];
    for (const [env, proxied] of sends) {
      it(`test_proxies_environ[http://127.0.0.1-${JSON.stringify(env)}] sends ${proxied ? 'through ALL_PROXY' : 'directly'}`, async () => {
        await using proxy = await startProxy();
        await using client = withEnv({ ALL_PROXY: proxy.url, ...env });
        const response = await client.get(`${origin.url}/env`);
        expect(response.json()).toMatchObject({ method: 'GET', url: '/env' });
        expect(proxy.forwarded).toEqual(proxied ? [`${origin.url}/env`] : []);
      });
    }
  });

  it('test_proxy_with_mounts', async () => {
    await using proxy = await startProxy(['user', 'pass']);
    const proxyTransport = new HTTPTransport({ proxy: `http://user:pass@127.0.0.1:${proxy.port}` });
    await using client = new Client({ mounts: { 'http://': proxyTransport } });
    expect(client.transportFor(new URL('http://example.com'))).toBe(proxyTransport);

    // The mounted proxy carries the request, with its credentials as Proxy-Authorization.
    const response = await client.get(`${origin.url}/mounted`);
    expect(response.json()).toMatchObject({ method: 'GET', url: '/mounted' });
    expect(proxy.forwarded).toEqual([`${origin.url}/mounted`]);
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('user:pass').toString('base64')}`]);
  });
});
