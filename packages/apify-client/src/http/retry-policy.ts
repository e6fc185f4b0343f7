export interface RetryTiming {
  /** Returns a number in [0, 1); injected in tests to make jitter deterministic. */
  random: () => number;
  /** Waits `ms`, rejecting with the signal's reason when it aborts; injected in tests. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const MAX_DELAY_BETWEEN_RETRIES = 60_000;

/** Sleep that lets an abort end the wait at once and never keeps the process alive past it. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const DEFAULT_TIMING: RetryTiming = { random: Math.random, sleep: abortableSleep };

/** The delay after failed attempt `attempt` (1-based): `U(1, 2) × minDelay × 2^(attempt-1)`, capped. */
export function backoffDelay(attempt: number, minDelay: number, random: () => number): number {
  return Math.min((1 + random()) * minDelay * 2 ** (attempt - 1), MAX_DELAY_BETWEEN_RETRIES);
}

/** `Retry-After` in seconds or as an HTTP date, in ms from `now`; `undefined` when absent or bad. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const NOT_SENT_NAMES = new Set(['ConnectError', 'ConnectTimeout']);

/**
 * Whether a transport error leaves the outcome unknown: the request may have reached the server
 * and been applied. Only failures that provably happen before a connection exists count as
 * "not sent"; everything else (resets, timeouts, closed sockets) is treated as ambiguous.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && NOT_SENT_CODES.has(record.code)) return false;
    if (typeof record.name === 'string' && NOT_SENT_NAMES.has(record.name)) return false;
    current = record.cause;
  }
  return true;
}
