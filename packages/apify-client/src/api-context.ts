import { ApifyApiError, InvalidResponseBodyError } from './errors.js';
import type { ClientStats, HttpCallOptions, HttpClient } from './http/http-client.js';
import type { HttpResponse } from './http/http-response.js';
import { mergeHeaders } from './http/pipeline.js';
import { applyRequestInterceptors, type RequestInterceptorFunction } from './request-interceptors.js';

/**
 * The request a resource client makes: `HttpCallOptions` with a path below `/v2/` in place of the
 * URL. It reaches the `HttpClient` as it is, with only the URL and the default headers added.
 */
export type ApiRequest = Omit<HttpCallOptions, 'url' | 'timeout'> & {
  /** Path below `/v2/`, already URL-encoded. */
  path: string;
  timeout: number | null;
};

/** What resource clients share: the HTTP client, the URLs, the default headers and the stats. */
export class ApiContext {
  readonly httpClient: HttpClient;
  readonly apiUrl: string;
  readonly publicApiUrl: string;
  readonly #headers: Record<string, string>;
  readonly #interceptors: readonly RequestInterceptorFunction[];
  readonly #ownStats: ClientStats = { calls: 0, requests: 0, rateLimitErrors: [] };

  constructor(
    httpClient: HttpClient,
    apiUrl: string,
    publicApiUrl: string,
    headers: Record<string, string>,
    interceptors: readonly RequestInterceptorFunction[] = [],
  ) {
    this.httpClient = httpClient;
    this.#interceptors = interceptors;
    this.apiUrl = apiUrl;
    this.publicApiUrl = publicApiUrl;
    this.#headers = headers;
  }

  /** The HTTP client's own counters when it keeps them; otherwise one request per call, counted here. */
  get stats(): ClientStats {
    return this.httpClient.stats ?? this.#ownStats;
  }

  async request(request: ApiRequest): Promise<HttpResponse> {
    const { path, ...rest } = request;
    const url = `${this.apiUrl}/${path}`;
    const given: HttpCallOptions = { ...rest, url, headers: mergeHeaders(this.#headers, request.headers) };
    let options = given;
    if (this.#interceptors.length > 0) {
      const interceptors = this.#interceptors;
      // Each interceptor run starts from the request as the resource client built it, as each
      // axios attempt does in the official client; a retrying client asks for it again per retry.
      options = await applyRequestInterceptors(interceptors, given);
      options.beforeRetry = () => applyRequestInterceptors(interceptors, given);
    }
    if (this.httpClient.stats === undefined) {
      this.#ownStats.calls += 1;
      this.#ownStats.requests += 1;
    }
    const response = await this.httpClient.call(options);
    if (response.statusCode >= 400) {
      // A client without the retry pipeline returns error responses as they are; convert them the same way.
      let body = '';
      try {
        await response.read();
        body = response.text;
      } finally {
        await response.close();
      }
      throw ApifyApiError.from({
        statusCode: response.statusCode,
        attempt: 1,
        httpMethod: options.method.toUpperCase(),
        url: options.url,
        body,
        secrets: this.secrets,
      });
    }
    if (request.stream !== true) await response.read();
    return response;
  }

  /** Parses a JSON body; a custom client's invalid JSON becomes the typed error. */
  parseJson(response: HttpResponse, request: Pick<ApiRequest, 'method' | 'path'>): unknown {
    try {
      return response.json();
    } catch (error) {
      throw new InvalidResponseBodyError({
        attempt: 1,
        httpMethod: request.method,
        url: `${this.apiUrl}/${request.path}`,
        statusCode: response.statusCode,
        cause: error,
      });
    }
  }

  get secrets(): string[] {
    const authorization = Object.entries(this.#headers).find(
      ([key]) => key.toLowerCase() === 'authorization',
    );
    if (authorization === undefined) return [];
    return [authorization[1], authorization[1].replace(/^Bearer\s+/i, '')];
  }
}
