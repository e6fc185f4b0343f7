import { InvalidURL, UnsupportedProtocol } from '../errors.js';
import { parseAbsoluteUrl } from '../models/urls.js';

/**
 * Checks the command line's URL with the library's own parser. Returns the message for the usage error, or null when it is fine.
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
    // The library's InvalidURL already names the bad part (port, IPv4, IPv6 or host) where it can.
    return error.message;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Unsupported scheme '${url.protocol}': use http: or https:.`;
  }
  return null;
}
