import type { HttpResponse } from './http-response.js';

/** Query values as resource clients produce them; `null`/`undefined` are dropped on the wire. */
export type HttpParamValue = string | number | boolean | Date | string[] | null | undefined;

export interface HttpCallOptions {
  method: string;
  /** Absolute URL without the query string; the query comes from `params`. */
  url: string;
  /** Already holds `Authorization`, `User-Agent` and `Accept` when called by `ApifyClient`. */
  headers?: Record<string, string>;
  params?: Record<string, HttpParamValue>;
  /**
   * Raw body; mutually exclusive with `json`. A stream body (an upload read from disk) is sent
   * as it is produced and, since it cannot be replayed, never retried.
   */
  data?: string | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  json?: unknown;
  /** Resolve as soon as the headers arrive and leave the body unread. */
  stream?: boolean;
  /** Milliseconds for this attempt; `null` means no limit. */
  timeout?: number | null;
  /**
   * `true` when `timeout` is the method's default rather than a value the caller chose: capping a
   * default to the client's timeout is expected and not worth a warning.
   */
  timeoutIsDefault?: boolean;
  signal?: AbortSignal | undefined;
  /**
   * Whether a replay is harmless. `false` marks a write whose replay would duplicate data (dataset
   * pushes, run starts, create calls, charges without an idempotency key): it is replayed only after
   * an answer that proves nothing was applied (a 429, a connection that failed before sending).
   * Defaults to `false` for POST and `true` for every other method.
   */
  idempotent?: boolean;
  /**
   * Gives the request to send on a retry (attempt 2 onwards) in place of this one. `ApifyClient`
   * sets it when `requestInterceptors` are configured, so they run once per attempt, as axios runs
   * them in the official client. A client that retries calls it before each retry; a client that
   * makes one attempt ignores it.
   */
  beforeRetry?: () => Promise<HttpCallOptions>;
}

/** Counters of an `HttpClient` that keeps them (the retry pipeline does). */
export interface ClientStats {
  /** +1 per `call()`. */
  calls: number;
  /** +1 per attempt sent to the transport. */
  requests: number;
  /** 429 responses counted by attempt: index `attempt - 1`. */
  rateLimitErrors: number[];
}

/** Whether a replay of this request is harmless; see `HttpCallOptions.idempotent`. */
export function isIdempotent(options: Pick<HttpCallOptions, 'method' | 'idempotent'>): boolean {
  return options.idempotent ?? options.method.toUpperCase() !== 'POST';
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The plug-in point of Apify's custom HTTP client docs: extend it and implement `call()`. A subclass that makes requests
 * itself owns retries; wrap it in `RetryingHttpClient` to get the default retry pipeline.
 */
export abstract class HttpClient implements AsyncDisposable {
  /**
   * Optional: a client that retries counts its calls, attempts and 429s here. Without it,
   * `ApifyClient.stats` counts one request per call.
   */
  readonly stats?: ClientStats;

  abstract call(options: HttpCallOptions): Promise<HttpResponse>;

  /** Releases pooled connections; the default has nothing to release. */
  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Subclasses may hold credentials in fields; printing a client never shows them. */
  toJSON(): Record<string, unknown> {
    return { name: this.constructor.name };
  }

  [INSPECT](): string {
    return `${this.constructor.name} {}`;
  }
}
