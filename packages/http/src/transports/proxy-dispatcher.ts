import diagnostics from 'node:diagnostics_channel';
import { lookup } from 'node:dns/promises';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { buildConnector, Dispatcher, Pool, ProxyAgent, Socks5ProxyAgent } from 'undici';
import { HTTPError, ProxyError } from '../errors.js';
import type { HTTPProxy } from '../models/proxy.js';
import { timedConnector } from './connect-timer.js';
import type { ConnectionBudget } from './connection-budget.js';
import { settleDispatcherCall } from './dispatcher-settle.js';
import { h2OnlyConnector } from './h2/h2-only-connector.js';
import { socksConnector } from './h2/socks-connector.js';
import { OriginPool } from './origin-pool.js';
import { PendingTunnels } from './pending-connects.js';
import { OriginRouter } from './reuse-after-close.js';
import { tlsOptions } from './tls.js';

export interface ProxyDispatcherOptions {
  /** TLS options for the target server (the client's `verify`/`cert`). */
  targetTls: ConnectionOptions;
  connectTimeout: number | null;
  connections: number | null;
  /** The transport's connections across origins; tunnelled h2-capable pools take their units from it. */
  budget: ConnectionBudget;
  keepAliveTimeout: number;
  /** Offer h2 to tunnelled targets (CONNECT and SOCKS5) and multiplex it as without a proxy. */
  http2?: boolean;
  /** With `http2`, `false` offers only `h2` to tunnelled TLS targets (and h2c with prior knowledge). */
  http1?: boolean;
  /** Told the origin of every tunnelled connection that negotiated h2. */
  onH2Origin?: (origin: string) => void;
}

// Failures reaching the proxy itself; once a tunnel stands, errors belong to the target.
const PROXY_CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function proxyFailure(error: Error, proxy: HTTPProxy): Error {
  if (error instanceof HTTPError) return error;
  const code = (error as { code?: unknown }).code;
  const tunnel = /^Proxy response \((\d+)\) !== 200/.exec(error.message);
  if (tunnel !== null) {
    const status = Number(tunnel[1]);
    const why = status === 407 ? ' (Proxy Authentication Required)' : '';
    return new ProxyError(
      `Proxy ${proxy.displayUrl} refused the CONNECT tunnel with status ${status}${why}`,
      {
        cause: error,
      },
    );
  }
  if (typeof code === 'string' && PROXY_CONNECT_CODES.has(code)) {
    return new ProxyError(`Cannot connect to proxy ${proxy.displayUrl}: ${code}`, { cause: error });
  }
  if ((typeof code === 'string' && code.startsWith('UND_ERR_SOCKS5')) || /^SOCKS5 /.test(error.message)) {
    return new ProxyError(`SOCKS proxy ${proxy.displayUrl} failed: ${error.message}`, { cause: error });
  }
  return error;
}

/** Passes everything through, but turns proxy-side failures (and a forwarded 407) into `ProxyError`. */
class ProxyHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #proxy: HTTPProxy;
  readonly #forwarded: boolean;
  #started = false;

  constructor(inner: Dispatcher.DispatchHandler, proxy: HTTPProxy, forwarded: boolean) {
    this.#inner = inner;
    this.#proxy = proxy;
    this.#forwarded = forwarded;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (this.#forwarded && statusCode === 407) {
      controller.abort(
        new ProxyError(`Proxy ${this.#proxy.displayUrl} answered 407 Proxy Authentication Required`),
      );
      return;
    }
    if (statusCode >= 200) this.#started = true;
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(
    controller: Dispatcher.DispatchController,
    trailers: Record<string, string | string[] | undefined>,
  ): void {
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#inner.onResponseError?.(controller, this.#started ? error : proxyFailure(error, this.#proxy));
  }
}

interface SocksInternals {
  createSocks5Connection(host: string, port: number): Promise<Socket>;
}

// Every ProxyDispatcher's tunnels that stand, as undici announces them once the proxy said 200.
const tunnelRegistries = new Set<PendingTunnels>();
diagnostics.subscribe('undici:proxy:connected', (message) => {
  const { socket } = message as { socket: unknown };
  for (const registry of tunnelRegistries) registry.established(socket);
});

