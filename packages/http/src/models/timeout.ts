import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import { describeValue } from '../internal/describe.js';

export interface TimeoutParts {
  connect?: number | null;
  read?: number | null;
  write?: number | null;
  pool?: number | null;
  /** Beyond HTTPX: a deadline for the whole request, redirects and body included. */
  total?: number | null;
}
export type TimeoutInit = number | null | Timeout | TimeoutParts;

function checkDuration(name: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(
      `Timeout ${name} must be a non-negative number of milliseconds or null, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Four independent limits in milliseconds, each bounding one kind of wait (HTTPX `Timeout`),
 * plus an optional total deadline. `null` disables one.
 */
export class Timeout {
  readonly connect: number | null;
  readonly read: number | null;
  readonly write: number | null;
  readonly pool: number | null;
  readonly total: number | null;

  constructor(init: TimeoutInit = 5000, overrides: TimeoutParts = {}) {
    let base: TimeoutParts;
    if (init !== null && typeof init !== 'number' && (typeof init !== 'object' || Array.isArray(init))) {
      throw new UsageError(
        `Invalid timeout: expected milliseconds, null, a Timeout or { connect, read, write, pool, total }, got ${describeValue(init)}`,
      );
    }
    if (init instanceof Timeout) base = init;
    else if (init === null || typeof init === 'number') {
      const all = checkDuration('value', init);
      base = { connect: all, read: all, write: all, pool: all, total: null };
    } else {
      // A partial object leaves the other kinds at HTTPX's 5 s default.
      base = { connect: 5000, read: 5000, write: 5000, pool: 5000, total: null, ...init };
    }
    this.connect = checkDuration(
      'connect',
      overrides.connect !== undefined ? overrides.connect : (base.connect ?? null),
    );
    this.read = checkDuration('read', overrides.read !== undefined ? overrides.read : (base.read ?? null));
    this.write = checkDuration(
      'write',
      overrides.write !== undefined ? overrides.write : (base.write ?? null),
    );
    this.pool = checkDuration('pool', overrides.pool !== undefined ? overrides.pool : (base.pool ?? null));
    this.total = checkDuration(
      'total',
      overrides.total !== undefined ? overrides.total : (base.total ?? null),
    );
    Object.freeze(this);
  }

  static from(init: TimeoutInit | undefined, fallback: Timeout): Timeout {
    if (init === undefined) return fallback;
    return init instanceof Timeout ? init : new Timeout(init);
  }

  toJSON(): TimeoutParts {
    return { connect: this.connect, read: this.read, write: this.write, pool: this.pool, total: this.total };
  }

  [inspect.custom](): string {
    const same = this.connect === this.read && this.read === this.write && this.write === this.pool;
    if (same && this.total === null) return `Timeout(timeout=${this.connect})`;
    return `Timeout(connect=${this.connect}, read=${this.read}, write=${this.write}, pool=${this.pool}, total=${this.total})`;
  }
}
