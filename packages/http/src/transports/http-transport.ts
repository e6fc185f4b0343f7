import { buildConnector, type Dispatcher } from 'undici';
import {
  ClientClosed,
  ConnectError,
  ConnectTimeout,
  type HTTPError,
  UnsupportedProtocol,
  UsageError,
} from '../errors.js';
import { contextFor, markHonoursContext } from '../lifecycle/context-binding.js';
import type { RequestContext } from '../lifecycle/request-context.js';
import { DEFAULT_LIMITS, type Limits } from '../models/limits.js';
import { HTTPProxy } from '../models/proxy.js';
import type { Request } from '../models/request.js';
import type { Response } from '../models/response.js';
import { BaseTransport } from './base.js';
import { timedConnector } from './connect-timer.js';
import { ConnectionBudget } from './connection-budget.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { verifyFromEnv } from './env-ca.js';
import { h2OnlyConnector } from './h2/h2-only-connector.js';
import { OriginPool, POOL_TIMEOUT } from './origin-pool.js';
import { PendingConnects } from './pending-connects.js';
import { ProxyDispatcher } from './proxy-dispatcher.js';
import { OriginRouter } from './reuse-after-close.js';
import { type CertInit, tlsOptions, type VerifyInit } from './tls.js';
import { isStaleConnectionError } from './undici-errors.js';
import { UndiciExchange } from './undici-exchange.js';

export interface HTTPTransportOptions {
  verify?: VerifyInit;
  cert?: CertInit;
  http1?: boolean;
  http2?: boolean;
  limits?: Limits;
  /** Talk to a Unix domain socket instead of TCP (the URL still names the Host). */
  uds?: string;
  /** Source address to bind outgoing connections to. */
  localAddress?: string;
  /** Retries on `ConnectError`/`ConnectTimeout` only, with short exponential backoff. */
  retries?: number;
  trustEnv?: boolean;
  /** Send every request through this proxy (http, https, socks5, socks5h). */
  proxy?: string | URL | HTTPProxy;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
// Bodies above this size go out in slices, so the write timeout applies between them.
const SLICE = 64 * 1024;
// undici writes these itself. `Expect` it refuses outright (NotSupportedError): the body goes out
// at once instead, as HTTPX sends it (it never waits for 100 Continue either).
const HOP_BY_HOP = new Set(['transfer-encoding', 'connection', 'keep-alive', 'expect']);

/**
 * The network transport: one undici pool per origin, keep-alive, HTTP/2 by ALPN, TLS, Unix
 * sockets and the four HTTPX timeouts, on undici's dispatcher API (not fetch).
 */
export class HTTPTransport extends BaseTransport {
  readonly limits: Limits;
  readonly #retries: number;
  readonly #limiter: ConnectionLimiter;
  // Connections open across every origin and agent: `maxConnections` caps the whole transport, as in HTTPX.
  readonly #budget: ConnectionBudget;
  readonly #agents = new Map<number | null, Dispatcher>();
  readonly #h2Origins = new Set<string>();
  // Origins whose connection finished a response this event-loop turn (see #send).
  readonly #justFreed = new Map<string, number>();
  readonly #options: HTTPTransportOptions;
  readonly #tls: ReturnType<typeof tlsOptions>;
  readonly #proxy: HTTPProxy | null;
  // Sends in progress (queued, connecting, in flight, body unread), so close() can end them.
  readonly #inFlight = new Set<RequestContext>();
  // Exchanges whose connection undici is still making, by origin (see PendingConnects).
  readonly #awaitingConnection = new Map<string, Set<UndiciExchange>>();
  readonly #pendingConnects = new PendingConnects();
  #closed = false;

  constructor(options: HTTPTransportOptions = {}) {
    super();
    if (options.http1 === false && options.http2 !== true) {
      throw new UsageError('At least one of http1 or http2 must be enabled');
    }
    const retries = options.retries ?? 0;
    if (!Number.isInteger(retries) || retries < 0)
      throw new UsageError(`retries must be a non-negative integer, got ${retries}`);
    this.#retries = retries;
    this.#options = options;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    // With http2 on, one connection carries many requests: each origin's pool caps its connections
    // (and times out requests waiting for one) instead of a cap on requests in flight.
    this.#limiter = new ConnectionLimiter(options.http2 === true ? null : this.limits.maxConnections);
    this.#budget = new ConnectionBudget(this.limits.maxConnections);
    this.#tls = tlsOptions(verifyFromEnv(options.verify, options.trustEnv), options.cert);
    this.#proxy = options.proxy === undefined ? null : HTTPProxy.from(options.proxy);
    markHonoursContext(this);
  }

  /** The proxy every request goes through, or null when it connects directly (HTTPX's `_pool._proxy_url`). */
  get proxy(): HTTPProxy | null {
    return this.#proxy;
  }

