import { inspect } from 'node:util';
import { type Auth, type AuthLike, BasicAuth, NoAuth, toAuth } from './auth/auth.js';
import { netrcAuthFor } from './auth/netrc.js';
import type { BodyInit } from './content/body.js';
import { ACCEPT_ENCODING } from './content/decoders.js';
import { ClientClosed, UsageError } from './errors.js';
import { describeValue } from './internal/describe.js';
import { redactUrl } from './internal/redact.js';
import { sendTimeouts } from './internal/timeouts.js';
import { sendHandlingAuth } from './lifecycle/pipeline.js';
import { RequestContext } from './lifecycle/request-context.js';
import { Cookies, type CookiesInit } from './models/cookies.js';
import { Headers, type HeadersInit } from './models/headers.js';
import type { Limits } from './models/limits.js';
import type { HTTPProxy } from './models/proxy.js';
import { type ParamsInit, QueryParams } from './models/query-params.js';
import { adoptUrl, Request } from './models/request.js';
import type { Response } from './models/response.js';
import { Timeout, type TimeoutInit } from './models/timeout.js';
import { joinBaseUrl, normalizeBaseUrl, parseAbsoluteUrl } from './models/urls.js';
import { isTelemetry, type Telemetry } from './telemetry/telemetry.js';
import type { BaseTransport } from './transports/base.js';
import { EnvProxyRouter } from './transports/env-proxies.js';
import { HTTPTransport } from './transports/http-transport.js';
import { type MountsInit, MountTable } from './transports/mounts.js';
import type { CertInit, VerifyInit } from './transports/tls.js';
import { VERSION } from './version.js';

export interface EventHooks {
  request: Array<(request: Request) => void | Promise<void>>;
  response: Array<(response: Response) => void | Promise<void>>;
}

export interface ClientOptions {
  auth?: AuthLike | null;
  params?: ParamsInit;
  headers?: HeadersInit;
  cookies?: CookiesInit;
  verify?: VerifyInit;
  cert?: CertInit;
  http1?: boolean;
  http2?: boolean;
  mounts?: MountsInit;
  /** Every request through this proxy: becomes the mount `all://`. */
  proxy?: string | URL | HTTPProxy;
  timeout?: TimeoutInit;
  followRedirects?: boolean;
  maxRedirects?: number;
  limits?: Limits;
  eventHooks?: Partial<EventHooks>;
  baseUrl?: string | URL;
  transport?: BaseTransport;
  trustEnv?: boolean;
  defaultEncoding?: string | ((content: Uint8Array) => string);
  /** Beyond HTTPX: a bound on each decoded response body; past it reading fails with `ResponseTooLarge`. */
  maxResponseBytes?: number | null;
  /** Beyond HTTPX: spans and metrics per send, e.g. `openTelemetry()`; none (and no cost) by default. */
  telemetry?: Telemetry | null;
}

export interface RequestOptions extends BodyInit {
  params?: ParamsInit | undefined;
  headers?: HeadersInit | undefined;
  cookies?: CookiesInit | undefined;
  auth?: AuthLike | null | undefined;
  followRedirects?: boolean | undefined;
  timeout?: TimeoutInit | undefined;
  extensions?: Record<string, unknown> | undefined;
  signal?: AbortSignal | undefined;
}

export interface SendOptions {
  stream?: boolean;
  auth?: AuthLike | null;
  followRedirects?: boolean;
  signal?: AbortSignal;
}

type State = 'unopened' | 'opened' | 'closed';

const DEFAULT_HEADERS = new Headers({
  Accept: '*/*',
  'Accept-Encoding': ACCEPT_ENCODING,
  Connection: 'keep-alive',
  'User-Agent': `pluggable-http/${VERSION}`,
});
const DEFAULT_TIMEOUT = new Timeout(5000);

/**
 * An HTTP client with connection pooling and shared configuration (HTTPX `Client`).
 * Close it (or use `await using`) to release its connections.
 */
export class Client implements AsyncDisposable {
  #headers!: Headers;
  #params!: QueryParams;
  #cookies!: Cookies;
  #timeout!: Timeout;
  #eventHooks!: EventHooks;
  followRedirects: boolean;
  maxRedirects: number;
  trustEnv: boolean;
  defaultEncoding: string | ((content: Uint8Array) => string);
  maxResponseBytes: number | null;
  #auth: Auth | null;
  #baseUrl: URL | null;
  #transport: BaseTransport;
  #mounts: MountTable;
  #envProxies: EnvProxyRouter | null;
  readonly #telemetry: Telemetry | null;
  #state: State = 'unopened';
  // Sends not finished yet (their body included), so close() can end them.
  readonly #inFlight = new Set<RequestContext>();

