import { Cron } from 'croner';
import { ApiError } from '../../errors.js';

/** A parsed cron expression in its timezone: the platform takes 5 fields, or 6 with seconds first. */
export interface CronSchedule {
  /** The first fire time strictly after `fromMs`, or null when the expression never fires again. */
  nextAfter(fromMs: number): number | null;
}

function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ApiError(
      400,
      'invalid-value',
      `Schedule timezone '${timezone}' is not a known IANA timezone (e.g. 'UTC', 'Europe/Prague')`,
    );
  }
}

export function parseCron(expression: string, timezone: string): CronSchedule {
  checkTimezone(timezone);
  let cron: Cron;
  try {
    // paused: croner only computes times here; the emulator's clock decides when they are reached.
    cron = new Cron(expression.trim(), { paused: true, timezone, mode: '5-or-6-parts' });
  } catch (error) {
    throw new ApiError(
      400,
      'invalid-value',
      `Schedule cronExpression '${expression}' is invalid: ${(error as Error).message}`,
    );
  }
  return {
    nextAfter(fromMs) {
      return cron.nextRun(new Date(fromMs))?.getTime() ?? null;
    },
  };
}
