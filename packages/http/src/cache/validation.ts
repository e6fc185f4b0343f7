import { Headers } from '../models/headers.js';
import { Request } from '../models/request.js';
import { type Directives, qualifiedFields } from './directives.js';
import type { CachedResponse } from './store.js';

// Fields that describe one connection, not the response (RFC 9110 §7.6.1), never stored.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'proxy-authenticate',
  'proxy-authentication-info',
]);

// A 304 never replaces these: they describe the stored body (RFC 9111 §3.2).
const NOT_UPDATED = new Set(['content-length', 'content-encoding', 'content-range', 'transfer-encoding']);

/** The header pairs a cache stores: hop-by-hop fields and those a qualified directive names left out. */
export function storableHeaders(
  headers: Headers,
  directives: Directives,
  shared: boolean,
): Array<[string, string]> {
  const skip = new Set(HOP_BY_HOP);
  for (const name of headers.getList('connection', { splitCommas: true }))
    skip.add(name.trim().toLowerCase());
  for (const name of qualifiedFields(directives, 'no-cache') ?? []) skip.add(name);
  if (shared) for (const name of qualifiedFields(directives, 'private') ?? []) skip.add(name);
  return headers.multiItems().filter(([name]) => !skip.has(name.toLowerCase()));
}

/** The validator-carrying request that revalidates `entry` (RFC 9111 §4.3.1). */
export function conditionalRequest(
  request: Request,
  entry: CachedResponse,
  signal: AbortSignal | null = request.signal,
): Request {
  const stored = new Headers(entry.headers);
  const headers = request.headers.copy();
  // The cache asks about what it holds; the caller's validators are evaluated against the answer.
  headers.delete('if-none-match');
  headers.delete('if-modified-since');
  const etag = stored.get('etag');
  const lastModified = stored.get('last-modified');
  if (etag !== null) headers.set('If-None-Match', etag);
  if (lastModified !== null) headers.set('If-Modified-Since', lastModified);
  return new Request(request.method, request.url, {
    headers,
    body: request.body,
    extensions: request.extensions,
    signal: signal ?? undefined,
  });
}

/** Whether `entry` can be validated at all (it carries a validator). */
export function hasValidator(entry: CachedResponse): boolean {
  const stored = new Headers(entry.headers);
  return stored.has('etag') || stored.has('last-modified');
}

/** An entity tag without its weakness prefix: what the weak comparison of RFC 9110 §8.8.3.2 compares. */
export function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/** Whether a 304 is about `entry` (RFC 9111 §4.3.4): its validators, when it has any, agree. */
export function notModifiedMatches(entry: CachedResponse, notModified: Headers): boolean {
  const stored = new Headers(entry.headers);
  const etag = notModified.get('etag');
  if (etag !== null) {
    const storedTag = stored.get('etag');
    return storedTag !== null && opaqueTag(storedTag) === opaqueTag(etag);
  }
  const lastModified = notModified.get('last-modified');
  if (lastModified !== null) return stored.get('last-modified') === lastModified;
  return true;
}

/** The stored headers updated from a 304's (RFC 9111 §3.2): each field it sends replaces the stored one. */
export function mergeNotModified(
  entry: CachedResponse,
  notModified: Headers,
  directives: Directives,
  shared: boolean,
): Array<[string, string]> {
  const merged = new Headers(entry.headers);
  const fresh = new Headers(storableHeaders(notModified, directives, shared));
  const replaced = new Set<string>();
  // The 304 is the newer response: its Age and Date (or their absence) describe the entry from now on.
  merged.delete('age');
  if (!fresh.has('date')) merged.delete('date');
  for (const [name, value] of fresh.multiItems()) {
    const lower = name.toLowerCase();
    if (NOT_UPDATED.has(lower)) continue;
    if (!replaced.has(lower)) {
      merged.delete(lower);
      replaced.add(lower);
    }
    merged.append(name, value);
  }
  return merged.multiItems();
}
