// The three HTTP layers the scenario runs with. Each keeps client.stats honestly: the default client
// and FetchHttpClient are RetryingHttpClients; the custom client is wrapped in one, which retries and
// counts every attempt it sends (unwrapped, the ApifyClient would count one request per call).
import { ApifyClient, FetchHttpClient, RetryingHttpClient } from '@pluggable/apify-client';
import { Limits } from '@pluggable/http';
import { PluggableHttpClient } from './pluggable-http-client.js';

export const HTTP_LAYERS = [
  {
    name: 'ImpitHttpClient',
    slug: 'impit',
    detail: 'the default (new ApifyClient())',
    // The ApifyClient constructor takes the official option names; the HTTP clients take ours.
    create: ({ baseUrl, token, retry }) =>
      new ApifyClient({
        baseUrl,
        token,
        ...(retry.maxRetries === undefined ? {} : { maxRetries: retry.maxRetries }),
        ...(retry.minDelayBetweenRetries === undefined
          ? {}
          : { minDelayBetweenRetriesMillis: retry.minDelayBetweenRetries }),
      }),
  },
  {
    name: 'PluggableHttpClient',
    slug: 'pluggable',
    detail: '@pluggable/http Client inside RetryingHttpClient (docs/guides/custom-http-client.md)',
    create: ({ baseUrl, token, retry }) =>
      ApifyClient.withCustomHttpClient({
        baseUrl,
        token,
        httpClient: new RetryingHttpClient(
          new PluggableHttpClient({
            limits: new Limits({ maxConnections: 16, maxKeepaliveConnections: 16 }),
          }),
          retry,
        ),
      }),
  },
  {
    name: 'FetchHttpClient',
    slug: 'fetch',
    detail: 'globalThis.fetch with the default retry pipeline',
    create: ({ baseUrl, token, retry }) =>
      ApifyClient.withCustomHttpClient({ baseUrl, token, httpClient: new FetchHttpClient(retry) }),
  },
];
