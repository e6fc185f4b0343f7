import type { Context, Next } from 'hono';
import type { Run } from '../platform/runs.js';

/** The billed services the emulator can measure, with unit prices modelled on the platform's price list. */
export const SERVICE_UNIT_PRICES_USD = {
  ACTOR_COMPUTE_UNITS: 0.4,
  DATASET_READS: 0.0000004,
  DATASET_WRITES: 0.000005,
  KEY_VALUE_STORE_READS: 0.000005,
  KEY_VALUE_STORE_WRITES: 0.00005,
  KEY_VALUE_STORE_LISTS: 0.00005,
  REQUEST_QUEUE_READS: 0.000004,
  REQUEST_QUEUE_WRITES: 0.00002,
} as const;

export type Service = keyof typeof SERVICE_UNIT_PRICES_USD;

const STORAGE_SEGMENTS: Record<string, 'DATASET' | 'KEY_VALUE_STORE' | 'REQUEST_QUEUE'> = {
  datasets: 'DATASET',
  dataset: 'DATASET',
  'key-value-stores': 'KEY_VALUE_STORE',
  'key-value-store': 'KEY_VALUE_STORE',
  'request-queues': 'REQUEST_QUEUE',
  'request-queue': 'REQUEST_QUEUE',
};

/**
 * The storage operation a request was, as the platform bills it: one unit per successful API call on
 * one storage (its own path or a run-scoped alias). Collection listings and creations are not billed.
 */
export function storageServiceOf(method: string, pathname: string): Service | null {
  const segments = pathname.split('/').filter(Boolean);
  const at = segments.findIndex((segment) => segment in STORAGE_SEGMENTS);
  if (at === -1) return null;
  const family = STORAGE_SEGMENTS[segments[at] as string];
  const plural = (segments[at] as string).endsWith('s');
  // `datasets` alone is the collection; a run-scoped `dataset` is already one storage.
  if (plural && segments.length <= at + 1) return null;
  const rest = segments.slice(at + (plural ? 2 : 1));
  const read = method === 'GET' || method === 'HEAD';
  if (family === 'KEY_VALUE_STORE' && read && rest[0] === 'keys') return 'KEY_VALUE_STORE_LISTS';
  return `${family}_${read ? 'READS' : 'WRITES'}` as Service;
}

/** Day (UTC, `YYYY-MM-DD`) → service → units. */
type DailyCounts = Map<string, Map<Service, number>>;

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Counts what the emulator actually served, per UTC day, for `usage/monthly` and `limits`. */
export class UsageMeter {
  private readonly daily: DailyCounts = new Map();

  add(service: Service, units: number, day: string): void {
    let services = this.daily.get(day);
    if (services === undefined) {
      services = new Map();
      this.daily.set(day, services);
    }
    services.set(service, (services.get(service) ?? 0) + units);
  }

  /** Hono middleware: counts a storage call once it has succeeded (a failed call is not billed). */
  middleware(): (c: Context, next: Next) => Promise<void> {
    return async (c, next) => {
      await next();
      if (c.res.status >= 400) return;
      const service = storageServiceOf(c.req.method, new URL(c.req.url).pathname);
      if (service !== null) this.add(service, 1, dayOf(new Date()));
    };
  }

  /** The metered storage calls plus the compute units of the runs, both by day. */
  counts(runs: readonly Run[], now: Date): DailyCounts {
    const merged: DailyCounts = new Map();
    for (const [day, services] of this.daily) merged.set(day, new Map(services));
    for (const run of runs) {
      const day = run.startedAt.slice(0, 10);
      const units = computeUnits(run, now);
      if (units === 0) continue;
      const services = merged.get(day) ?? new Map<Service, number>();
      services.set('ACTOR_COMPUTE_UNITS', (services.get('ACTOR_COMPUTE_UNITS') ?? 0) + units);
      merged.set(day, services);
    }
    return merged;
  }
}

/** The platform's compute unit: 1 GB of memory for 1 hour. */
export function computeUnits(run: Run, now: Date): number {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  const hours = Math.max(0, end - Date.parse(run.startedAt)) / 3_600_000;
  return (run.memoryMbytes / 1024) * hours;
}
