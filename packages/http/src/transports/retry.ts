import {
  ClientClosed,
  ConnectError,
  ConnectTimeout,
  type HTTPError,
  ReadError,
  ReadTimeout,
  UsageError,
} from '../errors.js';
import { contextFor } from '../lifecycle/context-binding.js';
import type { RequestContext } from '../lifecycle/request-context.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { BaseTransport } from './base.js';
import { isDisconnectBeforeResponse } from './undici-errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries?: number;
  /** Exponential backoff with full jitter: a random wait in [0, min(max, base · 2^attempt)] ms. */
  backoff?: { base?: number; max?: number };
  retryOn?: Iterable<number>;
  methods?: Iterable<string>;
  respectRetryAfter?: boolean;
  /** Longer `Retry-After` waits are cut to this many ms. */
  maxRetryAfter?: number;
  /**
   * At most this many retries per request sent (a token bucket refilled by every request), so a
   * failing upstream is not hammered by every caller retrying at once. `null` = unlimited.
   */
  budget?: { ratio: number; minRetries?: number } | null;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
  /** How to wait; injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal | null) => Promise<void>;
}

// Never called: marks "no sleep given", so backoffs use the context's abortable timer.
const defaultSleep = (_ms: number, _signal: AbortSignal | null): Promise<void> => Promise.resolve();

const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'];

function isRetryableError(error: unknown): error is HTTPError {
  return (
    error instanceof ConnectError ||
    error instanceof ConnectTimeout ||
    error instanceof ReadError ||
    error instanceof ReadTimeout ||
    isDisconnectBeforeResponse(error)
  );
}

/** `Retry-After` in ms: delta seconds or an HTTP date; null when absent or unparsable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/**
 * Wraps a transport and retries idempotent requests on network errors and on 429/502/503/504
 * (beyond HTTPX, whose transports only retry failed connects).
 */
export class RetryTransport extends BaseTransport {
  readonly #inner: BaseTransport;
  readonly #retries: number;
  readonly #base: number;
  readonly #max: number;
  readonly #retryOn: Set<number>;
  readonly #methods: Set<string>;
  readonly #respectRetryAfter: boolean;
  readonly #maxRetryAfter: number;
  readonly #budget: { ratio: number; minRetries: number } | null;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal | null) => Promise<void>;
  #tokens = 0;
  // Sends in an attempt or a backoff, so close() ends their waits too.
  readonly #inFlight = new Set<RequestContext>();

  constructor(inner: BaseTransport, options: RetryOptions = {}) {
    super();
    const retries = options.retries ?? 3;
    if (!Number.isInteger(retries) || retries < 0)
      throw new UsageError(`retries must be a non-negative integer, got ${retries}`);
    this.#inner = inner;
    this.#retries = retries;
    this.#base = options.backoff?.base ?? 500;
    this.#max = options.backoff?.max ?? 30_000;
    this.#retryOn = new Set(options.retryOn ?? [429, 502, 503, 504]);
    this.#methods = new Set([...(options.methods ?? IDEMPOTENT)].map((m) => m.toUpperCase()));
    this.#respectRetryAfter = options.respectRetryAfter ?? true;
    this.#maxRetryAfter = options.maxRetryAfter ?? 60_000;
    this.#budget =
      options.budget === undefined || options.budget === null
        ? null
        : { ratio: options.budget.ratio, minRetries: options.budget.minRetries ?? 10 };
    this.#tokens = this.#budget?.minRetries ?? 0;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  override async handleRequest(request: Request, context?: RequestContext): Promise<Response> {
    const ctx = contextFor(request, context);
    this.#inFlight.add(ctx);
    try {
      return await this.#attempts(request, ctx);
    } finally {
      this.#inFlight.delete(ctx);
    }
  }

  async #attempts(request: Request, ctx: RequestContext): Promise<Response> {
    this.#deposit();
    const retryable = this.#methods.has(request.method) && request.body?.replayable !== false;
    for (let attempt = 0; ; attempt++) {
      ctx.throwIfAborted(request);
      let response: Response;
      try {
        response = await this.#inner.handleRequest(request, ctx);
      } catch (error) {
        if (ctx.aborted) throw ctx.error(request);
        if (!retryable || attempt >= this.#retries || !isRetryableError(error) || !this.#withdraw())
          throw error;
        const backoff = this.#backoff(attempt);
        ctx.observer?.retry(attempt + 1, { error }, backoff);
        await this.#wait(backoff, request, ctx);
        continue;
      }
      if (!retryable || attempt >= this.#retries || !this.#retryOn.has(response.statusCode)) return response;
      const wait = this.#waitFor(response, attempt);
      if (!this.#withdraw()) return response;
      ctx.observer?.retry(attempt + 1, { response }, wait);
      // The discarded response must give its connection back before we wait.
      await response.close();
      await this.#wait(wait, request, ctx);
    }
  }

  /** A backoff that an abort, the total deadline or closing ends at once, with the send's typed error. */
  #wait(ms: number, request: Request, ctx: RequestContext): Promise<void> {
    if (this.#sleep === defaultSleep) return ctx.sleep(ms, request);
    return ctx.race(this.#sleep(ms, ctx.signal), request);
  }

  #waitFor(response: Response, attempt: number): number {
    if (this.#respectRetryAfter) {
      const after = parseRetryAfter(response.headers.get('retry-after'));
      if (after !== null) return Math.min(after, this.#maxRetryAfter);
    }
    return this.#backoff(attempt);
  }

  #backoff(attempt: number): number {
    return Math.floor(this.#random() * Math.min(this.#max, this.#base * 2 ** attempt));
  }

  #deposit(): void {
    if (this.#budget === null) return;
    const cap = this.#budget.minRetries + this.#budget.ratio * 100;
    this.#tokens = Math.min(cap, this.#tokens + this.#budget.ratio);
  }

  #withdraw(): boolean {
    if (this.#budget === null) return true;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  override async close(): Promise<void> {
    for (const ctx of [...this.#inFlight])
      ctx.abort(new ClientClosed('The transport was closed while the request was in flight'));
    this.#inFlight.clear();
    await this.#inner.close();
  }
}
