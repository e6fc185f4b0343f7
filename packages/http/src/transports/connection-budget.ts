/** What an origin's pool offers the budget: closing one of its idle connections for another origin. */
export interface IdleConnections {
  /** Starts closing one idle connection; `false` when the pool has none. */
  closeIdle(): boolean;
}

/**
 * The connections a transport has open at once, across every origin (HTTPX's pool-wide
 * `max_connections`). A connection holds one unit from its dial until its socket has closed.
 * When none is free, an idle connection of another origin is closed to make room, as httpcore's
 * pool does, and whoever waits is called back, first come first served, as units come free.
 */
export class ConnectionBudget {
  #held = 0;
  // Idle connections already closing for a waiter, so one wait does not close several.
  #closing = 0;
  readonly #waiters = new Set<() => void>();
  readonly #pools = new Set<IdleConnections>();

  constructor(readonly max: number | null) {}

  /** Units held now (connections open or being made). */
  get held(): number {
    return this.#held;
  }

  join(pool: IdleConnections): void {
    this.#pools.add(pool);
  }

  leave(pool: IdleConnections): void {
    this.#pools.delete(pool);
  }

  /**
   * Takes a unit when one is free. Otherwise `retry` is called once one may be (it should call
   * `take` again), and an idle connection elsewhere starts closing to free one.
   */
  take(retry: () => void): boolean {
    if (this.max === null || this.#held < this.max) {
      this.#held++;
      this.#waiters.delete(retry);
      return true;
    }
    this.#waiters.add(retry);
    if (this.#closing < this.#waiters.size) {
      for (const pool of this.#pools) {
        if (pool.closeIdle()) {
          this.#closing++;
          break;
        }
      }
    }
    return false;
  }

  /**
   * A pool with nothing queued offers its idle connections: one closes when someone waits for a
   * unit that no closing connection will free (the waiter found nothing idle when it asked).
   */
  offerIdle(pool: IdleConnections): void {
    if (this.#closing < this.#waiters.size && pool.closeIdle()) this.#closing++;
  }

  /** `retry` no longer wants a unit (its pool closed). */
  cancel(retry: () => void): void {
    this.#waiters.delete(retry);
  }

  /** A connection is gone; `closedForRoom` when it was an idle one closed for a waiter. */
  release(closedForRoom: boolean): void {
    this.#held--;
    if (closedForRoom) this.#closing--;
    for (const retry of this.#waiters) {
      if (this.max !== null && this.#held >= this.max) break;
      this.#waiters.delete(retry);
      retry();
    }
  }
}
