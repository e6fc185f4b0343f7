import type { Headers } from '../models/headers.js';

/**
 * A parsed `Cache-Control` field (RFC 9111 §5.2): directive names lower-cased, each mapped to its
 * argument (unquoted) or `true` when it has none. The first occurrence of a directive wins.
 */
export type Directives = ReadonlyMap<string, string | true>;

// No whitespace around `=` (RFC 9110 §5.6.6): `max-age =100` is not a max-age.
const DIRECTIVE =
  /[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?:=(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+\-.^_`|~0-9A-Za-z]*)))?[ \t]*(?:,|$)/y;

/** Parses every `Cache-Control` line of `headers`; malformed pieces are skipped up to the next comma. */
export function parseCacheControl(headers: Headers): Directives {
  const directives = new Map<string, string | true>();
  for (const line of headers.getList('cache-control')) {
    let at = 0;
    while (at < line.length) {
      DIRECTIVE.lastIndex = at;
      const match = DIRECTIVE.exec(line);
      if (match === null) {
        const comma = line.indexOf(',', at);
        if (comma === -1) break;
        at = comma + 1;
        continue;
      }
      at = DIRECTIVE.lastIndex;
      const name = (match[1] as string).toLowerCase();
      const quoted = match[2];
      const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : match[3];
      if (!directives.has(name)) directives.set(name, value === undefined ? true : value);
    }
  }
  return directives;
}

/**
 * A delta-seconds argument (`max-age=60`) in seconds; `null` when absent or not a number. Very
 * large values saturate at 2^31 seconds, as RFC 9111 §1.2.2 asks.
 */
export function deltaSeconds(directives: Directives, name: string): number | null {
  const value = directives.get(name);
  if (value === undefined || value === true) return null;
  if (!/^\d+$/.test(value)) return null;
  return Math.min(Number(value), 2 ** 31);
}

/** Field names listed in a qualified directive (`no-cache="Set-Cookie"`), lower-cased; null when unqualified. */
export function qualifiedFields(directives: Directives, name: string): string[] | null {
  const value = directives.get(name);
  if (value === undefined || value === true) return null;
  return value
    .split(',')
    .map((field) => field.trim().toLowerCase())
    .filter((field) => field !== '');
}
