import type { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import type { CachedResponse } from './store.js';

/** The primary cache key (RFC 9111 §2): the target URI without its fragment. */
export function cacheKey(request: Request): string {
  const url = new URL(request.url);
  url.hash = '';
  return url.href;
}

/** The field names a response's `Vary` lists, lower-cased; null for `Vary: *` (never matches). */
export function varyFields(headers: Headers): string[] | null {
  const names = headers
    .getList('vary', { splitCommas: true })
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.includes('*')) return null;
  return [...new Set(names)];
}

/** A request field's value normalised for comparison: lines joined, whitespace runs collapsed. */
function normalised(headers: Headers, name: string): string | null {
  const values = headers.getList(name);
  if (values.length === 0) return null;
  return values
    .map((value) => value.trim().replace(/\s+/g, ' '))
    .join(', ')
    .replace(/\s*,\s*/g, ', ');
}

/** The request's values of the `Vary` fields, to store beside the response; null for `Vary: *`. */
export function varyValues(response: Headers, request: Headers): Record<string, string | null> | null {
  const fields = varyFields(response);
  if (fields === null) return null;
  const values: Record<string, string | null> = {};
  for (const name of fields) values[name] = normalised(request, name);
  return values;
}

/** Whether a stored response was selected by the same values of its `Vary` fields (RFC 9111 §4.1). */
export function varyMatches(entry: CachedResponse, request: Headers): boolean {
  for (const [name, value] of Object.entries(entry.vary))
    if (normalised(request, name) !== value) return false;
  return true;
}
