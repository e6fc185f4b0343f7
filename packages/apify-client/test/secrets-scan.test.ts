import net, { type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { createEmulator, type Emulator } from '@pluggable/apify-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PluggableHttpClient } from '../../../docs/examples/pluggable-http-client.js';
import {
  captureLogs,
  expectNoLeaks,
  failure,
  type LogCapture,
  leakedLines,
  leaks,
  sentinel,
} from '../../http/test/support/secret-scan.js';
import {
  ApifyApiError,
  ApifyClient,
  ApifyTransportError,
  InvalidArgumentError,
  InvalidRequestError,
  RetryingHttpClient,
  ServerError,
  UnauthorizedError,
} from '../src/index.js';
import { json, startServer, type TestServer } from './helpers/servers.js';

// The Apify token is the secret slot here (sent as `Authorization: Bearer …`). Servers below echo it
// back in error bodies on purpose: what a hostile or buggy upstream would do.
const SECRET = sentinel();

let logs: LogCapture;
let emulator: Emulator;
let emulatorUrl: string;
let echo: TestServer;
let stalled: TestServer;
let closedPort: number;

const CLIENTS = [
  [
    'impit (default)',
    (baseUrl: string, token: string, timeout = 30_000) =>
      new ApifyClient({
        baseUrl,
        token,
        maxRetries: 1,
        minDelayBetweenRetriesMillis: 1,
        timeoutSecs: timeout / 1000,
      }),
  ],
  [
    '@pluggable/http in RetryingHttpClient',
    (baseUrl: string, token: string, timeout = 30_000) =>
      ApifyClient.withCustomHttpClient({
        baseUrl,
        token,
        httpClient: new RetryingHttpClient(new PluggableHttpClient(), {
          maxRetries: 1,
          minDelayBetweenRetries: 1,
          timeout,
        }),
      }),
  ],
] as const;

const expectClean = (things: Record<string, unknown>) => expectNoLeaks(things, SECRET);

beforeAll(async () => {
  logs = captureLogs(['pluggable:http:request', 'pluggable:http:response']);
  emulator = createEmulator({ token: 'the-right-token' });
  emulatorUrl = (await emulator.listen()).url;
  echo = await startServer((request, res) => {
    const authorization = String(request.headers.authorization);
    const token = authorization.replace(/^Bearer /, '');
    const status = request.path.includes('/datasets/') ? 500 : 400;
    json(res, status, {
      error: {
        type: 'echo',
        message: `Rejected ${authorization} (token ${token}, ?token=${token})`,
        data: { token },
      },
    });
  });
  stalled = await startServer(() => new Promise<void>(() => {}));
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterEach(() => {
  const leaked = leakedLines(logs, SECRET);
  logs.lines.length = 0;
  expect(leaked).toEqual([]);
});

afterAll(async () => {
  logs.stop();
  await echo.close();
  await stalled.close();
  await emulator.close();
});

describe.each(CLIENTS)('the Apify token never leaks, over %s', (_name, makeClient) => {
  it('is really sent as the Bearer token (the scan would see a leak)', async () => {
    await using client = makeClient(echo.url, SECRET);
    await failure(() => client.datasets().list());
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(leaks({ authorization: `Bearer ${SECRET}` }, SECRET)).not.toEqual([]);
  });

  it('401 from the emulator (ApifyApiError), and the client objects', async () => {
    await using client = makeClient(emulatorUrl, SECRET);
    const error = await failure(() => client.datasets().getOrCreate('secret-scan'));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as ApifyApiError).statusCode).toBe(401);
    expectClean({
      error,
      client,
      httpClient: client.httpClient,
      dataset: client.dataset('some-id'),
      store: client.keyValueStore('some-id'),
    });
  });

  it('an error body that echoes the token (400), and retries exhausted on 500', async () => {
    await using client = makeClient(echo.url, SECRET);
    const rejected = await failure(() => client.datasets().list());
    expect(rejected).toBeInstanceOf(ApifyApiError);
    expect((rejected as ApifyApiError).statusCode).toBe(400);
    const before = echo.requests.length;
    const exhausted = await failure(() => client.dataset('abc').get());
    expect(exhausted).toBeInstanceOf(ServerError);
    expect(echo.requests.length - before).toBe(2);
    expect((rejected as Error).message).toBe('Rejected Bearer *** (token ***, ?token=***)');
    expect((rejected as ApifyApiError).data).toEqual({ token: '***' });
    expectClean({ rejected, exhausted });
  });

  it('connection refused and a timeout (ApifyTransportError with its cause chain)', async () => {
    await using refusedClient = makeClient(`http://127.0.0.1:${closedPort}`, SECRET);
    const refused = await failure(() => refusedClient.datasets().list());
    expect(refused).toBeInstanceOf(ApifyTransportError);
    await using slowClient = makeClient(stalled.url, SECRET, 200);
    const timeout = await failure(() => slowClient.datasets().list());
    expect(timeout).toBeInstanceOf(ApifyTransportError);
    expectClean({ refused, timeout, refusedClient, slowClient });
  });

  it('invalid input carrying the token', async () => {
    const multiline = await failure(() => makeClient(emulatorUrl, `${SECRET}\r\nX-Evil: 1`));
    expect(multiline).toBeInstanceOf(InvalidArgumentError);
    const badBase = await failure(() => makeClient(`http://user:${SECRET}@[::1`, SECRET));
    expect(badBase).toBeInstanceOf(InvalidArgumentError);
    expect((badBase as Error).message).toBe('baseUrl is not a valid URL: "http://user:***@[::1"');
    expectClean({ multiline, badBase });
  });
});

/** The token `t` as a token: not inside a longer word ("Database" keeps its t's). */
const STANDALONE_T = /(?<![A-Za-z0-9_~.+/=-])t(?![A-Za-z0-9_~.+/=-])/;

describe('a 1-character token', () => {
  let wordy: TestServer;
  beforeAll(async () => {
    wordy = await startServer((_request, res) => {
      json(res, 404, {
        error: { type: 'record-not-found', message: "Database 'missing-database' was not found" },
      });
    });
  });
  afterAll(async () => {
    await wordy.close();
  });

  it.each(CLIENTS)(
    'keeps the words of every message and masks only the token, over %s',
    async (_name, make) => {
      await using client = make(wordy.url, 't');
      const notFound = await failure(() => client.dataset('missing-database').update({}));
      expect((notFound as Error).message).toBe("Database 'missing-database' was not found");

      await using denied = make(emulatorUrl, 't');
      const unauthorized = await failure(() => denied.datasets().getOrCreate('t'));
      expect((unauthorized as Error).message).toBe('Authentication token is not valid');

      await using refusedClient = make(`http://127.0.0.1:${closedPort}`, 't');
      const refused = await failure(() => refusedClient.datasets().list());
      expect(refused).toBeInstanceOf(ApifyTransportError);
      // One line; the transport's own detail (impit's native dump) stays in `cause`.
      expect((refused as Error).message).toMatch(/^GET \/v2\/datasets failed on attempt 2: [^\n]+$/);
      expect((refused as Error).cause).toBeInstanceOf(Error);

      for (const error of [notFound, unauthorized, refused, client, denied]) {
        for (const [where, text] of [
          ['inspect', inspect(error, { depth: 10 })],
          ['JSON', JSON.stringify(error) ?? ''],
          ['message', error instanceof Error ? error.message : ''],
        ] as const) {
          expect(`${where}: ${STANDALONE_T.test(text) ? text : 'clean'}`).toBe(`${where}: clean`);
          expect(text).not.toContain('Bearer t');
        }
      }
      expect(logs.lines.filter((line) => STANDALONE_T.test(line) || line.includes('Bearer t'))).toEqual([]);
    },
  );

  it('masks a standalone token in an echoed message, and never the letters of other words', () => {
    const error = new InvalidRequestError({
      statusCode: 400,
      attempt: 1,
      httpMethod: 'GET',
      url: 'http://x/v2/datasets?token=t',
      body: JSON.stringify({
        error: { type: 'echo', message: 'Rejected token t (header Bearer t, ?token=t)' },
      }),
      secrets: ['Bearer t', 't'],
    });
    expect(error.message).toBe('Rejected token *** (header Bearer ***, ?token=***)');
  });
});
