import type { RequestListener } from 'node:http';
import { httpServer, readBody, type TestServer } from './servers.js';

/**
 * The routes HTTPX's own tests talk to (its `tests/conftest.py` app), served over real HTTP:
 * `/status/<code>`, `/echo_body`, `/echo_headers`, `/json`, and `Hello, world!` as `text/plain`
 * everywhere else. HEAD answers carry no body, as any HTTP server's.
 */
export const httpxTestApp: RequestListener = async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
  if (path.startsWith('/status/')) {
    res.writeHead(Number(path.slice('/status/'.length)), { 'content-type': 'text/plain' });
    res.end('Hello, world!');
  } else if (path.startsWith('/echo_body')) {
    const body = await readBody(req);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  } else if (path.startsWith('/echo_headers')) {
    await readBody(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(capitalizedHeaders(req.rawHeaders)));
  } else if (path.startsWith('/json')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"Hello": "world!"}');
  } else {
    await readBody(req);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('Hello, world!');
  }
};

// HTTPX's app names each header as Python's `str.capitalize()` does: `Custom-header`, `Content-length`.
function capitalizedHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    headers[name.charAt(0).toUpperCase() + name.slice(1).toLowerCase()] = raw[i + 1] as string;
  }
  return headers;
}

/** HTTPX's test server: the app above on 127.0.0.1 and a free port. */
export function httpxTestServer(): Promise<TestServer> {
  return httpServer(httpxTestApp);
}
