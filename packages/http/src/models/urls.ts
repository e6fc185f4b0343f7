import { InvalidURL, UnsupportedProtocol, UsageError } from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { redactUrl, scrubbedCause } from '../internal/redact.js';
import type { QueryParams } from './query-params.js';

const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const NON_PRINTABLE = /[\0-\x1f\x7f]/;
const MAX_URL_LENGTH = 65_536;

function checkType(input: unknown): void {
  if (typeof input !== 'string') {
    throw new UsageError(`Invalid type for url: expected a string or URL, got ${describeValue(input)}`);
  }
}

function checkText(text: string): void {
  if (text.length > MAX_URL_LENGTH) throw new InvalidURL('URL too long');
  const bad = NON_PRINTABLE.exec(text);
  if (bad) {
    throw new InvalidURL(
      `Invalid non-printable ASCII character in URL, ${JSON.stringify(bad[0])} at position ${bad.index}.`,
    );
  }
}

/** Parses an absolute URL, with HTTPX's messages for the usual mistakes. */
export function parseAbsoluteUrl(input: string | URL): URL {
  if (input instanceof URL) return new URL(input.href);
  checkType(input);
  checkText(input);
  if (!ABSOLUTE.test(input)) {
    throw new UnsupportedProtocol(
      `Request URL is missing an 'http://' or 'https://' protocol: '${redactUrl(input)}'.`,
    );
  }
  try {
    return new URL(input);
  } catch (cause) {
    throw new InvalidURL(describeInvalidUrl(input) ?? `Invalid URL '${redactUrl(input)}'`, {
      cause: scrubbedCause(cause),
    });
  }
}

const IPV4_LIKE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Which part of a URL the WHATWG parser refused, in HTTPX's words (`Invalid port: '99999'`,
 * `Invalid IPv4 address: '999.1.1.1'`, `Invalid IPv6 address: '[2001]'`, `Invalid IDNA hostname:
 * '☃.com'`), or null when no single part is to blame. Userinfo never appears in the message.
 */
export function describeInvalidUrl(input: string): string | null {
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#\\]*)/.exec(input)?.[1];
  if (authority === undefined) return null;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host: string;
  let port: string | null;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) return `Invalid IPv6 address: '${hostPort}'`;
    host = hostPort.slice(0, close + 1);
    const rest = hostPort.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return `Invalid IPv6 address: '${hostPort}'`;
    port = rest === '' ? null : rest.slice(1);
    if (!URL.canParse(`http://${host}/`)) return `Invalid IPv6 address: '${host}'`;
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    port = colon === -1 ? null : hostPort.slice(colon + 1);
  }
  if (port !== null && port !== '' && (!/^\d+$/.test(port) || Number(port) > 65_535)) {
    return `Invalid port: '${port}'`;
  }
  if (IPV4_LIKE.test(host) && host.split('.').some((octet) => Number(octet) > 255)) {
    return `Invalid IPv4 address: '${host}'`;
  }
  const forbidden = /[\s<>[\\\]^|]/.exec(host.startsWith('[') ? '' : host);
  if (forbidden !== null) return `Invalid host: '${host}' contains ${JSON.stringify(forbidden[0])}`;
  if (/[^\p{ASCII}]/u.test(host) && !URL.canParse(`http://${host}/`)) {
    return `Invalid IDNA hostname: '${host}'`;
  }
  return null;
}

