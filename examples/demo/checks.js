// The demo checks its own results; a failed check ends the run with exit code 1 and this message.
import { ApifyTransportError } from '@pluggable/apify-client';

export class DemoCheckError extends Error {
  name = 'DemoCheckError';
}

export function check(condition, message) {
  if (!condition) throw new DemoCheckError(message);
}

/**
 * A non-idempotent write (a push, a run start) whose request may or may not have been applied: the
 * client refuses to replay it, so the caller has to look before trying again.
 */
export function isUnknownOutcome(error) {
  return error instanceof ApifyTransportError && error.outcomeUnknown;
}

/** How often a write whose outcome was unknown is looked up and tried again before giving up. */
export const MAX_RECONCILE_ATTEMPTS = 5;
