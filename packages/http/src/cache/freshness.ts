import type { Headers } from '../models/headers.js';
import { type Directives, deltaSeconds } from './directives.js';

/** Statuses a cache may give heuristic freshness to (RFC 9110 §15.1; 206 is left out: no range support). */
export const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]);

/** Heuristic freshness is this share of the time since `Last-Modified` (RFC 9111 §4.2.2 suggests 10 %). */
export const HEURISTIC_FRACTION = 0.1;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LONG_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const IMF_FIXDATE = /^([a-z]{3}), (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/;
const RFC_850 = /^([a-z]{6,9}), (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/;
const ASCTIME = /^([a-z]{3}) ([a-z]{3}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, month: string, day: string, h: string, m: string, s: string): number | null {
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex === -1) return null;
  const [hours, minutes, seconds, date] = [Number(h), Number(m), Number(s), Number(day)];
  if (hours > 23 || minutes > 59 || seconds > 60 || date < 1 || date > 31) return null;
  return Date.UTC(year, monthIndex, date, hours, minutes, seconds);
}

/**
 * An HTTP date (RFC 9110 §5.6.7) in ms since the epoch: IMF-fixdate, or the obsolete RFC 850 and
 * asctime forms, case-insensitive; anything else (a bare number, `UTC` instead of `GMT`, a two-digit
 * year in IMF form, extra spaces) is invalid and gives null.
 */
export function parseHttpDate(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim().toLowerCase();
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) {
    if (!DAYS.includes(match[1] as string)) return null;
    return utc(
      Number(match[4]),
      match[3] as string,
      match[2] as string,
      match[5] as string,
      match[6] as string,
      match[7] as string,
    );
  }
  match = RFC_850.exec(text);
  if (match !== null) {
    if (!LONG_DAYS.includes(match[1] as string)) return null;
    // A two-digit year more than 50 years ahead is in the past century (RFC 9110 §5.6.7).
    let year = 2000 + Number(match[4]);
    if (year > new Date().getUTCFullYear() + 50) year -= 100;
    return utc(
      year,
      match[3] as string,
      match[2] as string,
      match[5] as string,
      match[6] as string,
      match[7] as string,
    );
  }
  match = ASCTIME.exec(text);
  if (match !== null) {
    if (!DAYS.includes(match[1] as string)) return null;
    return utc(
      Number(match[7]),
      match[2] as string,
      (match[3] as string).trim(),
      match[4] as string,
      match[5] as string,
      match[6] as string,
    );
  }
  return null;
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
  receivedAt: number,
): Lifetime {
  // A missing or invalid Date counts as the time the response was received (RFC 9110 §6.6.1).
  const date = parseHttpDate(headers.get('date')) ?? receivedAt;
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
    return { seconds: Math.max(0, (expires - date) / 1000), heuristic: false };
  }
  if (HEURISTICALLY_CACHEABLE.has(status) || directives.has('public')) {
    const lastModified = parseHttpDate(headers.get('last-modified'));
    if (lastModified !== null && date > lastModified)
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
