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
  signal?: AbortSignal;
  /**
   * `false` marks a write whose replay would duplicate data (dataset pushes, run starts, charges
   * without an idempotency key): when its outcome is unknown (timeout, connection lost after the
   * body was sent) it must not be replayed. Defaults to `true`.
   */
  idempotent?: boolean;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The plug-in point of seed 000: extend it and implement `call()`. A subclass that makes requests
 * itself owns retries; wrap it in `RetryingHttpClient` to get the default retry pipeline.
 */
export abstract class HttpClient implements AsyncDisposable {
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
