import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Client,
  EnvProxyRouter,
  getEnvironmentProxies,
  MockTransport,
  Response,
  shouldBypassProxy,
} from '../src/index.js';
import { captureSocks5Warning } from './support/process-warnings.js';
import { startProxy } from './support/proxies.js';
import { echo, httpServer } from './support/servers.js';

const ENV = { HTTP_PROXY: 'hp:1', HTTPS_PROXY: 'http://sp:2', ALL_PROXY: 'socks5://ap:3' };

const names = new WeakMap<object, string>();
function proxyOf(transport: object): string {
  return names.get(transport) ?? 'unknown';
}

/** Routes a URL the way a client with this environment would: the proxy's URL, or 'direct'. */
function routeName(url: string, noProxy?: string): string {
  const env = noProxy === undefined ? ENV : { ...ENV, NO_PROXY: noProxy };
  const router = EnvProxyRouter.fromEnv(env, (proxy) => {
    const transport = new MockTransport(() => new Response(200));
    names.set(transport, proxy);
    return transport;
  });
  const transport = router?.route(new URL(url)) ?? null;
  return transport === null ? 'direct' : proxyOf(transport);
}

const HP = 'http://hp:1';
const SP = 'http://sp:2';
const AP = 'socks5://ap:3';

captureSocks5Warning();

describe('getEnvironmentProxies', () => {
  it('maps HTTP_PROXY/HTTPS_PROXY/ALL_PROXY to mount keys and adds http:// to bare values', () => {
    expect(getEnvironmentProxies(ENV)).toEqual({ 'http://': HP, 'https://': SP, 'all://': AP });
  });

  it('reads lower case names too, preferring them', () => {
    expect(getEnvironmentProxies({ http_proxy: 'low:1', HTTP_PROXY: 'up:1' })).toEqual({
      'http://': 'http://low:1',
    });
  });

  it('NO_PROXY=* (alone or in a list) disables every proxy', () => {
    expect(getEnvironmentProxies({ ...ENV, NO_PROXY: '*' })).toEqual({});
    expect(getEnvironmentProxies({ ...ENV, no_proxy: 'b.com, *' })).toEqual({});
    expect(routeName('http://a.com', 'b.com,*')).toBe('direct');
  });
});

describe('environment routing table (httpx.md §1.10, plus CIDR and *.domain)', () => {
  it('routes by scheme without NO_PROXY', () => {
    expect(routeName('http://a.com')).toBe(HP);
    expect(routeName('https://a.com')).toBe(SP);
    expect(routeName('ftp://a.com')).toBe(AP);
  });

  it('a.com covers the host and its subdomains only', () => {
    expect(routeName('http://a.com', 'a.com')).toBe('direct');
    expect(routeName('http://www.a.com', 'a.com')).toBe('direct');
    expect(routeName('http://wwwa.com', 'a.com')).toBe(HP);
  });

  it('.a.com and *.a.com cover subdomains only', () => {
    for (const entry of ['.a.com', '*.a.com']) {
      expect(routeName('http://a.com', entry)).toBe(HP);
      expect(routeName('http://www.a.com', entry)).toBe('direct');
    }
  });

  it('a.com:8080 covers that port only', () => {
    expect(routeName('http://a.com:8080', 'a.com:8080')).toBe('direct');
    expect(routeName('http://a.com', 'a.com:8080')).toBe(HP);
  });

  it('IPv4, IPv6 and localhost literals cover that host on any port', () => {
    expect(routeName('http://10.0.0.1:99', '10.0.0.1')).toBe('direct');
    expect(routeName('http://10.0.0.2', '10.0.0.1')).toBe(HP);
    expect(routeName('http://[::1]:8080', '::1')).toBe('direct');
    expect(routeName('http://[0:0::1]/', '[::1]')).toBe('direct');
    expect(routeName('http://localhost:1', 'localhost')).toBe('direct');
    expect(routeName('http://127.0.0.1', 'localhost')).toBe(HP);
  });

  it('CIDR ranges cover addresses inside them (beyond HTTPX)', () => {
    expect(routeName('http://127.0.0.1:5000', '127.0.0.0/8')).toBe('direct');
    expect(routeName('http://10.200.3.4', '10.0.0.0/8')).toBe('direct');
    expect(routeName('http://192.168.1.5', '192.168.0.0/16')).toBe('direct');
    expect(routeName('http://192.169.1.5', '192.168.0.0/16')).toBe(HP);
    expect(routeName('http://[::1]/', '::1/128')).toBe('direct');
    expect(routeName('http://a.com', '10.0.0.0/8')).toBe(HP);
  });

  it('scheme://host entries are URL patterns', () => {
    expect(routeName('http://a.com', 'https://a.com')).toBe(HP);
    expect(routeName('https://a.com', 'https://a.com')).toBe('direct');
  });

  it('entries are trimmed and comma separated', () => {
    expect(routeName('http://a.com', ' a.com , b.com ')).toBe('direct');
    expect(routeName('http://b.com', ' a.com , b.com ')).toBe('direct');
  });

  it('with only HTTP_PROXY, https goes direct', () => {
    const router = EnvProxyRouter.fromEnv(
      { HTTP_PROXY: 'hp:1' },
      () => new MockTransport(() => new Response(200)),
    );
    expect(router?.route(new URL('https://a.com'))).toBeNull();
    expect(router?.route(new URL('http://a.com'))).not.toBeNull();
  });

  it('shouldBypassProxy is a pure function of URL and NO_PROXY', () => {
    expect(shouldBypassProxy('http://x.a.com', '*.a.com')).toBe(true);
    expect(shouldBypassProxy('http://a.com', '')).toBe(false);
    expect(shouldBypassProxy('http://a.com:1', 'b.com,*')).toBe(true);
  });
});

describe('clients and the environment', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('sends a real request through an env-configured proxy, and NO_PROXY CIDR sends it direct', async () => {
    await using target = await httpServer(echo);
    await using proxy = await startProxy();
    vi.stubEnv('HTTP_PROXY', `127.0.0.1:${proxy.port}`);
    vi.stubEnv('NO_PROXY', '');
    await using viaProxy = new Client();
    expect((await viaProxy.get(`${target.url}/env`)).statusCode).toBe(200);
    expect(proxy.forwarded).toEqual([`${target.url}/env`]);

    vi.stubEnv('NO_PROXY', '127.0.0.0/8');
    await using direct = new Client();
    expect((await direct.get(`${target.url}/direct`)).statusCode).toBe(200);
    expect(proxy.forwarded).toEqual([`${target.url}/env`]);
  });

  it('ignores the environment with trustEnv: false, proxy, mounts or transport', async () => {
    await using target = await httpServer(echo);
    await using proxy = await startProxy();
    vi.stubEnv('HTTP_PROXY', proxy.url);
    const mock = new MockTransport(() => new Response(204));
    const clients = [
      new Client({ trustEnv: false }),
      new Client({ mounts: { 'https://': mock } }),
      new Client({ transport: new MockTransport(() => new Response(201)) }),
    ];
    const statuses: number[] = [];
    for (const client of clients) {
      statuses.push((await client.get(`${target.url}/`)).statusCode);
      await client.close();
    }
    expect(statuses).toEqual([200, 200, 201]);
    expect(proxy.forwarded).toEqual([]);
  });
});
