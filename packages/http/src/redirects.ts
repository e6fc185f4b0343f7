import { RemoteProtocolError, UnsupportedProtocol } from './errors.js';
import { Request } from './models/request.js';
import type { Response } from './models/response.js';
import { isHttpsUpgrade, isSameOrigin } from './models/urls.js';

function redirectMethod(method: string, status: number): string {
  if ((status === 302 || status === 303) && method !== 'HEAD') return 'GET';
  if (status === 301 && method === 'POST') return 'GET';
  return method;
}

function redirectUrl(request: Request, response: Response): URL {
  let location = response.headers.get('location') as string;
  // `https://:443/` names no host: HTTPX reuses the request's.
  location = location.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)(?=:\d*(\/|$))/, `$1${request.url.hostname}`);
  let url: URL;
  try {
    url = new URL(location, request.url);
  } catch (cause) {
    throw new RemoteProtocolError(`Invalid URL in location header: ${location}`, { cause, request });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsupportedProtocol(`Scheme '${url.protocol.slice(0, -1)}' not supported in redirect`, {
      request,
    });
  }
  if (url.hash === '' && request.url.hash !== '') url.hash = request.url.hash;
  return url;
}

/**
 * The request to send for a redirect response: the method rules of RFC 9110 as HTTPX applies them,
 * `Authorization` and `Proxy-Authorization` only to the same origin (or an http:80 → https:443 upgrade),
 * cookies recomputed by the caller. A one-shot body is carried over as it is: following the
 * redirect then fails with `StreamConsumed`, while `nextRequest` of an unfollowed one stays set.
 */
export function buildRedirectRequest(request: Request, response: Response): Request {
  const method = redirectMethod(request.method, response.statusCode);
  const url = redirectUrl(request, response);
  const headers = request.headers.copy();
  headers.delete('host');
  headers.delete('cookie');
  if (!isSameOrigin(request.url, url) && !isHttpsUpgrade(request.url, url)) {
    headers.delete('authorization');
    // A caller-set Proxy-Authorization is meant for the proxy of the first hop; the next origin may
    // be reached directly (another mount, NO_PROXY), where it would hand the proxy password over.
    headers.delete('proxy-authorization');
  }

  let body = request.body;
  if (method !== request.method) {
    headers.delete('content-length');
    headers.delete('transfer-encoding');
    headers.delete('content-type');
    body = null;
  }
  return new Request(method, url, {
    headers,
    body,
    extensions: request.extensions,
    signal: request.signal ?? undefined,
  });
}
