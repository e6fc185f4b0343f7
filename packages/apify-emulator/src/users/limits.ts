import { ApiError } from '../errors.js';

/** The account limits of the spec's `Limits` object; the emulator's single account gets a paid plan's. */
export interface Limits {
  maxMonthlyUsageUsd: number;
  maxMonthlyActorComputeUnits: number;
  maxMonthlyExternalDataTransferGbytes: number;
  maxMonthlyProxySerps: number;
  maxMonthlyResidentialProxyGbytes: number;
  maxActorMemoryGbytes: number;
  maxActorCount: number;
  maxActorTaskCount: number;
  maxConcurrentActorJobs: number;
  maxTeamAccountSeatCount: number;
  dataRetentionDays: number;
}

export function defaultLimits(): Limits {
  return {
    maxMonthlyUsageUsd: 1000,
    maxMonthlyActorComputeUnits: 2500,
    maxMonthlyExternalDataTransferGbytes: 1000,
    maxMonthlyProxySerps: 30000,
    maxMonthlyResidentialProxyGbytes: 50,
    maxActorMemoryGbytes: 128,
    maxActorCount: 500,
    maxActorTaskCount: 5000,
    maxConcurrentActorJobs: 128,
    maxTeamAccountSeatCount: 9,
    dataRetentionDays: 14,
  };
}

/** What `PUT users/me/limits` may change, as in the spec's `UpdateLimitsRequest`. */
const UPDATABLE = ['maxMonthlyUsageUsd', 'dataRetentionDays'] as const;

/** Validates the whole body before anything is applied, so a bad field changes nothing. */
export function parseLimitsUpdate(body: unknown): Partial<Pick<Limits, (typeof UPDATABLE)[number]>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
  }
  const update: Partial<Pick<Limits, (typeof UPDATABLE)[number]>> = {};
  for (const [field, value] of Object.entries(body)) {
    if (!(UPDATABLE as readonly string[]).includes(field)) {
      throw new ApiError(
        400,
        'invalid-value',
        `Limit '${field}' cannot be updated: only ${UPDATABLE.join(' and ')} can`,
      );
    }
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= 0 &&
      (field !== 'dataRetentionDays' || Number.isInteger(value));
    if (!valid) {
      const kind = field === 'dataRetentionDays' ? 'a non-negative integer' : 'a non-negative number';
      throw new ApiError(
        400,
        'invalid-value',
        `Limit '${field}' must be ${kind}, got ${JSON.stringify(value)}`,
      );
    }
    update[field as (typeof UPDATABLE)[number]] = value;
  }
  return update;
}
