import { DEFAULT_SECRET_PARAMS } from '../cassette/format.js';

// The OpenTelemetry HTTP semantic conventions (stable) name the attributes; these helpers give
// their values. Anything that can carry a secret (userinfo, signed query values) is redacted here,
// before it reaches a span, an event or a metric.

/** An attribute map as OpenTelemetry takes it (strings and numbers are all we set). */
export type Attributes = Record<string, string | number>;

// The conventions' known methods; anything else is reported as `_OTHER`, keeping cardinality bounded.
const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

// The conventions' own list of query keys to redact, then the token-like ones APIs put in URLs
// (Apify's `?token=` among them), shared with what cassettes keep out of their files.
export const DEFAULT_SECRET_QUERY_PARAMS: readonly string[] = [
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
  ...DEFAULT_SECRET_PARAMS,
];

const REDACTED = 'REDACTED';

export function isKnownMethod(method: string): boolean {
  return KNOWN_METHODS.has(method);
}

/** The span name: the method when it is a known one, else `HTTP` (as the conventions say). */
export function spanName(method: string): string {
  return isKnownMethod(method) ? method : 'HTTP';
}

export function serverPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * `url.full`: the absolute URL as sent, userinfo as `REDACTED:REDACTED`, the values of secret query
 * parameters as `REDACTED` (names compared case-insensitively), the fragment dropped (never sent).
 */
export function fullUrl(url: URL, secretParams: ReadonlySet<string>): string {
  const hasUserinfo = url.username !== '' || url.password !== '';
  const search = redactQuery(url.search, secretParams);
  if (!hasUserinfo && search === url.search && url.hash === '') return url.href;
  const copy = new URL(url.href);
  if (hasUserinfo) {
    copy.username = REDACTED;
    copy.password = REDACTED;
  }
  copy.hash = '';
  // Assigning `search` would re-encode the untouched pairs; the text is spliced in as it was.
  return copy.href.replace(copy.search, search);
}

// Pairs are rewritten in place, so everything but a secret's value keeps its original spelling.
function redactQuery(search: string, secretParams: ReadonlySet<string>): string {
  if (search.length <= 1) return search;
  let changed = false;
  const pairs = search
    .slice(1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      if (equals === -1 || !secretParams.has(decodeName(rawName).toLowerCase())) return pair;
      changed = true;
      return `${rawName}=${REDACTED}`;
    });
  return changed ? `?${pairs.join('&')}` : search;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** `network.protocol.version` from a response's `HTTP/1.1`, `HTTP/2`, …: `1.1`, `2`. */
export function protocolVersion(httpVersion: string): string {
  if (httpVersion === 'HTTP/1.1') return '1.1';
  if (httpVersion === 'HTTP/2') return '2';
  return httpVersion.replace(/^HTTP\//i, '');
}

/** `error.type` for an exception: its class name (`ConnectError`, `ReadTimeout`, …), else `_OTHER`. */
export function errorType(error: unknown): string {
  if (error instanceof Error && error.name !== '') return error.name;
  return '_OTHER';
}

/** The attributes a request is known by before it is sent (span start and the duration metric). */
export function requestAttributes(method: string, url: URL, secretParams: ReadonlySet<string>): Attributes {
  const attributes: Attributes = {
    'http.request.method': isKnownMethod(method) ? method : '_OTHER',
    // An IPv6 literal without its brackets, as the conventions spell addresses.
    'server.address': url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    'server.port': serverPort(url),
    'url.full': fullUrl(url, secretParams),
    'url.scheme': url.protocol.slice(0, -1),
  };
  if (!isKnownMethod(method)) attributes['http.request.method_original'] = method;
  return attributes;
}
