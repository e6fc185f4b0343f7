import { InvalidArgumentError } from '../errors.js';
import { checkDuration, checkNonNegativeInteger, checkPositiveInteger } from '../validation/options.js';
import type { QueryParams } from './base.js';
import type { BatchAddOptions } from './request-queue-types.js';

export const MAX_REQUESTS_PER_BATCH = 25;
const encoder = new TextEncoder();

export function describe(value: unknown): string {
  return value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
}

export function defined(params: Record<string, unknown>): QueryParams {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as QueryParams;
}

/** The batch options by their official names, checked before the first batch is sent. */
export function checkBatchAddOptions(options: BatchAddOptions): void {
  checkPositiveInteger('maxParallel', options.maxParallel);
  checkNonNegativeInteger('maxUnprocessedRequestsRetries', options.maxUnprocessedRequestsRetries);
  checkDuration(
    'minDelayBetweenUnprocessedRequestsRetriesMillis',
    options.minDelayBetweenUnprocessedRequestsRetriesMillis,
  );
  checkPositiveInteger('maxPayloadBytes', options.maxPayloadBytes);
}

/** Splits requests into batches of ≤ 25 whose JSON stays under `maxBytes`. */
export function splitBatches<R>(requests: readonly R[], maxBytes: number): R[][] {
  const batches: R[][] = [];
  let current: R[] = [];
  let size = 2;
  for (const request of requests) {
    const bytes = encoder.encode(JSON.stringify(request)).byteLength + 1;
    if (bytes + 2 > maxBytes)
      throw new InvalidArgumentError(
        `Request ${JSON.stringify(request).slice(0, 100)}… is over ${maxBytes} bytes`,
      );
    if (current.length === MAX_REQUESTS_PER_BATCH || size + bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = 2;
    }
    current.push(request);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
