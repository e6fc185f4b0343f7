import { ApifyApiError, InvalidResponseBodyError } from './errors.js';
import type { HttpCallOptions, HttpClient, HttpParamValue } from './http/http-client.js';
import type { HttpResponse } from './http/http-response.js';
import { mergeHeaders } from './http/pipeline.js';
import { type ClientStats, RetryingHttpClient } from './http/retrying-http-client.js';

export interface ApiRequest {
  method: string;
  /** Path below `/v2/`, already URL-encoded. */
  path: string;
  params?: Record<string, HttpParamValue>;
  headers?: Record<string, string>;
  data?: HttpCallOptions['data'];
  json?: unknown;
  stream?: boolean;
  timeout: number | null;
  signal?: AbortSignal | undefined;
  idempotent?: boolean;
}

/** What resource clients share: the HTTP client, the URLs, the default headers and the stats. */
export class ApiContext {
  readonly httpClient: HttpClient;
  readonly apiUrl: string;
  readonly publicApiUrl: string;
  readonly #headers: Record<string, string>;
  readonly #ownStats: ClientStats = { calls: 0, requests: 0, rateLimitErrors: [] };

  constructor(httpClient: HttpClient, apiUrl: string, publicApiUrl: string, headers: Record<string, string>) {
    this.httpClient = httpClient;
    this.apiUrl = apiUrl;
    this.publicApiUrl = publicApiUrl;
    this.#headers = headers;
  }

  /** A retrying client counts attempts itself; any other client is counted here, one request per call. */
  get stats(): ClientStats {
    return this.httpClient instanceof RetryingHttpClient ? this.httpClient.stats : this.#ownStats;
  }

  async request(request: ApiRequest): Promise<HttpResponse> {
    const url = `${this.apiUrl}/${request.path}`;
    const options: HttpCallOptions = {
      method: request.method,
      url,
      headers: mergeHeaders(this.#headers, request.headers),
      timeout: request.timeout,
    };
    if (request.params !== undefined) options.params = request.params;
    if (request.data !== undefined) options.data = request.data;
    if (request.json !== undefined) options.json = request.json;
    if (request.stream === true) options.stream = true;
    if (request.signal !== undefined) options.signal = request.signal;
    if (request.idempotent !== undefined) options.idempotent = request.idempotent;
    const retrying = this.httpClient instanceof RetryingHttpClient;
    if (!retrying) {
      this.#ownStats.calls += 1;
      this.#ownStats.requests += 1;
    }
    const response = await this.httpClient.call(options);
    if (!retrying && response.statusCode >= 400) {
      // A custom client returns error responses as they are; convert them the same way.
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
        httpMethod: request.method.toUpperCase(),
        url,
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
