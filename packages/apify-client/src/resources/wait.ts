import { abortableSleep } from '../http/retry-policy.js';
import { checkCallOptions } from '../validation/call-options.js';
import { TERMINAL_STATUSES } from './types.js';

/** The API holds a `waitForFinish` request for at most this long. */
const MAX_SERVER_WAIT_SECS = 60;
/** Replicas may not know a just-started job yet; 404s are tolerated this long. */
const NOT_FOUND_GRACE_MS = 3_000;
const NOT_FOUND_POLL_MS = 250;

export interface WaitForFinishOptions {
  /** Give up after this many seconds and return the job as it is; unlimited when absent. */
  waitSecs?: number;
  signal?: AbortSignal;
}

/**
 * Long-polls until the job is terminal or `waitSecs` passes. `poll(secs)` returns the job, or
 * `undefined` on 404; after the grace period a missing job yields `undefined`.
 */
export async function waitForJob<T extends { status: string }>(
  poll: (waitSecs: number) => Promise<T | undefined>,
  options: WaitForFinishOptions = {},
): Promise<T | undefined> {
  checkCallOptions({ waitSecs: options.waitSecs });
  const started = Date.now();
  const deadline =
    options.waitSecs === undefined ? Number.POSITIVE_INFINITY : started + options.waitSecs * 1000;
  const signal = options.signal;
  let job: T | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const pollStarted = Date.now();
    const remainingSecs = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    job = await poll(Math.min(remainingSecs, MAX_SERVER_WAIT_SECS));
    if (job !== undefined && TERMINAL_STATUSES.has(job.status)) return job;
    if (Date.now() >= deadline) return job;
    if (job === undefined && Date.now() - started >= NOT_FOUND_GRACE_MS) return undefined;
    // A server that answers at once (no long-poll support, or a 404) must not be hammered.
    const elapsed = Date.now() - pollStarted;
    if (elapsed < NOT_FOUND_POLL_MS) await abortableSleep(NOT_FOUND_POLL_MS - elapsed, signal);
  }
}
