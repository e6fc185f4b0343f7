import {
  ApifyApiError,
  ApifyClientError,
  ApifyTransportError,
  InvalidArgumentError,
  InvalidResponseBodyError,
} from '../errors.js';
import { attemptTimeout, DEFAULT_TIMEOUT_CAP } from '../timeouts.js';
import { BufferedHttpResponse, isJsonContentType } from './buffered-response.js';
import { type HttpCallOptions, HttpClient } from './http-client.js';
import type { HttpResponse } from './http-response.js';
import { type Compression, findHeader, prepareBody, serializeParams } from './pipeline.js';
import {
  backoffDelay,
  DEFAULT_TIMING,
  isOutcomeUnknown,
  isRetryableStatus,
  MAX_DELAY_BETWEEN_RETRIES,
  parseRetryAfter,
  type RetryTiming,
} from './retry-policy.js';

export interface RetryingHttpClientOptions {
  /** Extra attempts after the first; default 4 (5 attempts). `0` disables retries. */
  maxRetries?: number;
  /** Base of the exponential backoff in ms; default 500. */
  minDelayBetweenRetries?: number;
  /** Cap of every attempt's timeout in ms (`null`: no cap); default 360 000. */
  timeout?: number | null;
  /** Request-body compression for bodies ≥ 1 KiB; default `'gzip'`. */
  compression?: Compression | null;
  /**
   * Random source in [0, 1) for the backoff jitter. Public so tests can make delays exact;
   * production code should leave it alone.
   */
  random?: () => number;
  /** Waits between attempts; must reject with `signal.reason` on abort. Injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ClientStats {
  /** +1 per `call()`. */
  calls: number;
  /** +1 per attempt sent to the transport. */
  requests: number;
  /** 429 responses counted by attempt: index `attempt - 1`. */
  rateLimitErrors: number[];
}

/** Reads the token out of an `Authorization` header so error messages can redact it. */
function secretsOf(headers: Record<string, string>): string[] {
  const authorization = findHeader(headers, 'authorization');
  if (authorization === undefined) return [];
  const token = authorization.replace(/^\s*\w+\s+/, '');
  return token === authorization ? [authorization] : [authorization, token];
}

/** Releasing a response must never mask the error being reported. */
async function safeClose(response: HttpResponse): Promise<void> {
  try {
    await response.close();
  } catch {
    // The connection is being discarded anyway.
  }
}

interface AttemptFailure {
  retryable: boolean;
  error: Error;
  /** Minimum wait the server asked for (`Retry-After`). */
  retryAfter?: number;
}

/**
 * The default retry pipeline as a decorator around any `HttpClient`: body preparation and
 * compression, retries with jittered exponential backoff, `Retry-After`, per-attempt timeout growth,
 * no replay of ambiguous non-idempotent writes, statistics and errors by status.
 */
export class RetryingHttpClient extends HttpClient {
  readonly stats: ClientStats = { calls: 0, requests: 0, rateLimitErrors: [] };
  readonly maxRetries: number;
  readonly minDelayBetweenRetries: number;
  readonly timeout: number | null;
  readonly compression: Compression | null;
  readonly #inner: HttpClient;
  readonly #timing: RetryTiming;

