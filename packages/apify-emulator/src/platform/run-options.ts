import { ApiError } from '../errors.js';
import { isJsonObject } from './input-schema.js';

/** The run options an actor keeps as its defaults and a task keeps as its overrides. */
export interface RunOptionFields {
  build?: string;
  timeoutSecs?: number;
  memoryMbytes?: number;
  restartOnError?: boolean;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-value', message);
}

/**
 * `raw`'s run options applied over `base`, every field checked before anything changes; `what`
 * names the body field in the errors (`defaultRunOptions`, `options`).
 */
export function parseRunOptions<T extends RunOptionFields>(raw: unknown, base: T, what: string): T {
  if (!isJsonObject(raw)) throw invalid(`${what} must be an object`);
  const next: RunOptionFields = { ...base };
  if (raw.build !== undefined) {
    if (typeof raw.build !== 'string' || raw.build === '')
      throw invalid(`${what}.build must be a build tag or number`);
    next.build = raw.build;
  }
  for (const [field, min] of [
    ['timeoutSecs', 0],
    ['memoryMbytes', 128],
  ] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      throw invalid(`${what}.${field} must be an integer of at least ${min}`);
    next[field] = value;
  }
  if (raw.restartOnError !== undefined) {
    if (typeof raw.restartOnError !== 'boolean') throw invalid(`${what}.restartOnError must be a boolean`);
    next.restartOnError = raw.restartOnError;
  }
  return next as T;
}
