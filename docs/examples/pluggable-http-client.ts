// In your project, import these from '@pluggable/apify-client' and '@pluggable/http'.
import {
  type HttpCallOptions,
  HttpClient,
  type HttpResponse,
} from '../../packages/apify-client/src/index.js';
import { Client, type ClientOptions } from '../../packages/http/src/index.js';

/** Sends every Apify API call through a pooled `@pluggable/http` Client. */
export class PluggableHttpClient extends HttpClient {
  readonly #client: Client;

  constructor(options: ClientOptions = {}) {
    super();
    this.#client = new Client(options);
  }

  override async call({
    method,
    url,
    headers,
    params,
    data,
    json,
    stream,
    timeout,
    signal,
  }: HttpCallOptions): Promise<HttpResponse> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === null || value === undefined) continue;
      query[key] =
        value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : String(value);
    }
    const options = { headers, params: query, content: data, json, timeout, signal };
    // The library's Response already satisfies HttpResponse: return it as it is.
    return stream ? this.#client.stream(method, url, options) : this.#client.request(method, url, options);
  }

  override async close(): Promise<void> {
    await this.#client.close();
  }
}
