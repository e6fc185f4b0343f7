import type { Headers } from '../models/headers.js';
import { type Directives, deltaSeconds } from './directives.js';

/** Statuses a cache may give heuristic freshness to (RFC 9110 §15.1; 206 is left out: no range support). */
export const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]);

/** Heuristic freshness is this share of the time since `Last-Modified` (RFC 9111 §4.2.2 suggests 10 %). */
export const HEURISTIC_FRACTION = 0.1;

/** An HTTP date in ms since the epoch; null when absent or invalid (RFC 9110 §5.6.7 formats). */
export function parseHttpDate(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  // IMF-fixdate, RFC 850 and asctime all start with a day name; a bare number is not a date.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

/** The `Age` field in seconds: a non-negative integer, else null (an invalid Age is ignored). */
export function parseAge(headers: Headers): number | null {
  const values = headers.getList('age', { splitCommas: true });
  if (values.length === 0) return null;
  const first = (values[0] as string).trim();
  if (!/^\d+$/.test(first)) return null;
  return Math.min(Number(first), 2 ** 31);
}

export interface Timing {
  /** When the request that got the response was sent, ms since the epoch. */
  requestTime: number;
  /** When its response headers arrived, ms since the epoch. */
  responseTime: number;
}

/** The stored response's current age in seconds (RFC 9111 §4.2.3). */
export function currentAge(headers: Headers, timing: Timing, now: number): number {
  const date = parseHttpDate(headers.get('date')) ?? timing.responseTime;
  const apparentAge = Math.max(0, timing.responseTime - date) / 1000;
  const responseDelay = Math.max(0, timing.responseTime - timing.requestTime) / 1000;
  const correctedAgeValue = (parseAge(headers) ?? 0) + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, now - timing.responseTime) / 1000;
  return correctedInitialAge + residentTime;
}

export interface Lifetime {
  /** Seconds the response is fresh for, from its generation. */
  seconds: number;
  /** True when no explicit expiration was given and the heuristic supplied it. */
  heuristic: boolean;
}

/** The freshness lifetime (RFC 9111 §4.2.1), explicit first, then heuristic, else 0. */
export function freshnessLifetime(
  headers: Headers,
  directives: Directives,
  status: number,
  shared: boolean,
): Lifetime {
  if (shared) {
    const sMaxAge = deltaSeconds(directives, 's-maxage');
    if (sMaxAge !== null) return { seconds: sMaxAge, heuristic: false };
  }
  const maxAge = deltaSeconds(directives, 'max-age');
  if (maxAge !== null) return { seconds: maxAge, heuristic: false };
  if (headers.has('expires')) {
    const expires = parseHttpDate(headers.get('expires'));
    // An invalid Expires (such as "0") means already expired.
    if (expires === null) return { seconds: 0, heuristic: false };
    const date = parseHttpDate(headers.get('date'));
    if (date === null) return { seconds: 0, heuristic: false };
    return { seconds: Math.max(0, (expires - date) / 1000), heuristic: false };
  }
  if (HEURISTICALLY_CACHEABLE.has(status) || directives.has('public')) {
    const lastModified = parseHttpDate(headers.get('last-modified'));
    const date = parseHttpDate(headers.get('date'));
    if (lastModified !== null && date !== null && date > lastModified)
      return { seconds: ((date - lastModified) / 1000) * HEURISTIC_FRACTION, heuristic: true };
  }
  return { seconds: 0, heuristic: false };
}

/** Whether the response has an explicit expiration time (what makes a non-heuristic status storable). */
export function hasExplicitExpiration(headers: Headers, directives: Directives, shared: boolean): boolean {
  return (
    headers.has('expires') ||
    deltaSeconds(directives, 'max-age') !== null ||
    (shared && deltaSeconds(directives, 's-maxage') !== null)
  );
}
