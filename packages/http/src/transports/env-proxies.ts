import { BlockList, isIP } from 'node:net';
import { effectivePort } from '../models/urls.js';
import type { BaseTransport } from './base.js';
import { MountTable, URLPattern } from './mounts.js';

type Env = Record<string, string | undefined>;

/** Lower case wins over upper case, as in curl and urllib; empty values count as unset. */
function envValue(env: Env, name: string): string | null {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function withScheme(value: string): string {
  return value.includes('://') ? value : `http://${value}`;
}

/**
 * The proxies named by `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` (either case), as mount keys
 * (`http://`, `https://`, `all://`) → proxy URL. `NO_PROXY=*` disables them all.
 */
export function getEnvironmentProxies(env: Env = process.env): Record<string, string> {
  const proxies: Record<string, string> = {};
  if (noProxyEntries(envValue(env, 'no_proxy') ?? '').includes('*')) return proxies;
  const pairs: Array<[string, string]> = [
    ['http_proxy', 'http://'],
    ['https_proxy', 'https://'],
    ['all_proxy', 'all://'],
  ];
  for (const [name, key] of pairs) {
    const value = envValue(env, name);
    if (value !== null) proxies[key] = withScheme(value);
  }
  return proxies;
}

function noProxyEntries(noProxy: string): string[] {
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/** `host`, `[v6]`, `host:port` or `[v6]:port`; a bare IPv6 literal has colons but no port. */
function splitHostPort(entry: string): [string, string | null] {
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']');
    const rest = entry.slice(end + 1);
    return [entry.slice(1, end), rest.startsWith(':') ? rest.slice(1) : null];
  }
  if (isIP(entry) === 6) return [entry, null];
  const colon = entry.lastIndexOf(':');
  if (colon === -1 || !/^\d+$/.test(entry.slice(colon + 1))) return [entry, null];
  return [entry.slice(0, colon), entry.slice(colon + 1)];
}

function matchesCidr(host: string, entry: string): boolean {
  const family = isIP(host);
  const [network, bits] = entry.split('/') as [string, string];
  const networkFamily = isIP(network);
  if (family === 0 || networkFamily !== family || !/^\d+$/.test(bits)) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  try {
    list.addSubnet(network, Number(bits), type);
  } catch {
    return false;
  }
  return list.check(host, type);
}

function sameAddress(a: string, b: string): boolean {
  const family = isIP(a);
  if (family === 0 || family !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(b, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

function matchesEntry(url: URL, entry: string): boolean {
  if (entry === '*') return true;
  if (entry.includes('://')) {
    try {
      return new URLPattern(entry).matches(url);
    } catch {
      return false;
    }
  }
  const host = bareHost(url.hostname.toLowerCase());
  if (entry.includes('/')) return matchesCidr(host, entry);
  const [pattern, port] = splitHostPort(entry);
  if (port !== null && port !== effectivePort(url)) return false;
  if (isIP(pattern) !== 0) return sameAddress(host, pattern);
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  if (pattern.startsWith('.')) return host.endsWith(pattern);
  return host === pattern || host.endsWith(`.${pattern}`);
}

/**
 * Whether `NO_PROXY` sends a URL direct: `*`; `host` (and its subdomains); `.domain` and
 * `*.domain` (subdomains only); `host:port`; IPv4/IPv6 literals; CIDR ranges; `scheme://` patterns.
 */
export function shouldBypassProxy(url: URL | string, noProxy: string): boolean {
  const target = typeof url === 'string' ? new URL(url) : url;
  return noProxyEntries(noProxy).some((entry) => matchesEntry(target, entry));
}

/**
 * Routes requests through the environment's proxies, consulted after the client's own mounts.
 * NO_PROXY is a predicate rather than mounts, because URL patterns cannot express CIDR ranges.
 */
export class EnvProxyRouter {
  readonly #table: MountTable;
  readonly #noProxy: string;
  readonly #transports: BaseTransport[];

  constructor(
    proxies: Record<string, string>,
    noProxy: string,
    makeTransport: (proxy: string) => BaseTransport,
  ) {
    const byUrl = new Map<string, BaseTransport>();
    const mounts: Record<string, BaseTransport> = {};
    for (const [key, proxy] of Object.entries(proxies)) {
      let transport = byUrl.get(proxy);
      if (transport === undefined) {
        transport = makeTransport(proxy);
        byUrl.set(proxy, transport);
      }
      mounts[key] = transport;
    }
    this.#table = new MountTable(mounts);
    this.#noProxy = noProxy;
    this.#transports = [...byUrl.values()];
  }

  /** A router for `env`, or null when it names no proxy. */
  static fromEnv(env: Env, makeTransport: (proxy: string) => BaseTransport): EnvProxyRouter | null {
    const proxies = getEnvironmentProxies(env);
    if (Object.keys(proxies).length === 0) return null;
    return new EnvProxyRouter(proxies, envValue(env, 'no_proxy') ?? '', makeTransport);
  }

  /** The proxy transport for a URL, or null when it goes direct. */
  route(url: URL): BaseTransport | null {
    if (shouldBypassProxy(url, this.#noProxy)) return null;
    return this.#table.route(url) ?? null;
  }

  transports(): BaseTransport[] {
    return [...this.#transports];
  }
}