/**
 * Opens the proxy connection through undici's (undocumented) `createSocks5Connection`, checked by
 * the undici contract test: to know when a handshake is over, and so that `socks5://` resolves
 * names on our side and hands the proxy an address (`socks5h://` sends the name).
 */
class TrackedSocks5Agent extends Socks5ProxyAgent {
  readonly #tunnels: PendingTunnels;
  readonly #resolveLocally: boolean;

  constructor(
    url: string,
    options: Socks5ProxyAgent.Options,
    tunnels: PendingTunnels,
    resolveLocally: boolean,
  ) {
    super(url, options);
    this.#tunnels = tunnels;
    this.#resolveLocally = resolveLocally;
  }

  async createSocks5Connection(host: string, port: number): Promise<Socket> {
    const target = this.#resolveLocally ? (await lookup(host)).address : host;
    const parent = Socks5ProxyAgent.prototype as unknown as SocksInternals;
    const socket = await parent.createSocks5Connection.call(this, target, port);
    this.#tunnels.established(socket);
    return socket;
  }
}

/**
 * One undici dispatcher per proxy: forwarding goes over a pool to the proxy with absolute-form
 * request lines, tunnelling over undici's `ProxyAgent` (CONNECT), SOCKS over `Socks5ProxyAgent`.
 */
export class ProxyDispatcher extends Dispatcher {
  readonly #proxy: HTTPProxy;
  readonly #options: ProxyDispatcherOptions;
  readonly #proxyTls: ConnectionOptions;
  #forward: Pool | null = null;
  #tunnel: Dispatcher | null = null;
  readonly #pendingTunnels = new PendingTunnels();

  constructor(proxy: HTTPProxy, options: ProxyDispatcherOptions) {
    super();
    tunnelRegistries.add(this.#pendingTunnels);
    this.#proxy = proxy;
    this.#options = options;
    this.#proxyTls = proxy.scheme === 'https' ? tlsOptions(proxy.verify) : {};
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const proxy = this.#proxy;
    const origin = String(options.origin);
    const forward =
      !proxy.isSocks &&
      (proxy.mode === 'FORWARD_ONLY' || (proxy.mode === 'DEFAULT' && origin.startsWith('http:')));
    const wrapped = new ProxyHandler(handler, proxy, forward);
    if (!forward) return this.#tunnelDispatcher().dispatch(options, wrapped);

    const headers = [...((options.headers as string[] | undefined) ?? [])];
    for (const [name, value] of Object.entries(proxy.headers)) headers.push(name, value);
    const authorization = proxy.authorization;
    if (authorization !== null) headers.push('Proxy-Authorization', authorization);
    return this.#forwardPool().dispatch(
      { ...options, origin: proxy.url.origin, path: `${origin}${options.path}`, headers },
      wrapped,
    );
  }

