import { FetchHttpResponse, type FetchLikeResponse } from './fetch-response.js';
import type { HttpCallOptions } from './http-client.js';
import type { HttpResponse } from './http-response.js';

export interface Deadline {
  signal: AbortSignal | undefined;
  /** Clears the timer; call once the response body is settled. Idempotent. */
  clear: () => void;
}

/**
 * One attempt's deadline merged with the caller's signal. The timer aborts with a `TimeoutError`
 * DOMException, which the retry pipeline recognises as "outcome unknown".
 */
export function createDeadline(
  timeout: number | null | undefined,
  signal: AbortSignal | undefined,
): Deadline {
  if (timeout === null || timeout === undefined) return { signal, clear: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`The request timed out after ${timeout} ms`, 'TimeoutError'));
  }, timeout);
  // The request's socket keeps the process alive while it matters; a streamed response that is
  // never read must not hold the process open until its deadline.
  (timer as { unref?: () => void }).unref?.();
  const merged = signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  return { signal: merged, clear: () => clearTimeout(timer) };
}

/** Node's fetch wants a web stream; async iterables (Node streams, generators) are adapted. */
export function toReadableStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): ReadableStream<Uint8Array> {
  if (source instanceof ReadableStream) return source;
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The body of a fetch-style request: JSON text, raw bytes or text, or a web stream. */
export function fetchBody(
  options: Pick<HttpCallOptions, 'json' | 'data'>,
): string | Uint8Array | ReadableStream<Uint8Array> | undefined {
  if (options.json !== undefined) return JSON.stringify(options.json);
  if (typeof options.data === 'string' || options.data instanceof Uint8Array) return options.data;
  if (options.data !== undefined) return toReadableStream(options.data);
  return undefined;
}

/**
 * Wraps a fetch-style exchange: without `stream` the deadline covers the body too, so the body
 * is read while the timer runs; on failure the timer is cleared before the error surfaces.
 */
export async function settleResponse(
  deadline: Deadline,
  stream: boolean | undefined,
  send: () => Promise<FetchLikeResponse>,
): Promise<HttpResponse> {
  try {
    const response = new FetchHttpResponse(await send(), deadline.clear);
    if (stream !== true) await response.read();
    return response;
  } catch (error) {
    deadline.clear();
    throw error;
  }
}
