import { InvalidArgumentError } from './errors.js';
import type { HttpCallOptions, HttpParamValue } from './http/http-client.js';

/**
 * The request as the official client's `requestInterceptors` see it (the fields of its axios config
 * that describe the request): `data` is the body before serialization and compression, as there.
 */
export interface ApifyRequestConfig {
  /** Lower case, as axios spells it. */
  method: string;
  /** Absolute URL without the query string. */
  url: string;
  params: Record<string, HttpParamValue>;
  headers: Record<string, string>;
  data?: unknown;
  /** Milliseconds; `null` means no limit. */
  timeout?: number | null | undefined;
}

/** Receives the request before it is sent and returns it, changed or not; may be async. */
export type RequestInterceptorFunction = (
  config: ApifyRequestConfig,
) => ApifyRequestConfig | Promise<ApifyRequestConfig>;

export function checkRequestInterceptors(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'function')) {
    throw new InvalidArgumentError('requestInterceptors must be an array of functions');
  }
}

function isRawBody(value: unknown): value is NonNullable<HttpCallOptions['data']> {
  if (typeof value === 'string' || value instanceof Uint8Array) return true;
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return true;
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Runs the interceptors last to first, as axios runs the official client's, each on the previous
 * one's result, and turns the final config back into the call's options. A body that is not raw text, bytes or a stream is sent as JSON,
 * as the official client's serializer does.
 */
export async function applyRequestInterceptors(
  interceptors: readonly RequestInterceptorFunction[],
  options: HttpCallOptions,
): Promise<HttpCallOptions> {
  const { method, url, params, headers, data, json, timeout, ...rest } = options;
  let config: ApifyRequestConfig = {
    method: method.toLowerCase(),
    url,
    params: { ...params },
    headers: { ...headers },
    data: json ?? data,
    timeout,
  };
  for (const interceptor of [...interceptors].reverse()) {
    const result = await interceptor(config);
    if (typeof result !== 'object' || result === null) {
      throw new InvalidArgumentError(
        `A request interceptor returned ${result === null ? 'null' : typeof result}; return the config`,
      );
    }
    config = result;
  }
  const out: HttpCallOptions = {
    ...rest,
    method: String(config.method).toUpperCase(),
    url: config.url,
    params: config.params,
    headers: config.headers,
  };
  if (config.timeout !== undefined) out.timeout = config.timeout;
  if (isRawBody(config.data)) out.data = config.data;
  else if (config.data !== undefined) out.json = config.data;
  return out;
}
