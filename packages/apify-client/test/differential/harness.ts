import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { ApifyClient as OfficialClient } from 'apify-client';
import { ApifyClient } from '../../src/index.js';
import type { RecordedRequest } from '../helpers/servers.js';
import type { CannedApi, Reply } from './canned-api.js';

/** The same user code runs against both clients; it sees each one through this loose type. */
// biome-ignore lint/suspicious/noExplicitAny: user code written for the official client's API
export type AnyClient = any;

export interface DifferentialCase {
  /** `Class.method` of the official d.ts this case exercises. */
  method: string;
  /** What a user of the official client writes. */
  run: (client: AnyClient) => Promise<unknown>;
  /** Retries of both clients (default 0, so error cases answer at once). */
  maxRetries?: number;
  /** Requests sent concurrently (a log stream beside a wait): compared sorted, not in order. */
  unordered?: boolean;
  /** Server answer for every request of the case (errors); the canned router otherwise. */
  reply?: Reply;
  /**
   * A difference that is deliberate and listed in docs/migrating-from-apify-client.md: it asserts
   * exactly what differs, then makes both sides equal so the rest is compared as usual.
   */
  difference?: (official: Observed, ours: Observed) => void;
}

export interface WireRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** `Content-Encoding` of the body as sent (`br` for large bodies in both clients). */
  encoding: string | undefined;
  body: unknown;
}

export interface Observed {
  requests: WireRequest[];
  result: unknown;
  /** What the official client logged through `@apify/log` while the case ran (empty for ours). */
  logged: string[];
}

/** The official client's `@apify/log` instance (its CommonJS copy, which the package uses). */
const officialRequire = createRequire(createRequire(import.meta.url).resolve('apify-client'));
const officialLog = officialRequire('@apify/log') as {
  default: { setOptions(options: Record<string, unknown>): void; getOptions(): Record<string, unknown> };
  Logger: new (options?: Record<string, unknown>) => { _log(...args: unknown[]): void };
};

/** Lines the official client logs (its WARN lines): captured so they are asserted, never printed. */
export const officialLogLines: string[] = [];
class CapturingLogger extends officialLog.Logger {
  override _log(level: unknown, message: unknown): void {
    officialLogLines.push(`${String(level)} ${String(message)}`);
  }
}
officialLog.default.setOptions({ logger: new CapturingLogger() });

const TOKEN = 'differential-token';

export function officialClient(url: string, maxRetries = 0): AnyClient {
  return new OfficialClient({ baseUrl: url, token: TOKEN, maxRetries, minDelayBetweenRetriesMillis: 1 });
}

export function ourClient(url: string, maxRetries = 0): AnyClient {
  return new ApifyClient({ baseUrl: url, token: TOKEN, maxRetries, minDelayBetweenRetriesMillis: 1 });
}

function wire(request: RecordedRequest): WireRequest {
  const query = Object.fromEntries([...request.query.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const text = request.body.toString('utf8');
  let body: unknown;
  if (request.body.length === 0) body = undefined;
  else {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const encoding = request.headers['content-encoding'];
  return { method: request.method, path: request.path, query, encoding, body };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isPaginated(value: unknown): value is Promise<unknown> & AsyncIterable<unknown> {
  return value instanceof Promise && Symbol.asyncIterator in value;
}

/** A value with its runtime types made visible, so `toEqual` compares them too. */
export async function describe(value: unknown, depth = 0): Promise<unknown> {
  if (depth > 12) return value;
  if (isPaginated(value)) {
    const all: unknown[] = [];
    for await (const item of value) all.push(item);
    return {
      $paginated: { firstPage: await describe(await value, depth + 1), all: await describe(all, depth + 1) },
    };
  }
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Buffer.isBuffer(value)) return { $buffer: value.toString('base64') };
  if (value instanceof Uint8Array) return { $uint8array: Buffer.from(value).toString('base64') };
  if (value instanceof Readable) return { $readable: await readAll(value) };
  if (value instanceof Error) {
    const fields: Record<string, unknown> = { name: value.name, message: value.message };
    for (const key of ['statusCode', 'type', 'httpMethod', 'path', 'clientMethod', 'attempt', 'data']) {
      if (key in value)
        fields[key] = await describe((value as unknown as Record<string, unknown>)[key], depth + 1);
    }
    return { $error: fields };
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => describe(item, depth + 1)));
  if (typeof value === 'object' && value !== null) {
    if (value.constructor !== Object) return { $instance: value.constructor.name };
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await describe(item, depth + 1);
    return out;
  }
  return value;
}

async function observe(api: CannedApi, client: AnyClient, testCase: DifferentialCase): Promise<Observed> {
  api.requests.length = 0;
  officialLogLines.length = 0;
  api.reply = testCase.reply;
  let result: unknown;
  try {
    result = await describe(await testCase.run(client));
  } catch (error) {
    result = await describe(error);
  } finally {
    api.reply = undefined;
  }
  const requests = api.requests.map(wire);
  if (testCase.unordered === true)
    requests.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { requests, result, logged: officialLogLines.splice(0) };
}

/** Runs the case on the official client, then on ours, against the same canned API. */
export async function runBoth(
  api: CannedApi,
  testCase: DifferentialCase,
): Promise<{ official: Observed; ours: Observed }> {
  const official = await observe(api, officialClient(api.url, testCase.maxRetries), testCase);
  const ours = await observe(api, ourClient(api.url, testCase.maxRetries), testCase);
  testCase.difference?.(official, ours);
  return { official, ours };
}
