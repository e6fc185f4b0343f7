import { PoolTimeout, RequestAborted } from '../errors.js';
import type { Request } from '../models/request.js';

interface Waiter {
  grant(): void;
}

/**
 * Caps the requests in flight across every origin of a transport (HTTP/1.1: one per connection),
 * queueing the rest in FIFO order for at most the pool timeout.
 */
export class ConnectionLimiter {
  #active = 0;
  readonly #waiters: Waiter[] = [];

  constructor(readonly max: number | null) {}

  get active(): number {
    return this.#active;
  }

  /** Resolves once a slot is held; the caller must `release()` it exactly once. */
  acquire(request: Request, timeout: number | null): Promise<void> | null {
    if (this.max === null || this.#active < this.max) {
      this.#active++;
      return null;
    }
    return new Promise<void>((resolve, reject) => {
      const signal = request.signal;
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.#waiters.indexOf(waiter);
        if (at !== -1) this.#waiters.splice(at, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          this.#active++;
          resolve();
        },
      };
      const onAbort = () => {
        cleanup();
        reject(
          new RequestAborted('Request aborted while waiting for a connection', {
            cause: signal?.reason,
            request,
          }),
        );
      };
      if (timeout !== null) {
        timer = setTimeout(() => {
          cleanup();
          reject(
            new PoolTimeout(`Timed out after ${timeout} ms waiting for a connection from the pool`, {
              request,
            }),
          );
        }, timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  release(): void {
    this.#active--;
    this.#waiters[0]?.grant();
  }
}
