import { type HTTPError, ReadTimeout, WriteTimeout } from '../../errors.js';
import { redactUrl } from '../../internal/redact.js';
import type { Request } from '../../models/request.js';

/**
 * The read and write timeouts of one exchange. Our own timers, because undici's header/body
 * timers tick at a 1 s resolution, too coarse for HTTPX semantics; undici's stay off.
 */
export class ExchangeTimers {
  readonly #request: Request;
  readonly #read: number | null;
  readonly #write: number | null;
  readonly #onTimeout: (error: HTTPError) => void;
  #readTimer: NodeJS.Timeout | null = null;

  constructor(
    request: Request,
    read: number | null,
    write: number | null,
    onTimeout: (error: HTTPError) => void,
  ) {
    this.#request = request;
    this.#read = read;
    this.#write = write;
    this.#onTimeout = onTimeout;
  }

  /** (Re)starts the wait for the next response byte (headers included). */
  armRead(): void {
    const limit = this.#read;
    if (limit === null) return;
    if (this.#readTimer !== null) {
      this.#readTimer.refresh();
      return;
    }
    this.#readTimer = setTimeout(() => {
      const request = this.#request;
      this.#onTimeout(
        new ReadTimeout(
          `Timed out after ${limit} ms waiting for the response (${request.method} ${redactUrl(request.url)})`,
          { request },
        ),
      );
    }, limit);
  }

  /** Stops the read wait: the exchange ended, or we are waiting on our reader, not the network. */
  disarmRead(): void {
    if (this.#readTimer !== null) {
      clearTimeout(this.#readTimer);
      this.#readTimer = null;
    }
  }

  /** Starts the wait for one body chunk to drain into the socket; returns its stop function. */
  startWrite(): () => void {
    const limit = this.#write;
    if (limit === null) return noop;
    const timer = setTimeout(() => {
      const request = this.#request;
      this.#onTimeout(
        new WriteTimeout(
          `Timed out after ${limit} ms sending the request body (${request.method} ${redactUrl(request.url)})`,
          { request },
        ),
      );
    }, limit);
    return () => clearTimeout(timer);
  }
}

function noop(): void {}
