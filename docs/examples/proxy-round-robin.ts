// In your project, import these from '@pluggable/http'.
import {
  BaseTransport,
  HTTPTransport,
  type HTTPTransportOptions,
  // biome-ignore lint/suspicious/noShadowRestrictedNames: the library's public name, as in HTTPX
  type Proxy,
  type Request,
  type Response,
} from '../../packages/http/src/index.js';

/** Spreads requests over several proxies in turn, one HTTP transport (and pool) per proxy. */
export class ProxyRoundRobin extends BaseTransport {
  readonly #transports: HTTPTransport[];
  #next = 0;

  constructor(proxies: ReadonlyArray<string | Proxy>, options: Omit<HTTPTransportOptions, 'proxy'> = {}) {
    super();
    this.#transports = proxies.map((proxy) => new HTTPTransport({ ...options, proxy }));
  }

  override handleRequest(request: Request): Promise<Response> {
    const transport = this.#transports[this.#next] as HTTPTransport;
    this.#next = (this.#next + 1) % this.#transports.length;
    return transport.handleRequest(request);
  }

  override async close(): Promise<void> {
    await Promise.all(this.#transports.map((transport) => transport.close()));
  }
}
