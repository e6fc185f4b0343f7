import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { cacheKey } from './keys.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * The cache keys an unsafe request invalidates (RFC 9111 §4.4): on a non-error answer, its target
 * URI and the same-origin URIs of the response's `Location` and `Content-Location`.
 */
export function invalidatedKeys(request: Request, response: Response): string[] {
  if (SAFE.has(request.method)) return [];
  if (response.statusCode < 200 || response.statusCode >= 400) return [];
  const keys = new Set([cacheKey(request)]);
  for (const field of ['location', 'content-location']) {
    const value = response.headers.get(field);
    if (value === null) continue;
    let url: URL;
    try {
      url = new URL(value, request.url);
    } catch {
      continue;
    }
    if (url.origin !== request.url.origin) continue;
    url.hash = '';
    keys.add(url.href);
  }
  return [...keys];
}
