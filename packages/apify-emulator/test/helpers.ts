import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ApifyClient } from 'apify-client';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/index.js';

/**
 * Each scenario runs twice: the official client over real HTTP against listen(), and the same client
 * routed in-process into emulator.fetch() through an axios adapter (no socket at all).
 */
export const MODES = ['http', 'in-process'] as const;
export type Mode = (typeof MODES)[number];

interface AxiosLikeConfig {
  url?: string;
  method?: string;
  params?: Record<string, unknown>;
  paramsSerializer?:
    | ((params: Record<string, unknown>) => string)
    | { serialize?: (p: Record<string, unknown>) => string };
  data?: unknown;
  headers?: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  responseType?: string;
  adapter?: unknown;
}

function serializeParams(config: AxiosLikeConfig): string {
  const params = config.params ?? {};
  const ps = config.paramsSerializer;
  if (typeof ps === 'function') return ps(params);
  if (ps?.serialize) return ps.serialize(params);
  const entries = Object.entries(params).filter(([, v]) => v !== undefined);
  return new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}

function inProcessAdapter(emulator: Emulator, seenEncodings: (string | null)[]) {
  return async (config: AxiosLikeConfig) => {
    const query = serializeParams(config);
    const url = `${config.url}${query ? `${config.url?.includes('?') ? '&' : '?'}${query}` : ''}`;
    const rawHeaders = config.headers?.toJSON ? config.headers.toJSON() : (config.headers ?? {});
    seenEncodings.push((rawHeaders['content-encoding'] as string | undefined) ?? null);
    const headers = new Headers();
    for (const [k, v] of Object.entries(rawHeaders))
      if (v !== undefined && v !== null) headers.set(k, String(v));
    const method = (config.method ?? 'get').toUpperCase();
    const data = config.data;
    const body =
      data === undefined || data === null || method === 'GET' || method === 'HEAD'
        ? undefined
        : (data as BodyInit);
    const response = await emulator.fetch(new Request(url, { method, headers, body: body ?? null }));
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    const payload =
      config.responseType === 'stream'
        ? response.body
          ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
          : Readable.from([])
        : Buffer.from(await response.arrayBuffer());
    return {
      data: payload,
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders,
      config,
      request: {},
    };
  };
}

export interface Harness extends AsyncDisposable {
  readonly emulator: Emulator;
  readonly client: ApifyClient;
  /** The same request, raw: over HTTP with fetch(), or straight into emulator.fetch(). */
  raw(path: string, init?: RequestInit): Promise<Response>;
  /** In-process only: the Content-Encoding of each request the official client sent (after its interceptors). */
  readonly seenEncodings: (string | null)[];
}

export async function harness(
  mode: Mode,
  options: EmulatorOptions = {},
  token = 'test-token',
): Promise<Harness> {
  const emulator = createEmulator(options);
  const seenEncodings: (string | null)[] = [];
  let base = 'http://emulator.test';
  let client: ApifyClient;
  if (mode === 'http') {
    const { url } = await emulator.listen();
    base = url;
    client = new ApifyClient({ baseUrl: url, token, maxRetries: 0 });
  } else {
    const adapter = inProcessAdapter(emulator, seenEncodings);
    client = new ApifyClient({
      // Port 9 on loopback refuses connections: if the adapter were bypassed, the test would fail, not leak.
      baseUrl: 'http://127.0.0.1:9',
      token,
      maxRetries: 0,
      requestInterceptors: [
        (config: AxiosLikeConfig) => {
          config.adapter = adapter;
          return config;
        },
      ],
    });
  }
  const raw = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    const request = new Request(`${base}${path}`, { ...init, headers });
    return mode === 'http' ? fetch(request) : emulator.fetch(request);
  };
  return { emulator, client, raw, seenEncodings, [Symbol.asyncDispose]: () => emulator.close() };
}
