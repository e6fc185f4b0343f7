import { inspect } from 'node:util';
import { UsageError } from '../errors.js';

export interface LimitsInit {
  /** Connections open at once across every origin of a transport; `null` (unset) for no limit. */
  maxConnections?: number | null;
  /** Idle keep-alive connections kept for reuse; `null` (unset) for no limit. */
  maxKeepaliveConnections?: number | null;
  /** How long an idle keep-alive connection is kept, in ms; `null` keeps it as long as the server does. Default 5000. */
  keepaliveExpiry?: number | null;
}

function checkCount(name: string, value: number | null): number | null {
  if (value !== null && (!Number.isInteger(value) || value < 1)) {
    throw new UsageError(`Limits ${name} must be a positive integer or null, got ${String(value)}`);
  }
  return value;
}

/** Connection-pool limits (HTTPX `Limits`). */
export class Limits {
  readonly maxConnections: number | null;
  readonly maxKeepaliveConnections: number | null;
  readonly keepaliveExpiry: number | null;

  // As HTTPX: an explicit Limits leaves what it does not set unlimited; only DEFAULT_LIMITS has 100/20.
  constructor({
    maxConnections = null,
    maxKeepaliveConnections = null,
    keepaliveExpiry = 5000,
  }: LimitsInit = {}) {
    this.maxConnections = checkCount('maxConnections', maxConnections);
    this.maxKeepaliveConnections = checkCount('maxKeepaliveConnections', maxKeepaliveConnections);
    if (keepaliveExpiry !== null && (!Number.isFinite(keepaliveExpiry) || keepaliveExpiry < 0)) {
      throw new UsageError(
        `Limits keepaliveExpiry must be a non-negative number of ms or null, got ${keepaliveExpiry}`,
      );
    }
    this.keepaliveExpiry = keepaliveExpiry;
    Object.freeze(this);
  }

  [inspect.custom](): string {
    return `Limits(maxConnections=${this.maxConnections}, maxKeepaliveConnections=${this.maxKeepaliveConnections}, keepaliveExpiry=${this.keepaliveExpiry})`;
  }
}

/** What a client or transport uses without `limits`: 100 connections, 20 kept alive, 5 s idle. */
export const DEFAULT_LIMITS = new Limits({ maxConnections: 100, maxKeepaliveConnections: 20 });
