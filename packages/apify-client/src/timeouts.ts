import { InvalidArgumentError } from './errors.js';
import { describeValue } from './validation/options.js';

/** Named timeouts of the Python client; every resource method has one as its default. */
export type TimeoutTier = 'short' | 'medium' | 'long' | 'none';

/** Milliseconds, a tier name, or `null` for no limit. */
export type Timeout = number | TimeoutTier | null;

export const TIMEOUT_TIERS: Readonly<Record<TimeoutTier, number | null>> = {
  short: 5_000,
  medium: 30_000,
  long: 360_000,
  none: null,
};

export const DEFAULT_TIMEOUT_CAP = 360_000;

function isTier(value: unknown): value is TimeoutTier {
  return typeof value === 'string' && Object.hasOwn(TIMEOUT_TIERS, value);
}

/**
 * Resolves a per-call value (or the method's tier when the caller gave none) to milliseconds. A bad
 * value (`-5`, `'fast'`) is refused here, before anything is sent.
 */
export function resolveTimeout(value: Timeout | undefined, fallback: TimeoutTier): number | null {
  if (value === undefined) return TIMEOUT_TIERS[fallback];
  if (value === null) return null;
  if (isTier(value)) return TIMEOUT_TIERS[value];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    const tiers = Object.keys(TIMEOUT_TIERS).map((tier) => `'${tier}'`);
    throw new InvalidArgumentError(
      `httpTimeout must be milliseconds (a finite number ≥ 0), null or one of ${tiers.join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * The timeout of attempt `attempt` (1-based): `min(base × 2^(attempt-1), cap)`, computed from the
 * base every time so that it never compounds (the JS client mutates its config and grows t, 2t, 8t…).
 */
export function attemptTimeout(base: number | null, attempt: number, cap: number | null): number | null {
  if (base === null) return null;
  const grown = base * 2 ** (attempt - 1);
  return cap === null ? grown : Math.min(grown, cap);
}
