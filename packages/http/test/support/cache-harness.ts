import type { IncomingHttpHeaders } from 'node:http';
import { type CacheStore, CacheTransport, Client, HTTPTransport, type Response } from '../../src/index.js';
import { httpServer, readBody, type TestServer } from './servers.js';

/** A header value: a string, or a number of seconds from "now" on the fake clock, sent as an HTTP date. */
export type HeaderValue = string | number;

export type Expectation = 'cached' | 'not_cached' | 'etag_validated' | 'lm_validated';

/** One request of a case and how the origin answers it. */
export interface Step {
  method?: string;
  path?: string;
  requestHeaders?: Array<[string, HeaderValue]>;
  body?: string;
  /** The origin's answer; headers default to the previous step's (validators stay the same). */
  status?: number;
  responseHeaders?: Array<[string, HeaderValue]>;
  responseBody?: string;
  /** The origin drops the connection instead of answering. */
  disconnect?: boolean;
  expect?: Expectation;
  expectStatus?: number;
  expectHeaders?: Array<[string, string]>;
  expectMissing?: string[];
  /** Headers the origin must have received (only checked when it was contacted). */
  expectRequestHeaders?: Array<[string, string]>;
  expectRequestMissing?: string[];
  /** Seconds the fake clock moves on after this step. */
  pauseAfter?: number;
  /** Numeric request dates count from when the previous response was made, not from now (the suite's magic_ims). */
  magicIms?: boolean;
  /** Request header names whose dates are written in the obsolete RFC 850 format. */
  rfc850?: string[];
}

export interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Outcome {
  response: Response;
  /** The hit this step caused at the origin, or null if the cache answered alone. */
  hit: Hit | null;
  body: string;
}

export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

/** A loopback origin scripted per step, a fake clock, and a client whose transport is a CacheTransport. */
export class CacheHarness implements AsyncDisposable {
  now = START;
  readonly hits: Hit[] = [];
  server!: TestServer;
  client!: Client;
  transport!: CacheTransport;
  #step: Step = {};
  // When the previous step's response was made, on the fake clock.
  #previousNow = START;
  // The origin's current headers, dates resolved when a step set them (validators must not drift).
  #headers: Array<[string, string]> = [];

  static async start(options: { shared?: boolean; store?: CacheStore } = {}): Promise<CacheHarness> {
    const harness = new CacheHarness();
    harness.server = await httpServer(async (req, res) => {
      await readBody(req);
      const hit: Hit = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
      harness.hits.push(hit);
      const step = harness.#step;
      if (step.disconnect) {
        req.socket.destroy();
        return;
      }
      res.sendDate = false;
      const pairs = [...harness.#headers];
      if (!pairs.some(([name]) => name.toLowerCase() === 'date')) pairs.push(['Date', harness.value(0)]);
      const etag = pairs.find(([name]) => name.toLowerCase() === 'etag')?.[1];
      const lastModified = pairs.find(([name]) => name.toLowerCase() === 'last-modified')?.[1];
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      const notModified =
        (inm !== undefined && etag !== undefined && inm === etag) ||
        (inm === undefined && ims !== undefined && lastModified !== undefined && ims === lastModified);
      const status = notModified ? 304 : (step.status ?? 200);
      const flat: string[] = [];
      for (const [name, value] of pairs) flat.push(name, value);
      res.writeHead(status, flat);
      const bodiless = status === 304 || status === 204 || req.method === 'HEAD';
      res.end(bodiless ? undefined : (step.responseBody ?? `body ${harness.hits.length}`));
    });
    harness.transport = new CacheTransport(new HTTPTransport(), {
      now: () => harness.now,
      ...(options.shared === undefined ? {} : { shared: options.shared }),
      ...(options.store === undefined ? {} : { store: options.store }),
    });
    harness.client = new Client({ transport: harness.transport, baseUrl: harness.server.url });
    return harness;
  }

  /** An offset in seconds becomes an IMF-fixdate on the fake clock. */
  value(value: HeaderValue, from = this.now): string {
    return typeof value === 'number' ? new Date(from + value * 1000).toUTCString() : value;
  }

  /** Sends one step and checks nothing: returns what happened. */
  async send(step: Step): Promise<Outcome> {
    this.#step = step;
    if (step.responseHeaders !== undefined)
      this.#headers = step.responseHeaders.map(([name, value]): [string, string] => [
        name,
        this.value(value),
      ]);
    // Reused by a later step, the answer is new: its Date is the current one.
    else this.#headers = this.#headers.filter(([name]) => name.toLowerCase() !== 'date');
    const before = this.hits.length;
    const from = step.magicIms === true ? this.#previousNow : this.now;
    const headers = (step.requestHeaders ?? []).map(([name, value]): [string, string] => {
      const text = this.value(value, from);
      const asRfc850 = typeof value === 'number' && step.rfc850?.includes(name.toLowerCase()) === true;
      return [name, asRfc850 ? rfc850Date(from + value * 1000) : text];
    });
    const response = await this.client.request(step.method ?? 'GET', step.path ?? '/resource', {
      headers,
      ...(step.body === undefined ? {} : { content: step.body }),
    });
    const body = response.text;
    const hit = this.hits.length > before ? (this.hits[this.hits.length - 1] as Hit) : null;
    this.#previousNow = this.now;
    if (step.pauseAfter !== undefined) this.now += step.pauseAfter * 1000;
    return { response, hit, body };
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.server.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `Sunday, 06-Nov-94 08:49:37 GMT`: the RFC 850 date format that recipients must still accept. */
function rfc850Date(ms: number): string {
  const [, day, month, year, time] = new Date(ms).toUTCString().split(' ');
  return `${WEEKDAYS[new Date(ms).getUTCDay()]}, ${day}-${month}-${year?.slice(2)} ${time} GMT`;
}

/** What kind of answer an outcome was, in the suite's terms. */
export function kindOf(outcome: Outcome): Expectation {
  const { fromCache, revalidated, stale } = outcome.response.extensions;
  if (fromCache === true && revalidated === true) {
    if (outcome.hit?.headers['if-none-match'] !== undefined) return 'etag_validated';
    if (outcome.hit?.headers['if-modified-since'] !== undefined) return 'lm_validated';
    throw new Error('revalidated without a conditional request');
  }
  if (fromCache === true) {
    // A fresh answer from the store must not have contacted the origin.
    if (stale !== true && outcome.hit !== null) throw new Error('fromCache, yet the origin was contacted');
    return 'cached';
  }
  return 'not_cached';
}
