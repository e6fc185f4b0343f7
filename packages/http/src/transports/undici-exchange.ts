import type { Dispatcher } from 'undici';
import { type HTTPError, RemoteProtocolError, RequestAborted } from '../errors.js';
import { redactUrl } from '../internal/redact.js';
import { abortError, type RequestContext } from '../lifecycle/request-context.js';
import { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import { Response, type ResponseInit } from '../models/response.js';
import { type BodyStreamHost, ResponseBodyStream } from './exchange/body-stream.js';
import { ExchangeTimers } from './exchange/timers.js';
import { mapTransportError, type Phase } from './undici-errors.js';

export interface ExchangeOptions {
  request: Request;
  context: RequestContext;
  httpVersion: () => string;
  /** Called exactly once, when the exchange no longer holds its connection. */
  release: () => void;
  /** Called when undici puts the request on a socket. */
  onStart?: () => void;
  /** Called when the response completed normally (its connection goes back to the pool). */
  onEnd?: () => void;
}

/**
 * One request/response exchange as an undici dispatch handler: resolves with a `Response` as soon
 * as headers arrive and feeds the body to a `ResponseBodyStream`. The send's context aborts it in
 * every phase; `ExchangeTimers` bound the reads and writes.
 */
export class UndiciExchange implements Dispatcher.DispatchHandler, BodyStreamHost {
  readonly response: Promise<Response>;
  phase: Phase = 'connecting';
  failure: HTTPError | null = null;
  controller: Dispatcher.DispatchController | null = null;

  #resolve!: (response: Response) => void;
  #reject!: (error: HTTPError) => void;
  readonly #options: ExchangeOptions;
  readonly #timers: ExchangeTimers;
  readonly #body: ResponseBodyStream;
  #released = false;
  #pendingAbort: HTTPError | null = null;
  #detachContext: () => void;
  #streamingBody = false;
  /** The h2 response's Content-Length, checked at its end (undici checks only HTTP/1.1 bodies). */
  #declaredLength: number | null = null;

  constructor(options: ExchangeOptions) {
    this.#options = options;
    this.response = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#timers = new ExchangeTimers(
      options.request,
      options.context.timeouts.read,
      options.context.timeouts.write,
      (error) => this.abort(error),
    );
    this.#body = new ResponseBodyStream(this);
    this.#detachContext = options.context.onAbort((reason) =>
      this.abort(abortError(reason, options.request)),
    );
  }

  /** True until undici has put the request on a socket (it is queued or its connection is being made). */
  get waitingForConnection(): boolean {
    return this.controller === null && this.failure === null;
  }

  /** Wraps the request body so a stalled socket raises `WriteTimeout` between chunks. */
  async *timedBody(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    this.#streamingBody = true;
    for await (const chunk of source) {
      // undici asks for the next chunk only once the previous one has drained into the socket.
      const stop = this.#timers.startWrite();
      try {
        yield chunk;
      } finally {
        stop();
      }
    }
    // The whole body is handed over: from now on we are waiting for the response.
    this.onWaitingForNetwork();
  }

  abort(error: HTTPError): void {
    if (this.#body.ended || this.failure !== null) return;
    if (this.controller === null) {
      // Not on a socket yet: undici cannot cancel a queued request, so fail now and abort on start.
      this.#pendingAbort = error;
      this.#fail(error);
      return;
    }
    this.controller.abort(error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    this.phase = 'sending';
    this.#options.onStart?.();
    if (this.#pendingAbort !== null) controller.abort(this.#pendingAbort);
    else if (!this.#streamingBody) this.onWaitingForNetwork();
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    this.phase = 'receiving-body';
    this.onWaitingForNetwork();
    const raw = controller.rawHeaders;
    const responseHeaders =
      Array.isArray(raw) && raw.length > 0
        ? Headers.fromRaw(raw)
        : new Headers(headers as Record<string, string | string[]>);
    const init: ResponseInit = {
      headers: responseHeaders,
      stream: this.#body,
      httpVersion: this.#options.httpVersion(),
    };
    if (init.httpVersion === 'HTTP/2')
      this.#declaredLength = declaredLength(this.#options.request, statusCode, responseHeaders);
    if (statusMessage) init.reasonPhrase = statusMessage;
    this.#resolve(new Response(statusCode, init));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#body.push(controller, chunk);
  }

  onResponseEnd(): void {
    // An h2 body that ends (END_STREAM) short of its Content-Length is malformed (RFC 9113 §8.1.1),
    // as a server's `stream.close(code)` halfway sends it; undici checks lengths on HTTP/1.1 only.
    const declared = this.#declaredLength;
    if (declared !== null && this.#body.received !== declared) {
      const { request } = this.#options;
      this.#fail(
        new RemoteProtocolError(
          `Response body length does not match Content-Length: received ${this.#body.received} of ${declared} bytes (${request.method} ${redactUrl(request.url)})`,
          { request },
        ),
      );
      return;
    }
    this.#body.end();
    this.#options.onEnd?.();
    this.#finish();
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

  onWaitingForNetwork(): void {
    if (this.#body.ended || this.failure !== null) return;
    this.#timers.armRead();
  }

  onWaitingForReader(): void {
    this.#timers.disarmRead();
  }

  closed(unfinished: boolean): void {
    if (unfinished) {
      const { request } = this.#options;
      this.controller?.abort(new RequestAborted('Response closed before the body was read', { request }));
    }
    this.#finish();
  }

  #fail(error: HTTPError): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.#reject(error);
    this.#finish();
    this.#body.notify();
  }

  #finish(): void {
    this.#timers.disarmRead();
    this.#detachContext();
    if (this.#released) return;
    this.#released = true;
    this.#options.release();
  }
}

/** A response's declared body length, when it has one its body must match (not HEAD, 204 or 304). */
function declaredLength(request: Request, statusCode: number, headers: Headers): number | null {
  if (request.method === 'HEAD' || statusCode === 204 || statusCode === 304) return null;
  const value = headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}