  #forwardPool(): Pool {
    if (this.#forward === null) {
      const connect = timedConnector(
        buildConnector({ ...this.#proxyTls, timeout: 0 } as buildConnector.BuildOptions),
        this.#options.connectTimeout ?? 0,
      );
      this.#forward = new Pool(this.#proxy.url.origin, {
        connect,
        connections: this.#options.connections,
        keepAliveTimeout: this.#options.keepAliveTimeout,
        keepAliveMaxTimeout: this.#options.keepAliveTimeout,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    }
    return this.#forward;
  }

  #tunnelDispatcher(): Dispatcher {
    if (this.#tunnel !== null) return this.#tunnel;
    const proxy = this.#proxy;
    const timeout = this.#options.connectTimeout ?? 0;
    const requestTls = { ...this.#options.targetTls, timeout } as buildConnector.BuildOptions;
    if (proxy.isSocks) {
      const url = `socks5://${proxy.url.host}`;
      const socksOptions = {
        connections: this.#options.connections,
        requestTls,
        connect: this.#pendingTunnels.wrap(
          timedConnector(buildConnector({ timeout: 0 } as buildConnector.BuildOptions), timeout),
          timeout,
        ),
        ...(proxy.auth !== null ? { username: proxy.auth[0], password: proxy.auth[1] } : {}),
      } as Socks5ProxyAgent.Options;
      const socks = new TrackedSocks5Agent(
        url,
        socksOptions,
        this.#pendingTunnels,
        proxy.scheme !== 'socks5h',
      );
      const connect = socksConnector(
        (host, port) => socks.createSocks5Connection(host, port),
        requestTls,
        this.#options.http2 === true,
      );
      const tunnelConnect = this.#h2Only(connect);
      this.#tunnel = new OriginRouter((origin) => this.#tunnelPool(origin, tunnelConnect));
      return this.#tunnel;
    }
    const authorization = proxy.authorization;
    this.#tunnel = new ProxyAgent({
      uri: proxy.url.href,
      ...(authorization !== null ? { token: authorization } : {}),
      headers: { ...proxy.headers },
      requestTls,
      // The connection to the proxy is timed by timedConnector in clientFactory, not by undici.
      proxyTls: { ...this.#proxyTls, timeout: 0 } as buildConnector.BuildOptions,
      proxyTunnel: true,
      ...(this.#options.http2 === true ? { requestTls: { ...requestTls, allowH2: true } } : {}),
      factory: (origin: string | URL, factoryOptions: object) =>
        this.#tunnelPool(
          String(origin),
          this.#h2Only((factoryOptions as { connect: buildConnector.connector }).connect),
        ),
      clientFactory: (origin: URL, factoryOptions: object) => {
        const { connect } = factoryOptions as { connect: buildConnector.connector };
        return new Pool(origin, {
          connect: this.#pendingTunnels.wrap(timedConnector(connect, timeout), timeout),
        });
      },
      connections: this.#options.connections,
      keepAliveTimeout: this.#options.keepAliveTimeout,
      keepAliveMaxTimeout: this.#options.keepAliveTimeout,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return this.#tunnel;
  }

  /**
   * With `http1: false`, the tunnel only carries TCP (both tunnel connectors hand back the raw socket
   * for `http:`) and the TLS handshake on top offers `h2` alone, as without a proxy.
   */
  #h2Only(tunnel: buildConnector.connector): buildConnector.connector {
    if (this.#options.http1 !== false) return tunnel;
    return h2OnlyConnector(tunnel, this.#options.targetTls, this.#options.connectTimeout ?? 0);
  }

  /**
   * The tunnels to one origin, pooled as direct connections are: each holds a unit of the
   * transport's budget (so `maxConnections` caps tunnels across origins and an idle one closes to
   * make room), and with `http2` on they may negotiate h2 and multiplex.
   */
  #tunnelPool(origin: string, connect: buildConnector.connector): OriginPool {
    const keepAlive = this.#options.keepAliveTimeout;
    const onH2 = this.#options.http2 === true ? this.#options.onH2Origin : undefined;
    return new OriginPool(origin, {
      connect,
      http2: this.#options.http2 === true,
      connections: this.#options.connections,
      budget: this.#options.budget,
      client: {
        keepAliveTimeout: keepAlive,
        keepAliveMaxTimeout: keepAlive,
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      ...(onH2 !== undefined ? { onH2: () => onH2(origin) } : {}),
    });
  }

  /** Destroys the proxy connections whose tunnel is not established yet (nothing waits for them). */
  cancelPendingTunnels(error: Error): void {
    this.#pendingTunnels.cancelAll(error);
  }

  #children(): Dispatcher[] {
    return [this.#forward, this.#tunnel].filter((d): d is Dispatcher => d !== null);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    tunnelRegistries.delete(this.#pendingTunnels);
    return settleDispatcherCall(Promise.all(this.#children().map((d) => d.close())), callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    tunnelRegistries.delete(this.#pendingTunnels);
    this.#pendingTunnels.cancelAll(new Error('The proxy dispatcher was destroyed'));
    return settleDispatcherCall(
      Promise.all(this.#children().map((d) => d.destroy())),
      errOrCallback,
      callback,
    );
  }
}
