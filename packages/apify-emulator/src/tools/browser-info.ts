import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** A header map as `browser-info` shows it: repeated headers become arrays, like Node's `headers`. */
function headerMap(rawHeaders: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else headers[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return headers;
}

/** The request's own header list: from the socket when there is one, else from the web Request. */
function rawHeadersOf(request: Request, incoming: IncomingMessage | null): string[] {
  if (incoming !== null) return [...incoming.rawHeaders];
  const raw: string[] = [];
  request.headers.forEach((value, name) => {
    raw.push(name, value);
  });
  return raw;
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`; the platform shows `a.b.c.d`. */
function clientIpOf(incoming: IncomingMessage | null): string | null {
  const address = incoming?.socket.remoteAddress ?? null;
  if (address === null || isIP(address) === 0) return null;
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export interface BrowserInfoOptions {
  skipHeaders: boolean;
  rawHeaders: boolean;
  bodyLength: number;
}

/**
 * The spec's `BrowserInfoResponse` for this request. There is no GeoIP database locally, and every
 * client of an emulator is on the machine or the local network, so `countryCode` is null.
 */
export function browserInfo(
  request: Request,
  incoming: IncomingMessage | null,
  options: BrowserInfoOptions,
): Record<string, unknown> {
  const raw = rawHeadersOf(request, incoming);
  return {
    method: request.method,
    clientIp: clientIpOf(incoming),
    countryCode: null,
    bodyLength: options.bodyLength,
    ...(options.skipHeaders ? {} : { headers: headerMap(raw) }),
    ...(options.rawHeaders ? { rawHeaders: raw } : {}),
  };
}
