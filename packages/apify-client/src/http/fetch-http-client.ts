import { createDeadline, fetchBody, settleResponse } from './deadline.js';
import type { FetchLikeResponse } from './fetch-response.js';
import { type HttpCallOptions, HttpClient } from './http-client.js';
import type { HttpResponse } from './http-response.js';
import { buildUrl } from './pipeline.js';
import { RetryingHttpClient, type RetryingHttpClientOptions } from './retrying-http-client.js';

/** What `FetchHttpClient` passes to the fetch function; a subset of the WHATWG `RequestInit`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  signal?: AbortSignal;
  redirect: 'follow';
  /** Required by Node and undici for stream bodies. */
  duplex?: 'half';
}

/** Any fetch-compatible function: `globalThis.fetch`, undici, Bun, Deno, Workers, Crawlee's. */
export type FetchFunction = (url: string, init: FetchInit) => Promise<FetchLikeResponse>;

/** One attempt over fetch: no retries here, the surrounding `RetryingHttpClient` owns them. */
class FetchTransport extends HttpClient {
  readonly #fetch: FetchFunction;

  constructor(fetchFunction: FetchFunction) {
    super();
    this.#fetch = fetchFunction;
  }

  async call(options: HttpCallOptions): Promise<HttpResponse> {
    const deadline = createDeadline(options.timeout, options.signal);
    const init: FetchInit = { method: options.method, headers: { ...options.headers }, redirect: 'follow' };
    if (deadline.signal !== undefined) init.signal = deadline.signal;
    const body = fetchBody(options);
    if (body !== undefined) init.body = body;
    if (body instanceof ReadableStream) init.duplex = 'half';
    return settleResponse(deadline, options.stream, () =>
      this.#fetch(buildUrl(options.url, options.params), init),
    );
  }
}

export interface FetchHttpClientOptions extends RetryingHttpClientOptions {
  /** Defaults to `globalThis.fetch`, looked up on each call so that test doubles installed later apply. */
  fetch?: FetchFunction;
}

/** The default retry pipeline over any fetch-compatible function; works where impit cannot load. */
export class FetchHttpClient extends RetryingHttpClient {
  constructor(options: FetchHttpClientOptions = {}) {
    const custom = options.fetch;
    const fetchFunction: FetchFunction =
      custom ?? ((url, init) => globalThis.fetch(url, init as RequestInit) as Promise<FetchLikeResponse>);
    super(new FetchTransport(fetchFunction), options);
  }
}
