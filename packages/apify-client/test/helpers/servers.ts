import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as sent on the wire (possibly compressed). */
  raw: Buffer;
  /** The body after undoing Content-Encoding. */
  body: Buffer;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function decode(raw: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(raw);
  if (encoding === 'br') return brotliDecompressSync(raw);
  return raw;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function record(req: IncomingMessage, raw: Buffer): RecordedRequest {
  const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: req.headers,
    raw,
    body: decode(raw, req.headers['content-encoding']),
  };
}

async function listen(server: Server, sockets: Set<Socket>): Promise<string> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export type Handler = (request: RecordedRequest, res: ServerResponse, index: number) => void | Promise<void>;

/** A loopback server that records every request (body decoded) and answers with `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const recorded = record(req, await readBody(req));
    requests.push(recorded);
    await handler(recorded, res, requests.length - 1);
  });
  const url = await listen(server, sockets);
  const close = closer(server, sockets);
  return { url, requests, close, [Symbol.asyncDispose]: close };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** What the proxy does with one request. */
export type ProxyAction =
  | 'pass'
  | 'reset'
  /** Forward to the target, let it apply the request, then destroy the client socket. */
  | 'lose'
  /** Never answer (until the proxy closes): a stuck server. */
  | 'hang'
  | { status: number; body?: unknown; headers?: Record<string, string> };

export interface FaultProxy extends TestServer {
  /** Actions for the next requests, consumed in order; once empty, requests pass. */
  plan: ProxyAction[];
  /** What happened to each request: the action taken. */
  log: { method: string; path: string; action: string }[];
}

/** A node:http proxy in front of `target` that fails on purpose, following `plan`. */
export async function startFaultProxy(
  target: string,
  plan: ProxyAction[] = [],
  match?: (req: RecordedRequest) => boolean,
): Promise<FaultProxy> {
  const requests: RecordedRequest[] = [];
  const log: FaultProxy['log'] = [];
  const sockets = new Set<Socket>();
  const proxy: Partial<FaultProxy> = { plan, requests, log };
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const recorded = record(req, raw);
    requests.push(recorded);
    const applies = match === undefined || match(recorded);
    const action = applies ? (proxy.plan?.shift() ?? 'pass') : 'pass';
    log.push({
      method: recorded.method,
      path: recorded.path,
      action: typeof action === 'string' ? action : String(action.status),
    });
    if (action === 'hang') return;
    if (action === 'reset') {
      req.socket.destroy();
      return;
    }
    if (typeof action === 'object') {
      json(
        res,
        action.status,
        action.body ?? { error: { type: 'injected', message: `injected ${action.status}` } },
        action.headers,
      );
      return;
    }
    const upstream = await forward(target, req, raw);
    if (action === 'lose') {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  });
  const url = await listen(server, sockets);
  const close = closer(server, sockets);
  Object.assign(proxy, { url, close, [Symbol.asyncDispose]: close });
  return proxy as FaultProxy;
}

function forward(
  target: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    delete headers.host;
    const upstream = httpRequest(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers, agent: false },
      async (response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of response) chunks.push(chunk as Buffer);
        const responseHeaders = { ...response.headers };
        delete responseHeaders['transfer-encoding'];
        delete responseHeaders.connection;
        resolve({
          status: response.statusCode ?? 502,
          headers: responseHeaders,
          body: Buffer.concat(chunks),
        });
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}
