import { HTTPError, RequestAborted, TotalTimeout } from '../errors.js';
import { redactUrl } from '../internal/redact.js';
import { sendTimeouts } from '../internal/timeouts.js';
import type { Request } from '../models/request.js';
import type { SendObserver } from '../telemetry/telemetry.js';

/** The four HTTPX waits, in milliseconds; `null` disables one. */
export interface PhaseTimeouts {
  connect: number | null;
  read: number | null;
  write: number | null;
  pool: number | null;
}

export interface RequestContextInit {
  timeouts: PhaseTimeouts;
  /** The deadline for the whole send (redirects, auth rounds and body included), in ms; null for none. */
  total?: number | null;
  /** The caller's signals: any of them aborting aborts the send. */
  signals?: ReadonlyArray<AbortSignal | null | undefined>;
  /** The request being sent, named (URL redacted) in the `TotalTimeout` message. */
  request?: Request;
}

type AbortListener = (reason: unknown) => void;

const NO_LISTENERS: AbortListener[] = [];

/**
 * The one place an abort reason becomes an error: our own errors (`TotalTimeout`, `ClientClosed`,
 * a phase timeout) pass through with the request attached; anything else (the caller's reason, a
 * `DOMException`) becomes `RequestAborted` with that reason as its cause.
 */
export function abortError(reason: unknown, request: Request): HTTPError {
  if (reason instanceof HTTPError) {
    if (!reason.hasRequest) reason.request = request;
    return reason;
  }
  return new RequestAborted(`Request aborted (${request.method} ${redactUrl(request.url)})`, {
    cause: reason,
    request,
  });
}

/**
 * One send's state, created by `Client.send` and handed down the pipeline (auth flow, redirects,
 * hooks, mounts, transport): the caller's signal, the total deadline, the client closing, the
 * per-phase timeouts and the attempt count. The `Request` itself is never written to, so one
 * Request can be sent any number of times, each send with its own context.
 */
export class RequestContext {
  readonly timeouts: PhaseTimeouts;
  /** `performance.now()` at which the total timeout fires; null for none. */
  readonly deadline: number | null;
  /** Transport attempts made so far (connect retries, stale-connection replays, RetryTransport). */
  attempt = 0;
  /** The send's telemetry (spans, metrics) when the client has it; transports report retries to it. */
  observer: SendObserver | null = null;
  #aborted = false;
  #reason: unknown;
  // A plain array, not an EventTarget: the fast path (no signal, no deadline) allocates nothing more.
  #listeners: AbortListener[] = NO_LISTENERS;
  #controller: AbortController | null = null;
  #timer: NodeJS.Timeout | null = null;
  #detach: Array<() => void> | null = null;

  constructor(init: RequestContextInit) {
    this.timeouts = init.timeouts;
    const total = init.total ?? null;
    this.deadline = total === null ? null : performance.now() + total;
    for (const signal of init.signals ?? []) {
      if (signal === null || signal === undefined) continue;
      if (signal.aborted) {
        this.abort(signal.reason);
        break;
      }
      const onAbort = () => this.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      (this.#detach ??= []).push(() => signal.removeEventListener('abort', onAbort));
    }
    if (total !== null && !this.#aborted) {
      const request = init.request;
      const what = request === undefined ? '' : ` for ${request.method} ${redactUrl(request.url)}`;
      this.#timer = setTimeout(
        () => this.abort(new TotalTimeout(`Total timeout of ${total} ms exceeded${what}`)),
        total,
      );
    }
  }

  /**
   * The context a transport uses when it was called without one (directly, or by a wrapper that
   * does not pass it on): the Request's own signal and the timeouts the client put in its extensions.
   */
  static fromRequest(request: Request): RequestContext {
    const { total, ...timeouts } = sendTimeouts(request.extensions, null);
    return new RequestContext({ timeouts, total, signals: [request.signal], request });
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** An `AbortSignal` mirroring this context, for APIs that take one (fetch apps, timers). */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#aborted) controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts the send: every phase still running fails with `abortError(reason)`. The first reason wins. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.release();
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = NO_LISTENERS;
    for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` once when the send aborts (at once if it already has); returns the unsubscribe. */
  onAbort(listener: AbortListener): () => void {
    if (this.#aborted) {
      listener(this.#reason);
      return () => {};
    }
    if (this.#listeners === NO_LISTENERS) this.#listeners = [];
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at !== -1) this.#listeners.splice(at, 1);
    };
  }

  /** The error this send fails with now that it is aborted. */
  error(request: Request): HTTPError {
    return abortError(this.#reason, request);
  }

  throwIfAborted(request: Request): void {
    if (this.#aborted) throw this.error(request);
  }

  /** Waits `ms` (a backoff), failing with the abort error as soon as the send aborts. */
  sleep(ms: number, request: Request): Promise<void> {
    if (this.#aborted) return Promise.reject(this.error(request));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve();
      }, ms);
      const unsubscribe = this.onAbort(() => {
        clearTimeout(timer);
        reject(this.error(request));
      });
    });
  }

  /**
   * Settles with `work`, or fails with the abort error as soon as the send aborts (for waits that
   * cannot be cancelled themselves: an event hook, an auth flow step, a caller's sleep function).
   */
  race<T>(work: Promise<T>, request: Request, discard?: (late: T) => unknown): Promise<T> {
    // What `work` still produces after the abort is nobody's: `discard` releases it (a late Response).
    const abandon = () => void work.then(discard).catch(() => {});
    if (this.#aborted) {
      abandon();
      return Promise.reject(this.error(request));
    }
    return new Promise<T>((resolve, reject) => {
      const unsubscribe = this.onAbort(() => {
        abandon();
        reject(this.error(request));
      });
      work.then(
        (value) => {
          unsubscribe();
          resolve(value);
        },
        (error: unknown) => {
          unsubscribe();
          reject(this.#aborted ? this.error(request) : error);
        },
      );
    });
  }

  /**
   * The deadline stops holding the process open (it still fires while anything else does): for a
   * streamed Response handed to the caller, who may drop it unread without closing it.
   */
  unref(): void {
    this.#timer?.unref();
  }

  /** Stops the deadline and lets go of the caller's signals (the send is over). */
  release(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const detach = this.#detach;
    this.#detach = null;
    if (detach !== null) for (const fn of detach) fn();
  }
}
