import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';

/** How one failed or unsatisfying attempt ended, as `RetryTransport` saw it before retrying. */
export type AttemptOutcome =
  | { response: Response; error?: undefined }
  | { error: unknown; response?: undefined };

/**
 * Watches one `Client.send`, from its first hop to the end of its body. The client calls it at
 * fixed points of the pipeline; transports reach it through the send's `RequestContext`, so a
 * `RetryTransport` under any mount still reports its attempts.
 */
export interface SendObserver {
  /** Runs the send inside the observer's context (so hooks and nested instrumentation see it). */
  run<T>(send: () => Promise<T>): Promise<T>;
  /** Before each hop or auth round reaches its transport: the place to add propagation headers. */
  beforeHop(request: Request): void;
  /** A hop's response headers arrived. */
  afterHop(response: Response): void;
  /** The client is about to follow `response` to `next`. */
  redirect(response: Response, next: Request): void;
  /** A transport is about to resend after `outcome`, waiting `delayMs` first. `attempt` counts from 1. */
  retry(attempt: number, outcome: AttemptOutcome, delayMs: number): void;
  /** The send is over: its body was read or closed, or it failed with `error`. Later calls are ignored. */
  end(error?: unknown): void;
}

/**
 * What `ClientOptions.telemetry` takes: a source of one observer per send. `openTelemetry()` is the
 * one this package ships; without it the client does no telemetry work at all.
 */
export interface Telemetry {
  startSend(request: Request): SendObserver;
}

export function isTelemetry(value: unknown): value is Telemetry {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { startSend?: unknown }).startSend === 'function'
  );
}
