import { describe, expect, it } from 'vitest';
import { createEmulator, EmulatorError, FakeClock } from '../src/index.js';

describe('FakeClock', () => {
  it('fires due timers in time order, awaiting each, including timers they set', async () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(async () => {
      await Promise.resolve();
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 1);
    cancelled.cancel();
    await clock.advance(14);
    expect(fired).toEqual(['a@1010']);
    expect(clock.now()).toBe(1014);
    await clock.advance(100);
    expect(fired).toEqual(['a@1010', 'c@1015', 'b@1020']);
    expect(clock.now()).toBe(1114);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses a negative advance and a start that is not a number', async () => {
    await expect(new FakeClock().advance(-1)).rejects.toThrow(
      new TypeError('FakeClock.advance() needs a non-negative number of ms, got -1'),
    );
    expect(() => new FakeClock(Number.NaN)).toThrow(
      new TypeError('FakeClock start must be a finite number, got NaN'),
    );
  });
});

describe('schedule and webhook options of createEmulator', () => {
  it('names the bad option', () => {
    const bad = (options: Parameters<typeof createEmulator>[0], message: string) => {
      let error: unknown;
      try {
        createEmulator(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(EmulatorError);
      expect(error).toMatchObject({ code: 'invalid-option', message });
    };
    bad(
      { webhookDelivery: { maxRetries: 1.5 } },
      'webhookDelivery.maxRetries must be a non-negative integer, got 1.5',
    );
    bad(
      { webhookDelivery: { firstRetryDelayMs: -5 } },
      'webhookDelivery.firstRetryDelayMs must be a non-negative number, got -5',
    );
    bad({ clock: { now: () => 0 } as never }, 'clock must have now() and setTimeout(callback, ms) methods');
  });
});
