import { invalidParameter } from '../errors.js';

export interface UsageCycle {
  startAt: Date;
  endAt: Date;
}

/** The emulator bills by calendar month (UTC): the cycle that contains `date`. */
export function cycleOf(date: Date): UsageCycle {
  const startAt = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return { startAt, endAt: new Date(next.getTime() - 1) };
}

/** `date` as the platform takes it: `YYYY-MM-DD`, a real calendar day. */
export function parseCycleDate(raw: string | null, now: Date): Date {
  if (raw === null || raw === '') return now;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (date === null || date.toISOString().slice(0, 10) !== raw) {
    throw invalidParameter(`Parameter 'date' must be a date in the YYYY-MM-DD format, got '${raw}'`);
  }
  return date;
}

export function cycleObject(cycle: UsageCycle): { startAt: string; endAt: string } {
  return { startAt: cycle.startAt.toISOString(), endAt: cycle.endAt.toISOString() };
}
