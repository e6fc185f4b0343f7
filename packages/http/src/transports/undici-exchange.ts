import type { Dispatcher } from 'undici';
import { HTTPError, ReadTimeout, RequestAborted, WriteTimeout } from '../errors.js';
import { redactUrl } from '../internal/redact.js';
import { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import { Response, type ResponseInit, type ResponseStream } from '../models/response.js';
import { mapTransportError, type Phase } from './undici-errors.js';

// Above this many unread bytes the socket is paused until the reader catches up.
const HIGH_WATER_MARK = 256 * 1024;

export interface ExchangeOptions {
  request: Request;
  /** Longest wait for the next response byte (headers included); null for none. */
  readTimeout: number | null;
  httpVersion: () => string;
  writeTimeout: number | null;
  /** Called exactly once, when the exchange no longer holds its connection. */
  release: () => void;
  /** Called when the response completed normally (its connection goes back to the pool). */
  onEnd?: () => void;
}

/**
 * One request/response exchange over undici's dispatcher handler API: resolves with a `Response`
 * as soon as headers arrive, then serves the body as a back-pressured `ResponseStream`.
 */
export class UndiciExchange implements Dispatcher.DispatchHandler, ResponseStream {
  readonly response: Promise<Response>;
  phase: Phase = 'connecting';
  failure: HTTPError | null = null;

  #resolve!: (response: Response) => void;
  #reject!: (error: HTTPError) => void;
  #controller: Dispatcher.DispatchController | null = null;
  #options: ExchangeOptions;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #released = false;
  #collectAll = false;
  #wake: (() => void) | null = null;
  #pendingAbort: HTTPError | null = null;
  #detachSignal: () => void = () => {};
  // Our own read timer: undici's header/body timers tick at a 1 s resolution, too coarse for HTTPX semantics.
  #readTimer: NodeJS.Timeout | null = null;
  #streamingBody = false;

  constructor(options: ExchangeOptions) {
    this.#options = options;
    this.response = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const signal = options.request.signal;
    if (signal) {
      const onAbort = () => this.abort(this.#abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detachSignal = () => signal.removeEventListener('abort', onAbort);
    }
  }

  /** Wraps the request body so a stalled socket raises `WriteTimeout` between chunks. */
  async *timedBody(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const limit = this.#options.writeTimeout;
    this.#streamingBody = true;
    for await (const chunk of source) {
      // undici asks for the next chunk only once the previous one has drained into the socket.
      const timer =
        limit === null
          ? undefined
          : setTimeout(() => {
              const { request } = this.#options;
              this.abort(
                new WriteTimeout(
                  `Timed out after ${limit} ms sending the request body (${request.method} ${redactUrl(request.url)})`,
                  {
                    request,
                  },
                ),
              );
            }, limit);
      try {
        yield chunk;
      } finally {
        clearTimeout(timer);
      }
    }
    // The whole body is handed over: from now on we are waiting for the response.
    this.#armRead();
  }

  #armRead(): void {
    const limit = this.#options.readTimeout;
    if (limit === null || this.#ended || this.failure !== null) return;
    if (this.#readTimer !== null) {
      this.#readTimer.refresh();
      return;
    }
    this.#readTimer = setTimeout(() => {
      const { request } = this.#options;
      this.abort(
        new ReadTimeout(
          `Timed out after ${limit} ms waiting for the response (${request.method} ${redactUrl(request.url)})`,
          {
            request,
          },
        ),
      );
    }, limit);
  }

  #disarmRead(): void {
    if (this.#readTimer !== null) {
      clearTimeout(this.#readTimer);
      this.#readTimer = null;
    }
  }

  abort(error: HTTPError): void {
    if (this.#ended || this.failure !== null) return;
    if (this.#controller === null) {
      // Not on a socket yet: undici cannot cancel a queued request, so fail now and abort on start.
      this.#pendingAbort = error;
      this.#fail(error);
      return;
    }
    this.#controller.abort(error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    this.phase = 'sending';
    if (this.#pendingAbort !== null) controller.abort(this.#pendingAbort);
    else if (!this.#streamingBody) this.#armRead();
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    this.phase = 'receiving-body';
    this.#armRead();
    const raw = controller.rawHeaders;
    const responseHeaders =
      Array.isArray(raw) && raw.length > 0
        ? Headers.fromRaw(raw)
        : new Headers(headers as Record<string, string | string[]>);
    const init: ResponseInit = {
      headers: responseHeaders,
      stream: this,
      httpVersion: this.#options.httpVersion(),
    };
    if (statusMessage) init.reasonPhrase = statusMessage;
    this.#resolve(new Response(statusCode, init));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#buffered += chunk.byteLength;
    if (!this.#collectAll && this.#buffered > HIGH_WATER_MARK) {
      controller.pause();
      // Waiting on our reader is not a network wait.
      this.#disarmRead();
    } else {
      this.#armRead();
    }
    this.#notify();
  }

  onResponseEnd(): void {
    this.#ended = true;
    this.#options.onEnd?.();
    this.#finish();
    this.#notify();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(
      mapTransportError(
        error,
        this.phase === 'sending' ? 'receiving-headers' : this.phase,
        this.#options.request,
      ),
    );
  }

  async readAll(): Promise<Uint8Array> {
    this.#collectAll = true;
    if (this.#controller?.paused) {
      this.#controller.resume();
      this.#armRead();
    }
    while (!this.#ended && this.failure === null)
      await new Promise<void>((resolve) => (this.#wake = resolve));
    if (this.failure !== null) throw this.failure;
    const chunks = this.#chunks;
    this.#chunks = [];
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    return Buffer.concat(chunks, this.#buffered);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        for (;;) {
          const chunk = this.#chunks.shift();
          if (chunk !== undefined) {
            this.#buffered -= chunk.byteLength;
            if (this.#buffered <= HIGH_WATER_MARK / 2 && this.#controller?.paused) {
              this.#controller.resume();
              this.#armRead();
            }
            return { value: chunk, done: false };
          }
          if (this.failure !== null) throw this.failure;
          if (this.#ended) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /** Gives the connection back: undici destroys the socket when a body is abandoned mid-way. */
  close(): void {
    if (!this.#ended && this.failure === null) {
      const { request } = this.#options;
      this.#controller?.abort(new RequestAborted('Response closed before the body was read', { request }));
      this.#ended = true;
    }
    this.#chunks = [];
    this.#finish();
  }

  #abortError(signal: AbortSignal): HTTPError {
    const reason: unknown = signal.reason;
    const { request } = this.#options;
    if (reason instanceof HTTPError) return reason;
    return new RequestAborted(`Request aborted (${request.method} ${redactUrl(request.url)})`, {
      cause: reason,
      request,
    });
  }

  #fail(error: HTTPError): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.#reject(error);
    this.#finish();
    this.#notify();
  }

  #finish(): void {
    this.#disarmRead();
    this.#detachSignal();
    if (this.#released) return;
    this.#released = true;
    this.#options.release();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
