import { FakeClock } from '../src/index.js';
import { harness } from './helpers.js';

/** The start of the fake clock in the schedule and webhook tests: 2026-01-01T00:00:00Z, a Thursday. */
export const START = Date.UTC(2026, 0, 1, 0, 0, 0);
export const at = (ms: number): Date => new Date(START + ms);
export const iso = (ms: number): string => at(ms).toISOString();

/** A harness over HTTP whose emulator runs on a FakeClock at START; runs end at once unless told. */
export async function withClock(options: Parameters<typeof harness>[1] = {}) {
  const clock = new FakeClock(START);
  const h = await harness('http', { clock, runDurationMs: 0, ...options });
  return { clock, h };
}

/** The status, type and message of the ApifyApiError a call of the official client rejects with. */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<{ statusCode: number; type: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { statusCode, type, message } = error as { statusCode: number; type: string; message: string };
    return { statusCode, type, message };
  }
  throw new Error('expected the request to fail');
}
