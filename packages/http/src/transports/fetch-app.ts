import { contextFor } from '../lifecycle/context-binding.js';
import type { RequestContext } from '../lifecycle/request-context.js';
import { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import { Response } from '../models/response.js';
import { BaseTransport } from './base.js';

export interface FetchAppInfo {
  client: { address: string; port: number };
  rootPath: string;
}

type FetchHandler = (
  request: globalThis.Request,
  info: FetchAppInfo,
) => globalThis.Response | Promise<globalThis.Response>;

/** A fetch-style app: a function, or an object with `fetch` (Hono, itty-router, Bun/Deno style). */
export type FetchApp = FetchHandler | { fetch: FetchHandler };

export interface FetchAppTransportOptions {
  app: FetchApp;
  /** Rethrow what the app throws (default); `false` answers 500 instead. */
  raiseAppExceptions?: boolean;
  /** Where the app is mounted: passed in `info`, not stripped from the URL (ASGI's `root_path`). */
  rootPath?: string;
  client?: readonly [address: string, port: number];
}

const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * Calls a fetch-style app (`(Request) => Response`) in-process (HTTPX `ASGITransport`). Unlike
 * HTTPX, the app's response body is streamed through, so server-sent events work.
 */
export class FetchAppTransport extends BaseTransport {
  readonly #app: FetchApp;
  readonly #raise: boolean;
  readonly #info: FetchAppInfo;

  constructor(options: FetchAppTransportOptions) {
    super();
    this.#app = options.app;
    this.#raise = options.raiseAppExceptions ?? true;
    const [address, port] = options.client ?? ['127.0.0.1', 123];
    this.#info = { client: { address, port }, rootPath: options.rootPath ?? '' };
  }

  override async handleRequest(request: Request, context?: RequestContext): Promise<Response> {
    const ctx = contextFor(request, context);
    ctx.throwIfAborted(request);
    const webRequest = this.#toWebRequest(request, ctx.signal);
    let webResponse: globalThis.Response;
    try {
      const app = this.#app;
      webResponse =
        typeof app === 'function'
          ? await app(webRequest, this.#info)
          : await app.fetch(webRequest, this.#info);
    } catch (error) {
      if (this.#raise) throw error;
      return new Response(500, { text: 'Internal Server Error', request });
    }
    const headers = new Headers();
    webResponse.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.append(name, value);
    });
    for (const cookie of webResponse.headers.getSetCookie()) headers.append('set-cookie', cookie);
    const body = webResponse.body;
    const stream = body === null || request.method === 'HEAD' ? [] : this.#streamBody(body);
    return new Response(webResponse.status, {
      headers,
      stream,
      request,
      ...(webResponse.statusText !== '' ? { reasonPhrase: webResponse.statusText } : {}),
    });
  }

  #toWebRequest(request: Request, signal: AbortSignal): globalThis.Request {
    const headers = new globalThis.Headers();
    for (const [name, value] of request.headers.raw) headers.append(name, value);
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers };
    const body = request.body;
    if (body !== null && !BODYLESS.has(request.method)) {
      if (body.bytes !== null) init.body = body.bytes.slice();
      else {
        const source = body.stream()[Symbol.asyncIterator]();
        init.body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const next = await source.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
          async cancel() {
            await source.return?.();
          },
        });
        init.duplex = 'half';
      }
    }
    init.signal = signal;
    return new globalThis.Request(request.url.href, init);
  }

  async *#streamBody(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
    const reader = body.getReader();
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          // The headers are out already; without raising, the body simply ends where the app failed.
          if (this.#raise) throw error;
          return;
        }
        if (next.done) return;
        yield next.value;
      }
    } finally {
      reader.releaseLock();
      await body.cancel().catch(() => {});
    }
  }
}