/** The base URL as stored on a client: always ending in `/`, as HTTPX enforces. */
export function normalizeBaseUrl(input: string | URL): URL {
  const url = parseAbsoluteUrl(input);
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/**
 * Resolves `url` against a client's `baseUrl` (rules in the design brief):
 * an absolute URL wins; `//host/x` keeps its host; otherwise the path is appended to the base
 * path (dot segments then resolved), and the base's query is kept in front of the URL's own.
 */
export function joinBaseUrl(base: URL, input: string | URL): URL {
  const target = resolveAgainstBase(base, input);
  return typeof target === 'string' ? parseAbsoluteUrl(target) : target;
}

// A reference that can only add path segments (and a query) under the base path: no dot segment
// (encoded or not), no backslash, no `//`, no fragment. Such a reference appended to the base's
// href up to its path parses to exactly what `joinBaseUrl`'s general path builds.
const PLAIN_PATH = /^(?![^?]*(?:\/\/|(?:^|\/)(?:\.|%2e)))[^\\#]*$/i;

interface BaseParts {
  href: string;
  /** The href up to the end of the path (always ending in `/`). */
  prefix: string;
  query: string;
}
const baseParts = new WeakMap<URL, BaseParts>();

function partsOf(base: URL): BaseParts {
  const href = base.href;
  let parts = baseParts.get(base);
  if (parts?.href !== href) {
    const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    // The path starts at the first `/` after `scheme://` (userinfo and host are encoded without one).
    const prefix = `${href.slice(0, href.indexOf('/', base.protocol.length + 2))}${path}`;
    parts = { href, prefix, query: base.search.slice(1) };
    baseParts.set(base, parts);
  }
  return parts;
}

/** `joinBaseUrl` before parsing: an absolute or plain relative reference comes back as an absolute URL string. */
function resolveAgainstBase(base: URL, input: string | URL): string | URL {
  if (input instanceof URL) return new URL(input.href);
  checkType(input);
  checkText(input);
  if (ABSOLUTE.test(input)) return input;
  if (input.startsWith('//')) return `${base.protocol}${input}`;
  if ((base.protocol === 'http:' || base.protocol === 'https:') && PLAIN_PATH.test(input)) {
    const { prefix, query: baseQuery } = partsOf(base);
    const queryAt = input.indexOf('?');
    const path = queryAt === -1 ? input : input.slice(0, queryAt);
    const query = queryAt === -1 ? '' : input.slice(queryAt + 1);
    const joinedQuery = baseQuery === '' ? query : query === '' ? baseQuery : `${baseQuery}&${query}`;
    const joined = `${prefix}${path.startsWith('/') ? path.slice(1) : path}${joinedQuery === '' ? '' : `?${joinedQuery}`}`;
    // Past the length limit `parseAbsoluteUrl` would refuse what the general path accepts, and the
    // parser trims a trailing space that the general path keeps (percent-encoded).
    if (joined.length <= MAX_URL_LENGTH && !joined.endsWith(' ')) return joined;
  }
  return joinGeneral(base, input);
}

function joinGeneral(base: URL, input: string): URL {
  const hashAt = input.indexOf('#');
  const fragment = hashAt === -1 ? '' : input.slice(hashAt);
  const beforeHash = hashAt === -1 ? input : input.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);

  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const joinedQuery = [base.search.slice(1), query].filter((q) => q !== '').join('&');
  // Leading backslashes go too: WHATWG reads `\` as `/` in http(s) URLs, so `\x` is `/x`.
  const relativePath = path.replace(/^[/\\]+/, '');
  const resolved = new URL(base.href);
  resolved.hash = '';
  // Assigning `pathname` resolves dot segments like a relative reference would, but it can never
  // change the host: resolving `//x/…` (a base path starting with `//`, or `/` + `\evil.com`) would.
  resolved.pathname = `${basePath}${relativePath}`;
  resolved.search = joinedQuery === '' ? '' : `?${joinedQuery}`;
  if (fragment !== '') resolved.hash = fragment;
  return resolved;
}

/** Appends params to the query already in the URL (HTTPX 0.28 replaces it: issue #3433; we don't). */
export function appendParams(url: URL, params: QueryParams): URL {
  if (params.isEmpty) return url;
  const encoded = params.toString();
  const existing = url.search.slice(1);
  url.search = existing === '' ? `?${encoded}` : `?${existing}&${encoded}`;
  return url;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

export function effectivePort(url: URL): string {
  return url.port !== '' ? url.port : (DEFAULT_PORTS[url.protocol] ?? '');
}

export function isSameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && effectivePort(a) === effectivePort(b);
}

/** The one cross-origin hop that may keep credentials: the same host upgraded from http:80 to https:443. */
export function isHttpsUpgrade(from: URL, to: URL): boolean {
  return (
    from.protocol === 'http:' &&
    to.protocol === 'https:' &&
    from.hostname === to.hostname &&
    effectivePort(from) === '80' &&
    effectivePort(to) === '443'
  );
}

/** The Host header value: host plus a non-default port, no userinfo. */
export function hostHeader(url: URL): string {
  return url.host;
}
