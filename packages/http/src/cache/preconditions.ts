import { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import { Response } from '../models/response.js';
import { parseHttpDate } from './freshness.js';
import type { CachedResponse } from './store.js';
import { opaqueTag } from './validation.js';

/**
 * The caller's own conditional requests (RFC 9111 §4.3.2). `If-None-Match` and `If-Modified-Since`
 * are evaluated against the stored response, so a fresh hit answers them with a 304. The other
 * preconditions and `Range` change which answer is right, so such requests go to the origin as
 * they are.
 */
export function bypassesCache(request: Request): boolean {
  const h = request.headers;
  return h.has('if-match') || h.has('if-unmodified-since') || h.has('if-range') || h.has('range');
}

// An entity-tag list: quoted tags (possibly W/-prefixed) or, leniently, unquoted tokens.
const TAG = /(?:W\/)?"[^"]*"|[^,\s]+/g;

/**
 * Whether the stored response satisfies the caller's validators, so the answer is a 304
 * (RFC 9110 §13.1.1, §13.1.3): `If-None-Match` by weak comparison (`*` matches any stored
 * response), else `If-Modified-Since` against `Last-Modified`, or `Date`, or when it arrived.
 */
export function notModifiedForCaller(request: Request, entry: CachedResponse): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const inm = request.headers.getList('if-none-match');
  // The usual fresh hit carries no validator: nothing to parse.
  if (inm.length === 0 && !request.headers.has('if-modified-since')) return false;
  const stored = new Headers(entry.headers);
  if (inm.length > 0) {
    const tags = inm.flatMap((value) => value.match(TAG) ?? []);
    if (tags.includes('*')) return true;
    const etag = stored.get('etag');
    if (etag === null) return false;
    const storedTag = opaqueTag(etag);
    return tags.some((tag) => opaqueTag(tag) === storedTag);
  }
  const since = parseHttpDate(request.headers.get('if-modified-since'));
  if (since === null) return false;
  const modified =
    parseHttpDate(stored.get('last-modified')) ?? parseHttpDate(stored.get('date')) ?? entry.responseTime;
  return modified <= since;
}

// What a 304 carries (RFC 9110 §15.4.5), plus Last-Modified, which caches use to update theirs.
const NOT_MODIFIED_FIELDS = new Set([
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'last-modified',
  'vary',
]);

/** The 304 the cache answers a satisfied conditional request with, from the stored headers. */
export function notModifiedResponse(
  request: Request,
  entry: CachedResponse,
  age: number,
  extensions: Record<string, unknown>,
): Response {
  const headers = new Headers(entry.headers.filter(([name]) => NOT_MODIFIED_FIELDS.has(name.toLowerCase())));
  headers.set('Age', String(Math.floor(age)));
  return new Response(304, {
    headers,
    request,
    reasonPhrase: 'Not Modified',
    httpVersion: entry.httpVersion,
    extensions,
  });
}
