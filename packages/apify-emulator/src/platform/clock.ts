/** A pending timer of a {@link Clock}. */
export interface ClockTimer {
  cancel(): void;
}

/**
 * The time source of schedules and webhook retries. The default is the system clock; tests pass a
 * {@link FakeClock} to `createEmulator({ clock })` and move time on with `advance()`.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once `ms` have passed on this clock. A returned promise is awaited by fake clocks. */
  setTimeout(callback: () => unknown, ms: number): ClockTimer;
}

/** Node caps a timer at 2^31 - 1 ms (about 24.8 days) and fires longer ones at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const due = Date.now() + ms;
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      const left = due - Date.now();
      timer = setTimeout(left > MAX_TIMER_MS ? arm : callback, Math.min(Math.max(left, 0), MAX_TIMER_MS));
    };
    arm();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface FakeTimer {
  readonly due: number;
  readonly order: number;
  readonly callback: () => unknown;
}

/** A clock that stands still until `advance()` moves it, firing the timers that fall due in order. */
export class FakeClock implements Clock {
  private current: number;
  private order = 0;
  private readonly timers = new Set<FakeTimer>();

  /** `start`: the initial time, in ms since the epoch (default 2026-01-01T00:00:00Z). */
  constructor(start: number = Date.UTC(2026, 0, 1)) {
    if (!Number.isFinite(start)) throw new TypeError(`FakeClock start must be a finite number, got ${start}`);
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => unknown, ms: number): ClockTimer {
    const timer: FakeTimer = { due: this.current + Math.max(ms, 0), order: this.order++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time on by `ms`, firing every timer due by then in time order (timers they set included),
   * each one awaited before the next, so the work a tick starts is done when this resolves.
   */
  async advance(ms: number): Promise<void> {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      throw new TypeError(`FakeClock.advance() needs a non-negative number of ms, got ${ms}`);
    }
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.timers.delete(next);
      this.current = Math.max(this.current, next.due);
      await next.callback();
    }
    this.current = target;
  }

  private nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.timers) {
      if (timer.due > limit) continue;
      if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.order < best.order))
        best = timer;
    }
    return best;
  }
}
