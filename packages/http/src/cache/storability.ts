import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import type { Directives } from './directives.js';
import { freshnessLifetime, HEURISTICALLY_CACHEABLE, hasExplicitExpiration } from './freshness.js';

/**
 * Whether a cache may store `response` (RFC 9111 §3), and whether it is worth it: it must be
 * reusable later, fresh for a while, validatable, or servable stale.
 */
export function isStorable(
  request: Request,
  response: Response,
  directives: Directives,
  requestCc: Directives,
  shared: boolean,
  now: number,
): boolean {
  if (request.method !== 'GET') return false;
  const status = response.statusCode;
  if (status < 200 || status === 206 || status === 304) return false;
  if (directives.has('no-store') || requestCc.has('no-store')) return false;
  if (shared) {
    if (directives.has('private')) return false;
    if (
      request.headers.has('authorization') &&
      !directives.has('must-revalidate') &&
      !directives.has('public') &&
      !directives.has('s-maxage')
    )
      return false;
  }
  const permitted =
    hasExplicitExpiration(response.headers, directives, shared) ||
    directives.has('public') ||
    (!shared && directives.has('private')) ||
    HEURISTICALLY_CACHEABLE.has(status);
  if (!permitted) return false;
  const lifetime = freshnessLifetime(response.headers, directives, status, shared, now).seconds;
  const validator = response.headers.has('etag') || response.headers.has('last-modified');
  return (
    lifetime > 0 || validator || directives.has('stale-if-error') || directives.has('stale-while-revalidate')
  );
}
