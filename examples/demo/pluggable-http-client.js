// The guide's PluggableHttpClient (docs/guides/custom-http-client.md) in plain JavaScript: every Apify
// API call goes through one pooled @pluggable/http Client. It makes exactly one attempt per call; the
// demo wraps it in RetryingHttpClient for retries and client.stats, as the guide recommends.
import { HttpClient } from '@pluggable/apify-client';
import { Client } from '@pluggable/http';

export class PluggableHttpClient extends HttpClient {
  #client;

  constructor(options = {}) {
    super();
    this.#client = new Client(options);
  }

  async call({ method, url, headers, params, data, json, stream, timeout, signal }) {
    /** @type {Record<string, string>} */
    const query = {};
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === null || value === undefined) continue;
      // The Apify API's conventions: comma-joined arrays, ISO-8601 dates.
      query[key] =
        value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : String(value);
    }
    const options = { headers, params: query, content: data, json, timeout, signal };
    // The library's Response already has the HttpResponse shape, so it is returned as it is.
    return stream ? this.#client.stream(method, url, options) : this.#client.request(method, url, options);
  }

  async close() {
    await this.#client.close();
  }
}
