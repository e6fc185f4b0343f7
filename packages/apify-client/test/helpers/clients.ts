import { ApifyClient, FetchHttpClient, ImpitHttpClient } from '../../src/index.js';

export const TOKEN = 'test-token';

/** Every storage scenario runs over both built-in transports. */
export const TRANSPORTS = [
  [
    'impit',
    (url: string) =>
      ApifyClient.withCustomHttpClient({
        baseUrl: url,
        publicBaseUrl: url,
        token: TOKEN,
        httpClient: new ImpitHttpClient({ minDelayBetweenRetries: 1 }),
      }),
  ],
  [
    'fetch',
    (url: string) =>
      ApifyClient.withCustomHttpClient({
        baseUrl: url,
        publicBaseUrl: url,
        token: TOKEN,
        httpClient: new FetchHttpClient({ minDelayBetweenRetries: 1 }),
      }),
  ],
] as const;

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
