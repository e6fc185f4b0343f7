import { ClientClosed, UsageError } from '../errors.js';
import { contextFor, markHonoursContext } from '../lifecycle/context-binding.js';
import { RequestContext } from '../lifecycle/request-context.js';
import { Headers } from '../models/headers.js';
import type { Request } from '../models/request.js';
import { Response } from '../models/response.js';
import { BaseTransport } from '../transports/base.js';
import { type Directives, deltaSeconds, parseCacheControl } from './directives.js';
import { currentAge, freshnessLifetime } from './freshness.js';
import { invalidatedKeys } from './invalidation.js';
import { cacheKey, varyMatches, varyValues } from './keys.js';
import { MemoryCacheStore } from './memory-store.js';
import { bypassesCache, notModifiedForCaller, notModifiedResponse } from './preconditions.js';
import { isStorable } from './storability.js';
import { type CachedResponse, type CacheStore, newEntryId } from './store.js';
import { teeToStore } from './tee.js';
import {
  conditionalRequest,
  hasValidator,
  mergeNotModified,
  notModifiedMatches,
  storableHeaders,
} from './validation.js';

export interface CacheTransportOptions {
  /** Where responses are kept (default: a 64 MiB `MemoryCacheStore`). Closed with the transport. */
  store?: CacheStore;
  /** A shared cache (a proxy's, a CDN's) honours `s-maxage` and never stores `private` answers. Default: private. */
  shared?: boolean;
  /** The clock, in ms since the epoch; injectable for tests. */
  now?: () => number;
}

/** What `response.extensions` says about how the cache answered. */
export interface CacheExtensions {
  /** The response came from the store (with or without revalidation). */
  fromCache: boolean;
  /** The origin confirmed the stored response with a 304. */
  revalidated: boolean;
  /** The response was served past its freshness lifetime (max-stale, stale-while-revalidate, stale-if-error). */
  stale: boolean;
}

// Answers that stale-if-error may replace with a stored response (RFC 5861 §4).
const ERROR_STATUSES = new Set([500, 502, 503, 504]);

function requestDirectives(request: Request): Directives {
  const directives = parseCacheControl(request.headers);
  if (directives.size > 0 || !request.headers.has('pragma')) return directives;
  // HTTP/1.0 `Pragma: no-cache` counts only when there is no Cache-Control (RFC 9111 §5.4).
  const pragma = request.headers.getList('pragma', { splitCommas: true }).map((v) => v.trim().toLowerCase());
  return pragma.includes('no-cache') ? new Map([['no-cache', true]]) : directives;
}

function mark(response: Response, flags: CacheExtensions): Response {
  Object.assign(response.extensions, flags);
  return response;
}

const MISS: CacheExtensions = { fromCache: false, revalidated: false, stale: false };

/**
 * An RFC 9111 HTTP cache in front of any transport: fresh stored responses are answered without
 * a request, stale ones are revalidated (`If-None-Match` / `If-Modified-Since`, 304 merged into the
 * stored headers), and unsafe requests invalidate what they change. Bodies are stored as the
 * caller reads them. `response.extensions` carries `fromCache`, `revalidated` and `stale`.
 */
export class CacheTransport extends BaseTransport {
  readonly #inner: BaseTransport;
  readonly #store: CacheStore;
  readonly #shared: boolean;
  readonly #now: () => number;
  readonly #background = new Map<string, { context: RequestContext; done: Promise<void> }>();
  #closed = false;

  constructor(inner: BaseTransport, options: CacheTransportOptions = {}) {
    super();
    if (!(inner instanceof BaseTransport))
      throw new UsageError('CacheTransport wraps a transport (a BaseTransport)');
    this.#inner = inner;
    this.#store = options.store ?? new MemoryCacheStore();
    this.#shared = options.shared ?? false;
    this.#now = options.now ?? Date.now;
    markHonoursContext(this);
  }

  /** The store responses are kept in. */
  get store(): CacheStore {
    return this.#store;
  }

