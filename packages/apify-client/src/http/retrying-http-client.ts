import {
  ApifyApiError,
  ApifyClientError,
  ApifyTransportError,
  InvalidResponseBodyError,
  redact,
  type UnknownOutcomeRequest,
} from '../errors.js';
import { attemptTimeout, DEFAULT_TIMEOUT_CAP } from '../timeouts.js';
import {
  checkDuration,
  checkHeaders,
  checkNonNegativeInteger,
  checkOneOf,
  checkOptionalDuration,
} from '../validation/options.js';
import { BufferedHttpResponse, isJsonContentType } from './buffered-response.js';
import { type ClientStats, type HttpCallOptions, HttpClient, isIdempotent } from './http-client.js';
import type { HttpResponse } from './http-response.js';
import {
  buildUrl,
  type Compression,
  findHeader,
  type PreparedBody,
  prepareBody,
  serializeParams,
} from './pipeline.js';
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

export type { ClientStats } from './http-client.js';

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
  error: ApifyClientError;
  /** The answer proves nothing (a 4xx other than 429): asking again cannot help. */
  final: boolean;
  /** The server may have applied the request: a 5xx, a lost answer, a 2xx whose body failed. */
  mayHaveApplied: boolean;
  /** Minimum wait the server asked for (`Retry-After`). */
  retryAfter?: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface CallSite {
  /** The request as the caller gave it. */
  options: HttpCallOptions;
  secrets: string[];
  idempotent: boolean;
}

interface PreparedRequest {
  site: CallSite;
  prepared: PreparedBody;
  /** What each attempt sends, apart from its body and timeout. */
  passed: HttpCallOptions;
  isWrite: boolean;
}

/** The request of a write that may have landed, with the token masked wherever it would show. */
function describeRequest(site: CallSite, sent: HttpCallOptions): UnknownOutcomeRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent.headers ?? {})) {
    headers[name] = name.toLowerCase() === 'authorization' ? value.replace(/^(\S+\s+)?.*$/, '$1***') : value;
  }
  const request: UnknownOutcomeRequest = {
    method: sent.method,
    url: redact(buildUrl(sent.url, sent.params), site.secrets),
    headers,
  };
  const original = site.options;
  if (original.json !== undefined) request.json = original.json;
  else if (typeof original.data === 'string') request.data = redact(original.data, site.secrets);
  else if (original.data instanceof Uint8Array && isJsonContentType(findHeader(sent.headers, 'content-type')))
    // A JSON body built as bytes (a dataset push) is text the caller can read back.
    request.data = redact(new TextDecoder().decode(original.data), site.secrets);
  else if (original.data instanceof Uint8Array) request.dataBytes = original.data.byteLength;
  return request;
}

/** Marks `error` as the failure of a write that may have been applied, and never replays it. */
function unknownOutcome(error: ApifyClientError, site: CallSite, sent: HttpCallOptions): ApifyClientError {
  error.outcomeUnknown = true;
  error.request = describeRequest(site, sent);
  return error;
}

/**
 * The default retry pipeline as a decorator around any `HttpClient`: body preparation and
 * compression, retries with jittered exponential backoff, `Retry-After`, per-attempt timeout growth,
 * no replay of ambiguous non-idempotent writes, statistics and errors by status.
 */
export class RetryingHttpClient extends HttpClient {
  override readonly stats: ClientStats = { calls: 0, requests: 0, rateLimitErrors: [] };
  readonly maxRetries: number;
  readonly minDelayBetweenRetries: number;
  readonly timeout: number | null;
  readonly compression: Compression | null;
  readonly #inner: HttpClient;
  readonly #timing: RetryTiming;

  constructor(inner: HttpClient, options: RetryingHttpClientOptions = {}) {
    super();
    checkNonNegativeInteger('maxRetries', options.maxRetries);
    checkDuration('minDelayBetweenRetries', options.minDelayBetweenRetries);
    checkOptionalDuration('timeout', options.timeout);
    checkOneOf('compression', options.compression, ['gzip', 'br', null]);
    const maxRetries = options.maxRetries ?? 4;
    const minDelay = options.minDelayBetweenRetries ?? 500;
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
    const base = options.timeout === undefined ? this.timeout : options.timeout;
    const callerChose = options.timeout !== undefined && options.timeoutIsDefault !== true;
    let request = await this.#prepare(options);
    if (callerChose && base !== null && this.timeout !== null && base > this.timeout) this.#warnCapped(base);
    // Once any attempt may have been applied, the call's outcome stays unknown whatever comes next.
    let mayHaveApplied = false;

    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      if (attempt > 1 && options.beforeRetry !== undefined) {
        request = await this.#prepare(await options.beforeRetry(), options.timeout);
      }
      const { site, prepared } = request;
      this.stats.requests += 1;
      const attemptBase = site.options.timeout === undefined ? this.timeout : site.options.timeout;
      // The caller's request goes on as it is; only what the pipeline owns is replaced.
      const attemptOptions: HttpCallOptions = {
        ...request.passed,
        timeout: attemptTimeout(attemptBase, attempt, this.timeout),
      };
      if (prepared.body !== undefined) attemptOptions.data = prepared.body;

      const outcome = await this.#attempt(attemptOptions, attempt, site);
      if (!('mayHaveApplied' in outcome)) return outcome;
      mayHaveApplied ||= outcome.mayHaveApplied;
      // A write that would duplicate is replayed only after an answer that proves nothing landed.
      const safeToReplay = site.idempotent || !outcome.mayHaveApplied;
      const canRetry = !outcome.final && safeToReplay && prepared.replayable && attempt <= this.maxRetries;
      if (!canRetry) {
        if (mayHaveApplied && request.isWrite) unknownOutcome(outcome.error, site, attemptOptions);
        throw outcome.error;
      }
      const delay = Math.max(
        backoffDelay(attempt, this.minDelayBetweenRetries, this.#timing.random),
        Math.min(outcome.retryAfter ?? 0, MAX_DELAY_BETWEEN_RETRIES),
      );
      await this.#timing.sleep(delay, signal);
    }
  }

