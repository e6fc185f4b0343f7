import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import { Response } from '../models/response.js';
import { BaseTransport } from './base.js';

export type NodeApp = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface NodeAppTransportOptions {
  app: NodeApp;
  /** Rethrow what the app throws (default); `false` answers 500 instead. */
  raiseAppExceptions?: boolean;
  /** Mount path of the app: stripped from `req.url`, kept in `req.originalUrl`. */
  scriptName?: string;
  remoteAddr?: string;
}

/** Response body chunks as the app writes them, read back as an async iterable. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #done = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;

  push(chunk: Uint8Array): void {
    if (this.#done) return;
    this.#chunks.push(chunk);
    this.#notify();
  }
  end(error: unknown = null): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    this.#notify();
  }
  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) yield chunk;
      else if (this.#done) {
        if (this.#error !== null) throw this.#error;
        return;
      } else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

function toBytes(chunk: unknown, encoding?: BufferEncoding): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8');
  if (chunk instanceof Uint8Array) return chunk;
  return Buffer.from(String(chunk));
}

type WriteCallback = (error?: Error | null) => void;

/** Captures what the app writes instead of serialising it onto a socket. */
class CapturingResponse extends ServerResponse {
  readonly body = new ChunkQueue();
  onHead: (res: CapturingResponse) => void = () => {};
  #headCaptured = false;

  override writeHead(statusCode: number, ...rest: unknown[]): this {
    let headers = rest.at(-1);
    if (typeof rest[0] === 'string') this.statusMessage = rest[0];
    if (typeof headers === 'string') headers = undefined;
    // Headers passed here are folded into getHeaders(), which is where the transport reads them.
    if (Array.isArray(headers)) {
      const flat = (headers as unknown[]).flat() as string[];
      for (let i = 0; i + 1 < flat.length; i += 2)
        this.appendHeader(flat[i] as string, flat[i + 1] as string);
    } else if (headers !== undefined && headers !== null) {
      for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
        if (value !== undefined) this.setHeader(name, value);
      }
    }
    this.statusCode = statusCode;
    const result = super.writeHead(statusCode, this.statusMessage);
    this.#captureHead();
    return result;
  }

  #captureHead(): void {
    if (this.#headCaptured) return;
    this.#headCaptured = true;
    this.onHead(this);
  }

  override write(chunk: unknown, encodingOrCallback?: unknown, callback?: WriteCallback): boolean {
    if (!this.headersSent) this.writeHead(this.statusCode);
    const encoding =
      typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : undefined;
    this.body.push(toBytes(chunk, encoding));
    const done = typeof encodingOrCallback === 'function' ? (encodingOrCallback as WriteCallback) : callback;
    if (done) queueMicrotask(() => done(null));
    return true;
  }

  override end(chunk?: unknown, encodingOrCallback?: unknown, callback?: () => void): this {
    if (typeof chunk === 'function') return this.end(undefined, undefined, chunk as () => void);
    if (chunk !== undefined && chunk !== null) this.write(chunk, encodingOrCallback);
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.body.end();
    const done = typeof encodingOrCallback === 'function' ? (encodingOrCallback as () => void) : callback;
    // The real end() flushes the (already captured) head to the fake socket and emits 'finish'.
    return done ? super.end(done) : super.end();
  }
}

function fakeSocket(remoteAddress: string, encrypted: boolean): Duplex {
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
  Object.assign(socket, { remoteAddress, remotePort: 0, remoteFamily: 'IPv4', encrypted });
  return socket;
}

/**
 * Calls a node:http style app (`(req, res) => …`, Express included) in-process, without a
 * socket (HTTPX `WSGITransport`): a real `IncomingMessage` in, a captured `ServerResponse` out.
 */
export class NodeAppTransport extends BaseTransport {
  readonly #app: NodeApp;
  readonly #raise: boolean;
  readonly #scriptName: string;
  readonly #remoteAddr: string;

  constructor(options: NodeAppTransportOptions) {
    super();
    this.#app = options.app;
    this.#raise = options.raiseAppExceptions ?? true;
    this.#scriptName = (options.scriptName ?? '').replace(/\/$/, '');
    this.#remoteAddr = options.remoteAddr ?? '127.0.0.1';
  }

  override async handleRequest(request: Request): Promise<Response> {
    const socket = fakeSocket(this.#remoteAddr, request.url.protocol === 'https:');
    const req = new IncomingMessage(socket as never);
    const fullPath = `${request.url.pathname}${request.url.search}`;
    let path = fullPath;
    if (this.#scriptName !== '' && fullPath.startsWith(this.#scriptName)) {
      path = fullPath.slice(this.#scriptName.length);
      if (!path.startsWith('/')) path = `/${path}`;
    }
    req.method = request.method;
    req.url = path;
    Object.assign(req, {
      originalUrl: fullPath,
      httpVersion: '1.1',
      httpVersionMajor: 1,
      httpVersionMinor: 1,
    });
    for (const [name, value] of request.headers.raw) {
      req.rawHeaders.push(name, value);
      const key = name.toLowerCase();
      const existing = req.headers[key];
      if (key === 'set-cookie') req.headers[key] = [...((existing as string[] | undefined) ?? []), value];
      else if (existing === undefined) req.headers[key] = value;
      else req.headers[key] = `${existing}${key === 'cookie' ? '; ' : ', '}${value}`;
    }
    this.#feedBody(request, req);

    const res = new CapturingResponse(req);
    res.assignSocket(socket as never);
    const headOnly = request.method === 'HEAD';
    const fail = (error: unknown): Response => {
      if (this.#raise) throw error;
      return new Response(500, { text: 'Internal Server Error', request });
    };

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      res.onHead = (r) => {
        settled = true;
        const headers = new Headers();
        for (const name of r.getHeaderNames()) {
          const value = r.getHeader(name);
          // node:http keeps header names lower-cased; they are case-insensitive anyway.
          for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
        }
        const stream = headOnly ? [] : r.body;
        resolve(new Response(r.statusCode, { headers, stream, reasonPhrase: r.statusMessage, request }));
      };
      const onError = (error: unknown) => {
        if (settled) {
          res.body.end(error);
          return;
        }
        settled = true;
        try {
          resolve(fail(error));
        } catch (raised) {
          reject(raised);
        }
      };
      res.on('error', onError);
      try {
        const result = this.#app(req, res);
        if (result instanceof Promise) result.catch(onError);
      } catch (error) {
        onError(error);
      }
    });
  }

  /** Delivers the request body as a stream, pausing while the app has not read what it got. */
  #feedBody(request: Request, req: IncomingMessage): void {
    const body = request.body;
    if (body === null) {
      req.push(null);
      return;
    }
    let wanted: (() => void) | null = null;
    req._read = () => {
      const wake = wanted;
      wanted = null;
      wake?.();
    };
    void (async () => {
      try {
        const source = body.bytes !== null ? [body.bytes] : body.stream();
        for await (const chunk of source) {
          if (!req.push(chunk)) await new Promise<void>((resolve) => (wanted = resolve));
        }
        req.push(null);
      } catch (error) {
        req.destroy(error as Error);
      }
    })();
  }
}
