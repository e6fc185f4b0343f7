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
