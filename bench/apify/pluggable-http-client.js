// docs/examples/pluggable-http-client.ts in plain JS: every Apify API call through a pooled
// @pluggable/http Client.
import { HttpClient } from '@pluggable/apify-client';
import { Client } from '@pluggable/http';

export class PluggableHttpClient extends HttpClient {
  #client;

  constructor(options = {}) {
    super();
    this.#client = new Client(options);
  }

  async call({ method, url, headers, params, data, json, stream, timeout, signal }) {
    const query = {};
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === null || value === undefined) continue;
      query[key] =
        value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : String(value);
    }
    const options = { headers, params: query, content: data, json, timeout, signal };
    return stream ? this.#client.stream(method, url, options) : this.#client.request(method, url, options);
  }

  async close() {
    await this.#client.close();
  }
}