  override async handleRequest(request: Request, context?: RequestContext): Promise<Response> {
    const ctx = contextFor(request, context);
    if (this.#closed) throw new ClientClosed('The cache transport is closed');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const response = await this.#inner.handleRequest(request, ctx);
      for (const key of invalidatedKeys(request, response)) await this.#store.delete(key);
      return mark(response, MISS);
    }
    if (bypassesCache(request)) return mark(await this.#inner.handleRequest(request, ctx), MISS);

    const directives = requestDirectives(request);
    // A request that must not be stored is not answered from the store either (as fetch's `no-store`).
    if (directives.has('no-store')) return mark(await this.#inner.handleRequest(request, ctx), MISS);
    const key = cacheKey(request);
    const entries = await ctx.race(this.#store.lookup(key, ctx.signal), request);
    const entry = entries.find((candidate) => varyMatches(candidate, request.headers)) ?? null;
    if (entry !== null) {
      const served = await this.#fromStore(request, entry, directives, ctx);
      if (served !== null) return served;
    }
    if (directives.has('only-if-cached')) return mark(this.#gatewayTimeout(request), MISS);
    if (entry !== null && request.method === 'GET' && hasValidator(entry))
      return this.#revalidate(request, entry, directives, ctx);
    const sentAt = this.#now();
    let response: Response;
    try {
      response = await this.#inner.handleRequest(request, ctx);
    } catch (error) {
      const fallback = entry === null ? null : await this.#staleOnError(request, entry, directives, ctx);
      if (fallback !== null) return fallback;
      throw error;
    }
    if (entry !== null && ERROR_STATUSES.has(response.statusCode)) {
      const fallback = await this.#staleOnError(request, entry, directives, ctx);
      if (fallback !== null) {
        await response.close();
        return fallback;
      }
    }
    return this.#store_(request, response, directives, sentAt, ctx);
  }

  /** The stored response if it may be used without contacting the origin; null if it needs validation. */
  async #fromStore(
    request: Request,
    entry: CachedResponse,
    directives: Directives,
    ctx: RequestContext,
  ): Promise<Response | null> {
    const { stored, age, lifetime } = this.#assess(entry);
    const mustValidate = stored.has('no-cache') && stored.get('no-cache') === true;
    if (mustValidate || directives.has('no-cache')) return null;
    const maxAge = deltaSeconds(directives, 'max-age');
    // max-age=0 asks for a revalidated answer, however young the stored one is.
    if (maxAge !== null && (maxAge === 0 || age > maxAge)) return null;
    const minFresh = deltaSeconds(directives, 'min-fresh') ?? 0;
    if (lifetime - age >= minFresh && age < lifetime)
      return this.#serve(request, entry, age, { fromCache: true, revalidated: false, stale: false }, ctx);
    const staleness = age - lifetime;
    const strict =
      stored.has('must-revalidate') ||
      (this.#shared && (stored.has('proxy-revalidate') || stored.has('s-maxage')));
    if (strict) return null;
    const maxStale = directives.get('max-stale');
    if (maxStale !== undefined && age >= lifetime) {
      const allowed =
        maxStale === true ? Number.POSITIVE_INFINITY : (deltaSeconds(directives, 'max-stale') ?? 0);
      if (staleness <= allowed)
        return this.#serve(request, entry, age, { fromCache: true, revalidated: false, stale: true }, ctx);
    }
    const swr = deltaSeconds(stored, 'stale-while-revalidate');
    if (swr !== null && age >= lifetime && staleness <= swr && request.method === 'GET') {
      const served = await this.#serve(
        request,
        entry,
        age,
        { fromCache: true, revalidated: false, stale: true },
        ctx,
      );
      if (served !== null) this.#revalidateInBackground(request, entry, ctx);
      return served;
    }
    return null;
  }

  /** A stored entry's directives, current age and freshness lifetime (seconds), as of now. */
  #assess(entry: CachedResponse): { stored: Directives; age: number; lifetime: number } {
    const headers = new Headers(entry.headers);
    const stored = parseCacheControl(headers);
    const age = currentAge(headers, entry, this.#now());
    const { seconds } = freshnessLifetime(
      headers,
      stored,
      entry.statusCode,
      this.#shared,
      entry.responseTime,
    );
    return { stored, age, lifetime: seconds };
  }

  /** The stored response when stale-if-error (response or request directive) allows it, else null. */
  async #staleOnError(
    request: Request,
    entry: CachedResponse,
    directives: Directives,
    ctx: RequestContext,
  ): Promise<Response | null> {
    const { stored, age, lifetime } = this.#assess(entry);
    if (stored.has('must-revalidate') || stored.has('no-cache')) return null;
    const allowed = deltaSeconds(directives, 'stale-if-error') ?? deltaSeconds(stored, 'stale-if-error');
    if (allowed === null) return null;
    if (age - lifetime > allowed) return null;
    return this.#serve(
      request,
      entry,
      age,
      { fromCache: true, revalidated: false, stale: age >= lifetime },
      ctx,
    );
  }

  async #serve(
    request: Request,
    entry: CachedResponse,
    age: number,
    flags: CacheExtensions,
    ctx: RequestContext,
  ): Promise<Response | null> {
    // The caller's own If-None-Match / If-Modified-Since, satisfied by what is stored.
    if (notModifiedForCaller(request, entry)) return notModifiedResponse(request, entry, age, { ...flags });
    const headers = new Headers(entry.headers);
    headers.set('Age', String(Math.floor(age)));
    const init = {
      headers,
      request,
      reasonPhrase: entry.reasonPhrase,
      httpVersion: entry.httpVersion,
      extensions: { ...flags },
    };
    if (request.method === 'HEAD') return new Response(entry.statusCode, init);
    const body = await ctx.race(this.#store.body(entry, ctx.signal), request, (late) => late?.close());
    // Evicted between lookup and read: answer as a miss.
    if (body === null) return null;
    return new Response(entry.statusCode, { ...init, stream: body });
  }

  async #revalidate(
    request: Request,
    entry: CachedResponse,
    directives: Directives,
    ctx: RequestContext,
  ): Promise<Response> {
    const sentAt = this.#now();
    let response: Response;
    try {
      response = await this.#inner.handleRequest(conditionalRequest(request, entry), ctx);
    } catch (error) {
      const fallback = await this.#staleOnError(request, entry, directives, ctx);
      if (fallback !== null) return fallback;
      throw error;
    }
    if (response.statusCode === 304 && notModifiedMatches(entry, response.headers)) {
      await response.close();
      const updated = await this.#merge(entry, response, sentAt);
      const served = await this.#serve(
        request,
        updated,
        currentAge(new Headers(updated.headers), updated, this.#now()),
        { fromCache: true, revalidated: true, stale: false },
        ctx,
      );
      if (served !== null) return served;
      return mark(await this.#inner.handleRequest(request, ctx), MISS);
    }
    if (response.statusCode === 304) {
      // A 304 for another representation: ask again without validators.
      await response.close();
      return this.#store_(
        request,
        await this.#inner.handleRequest(request, ctx),
        directives,
        this.#now(),
        ctx,
      );
    }
    if (ERROR_STATUSES.has(response.statusCode)) {
      const fallback = await this.#staleOnError(request, entry, directives, ctx);
      if (fallback !== null) {
        await response.close();
        return fallback;
      }
    }
    return this.#store_(request, response, directives, sentAt, ctx);
  }