  /** The undici dispatcher for a connect timeout (undici fixes it per agent; clients rarely use more than one). */
  protected dispatcherFor(connectTimeout: number | null): Dispatcher {
    let agent = this.#agents.get(connectTimeout);
    if (agent === undefined) {
      agent = this.createDispatcher(connectTimeout);
      this.#agents.set(connectTimeout, agent);
    }
    return agent;
  }

  protected createDispatcher(connectTimeout: number | null): Dispatcher {
    const { keepaliveExpiry, maxConnections } = this.limits;
    const http2 = this.#options.http2 === true;
    if (this.#proxy !== null) {
      return new ProxyDispatcher(this.#proxy, {
        targetTls: this.#tls,
        connectTimeout,
        connections: maxConnections,
        budget: this.#budget,
        keepAliveTimeout: keepaliveExpiry === null ? 600_000 : Math.max(keepaliveExpiry, 1),
        http2,
        ...(this.#options.http1 === false ? { http1: false } : {}),
        onH2Origin: (origin) => this.#h2Origins.add(h2Key(new URL(origin))),
      });
    }
    const connectOptions = {
      ...this.#tls,
      // Ours, not undici's: undici's connect timer fires up to a second late (see timedConnector).
      timeout: 0,
      ...(this.#options.uds !== undefined ? { socketPath: this.#options.uds } : {}),
      ...(this.#options.localAddress !== undefined ? { localAddress: this.#options.localAddress } : {}),
      ...(http2 ? { allowH2: true } : {}),
    };
    const h2Only = http2 && this.#options.http1 === false;
    const built = timedConnector(
      buildConnector(connectOptions as buildConnector.BuildOptions),
      connectTimeout ?? 0,
    );
    const baseConnector = this.#pendingConnects.wrap(
      h2Only ? h2OnlyConnector(built, this.#tls, connectTimeout ?? 0) : built,
    );
    const h2Origins = this.#h2Origins;
    const connect: buildConnector.connector = (opts, callback) =>
      baseConnector(opts, (error, socket) => {
        const alpn = (socket as { alpnProtocol?: string | false } | null)?.alpnProtocol;
        if (socket && alpn === 'h2') h2Origins.add(`${opts.protocol}//${opts.hostname}:${opts.port}`);
        (callback as (e: Error | null, s: typeof socket) => void)(error, socket);
      });
    const keepAlive = keepaliveExpiry === null ? 600_000 : Math.max(keepaliveExpiry, 1);
    const client = {
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: keepAlive,
      headersTimeout: 0,
      bodyTimeout: 0,
      allowH2: http2,
      ...(this.#options.localAddress !== undefined ? { localAddress: this.#options.localAddress } : {}),
    };
    // One OriginPool per origin: h2 streams multiplexed, HTTP/1.1 one request per connection.
    return new OriginRouter(
      (origin) =>
        new OriginPool(origin, { connect, http2, connections: maxConnections, budget: this.#budget, client }),
    );
  }

  override async handleRequest(request: Request, context?: RequestContext): Promise<Response> {
    if (this.#closed) throw new UsageError('Cannot send a request, as the transport has been closed.');
    const protocol = request.url.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new UnsupportedProtocol(`Request URL has an unsupported protocol '${protocol}//'.`, { request });
    }
    const ctx = contextFor(request, context);
    try {
      // The exchange takes the context out of #inFlight once its body is done.
      return await this.#sendWithRetries(request, ctx);
    } catch (error) {
      this.#inFlight.delete(ctx);
      throw error;
    }
  }

  async #sendWithRetries(request: Request, ctx: RequestContext): Promise<Response> {
    let connectAttempts = 0;
    let staleRetried = false;
    for (;;) {
      ctx.attempt++;
      try {
        return await this.#send(request, ctx);
      } catch (error) {
        // A connect that failed because we cancelled it is the abort, not a connect error.
        if (ctx.aborted) throw ctx.error(request);
        const failure = error as HTTPError;
        if (
          (failure instanceof ConnectError || failure instanceof ConnectTimeout) &&
          connectAttempts < this.#retries
        ) {
          // Back in #inFlight for the wait, so closing the transport ends the backoff too.
          this.#inFlight.add(ctx);
          await ctx.sleep(250 * 2 ** connectAttempts++, request);
          continue;
        }
        // A kept-alive socket the server closed while idle: replay once on a fresh one when that is safe.
        if (
          !staleRetried &&
          isStaleConnectionError(failure) &&
          IDEMPOTENT.has(request.method) &&
          (request.body === null || request.body.replayable)
        ) {
          staleRetried = true;
          continue;
        }
        throw failure;
      }
    }
  }

  async #send(request: Request, ctx: RequestContext): Promise<Response> {
    ctx.throwIfAborted(request);
    this.#inFlight.add(ctx);
    const waiting = this.#limiter.acquire(request, ctx);
    if (waiting !== null) await waiting;

    const origin = request.url.origin;
    // undici hands a finished keep-alive connection back to its pool one event-loop turn later
    // (it waits to see whether the server closes it). Dispatching in that window would open a
    // second connection for a plain sequential loop; waiting one turn reuses the first. At the
    // connection cap undici cannot open another one, so the wait would only add a turn of latency.
    const max = this.limits.maxConnections;
    if (this.#justFreed.has(origin) && (max === null || this.#limiter.active < max))
      await new Promise<void>((resolve) => setImmediate(resolve));
    if (ctx.aborted) {
      this.#limiter.release();
      throw ctx.error(request);
    }
    const exchange = new UndiciExchange({
      request,
      context: ctx,
      httpVersion: () => (this.#speaksH2(request.url) ? 'HTTP/2' : 'HTTP/1.1'),
      release: () => {
        this.#stopAwaitingConnection(origin, exchange);
        this.#inFlight.delete(ctx);
        this.#limiter.release();
      },
      onStart: () => this.#stopAwaitingConnection(origin, exchange),
      // An h2 stream hands no connection back, so the request after it has nothing to wait for.
      onEnd: () => {
        if (!this.#speaksH2(request.url)) this.#noteFreed(origin);
      },
    });
    this.#awaitConnection(origin, exchange);

    const headers = request.headers.toFlatArrayWithout(HOP_BY_HOP);
    const body = request.body;
    // undici accepts any (async) iterable as a body at runtime; its types only list streams.
    let dispatchBody: Uint8Array | AsyncIterable<Uint8Array> | null = null;
    if (body !== null) {
      if (body.bytes !== null && body.bytes.byteLength <= SLICE) dispatchBody = body.bytes;
      else if (body.bytes !== null) dispatchBody = exchange.timedBody(slices(body.bytes));
      else dispatchBody = exchange.timedBody(body.stream());
    }
    const maxKeepalive = this.limits.maxKeepaliveConnections;
    const options: Dispatcher.DispatchOptions = {
      origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers,
      body: dispatchBody as Dispatcher.DispatchOptions['body'] & {},
      // The exchange enforces the read timeout precisely; undici's own timers stay off.
      headersTimeout: 0,
      bodyTimeout: 0,
      idempotent: IDEMPOTENT.has(request.method),
      // Beyond the keep-alive limit, connections close after their response instead of idling.
      reset:
        this.limits.keepaliveExpiry === 0 || (maxKeepalive !== null && this.#limiter.active > maxKeepalive),
    };
    if (this.#options.http2 === true)
      (options as { [POOL_TIMEOUT]?: number | null })[POOL_TIMEOUT] = ctx.timeouts.pool;
    try {
      this.dispatcherFor(ctx.timeouts.connect).dispatch(options, exchange);
    } catch (error) {
      exchange.onResponseError(null as unknown as Dispatcher.DispatchController, error as Error);
    }
    return exchange.response;
  }

  /** Whether the URL's origin negotiated h2 (none has, on a plain HTTP/1.1 transport: skip the key). */
  #speaksH2(url: URL): boolean {
    return this.#h2Origins.size > 0 && this.#h2Origins.has(h2Key(url));
  }

  #noteFreed(origin: string): void {
    const count = this.#justFreed.get(origin) ?? 0;
    this.#justFreed.set(origin, count + 1);
    if (count === 0) {
      setImmediate(() => this.#justFreed.delete(origin));
    }
  }

  #awaitConnection(origin: string, exchange: UndiciExchange): void {
    let waiting = this.#awaitingConnection.get(origin);
    if (waiting === undefined) this.#awaitingConnection.set(origin, (waiting = new Set()));
    waiting.add(exchange);
  }

  /** The exchange is on a socket or gone; the last one gone before its socket cancels the connects. */
  #stopAwaitingConnection(origin: string, exchange: UndiciExchange): void {
    const waiting = this.#awaitingConnection.get(origin);
    if (waiting === undefined || !waiting.delete(exchange)) return;
    if (waiting.size > 0) return;
    this.#awaitingConnection.delete(origin);
    const failure = exchange.failure;
    if (failure === null || exchange.controller !== null) return;
    this.#pendingConnects.cancel(origin, failure);
    // A proxy's unanswered CONNECTs and SOCKS handshakes serve any origin: only when none waits.
    if (this.#awaitingConnection.size === 0) {
      for (const agent of this.#agents.values())
        if (agent instanceof ProxyDispatcher) agent.cancelPendingTunnels(failure);
    }
  }

  /**
   * Ends every send in progress with `ClientClosed` (queued on the limiter, connecting, in flight,
   * in a connect-retry backoff), cancels the connections being made and destroys every socket.
   */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const message = 'The transport was closed while the request was in flight';
    for (const ctx of [...this.#inFlight]) ctx.abort(new ClientClosed(message));
    this.#inFlight.clear();
    this.#pendingConnects.cancelAll(new ClientClosed(message));
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy().catch(() => {})));
  }
}

/** The key `#h2Origins` holds for a URL's origin (the connector records `protocol//hostname:port`). */
function h2Key(url: URL): string {
  return `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += SLICE)
    yield bytes.subarray(offset, offset + SLICE);
}
