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

/** Resolves a per-call value (or the method's tier when the caller gave none) to milliseconds. */
export function resolveTimeout(value: Timeout | undefined, fallback: TimeoutTier): number | null {
  if (value === undefined) return TIMEOUT_TIERS[fallback];
  if (value === null) return null;
  if (typeof value === 'string') return TIMEOUT_TIERS[value];
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