  async #merge(entry: CachedResponse, notModified: Response, sentAt: number): Promise<CachedResponse> {
    const directives = parseCacheControl(notModified.headers);
    const updated: CachedResponse = {
      ...entry,
      headers: mergeNotModified(entry, notModified.headers, directives, this.#shared),
      requestTime: sentAt,
      responseTime: this.#now(),
    };
    await this.#store.update(updated);
    return updated;
  }

  /** Starts storing `response` if it may be stored; returns what the caller reads (teed to the store). */
  async #store_(
    request: Request,
    response: Response,
    requestCc: Directives,
    sentAt: number,
    ctx: RequestContext,
  ): Promise<Response> {
    const receivedAt = this.#now();
    const directives = parseCacheControl(response.headers);
    if (!isStorable(request, response, directives, requestCc, this.#shared, this.#now()))
      return mark(response, MISS);
    const vary = varyValues(response.headers, request.headers);
    if (vary === null) return mark(response, MISS);
    const writer = await ctx
      .race(
        this.#store.begin(
          {
            id: newEntryId(),
            key: cacheKey(request),
            statusCode: response.statusCode,
            reasonPhrase: response.reasonPhrase,
            httpVersion: response.httpVersion,
            headers: storableHeaders(response.headers, directives, this.#shared),
            vary,
            requestTime: sentAt,
            responseTime: receivedAt,
          },
          ctx.signal,
        ),
        request,
        (late) => late.abort(),
      )
      .catch(async (error: unknown) => {
        await response.close();
        throw error;
      });
    const length = response.headers.has('content-encoding')
      ? null
      : Number(response.headers.get('content-length') ?? Number.NaN);
    const stream = teeToStore(
      response,
      writer,
      length !== null && Number.isSafeInteger(length) ? length : null,
    );
    return new Response(response.statusCode, {
      headers: response.headers,
      stream,
      request,
      reasonPhrase: response.reasonPhrase,
      httpVersion: response.httpVersion,
      extensions: { ...response.extensions, ...MISS },
    });
  }

  #gatewayTimeout(request: Request): Response {
    return new Response(504, { request, text: 'Not in the cache (only-if-cached)' });
  }

  /** stale-while-revalidate: one background revalidation per key, ended by close(). */
  #revalidateInBackground(request: Request, entry: CachedResponse, ctx: RequestContext): void {
    if (this.#background.has(entry.key) || this.#closed) return;
    const context = new RequestContext({ timeouts: ctx.timeouts });
    const run = async () => {
      const sentAt = this.#now();
      const response = await this.#inner.handleRequest(conditionalRequest(request, entry, null), context);
      if (response.statusCode === 304 && notModifiedMatches(entry, response.headers)) {
        await response.close();
        await this.#merge(entry, response, sentAt);
        return;
      }
      if (ERROR_STATUSES.has(response.statusCode)) {
        await response.close();
        return;
      }
      // Reading the body through the tee is what stores it.
      const stored = await this.#store_(request, response, new Map(), sentAt, context);
      for await (const _ of stored.iterRaw()) {
        if (context.aborted) break;
      }
      await stored.close();
    };
    const done = run()
      .catch(() => {})
      .finally(() => {
        context.release();
        this.#background.delete(entry.key);
      });
    this.#background.set(entry.key, { context, done });
  }

  /** Waits for background revalidations to end (they are aborted), then closes the store and the inner transport. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pending = [...this.#background.values()];
    for (const { context } of pending) context.abort(new ClientClosed('The cache transport was closed'));
    await Promise.all(pending.map(({ done }) => done));
    await this.#store.close();
    await this.#inner.close();
  }
}
