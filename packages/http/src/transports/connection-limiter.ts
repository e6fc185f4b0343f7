import { type HTTPError, PoolTimeout } from '../errors.js';
import type { RequestContext } from '../lifecycle/request-context.js';
import type { Request } from '../models/request.js';

interface Waiter {
  grant(): void;
  fail(error: HTTPError): void;
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
  acquire(request: Request, context: RequestContext): Promise<void> | null {
    if (this.max === null || this.#active < this.max) {
      this.#active++;
      return null;
    }
    if (context.aborted) return Promise.reject(context.error(request));
    const timeout = context.timeouts.pool;
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        detach();
        const at = this.#waiters.indexOf(waiter);
        if (at !== -1) this.#waiters.splice(at, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          this.#active++;
          resolve();
        },
        fail: (error) => {
          cleanup();
          reject(error);
        },
      };
      if (timeout !== null) {
        timer = setTimeout(() => {
          waiter.fail(
            new PoolTimeout(`Timed out after ${timeout} ms waiting for a connection from the pool`, {
              request,
            }),
          );
        }, timeout);
      }
      this.#waiters.push(waiter);
      const detach = context.onAbort(() => waiter.fail(context.error(request)));
    });
  }

  release(): void {
    this.#active--;
    this.#waiters[0]?.grant();
  }
}
