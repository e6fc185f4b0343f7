import { isIP } from 'node:net';
import { InvalidURL, UnsupportedProtocol } from '../errors.js';
import { parseAbsoluteUrl } from '../models/urls.js';

// The WHATWG parser only says "Invalid URL". A person at a shell needs to know which part to fix,
// so the authority is taken apart here to name it: the port, the IPv4 or IPv6 address, or the host.
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;
const FORBIDDEN_HOST_CHARACTER = /[\s#%/:<>?@[\\\]^|]/;

function whichPart(raw: string): string | null {
  const authority = AUTHORITY.exec(raw)?.[1];
  if (authority === undefined) return null;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host = hostPort;
  let port: string | null = null;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end === -1) return `Invalid IPv6 address: '${hostPort}' has no closing ']'`;
    const address = hostPort.slice(1, end);
    if (isIP(address) !== 6) return `Invalid IPv6 address: '${address}'`;
    const rest = hostPort.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return `Invalid port: '${rest}' after the IPv6 address`;
    port = rest === '' ? null : rest.slice(1);
    host = '';
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon !== -1) {
      port = hostPort.slice(colon + 1);
      host = hostPort.slice(0, colon);
    }
  }
  if (port !== null && port !== '' && (!/^\d+$/.test(port) || Number(port) > 65_535)) {
    return `Invalid port: '${port}' (a port is a number from 0 to 65535)`;
  }
  if (host === '' && !hostPort.startsWith('[')) return 'Invalid host: the URL has no host';
  if (/^[\d.]+$/.test(host) && isIP(host) !== 4) return `Invalid IPv4 address: '${host}'`;
  const bad = FORBIDDEN_HOST_CHARACTER.exec(host);
  if (bad !== null) return `Invalid host: '${host}' contains ${JSON.stringify(bad[0])}`;
  return null;
}

/** Messages that already name the part (the library's own, where it has them) are kept as they are. */
const NAMES_A_PART = /\b(port|IPv4|IPv6|host)\b/i;

/**
 * Checks the command line's URL with the library's own parser, and when that only says the URL is
 * invalid, says which part is wrong. Returns the message for the usage error, or null when it is fine.
 */
export function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = parseAbsoluteUrl(raw);
  } catch (error) {
    if (error instanceof UnsupportedProtocol) {
      return 'Not an absolute URL: include the scheme, as in http://example.org/.';
    }
    if (!(error instanceof InvalidURL)) throw error;
    if (NAMES_A_PART.test(error.message)) return error.message;
    return whichPart(raw) ?? error.message;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Unsupported scheme '${url.protocol}': use http: or https:.`;
  }
  return null;
}
