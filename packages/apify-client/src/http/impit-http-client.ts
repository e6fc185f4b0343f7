import type { Impit, ImpitOptions, RequestInit as ImpitRequestInit } from 'impit';
import { ApifyClientError } from '../errors.js';
import { createDeadline, fetchBody, settleResponse } from './deadline.js';
import { type HttpCallOptions, HttpClient } from './http-client.js';
import type { HttpResponse } from './http-response.js';
import { buildUrl } from './pipeline.js';
import { RetryingHttpClient, type RetryingHttpClientOptions } from './retrying-http-client.js';

/** impit treats a missing timeout as its own 30 s default (impit#401), so "none" sends a day. */
const NO_TIMEOUT = 86_400_000;

type ImpitInstanceOptions = Omit<ImpitOptions, 'timeout' | 'headers' | 'cookieJar'>;

/** One attempt over impit. The native addon is imported on the first call, never at module load. */
class ImpitTransport extends HttpClient {
  readonly #options: ImpitInstanceOptions;
  #impit: Promise<Impit> | undefined;

  constructor(options: ImpitInstanceOptions) {
    super();
    this.#options = options;
  }

  #instance(): Promise<Impit> {
    this.#impit ??= import('impit').then(
      (module) => new module.Impit({ ...this.#options }),
      (error: unknown) => {
        // Not a transport failure: retrying cannot help, and a later call may try loading again.
        this.#impit = undefined;
        throw new ApifyClientError(
          'The impit native addon could not be loaded; use FetchHttpClient on this runtime',
          'ERR_APIFY_IMPIT_UNAVAILABLE',
          { cause: error },
        );
      },
    );
    return this.#impit;
  }

  async call(options: HttpCallOptions): Promise<HttpResponse> {
    const impit = await this.#instance();
    const deadline = createDeadline(options.timeout, options.signal);
    const init: ImpitRequestInit = {
      method: options.method.toUpperCase() as NonNullable<ImpitRequestInit['method']>,
      headers: { ...options.headers },
      timeout: options.timeout ?? NO_TIMEOUT,
    };
    if (deadline.signal !== undefined) init.signal = deadline.signal;
    const body = fetchBody(options);
    if (body !== undefined) init.body = body;
    return settleResponse(deadline, options.stream, async () => {
      const raw = await impit.fetch(buildUrl(options.url, options.params), init);
      return {
        status: raw.status,
        headers: raw.headers,
        body: options.method.toUpperCase() === 'HEAD' ? null : raw.body,
      };
    });
  }

  override async close(): Promise<void> {
    this.#impit = undefined;
  }
}

export interface ImpitHttpClientOptions extends RetryingHttpClientOptions {
  /** Passed to `new Impit()`: proxy, TLS, browser impersonation, HTTP/3, redirects, local address. */
  impit?: ImpitInstanceOptions;
}

/** The default client: impit as the transport plus the retry pipeline and statistics. */
export class ImpitHttpClient extends RetryingHttpClient {
  constructor(options: ImpitHttpClientOptions = {}) {
    super(new ImpitTransport(options.impit ?? {}), options);
  }
}
