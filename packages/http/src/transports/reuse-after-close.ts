import { Dispatcher } from 'undici';
import { destroyError, settleDispatcherCall } from './dispatcher-settle.js';

/**
 * What undici's `Agent` does (one dispatcher per origin), without its undici 7 bug: the Agent
 * counts each origin's connections by origin key, so a pool it already retired (after a server
 * closed its last connection) keeps decrementing the count of the pool that replaced it, and the
 * replacement is retired after one request. Against a server that closes every Nth connection
 * (nginx's `keepalive_requests`, an h2 GOAWAY) every later request then opens a new connection.
 * undici 8.14 fixes it; this class goes when the undici floor moves to 8.
 *
 * Here a dispatcher belongs to its origin until it has no connection and nothing queued, checked
 * on the dispatcher itself, so a retired one cannot touch its successor.
 */
export class OriginRouter extends Dispatcher {
  readonly #factory: (origin: string) => Dispatcher;
  readonly #byOrigin = new Map<string, Dispatcher>();
  #closed = false;

  constructor(factory: (origin: string) => Dispatcher) {
    super();
    this.#factory = factory;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = String(options.origin);
    let dispatcher = this.#byOrigin.get(origin);
    if (dispatcher === undefined) {
      const own = this.#factory(origin);
      dispatcher = own;
      own.on('disconnect', () => this.#retireIfUnused(origin, own));
      this.#byOrigin.set(origin, own);
    }
    return dispatcher.dispatch(options, handler);
  }

  #retireIfUnused(origin: string, dispatcher: Dispatcher): void {
    if (this.#closed || this.#byOrigin.get(origin) !== dispatcher) return;
    const stats = (dispatcher as { stats?: { connected?: number; size?: number } }).stats;
    if (stats === undefined || stats.connected !== 0 || stats.size !== 0) return;
    this.#byOrigin.delete(origin);
    dispatcher.close().catch(() => {});
  }

  #all(): Dispatcher[] {
    this.#closed = true;
    const all = [...this.#byOrigin.values()];
    this.#byOrigin.clear();
    return all;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    return settleDispatcherCall(Promise.all(this.#all().map((d) => d.close())), callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    const error = destroyError(errOrCallback);
    return settleDispatcherCall(
      Promise.all(this.#all().map((d) => d.destroy(error))),
      errOrCallback,
      callback,
    );
  }
}
