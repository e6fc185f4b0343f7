import type { TimeoutParts } from '../models/timeout.js';

/** The timeouts a transport applies to one request: what the client put in `extensions.timeout`, else none. */
export function requestTimeouts(extensions: Record<string, unknown>): Required<Omit<TimeoutParts, 'total'>> {
  const t = extensions.timeout as TimeoutParts | undefined;
  return {
    connect: t?.connect ?? null,
    read: t?.read ?? null,
    write: t?.write ?? null,
    pool: t?.pool ?? null,
  };
}
