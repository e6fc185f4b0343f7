import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { errorBody } from '../errors.js';

export interface NodeBindings {
  readonly incoming: IncomingMessage;
  readonly outgoing: ServerResponse;
}

export type NodeHandler = (request: Request, node: NodeBindings) => Promise<Response>;

/**
 * A dot segment in the raw path (`..`, `%2e%2e`) would be normalised away by URL parsing before
 * routing, silently turning `records/../x` into another endpoint; reject it while it is still visible.
 */
function dotSegmentError(rawUrl: string): { type: string; message: string } | null {
  const path = rawUrl.split('?')[0] ?? '';
  const segments = path.split('/');
  const isDot = (segment: string): boolean => {
    const s = segment.toLowerCase().replace(/%2e/g, '.');
    return s === '.' || s === '..';
  };
  if (!segments.some(isDot)) return null;
  const recordsAt = segments.indexOf('records');
  const firstDot = segments.findIndex(isDot);
  if (recordsAt !== -1 && recordsAt < firstDot) {
    const key = decodeURIComponent(segments.slice(recordsAt + 1).join('/'));
    return {
      type: 'invalid-record-key',
      message: `The key '${key}' is invalid: keys must not contain '/' or be '.' or '..'`,
    };
  }
  return { type: 'invalid-request', message: 'The request path must not contain dot segments' };
}

function safeDotSegmentError(rawUrl: string): { type: string; message: string } | null {
  try {
    return dotSegmentError(rawUrl);
  } catch {
    return { type: 'invalid-request', message: 'The request path is not valid percent-encoding' };
  }
}

/**
 * Node answers a request it cannot parse (a 100 KiB URL, broken framing) with a bare status line and
 * no body; answer in the API's error shape instead, so clients report something they can read.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, type, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'request-headers-too-large',
          `The request line and headers exceed ${maxHeaderSize} bytes`,
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request-timeout', 'The request was not received in time']
        : [400, 'Bad Request', 'invalid-request', 'The request is not valid HTTP/1.1'];
  const body = errorBody(type, message);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startServer(
  handler: NodeHandler,
  options: { port: number; host: string },
): Promise<{ server: Server; url: string }> {
  const listener = getRequestListener(
    (request, env) =>
      handler(request, {
        incoming: env.incoming as IncomingMessage,
        outgoing: env.outgoing as ServerResponse,
      }),
    {
      // Keep the process's global Request/Response untouched: the emulator may live inside a user's tests.
      overrideGlobalObjects: false,
    },
  );
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const rejected = safeDotSegmentError(incoming.url ?? '/');
    if (rejected !== null) {
      const body = errorBody(rejected.type, rejected.message);
      outgoing.writeHead(400, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      outgoing.end(body);
      incoming.resume();
      return;
    }
    void listener(incoming, outgoing);
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}` };
}

export async function stopServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
