// The Apify clients compared, each built the way its docs show, all against the same emulator.
import {
  ApifyClient,
  DEFAULT_MAX_PAYLOAD_BYTES,
  FetchHttpClient,
  RetryingHttpClient,
} from '@pluggable/apify-client';
import { PluggableHttpClient } from '../../examples/demo/pluggable-http-client.js';

export const TOKEN = 'bench-token';
export const OFFICIAL = 'apify-client (official)';
export const OURS_DEFAULT = 'ApifyClient + ImpitHttpClient';

export const VARIANTS = [
  OFFICIAL,
  OURS_DEFAULT,
  'ApifyClient + @pluggable/http',
  'ApifyClient + FetchHttpClient',
];

/** Our client wrapped to the few calls the operations use, with the official client's shape. */
export async function makeClient(variant, baseUrl) {
  if (variant === OFFICIAL) {
    const { ApifyClient: Official } = await import('apify-client');
    const client = new Official({ baseUrl, token: TOKEN });
    return {
      client,
      // The official pushItems sends one request: chunk under the same payload limit as ours.
      pushItems: async (datasetId, items) => {
        for (const chunk of chunkByPayload(items, DEFAULT_MAX_PAYLOAD_BYTES))
          await client.dataset(datasetId).pushItems(chunk);
      },
      iterateItems: (datasetId, chunkSize) => client.dataset(datasetId).listItems({ chunkSize }),
      close: async () => {},
    };
  }
  // The default client is ImpitHttpClient; the others plug an HttpClient in.
  const client =
    variant === OURS_DEFAULT
      ? new ApifyClient({ baseUrl, token: TOKEN })
      : ApifyClient.withCustomHttpClient({
          baseUrl,
          token: TOKEN,
          // The custom client goes inside RetryingHttpClient, as the guide shows, compressing as the
          // official client and the default client do: CPU per item compares like for like.
          httpClient:
            variant === 'ApifyClient + FetchHttpClient'
              ? new FetchHttpClient()
              : new RetryingHttpClient(new PluggableHttpClient(), { maxRetries: 8, compression: 'br' }),
        });
  return {
    client,
    pushItems: (datasetId, items) => client.dataset(datasetId).pushItems(items),
    iterateItems: (datasetId, chunkSize) => client.dataset(datasetId).iterateItems({ chunkSize }),
    close: () => client.close(),
  };
}

/** Greedy chunks of items whose JSON array stays under `limit` bytes. */
export function chunkByPayload(items, limit) {
  const chunks = [];
  let current = [];
  let size = 2;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + bytes > limit) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function makeItems(count, from = 0) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { id: i, url: `https://example.com/products/${i}`, title: `Product number ${i}`, price: i % 1000 };
  });
}