  constructor(inner: HttpClient, options: RetryingHttpClientOptions = {}) {
    super();
    const maxRetries = options.maxRetries ?? 4;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new InvalidArgumentError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
    }
    const minDelay = options.minDelayBetweenRetries ?? 500;
    if (!(minDelay >= 0))
      throw new InvalidArgumentError(`minDelayBetweenRetries must be ≥ 0, got ${minDelay}`);
    this.#inner = inner;
    this.maxRetries = maxRetries;
    this.minDelayBetweenRetries = minDelay;
    this.timeout = options.timeout === undefined ? DEFAULT_TIMEOUT_CAP : options.timeout;
    this.compression = options.compression === undefined ? 'gzip' : options.compression;
    this.#timing = {
      random: options.random ?? DEFAULT_TIMING.random,
      sleep: options.sleep ?? DEFAULT_TIMING.sleep,
    };
  }

  /** The client that carries each attempt. */
  get inner(): HttpClient {
    return this.#inner;
  }

  async call(options: HttpCallOptions): Promise<HttpResponse> {
    this.stats.calls += 1;
    const signal = options.signal;
    signal?.throwIfAborted();
    const prepared = await prepareBody(options, this.compression);
    const params = serializeParams(options.params);
    const secrets = secretsOf(prepared.headers);
    const method = options.method.toUpperCase();
    const base = options.timeout === undefined ? this.timeout : options.timeout;
    if (base !== null && this.timeout !== null && base > this.timeout) this.#warnCapped(base);

    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      this.stats.requests += 1;
      const attemptOptions: HttpCallOptions = {
        method,
        url: options.url,
        headers: prepared.headers,
        params,
        timeout: attemptTimeout(base, attempt, this.timeout),
      };
      if (prepared.body !== undefined) attemptOptions.data = prepared.body;
      if (options.stream === true) attemptOptions.stream = true;
      if (signal !== undefined) attemptOptions.signal = signal;
      if (options.idempotent !== undefined) attemptOptions.idempotent = options.idempotent;

      const outcome = await this.#attempt(attemptOptions, attempt, options, secrets);
      if (!('retryable' in outcome)) return outcome;
      const canRetry = outcome.retryable && prepared.replayable && attempt <= this.maxRetries;
      if (!canRetry) throw outcome.error;
      const delay = Math.max(
        backoffDelay(attempt, this.minDelayBetweenRetries, this.#timing.random),
        Math.min(outcome.retryAfter ?? 0, MAX_DELAY_BETWEEN_RETRIES),
      );
      await this.#timing.sleep(delay, signal);
    }
  }

  async #attempt(
    attemptOptions: HttpCallOptions,
    attempt: number,
    original: HttpCallOptions,
    secrets: string[],
  ): Promise<HttpResponse | AttemptFailure> {
    const signal = original.signal;
    const method = attemptOptions.method;
    const context = { attempt, httpMethod: method, url: original.url, secrets };
    const mayReplayUnknown = original.idempotent !== false;
    let response: HttpResponse;
    try {
      response = await this.#inner.call(attemptOptions);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A nested pipeline already decided; its verdict is final.
      if (error instanceof ApifyClientError) throw error;
      const outcomeUnknown = isOutcomeUnknown(error);
      return {
        retryable: !outcomeUnknown || mayReplayUnknown,
        error: new ApifyTransportError({ ...context, cause: error, outcomeUnknown }),
      };
    }

    if (response.statusCode >= 400) {
      if (response.statusCode === 429) this.#countRateLimit(attempt);
      let body: string;
      try {
        await response.read();
        body = response.text;
      } catch (error) {
        await safeClose(response);
        if (signal?.aborted) throw signal.reason;
        // The connection failed, not the request: without the body the error's type is unknown
        // (a 404 may be "record-not-found" or "page-not-found"), and the status says nothing was
        // applied (or, for 5xx, is retried anyway), so asking again is safe.
        return {
          retryable: true,
          error: new ApifyTransportError({ ...context, cause: error, outcomeUnknown: false }),
        };
      }
      await safeClose(response);
      const error = ApifyApiError.from({ ...context, statusCode: response.statusCode, body });
      if (!isRetryableStatus(response.statusCode)) return { retryable: false, error };
      const retryAfter =
        response.statusCode === 429 || response.statusCode === 503
          ? parseRetryAfter(response.headers.get('retry-after'))
          : undefined;
      return retryAfter === undefined ? { retryable: true, error } : { retryable: true, error, retryAfter };
    }

    if (original.stream === true) return response;

    let content: Uint8Array;
    try {
      content = await response.read();
    } catch (error) {
      await safeClose(response);
      if (signal?.aborted) throw signal.reason;
      return {
        // The server answered with success, so the write happened; only reads may be repeated.
        retryable: mayReplayUnknown,
        error: new ApifyTransportError({ ...context, cause: error, outcomeUnknown: true }),
      };
    }
    const contentType = response.headers.get('content-type');
    if (method !== 'HEAD' && content.byteLength > 0 && isJsonContentType(contentType)) {
      const buffered = new BufferedHttpResponse(response.statusCode, response.headers, content);
      try {
        buffered.json();
      } catch (error) {
        return {
          retryable: mayReplayUnknown,
          error: new InvalidResponseBodyError({ ...context, statusCode: response.statusCode, cause: error }),
        };
      }
      return buffered;
    }
    return new BufferedHttpResponse(response.statusCode, response.headers, content);
  }

  #warnedCap = false;

  /** A per-call timeout above the client cap is cut to the cap; say so once rather than silently. */
  #warnCapped(base: number): void {
    if (this.#warnedCap) return;
    this.#warnedCap = true;
    globalThis.process?.emitWarning?.(
      `A request timeout of ${base} ms exceeds the client timeout of ${this.timeout} ms and is capped to it`,
      { code: 'APIFY_CLIENT_TIMEOUT_CAPPED' },
    );
  }

  #countRateLimit(attempt: number): void {
    const counts = this.stats.rateLimitErrors;
    while (counts.length < attempt) counts.push(0);
    counts[attempt - 1] = (counts[attempt - 1] ?? 0) + 1;
  }

  override async close(): Promise<void> {
    await this.#inner.close();
  }

  override toJSON(): Record<string, unknown> {
    return { name: this.constructor.name, maxRetries: this.maxRetries, timeout: this.timeout };
  }
}
