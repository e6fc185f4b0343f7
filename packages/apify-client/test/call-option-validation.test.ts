import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApifyClient, InvalidArgumentError } from '../src/index.js';
import { TOKEN } from './helpers/clients.js';
import { json, startServer, type TestServer } from './helpers/servers.js';

// The official per-call options, each given a value of the wrong kind: every one is refused, by
// its name, before a request exists. The loopback server counts what reaches it.
let server: TestServer;
beforeAll(async () => {
  server = await startServer((_request, res) => json(res, 200, { data: {} }));
});
afterAll(async () => {
  await server.close();
});

const c = (): ApifyClient => new ApifyClient({ baseUrl: server.url, token: TOKEN });
const wrong = <T>(value: unknown): T => value as T;

const CASES: [string, () => Promise<unknown>, string][] = [
  [
    'list desc',
    () =>
      c()
        .datasets()
        .list({ desc: wrong('yes') }),
    'desc must be a boolean, got "yes"',
  ],
  ['list limit', () => c().datasets().list({ limit: -1 }), 'limit must be a non-negative integer, got -1'],
  [
    'list ownership',
    () =>
      c()
        .datasets()
        .list({ ownership: wrong('mine') }),
    'ownership must be "ownedByMe" or "sharedWithMe", got "mine"',
  ],
  [
    'start timeout (run seconds)',
    () => c().actor('a').start({}, { timeout: -5 }),
    'timeout must be a finite number ≥ 0, got -5',
  ],
  [
    'start memory',
    () =>
      c()
        .actor('a')
        .start({}, { memory: wrong('big') }),
    'memory must be a non-negative integer, got "big"',
  ],
  [
    'start build',
    () =>
      c()
        .actor('a')
        .start({}, { build: wrong(5) }),
    'build must be a string, got 5',
  ],
  [
    'call waitSecs, before the run is started',
    () => c().actor('a').call({}, { waitSecs: -1 }),
    'waitSecs must be a finite number ≥ 0, got -1',
  ],
  [
    'task call memory',
    () => c().task('t').call({}, { memory: 1.5 }),
    'memory must be a non-negative integer, got 1.5',
  ],
  [
    'abort gracefully',
    () =>
      c()
        .run('r')
        .abort({ gracefully: wrong('x') }),
    'gracefully must be a boolean, got "x"',
  ],
  [
    'waitForFinish waitSecs',
    () => c().run('r').waitForFinish({ waitSecs: -1 }),
    'waitSecs must be a finite number ≥ 0, got -1',
  ],
  [
    'log raw',
    () =>
      c()
        .log('r')
        .get({ raw: wrong(1) }),
    'raw must be a boolean, got 1',
  ],
  [
    'listItems fields',
    () =>
      c()
        .dataset('d')
        .listItems({ fields: wrong([1]) }),
    'fields must be a string or an array of strings, got an array',
  ],
  [
    'downloadItems format',
    () => c().dataset('d').downloadItems(wrong('pdf')),
    'format must be one of "json", "jsonl", "xml", "html", "csv", "xlsx", "rss", got "pdf"',
  ],
  [
    'createItemsPublicUrl expiresInSecs',
    () => c().dataset('d').createItemsPublicUrl({ expiresInSecs: -1 }),
    'expiresInSecs must be a finite number ≥ 0, got -1',
  ],
  [
    'listKeys limit',
    () =>
      c()
        .keyValueStore('k')
        .listKeys({ limit: wrong('10') }),
    'limit must be a non-negative integer, got "10"',
  ],
  [
    'getRecord buffer',
    () =>
      c()
        .keyValueStore('k')
        .getRecord('a', { buffer: wrong('x') }),
    'buffer must be a boolean, got "x"',
  ],
  [
    'listAndLockHead lockSecs',
    () => c().requestQueue('q').listAndLockHead({ lockSecs: -1 }),
    'lockSecs must be a finite number ≥ 0, got -1',
  ],
  [
    'addRequest forefront',
    () =>
      c()
        .requestQueue('q')
        .addRequest({ uniqueKey: 'u', url: 'https://x' }, { forefront: wrong('x') }),
    'forefront must be a boolean, got "x"',
  ],
  [
    'runs startedBefore',
    () =>
      c()
        .runs()
        .list({ startedBefore: wrong('not a date') }),
    'startedBefore must be a Date or a date string, got "not a date"',
  ],
  [
    'lastRun status',
    () =>
      c()
        .actor('a')
        .lastRun({ status: wrong(1) })
        .get(),
    'status must be a string or an array of strings, got 1',
  ],
  [
    'requestQueue timeoutSecs',
    () => c().requestQueue('q', { timeoutSecs: -1 }).get(),
    'timeoutSecs must be a finite number ≥ 0, got -1',
  ],
  [
    'setRecord timeoutSecs',
    () =>
      c()
        .keyValueStore('k')
        .setRecord({ key: 'a', value: 1 }, { timeoutSecs: wrong('soon') }),
    'timeoutSecs must be a finite number ≥ 0, got "soon"',
  ],
  [
    'start webhooks',
    () =>
      c()
        .actor('a')
        .start({}, { webhooks: wrong(['https://example.com/hook']) }),
    'webhooks must be an array of webhook objects, got an array',
  ],
  [
    'charge count',
    () => c().run('r').charge({ eventName: 'e', count: -1 }),
    'count must be a non-negative integer, got -1',
  ],
  [
    'charge eventName',
    () =>
      c()
        .run('r')
        .charge({ eventName: wrong(5) }),
    'eventName must be a non-empty string, got 5',
  ],
];

describe('bad per-call options are refused by name before anything is sent', () => {
  it.each(CASES)('%s', async (_name, attempt, message) => {
    const error = await Promise.resolve()
      .then(attempt)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(message);
    expect(server.requests).toHaveLength(0);
  });
});
