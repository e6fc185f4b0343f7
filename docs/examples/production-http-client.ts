// In your project, import these from '@pluggable/apify-client' and '@pluggable/http'.
import {
  ApifyClient,
  type HttpCallOptions,
  type HttpResponse,
  RetryingHttpClient,
} from '../../packages/apify-client/src/index.js';
import { type ClientOptions, Limits } from '../../packages/http/src/index.js';
import { PluggableHttpClient } from './pluggable-http-client.js';

export interface CallMetrics {
  calls: number;
  failures: number;
  totalMs: number;
}

/** Adds headers, latency metrics and a log line to every call, on top of the minimal client. */
export class InstrumentedHttpClient extends PluggableHttpClient {
  readonly metrics: CallMetrics = { calls: 0, failures: 0, totalMs: 0 };
  readonly #log: (line: string) => void;

  constructor(options: ClientOptions & { log?: (line: string) => void } = {}) {
    const { log = () => {}, ...clientOptions } = options;
    super(clientOptions);
    this.#log = log;
  }

  override async call(options: HttpCallOptions): Promise<HttpResponse> {
    const started = performance.now();
    this.metrics.calls++;
    try {
      const response = await super.call({
        ...options,
        headers: { ...options.headers, 'X-Request-Source': 'guide' },
      });
      this.#log(`${options.method} ${new URL(options.url).pathname} → ${response.statusCode}`);
      return response;
    } catch (error) {
      this.metrics.failures++;
      this.#log(`${options.method} ${new URL(options.url).pathname} failed: ${(error as Error).name}`);
      throw error;
    } finally {
      this.metrics.totalMs += performance.now() - started;
    }
  }
}

/** A production setup: retries and statistics from the default pipeline, pooling and an optional proxy. */
export function createProductionClient(options: {
  token: string;
  baseUrl: string;
  proxy?: string;
  log?: (line: string) => void;
}): {
  client: ApifyClient;
  http: InstrumentedHttpClient;
} {
  const http = new InstrumentedHttpClient({
    limits: new Limits({ maxConnections: 32, maxKeepaliveConnections: 32 }),
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const retrying = new RetryingHttpClient(http, { maxRetries: 4, minDelayBetweenRetries: 500 });
  const client = ApifyClient.withCustomHttpClient({
    token: options.token,
    baseUrl: options.baseUrl,
    httpClient: retrying,
  });
  return { client, http };
}