  constructor(options: ClientOptions = {}) {
    this.headers = options.headers ?? {};
    this.params = options.params ?? null;
    this.cookies = options.cookies ?? null;
    this.timeout = options.timeout === undefined ? DEFAULT_TIMEOUT : options.timeout;
    this.eventHooks = options.eventHooks ?? {};
    this.followRedirects = options.followRedirects ?? false;
    this.maxRedirects = options.maxRedirects ?? 20;
    if (!Number.isInteger(this.maxRedirects) || this.maxRedirects < 0) {
      throw new UsageError(`maxRedirects must be a non-negative integer, got ${options.maxRedirects}`);
    }
    this.trustEnv = options.trustEnv ?? true;
    this.defaultEncoding = options.defaultEncoding ?? 'utf-8';
    this.maxResponseBytes = options.maxResponseBytes ?? null;
    const telemetry = options.telemetry ?? null;
    if (telemetry !== null && !isTelemetry(telemetry)) {
      throw new UsageError(
        `telemetry must be a Telemetry such as openTelemetry(), got ${describeValue(telemetry)}`,
      );
    }
    this.#telemetry = telemetry;
    this.#auth = options.auth == null ? null : toAuth(options.auth);
    this.#baseUrl = options.baseUrl === undefined ? null : normalizeBaseUrl(options.baseUrl);
    // Proxy transports share the default transport's TLS, HTTP version and pool settings.
    const makeTransport = (proxy?: string | URL | HTTPProxy) =>
      new HTTPTransport({
        ...(options.verify !== undefined ? { verify: options.verify } : {}),
        ...(options.cert !== undefined ? { cert: options.cert } : {}),
        ...(options.http1 !== undefined ? { http1: options.http1 } : {}),
        ...(options.http2 !== undefined ? { http2: options.http2 } : {}),
        ...(options.limits !== undefined ? { limits: options.limits } : {}),
        ...(proxy !== undefined ? { proxy } : {}),
        trustEnv: this.trustEnv,
      });
    this.#transport = options.transport ?? makeTransport();
    this.#mounts = new MountTable({
      ...(options.proxy !== undefined ? { 'all://': makeTransport(options.proxy) } : {}),
      ...options.mounts,
    });
    const explicit =
      options.proxy !== undefined || options.mounts !== undefined || options.transport !== undefined;
    this.#envProxies = this.trustEnv && !explicit ? EnvProxyRouter.fromEnv(process.env, makeTransport) : null;
  }

  // The setters convert as HTTPX's do, so `client.headers = { … }` still has `.get` and `.update`.
  /** The client's headers; setting them merges the new ones over the defaults (HTTPX). */
  get headers(): Headers {
    return this.#headers;
  }
  set headers(headers: HeadersInit) {
    this.#headers = new Headers(DEFAULT_HEADERS).update(headers);
  }

  get params(): QueryParams {
    return this.#params;
  }
  set params(params: ParamsInit | null) {
    this.#params = new QueryParams(params);
  }

  get cookies(): Cookies {
    return this.#cookies;
  }
  set cookies(cookies: CookiesInit | null) {
    this.#cookies = new Cookies(cookies);
  }

  get timeout(): Timeout {
    return this.#timeout;
  }
  set timeout(timeout: TimeoutInit) {
    this.#timeout = timeout instanceof Timeout ? timeout : new Timeout(timeout);
  }

  /** The hook lists; mutate them in place, or assign `{ request?, response? }` to replace both. */
  get eventHooks(): EventHooks {
    return this.#eventHooks;
  }
  set eventHooks(hooks: Partial<EventHooks>) {
    const list = (kind: keyof EventHooks) => {
      const given: unknown = hooks?.[kind] ?? [];
      if (!Array.isArray(given) || given.some((hook) => typeof hook !== 'function')) {
        throw new UsageError(`eventHooks.${kind} must be an array of functions, got ${describeValue(given)}`);
      }
      return [...given];
    };
    if (typeof hooks !== 'object' || hooks === null) {
      throw new UsageError(`eventHooks must be { request?, response? }, got ${describeValue(hooks)}`);
    }
    this.#eventHooks = { request: list('request'), response: list('response') };
  }

  get auth(): Auth | null {
    return this.#auth;
  }
  set auth(auth: AuthLike | null) {
    this.#auth = auth === null ? null : toAuth(auth);
  }

  get baseUrl(): URL | null {
    return this.#baseUrl;
  }
  set baseUrl(url: string | URL | null) {
    this.#baseUrl = url === null ? null : normalizeBaseUrl(url);
  }

  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** The transport a URL is sent through: the most specific mount, else the client's transport. */
  transportFor(url: URL): BaseTransport {
    const mounted = this.#mounts.route(url);
    if (mounted !== undefined) return mounted ?? this.#transport;
    return this.#envProxies?.route(url) ?? this.#transport;
  }

  buildRequest(method: string, url: string | URL, options: RequestOptions = {}): Request {
    const target = this.#baseUrl === null ? parseAbsoluteUrl(url) : joinBaseUrl(this.#baseUrl, url);
    // The Request copies the headers it is given, so the client's own can be lent when nothing is added.
    const headers =
      options.headers === undefined ? this.headers : this.headers.copy().update(options.headers);
    const params = options.params === undefined ? this.params : this.params.merge(options.params);
    const timeout = Timeout.from(options.timeout, this.timeout);
    // `target` is a URL of our own: the Request may keep it instead of parsing a copy.
    const request = new Request(method, adoptUrl(target), {
      headers,
      params,
      content: options.content,
      data: options.data,
      files: options.files,
      json: options.json,
      extensions: { ...options.extensions, timeout: timeout.toJSON() },
      signal: options.signal,
    });
    const cookieHeader = this.#cookieHeader(request.url, options.cookies);
    if (cookieHeader !== '') request.headers.set('Cookie', cookieHeader);
    return request;
  }

  async request(method: string, url: string | URL, options: RequestOptions = {}): Promise<Response> {
    const request = this.buildRequest(method, url, options);
    return this.send(request, this.#sendOptions(options, false));
  }

  /** Sends a request and returns as soon as headers arrive; the caller reads and closes the body. */
  async stream(method: string, url: string | URL, options: RequestOptions = {}): Promise<Response> {
    const request = this.buildRequest(method, url, options);
    return this.send(request, this.#sendOptions(options, true));
  }

  get(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('GET', url, options);
  }
  head(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('HEAD', url, options);
  }
  options(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('OPTIONS', url, options);
  }
  delete(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('DELETE', url, options);
  }
  post(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('POST', url, options);
  }
  put(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('PUT', url, options);
  }
  patch(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('PATCH', url, options);
  }

  async send(request: Request, options: SendOptions = {}): Promise<Response> {
    if (this.#state === 'closed')
      throw new UsageError('Cannot send a request, as the client has been closed.');
    this.#state = 'opened';
    const auth = this.#resolveAuth(request, options.auth);
    const followRedirects = options.followRedirects ?? this.followRedirects;
    // A hand-built Request carries no timeout of its own: the client's applies, as in HTTPX.
    const { total, ...timeouts } = sendTimeouts(request.extensions, this.timeout);
    const context = new RequestContext({
      timeouts,
      total,
      signals: [options.signal, request.signal === options.signal ? null : request.signal],
      request,
    });
    this.#inFlight.add(context);
    const observer = this.#telemetry?.startSend(request) ?? null;
    context.observer = observer;
    const done = (error?: unknown) => {
      context.release();
      this.#inFlight.delete(context);
      observer?.end(error);
    };

    let response: Response;
    try {
      response =
        observer === null
          ? await sendHandlingAuth(this, request, auth, followRedirects, context)
          : await observer.run(() => sendHandlingAuth(this, request, auth, followRedirects, context));
    } catch (error) {
      const failure = context.aborted ? context.error(request) : error;
      done(failure);
      throw failure;
    }
    // The context lives as long as the body does: an abort, the deadline or close() still end the read.
    response.onClose(done);
    // A stream the caller drops unread must not keep the process alive until the deadline.
    if (options.stream) {
      context.unref();
      return response;
    }
    try {
      await response.read();
    } catch (error) {
      const failure = context.aborted ? context.error(request) : error;
      // Before close(), whose callback would end the telemetry as a success.
      observer?.end(failure);
      await response.close();
      throw failure;
    }
    return response;
  }

  /**
   * Closes every transport. What is still in flight (queued, connecting, sending, being read)
   * fails with `ClientClosed`; sending afterwards is a `UsageError`.
   */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const context of [...this.#inFlight])
      context.abort(new ClientClosed('The client was closed while the request was in flight'));
    this.#inFlight.clear();
    const transports = [
      this.#transport,
      ...this.#mounts.transports(),
      ...(this.#envProxies?.transports() ?? []),
    ];
    await Promise.all(transports.map((t) => t.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  [inspect.custom](): string {
    return `Client(baseUrl=${this.#baseUrl === null ? 'null' : `'${redactUrl(this.#baseUrl)}'`}, auth=${inspect(this.#auth)}, state=${this.#state})`;
  }

  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.#baseUrl === null ? null : redactUrl(this.#baseUrl),
      headers: this.headers.toJSON(),
      state: this.#state,
    };
  }

  #sendOptions(options: RequestOptions, stream: boolean): SendOptions {
    const send: SendOptions = { stream };
    if (options.auth !== undefined) send.auth = options.auth;
    if (options.followRedirects !== undefined) send.followRedirects = options.followRedirects;
    return send;
  }

  #cookieHeader(url: URL, requestCookies: CookiesInit | undefined): string {
    if (requestCookies === undefined) return this.cookies.headerFor(url);
    const merged = new Cookies(this.cookies);
    merged.update(requestCookies);
    return merged.headerFor(url);
  }

  #resolveAuth(request: Request, auth: AuthLike | null | undefined): Auth {
    if (auth === null) return new NoAuth();
    if (auth !== undefined) return toAuth(auth);
    if (this.#auth !== null) return this.#auth;
    if (request.url.username !== '' || request.url.password !== '') {
      return new BasicAuth(
        decodeURIComponent(request.url.username),
        decodeURIComponent(request.url.password),
      );
    }
    const fromNetrc = this.trustEnv ? netrcAuthFor(request.url, this) : null;
    if (fromNetrc !== null) return fromNetrc;
    return new NoAuth();
  }
}
