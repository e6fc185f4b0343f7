import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApifyClient, InvalidArgumentError, RetryingHttpClient } from '../src/index.js';
import { TOKEN } from './helpers/clients.js';
import { json, startServer, type TestServer } from './helpers/servers.js';

// Every bad option is refused before a request exists: the loopback server counts what reaches it.
let server: TestServer;
beforeAll(async () => {
  server = await startServer((_request, res) => json(res, 200, { data: {} }));
});
afterAll(async () => {
  await server.close();
});

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;

/** Runs `attempt`, which must throw or reject; returns the error and how long refusing took. */
async function refusal(attempt: () => unknown): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await attempt();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected the call to be refused');
}

const client = (): ApifyClient =>
  new ApifyClient({ baseUrl: server.url, token: TOKEN, maxRetries: 8, minDelayBetweenRetries: 500 });

const CASES: [string, () => unknown, string][] = [
  [
    'constructor timeout: -5',
    () => new ApifyClient({ baseUrl: server.url, timeout: -5 }),
    'timeout must be a finite number ≥ 0, got -5',
  ],
  [
    "constructor timeout: 'fast'",
    () => new ApifyClient({ baseUrl: server.url, timeout: 'fast' as never }),
    'timeout must be a finite number ≥ 0, got "fast"',
  ],
  [
    "the official name, timeoutSecs: 'fast'",
    () => new ApifyClient({ baseUrl: server.url, timeoutSecs: 'fast' } as never),
    'timeoutSecs must be a finite number ≥ 0, got "fast"',
  ],
  [
    'minDelayBetweenRetriesMillis: -1',
    () => new ApifyClient({ baseUrl: server.url, minDelayBetweenRetriesMillis: -1 } as never),
    'minDelayBetweenRetriesMillis must be a finite number ≥ 0, got -1',
  ],
  [
    'maxRetries: 1.5',
    () => new ApifyClient({ baseUrl: server.url, maxRetries: 1.5 }),
    'maxRetries must be a non-negative integer, got 1.5',
  ],
  [
    "baseUrl: 'ftp://x'",
    () => new ApifyClient({ baseUrl: 'ftp://x' }),
    'baseUrl must be an http or https URL, got "ftp://x"',
  ],
  [
    'a header value with CR/LF',
    () => new ApifyClient({ baseUrl: server.url, headers: { 'X-Trace': 'a\r\nX-Evil: 1' } }),
    'headers["X-Trace"] must be a single line, got a value with CR, LF or NUL',
  ],
  [
    'RetryingHttpClient timeout: -5',
    () => new RetryingHttpClient(client().httpClient, { timeout: -5 }),
    'timeout must be a finite number ≥ 0, got -5',
  ],
  [
    'per-call httpTimeout: -5',
    () => client().dataset('abc').get({ httpTimeout: -5 }),
    "httpTimeout must be milliseconds (a finite number ≥ 0), null or one of 'short', 'medium', 'long', 'none', got -5",
  ],
  [
    "per-call httpTimeout: 'fast'",
    () =>
      client()
        .dataset('abc')
        .listItems({ httpTimeout: 'fast' as never }),
    `httpTimeout must be milliseconds (a finite number ≥ 0), null or one of 'short', 'medium', 'long', 'none', got "fast"`,
  ],
  [
    'a BigInt item, named by its index',
    () =>
      client()
        .dataset('abc')
        .pushItems([{ n: 1 }, { n: 2n }] as never),
    'Dataset item at index 1 cannot be serialized to JSON: Do not know how to serialize a BigInt',
  ],
  [
    'a circular item, named by its index',
    () =>
      client()
        .dataset('abc')
        .pushItems([{ n: 1 }, { n: 2 }, circular]),
    'Dataset item at index 2 cannot be serialized to JSON: Converting circular structure to JSON',
  ],
  [
    'a JSON body that cannot be serialized',
    () =>
      client()
        .actors()
        .create({ name: 'big', memory: 1n } as never),
    'The JSON body cannot be serialized to JSON: Do not know how to serialize a BigInt',
  ],
];

describe('bad options are refused before anything is sent', () => {
  it.each(CASES)('%s', async (_name, attempt, message) => {
    await refusal(attempt); // warm up: the first call also loads code
    const { error, ms } = await refusal(attempt);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(message);
    expect(ms).toBeLessThan(10);
    expect(server.requests).toHaveLength(0);
  });

  it('good options still send (the counting server is reachable)', async () => {
    await client().dataset('abc').get({ httpTimeout: 'short' });
    expect(server.requests.map((r) => r.path)).toEqual(['/v2/datasets/abc']);
  });
});
