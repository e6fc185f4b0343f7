import { Client, type ClientOptions, type RequestOptions } from './client.js';
import type { Response } from './models/response.js';

/** Client options that make sense for a single call (the one-off client is closed afterwards). */
export type OneOffClientOptions = Pick<
  ClientOptions,
  | 'verify'
  | 'cert'
  | 'http1'
  | 'http2'
  | 'trustEnv'
  | 'timeout'
  | 'followRedirects'
  | 'maxRedirects'
  | 'maxResponseBytes'
>;
export type TopLevelOptions = RequestOptions & OneOffClientOptions;

function split(options: TopLevelOptions): [ClientOptions, RequestOptions] {
  const { verify, cert, http1, http2, trustEnv, maxRedirects, maxResponseBytes, ...request } = options;
  const client: ClientOptions = {};
  if (verify !== undefined) client.verify = verify;
  if (cert !== undefined) client.cert = cert;
  if (http1 !== undefined) client.http1 = http1;
  if (http2 !== undefined) client.http2 = http2;
  if (trustEnv !== undefined) client.trustEnv = trustEnv;
  if (maxRedirects !== undefined) client.maxRedirects = maxRedirects;
  if (maxResponseBytes !== undefined) client.maxResponseBytes = maxResponseBytes;
  return [client, request];
}

/** One request on a one-off client (HTTPX `httpx.request`): no connection reuse, so prefer a `Client`. */
export async function request(
  method: string,
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  const [clientOptions, requestOptions] = split(options);
  await using client = new Client(clientOptions);
  return await client.request(method, url, requestOptions);
}

/**
 * Streams one response from a one-off client. Closing the response (or `await using` it) also
 * closes the client.
 */
export async function stream(
  method: string,
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  const [clientOptions, requestOptions] = split(options);
  const client = new Client(clientOptions);
  try {
    const response = await client.stream(method, url, requestOptions);
    response.onClose(() => client.close());
    return response;
  } catch (error) {
    await client.close();
    throw error;
  }
}

export const get = (url: string | URL, options?: TopLevelOptions) => request('GET', url, options);
export const head = (url: string | URL, options?: TopLevelOptions) => request('HEAD', url, options);
export const options = (url: string | URL, opts?: TopLevelOptions) => request('OPTIONS', url, opts);
export const post = (url: string | URL, options?: TopLevelOptions) => request('POST', url, options);
export const put = (url: string | URL, options?: TopLevelOptions) => request('PUT', url, options);
export const patch = (url: string | URL, options?: TopLevelOptions) => request('PATCH', url, options);
export { del as delete };

const del = (url: string | URL, options?: TopLevelOptions) => request('DELETE', url, options);
