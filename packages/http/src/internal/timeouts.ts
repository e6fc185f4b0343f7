import type { TimeoutParts } from '../models/timeout.js';

export interface SendTimeouts {
  connect: number | null;
  read: number | null;
  write: number | null;
  pool: number | null;
  total: number | null;
}

/**
 * The timeouts one send runs under: what `buildRequest` put in `extensions.timeout`, else the
 * fallback (the client's timeout for `client.send(new Request(...))`, as HTTPX applies it; none
 * for a transport called directly).
 */
export function sendTimeouts(
  extensions: Record<string, unknown>,
  fallback: TimeoutParts | null,
): SendTimeouts {
  const t = (extensions.timeout as TimeoutParts | undefined) ?? fallback ?? undefined;
  return {
    connect: t?.connect ?? null,
    read: t?.read ?? null,
    write: t?.write ?? null,
    pool: t?.pool ?? null,
    total: t?.total ?? null,
  };
}