  /**
   * Checks a request and builds what every attempt of it sends. A retry's request from
   * `beforeRetry` keeps the first request's timeout unless it sets its own.
   */
  async #prepare(given: HttpCallOptions, firstTimeout?: number | null): Promise<PreparedRequest> {
    const options =
      given.timeout === undefined && firstTimeout !== undefined ? { ...given, timeout: firstTimeout } : given;
    checkHeaders('headers', options.headers);
    if (options.timeout !== undefined) checkOptionalDuration('timeout', options.timeout);
    const prepared = await prepareBody(options, this.compression);
    const method = options.method.toUpperCase();
    const { json: _json, data: _data, beforeRetry: _beforeRetry, ...rest } = options;
    const site: CallSite = {
      options,
      secrets: secretsOf(prepared.headers),
      idempotent: isIdempotent(options),
    };
    const passed: HttpCallOptions = {
      ...rest,
      method,
      headers: prepared.headers,
      params: serializeParams(options.params),
    };
    return { site, prepared, passed, isWrite: !READ_METHODS.has(method) };
  }

  async #attempt(
    attemptOptions: HttpCallOptions,
    attempt: number,
    site: CallSite,
  ): Promise<HttpResponse | AttemptFailure> {
    const { options: original, secrets } = site;
    const signal = original.signal;
    const method = attemptOptions.method;
    const context = { attempt, httpMethod: method, url: original.url, secrets };
    let response: HttpResponse;
    try {
      response = await this.#inner.call(attemptOptions);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A nested pipeline already decided; its verdict is final.
      if (error instanceof ApifyClientError) throw error;
      const outcomeUnknown = isOutcomeUnknown(error);
      const failure = new ApifyTransportError({ ...context, cause: error, outcomeUnknown });
      return { error: failure, final: false, mayHaveApplied: outcomeUnknown };
    }

    if (response.statusCode >= 400) {
      const status = response.statusCode;
      if (status === 429) this.#countRateLimit(attempt);
      // Only a 4xx proves that nothing was applied; after a 5xx a write may have landed.
      const mayHaveApplied = status >= 500;
      let body: string;
      try {
        await response.read();
        body = response.text;
      } catch (error) {
        await safeClose(response);
        if (signal?.aborted) throw signal.reason;
        // Without the body the error's type is unknown (a 404 may be "record-not-found" or
        // "page-not-found"), so asking again is the only way to learn it.
        const failure = new ApifyTransportError({ ...context, cause: error, outcomeUnknown: false });
        return { error: failure, final: false, mayHaveApplied };
      }
      await safeClose(response);
      const error = ApifyApiError.from({ ...context, statusCode: status, body });
      if (!isRetryableStatus(status)) return { error, final: true, mayHaveApplied: false };
      const retryAfter =
        status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      const failure: AttemptFailure = { error, final: false, mayHaveApplied };
      if (retryAfter !== undefined) failure.retryAfter = retryAfter;
      return failure;
    }

    if (original.stream === true) return response;

    let content: Uint8Array;
    try {
      content = await response.read();
    } catch (error) {
      await safeClose(response);
      if (signal?.aborted) throw signal.reason;
      // The server answered with success, so a write happened; only a replay-safe request is repeated.
      const failure = new ApifyTransportError({ ...context, cause: error, outcomeUnknown: true });
      return { error: failure, final: false, mayHaveApplied: true };
    }
    const contentType = response.headers.get('content-type');
    if (method !== 'HEAD' && content.byteLength > 0 && isJsonContentType(contentType)) {
      const buffered = new BufferedHttpResponse(response.statusCode, response.headers, content);
      try {
        buffered.json();
      } catch (error) {
        const failure = new InvalidResponseBodyError({
          ...context,
          statusCode: response.statusCode,
          cause: error,
        });
        return { error: failure, final: false, mayHaveApplied: true };
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
