import type { Socket } from 'node:net';
import { type buildConnector, errors } from 'undici';

/**
 * Connections undici is still making (TCP connect, TLS handshake), by origin. undici cannot cancel
 * them: a request aborted while its connection is being made leaves the socket connecting, then
 * idle in the pool. The transport destroys them when the last request that wanted them is gone,
 * and on close.
 */
export class PendingConnects {
  readonly #sockets = new Map<string, Set<Socket>>();

  /** Wraps a connector so every socket it makes is known until its connect callback runs. */
  wrap(connector: buildConnector.connector): buildConnector.connector {
    return (options, callback) => {
      const key = originKey(options.protocol, options.hostname, options.port);
      let socket: Socket | undefined;
      const done = (error: Error | null, connected: Socket | null) => {
        if (socket !== undefined) this.#forget(key, socket);
        (callback as (e: Error | null, s: Socket | null) => void)(error, connected);
      };
      socket = (connector as (o: typeof options, cb: typeof done) => Socket | undefined)(options, done);
      if (socket !== undefined && !socket.destroyed) {
        let set = this.#sockets.get(key);
        if (set === undefined) this.#sockets.set(key, (set = new Set()));
        set.add(socket);
      }
    };
  }

  /** Destroys the connections being made to `origin` (a URL's `origin`). */
  cancel(origin: string, error: Error): void {
    const set = this.#sockets.get(origin);
    if (set === undefined) return;
    this.#sockets.delete(origin);
    for (const socket of set) socket.destroy(error);
  }

  cancelAll(error: Error): void {
    for (const origin of [...this.#sockets.keys()]) this.cancel(origin, error);
  }

  #forget(key: string, socket: Socket): void {
    const set = this.#sockets.get(key);
    if (set === undefined) return;
    set.delete(socket);
    if (set.size === 0) this.#sockets.delete(key);
  }
}

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The `URL.origin` of what a connector is asked to connect to. */
function originKey(protocol: string, hostname: string, port: string): string {
  const explicit = port !== '' && port !== DEFAULT_PORT[protocol];
  return `${protocol}//${hostname}${explicit ? `:${port}` : ''}`;
}

/**
 * Connections to a proxy that do not carry a tunnel yet (the CONNECT or the SOCKS handshake is
 * still unanswered). undici cannot cancel those either, and waits for the proxy's answer with no
 * deadline; the proxy dispatcher marks each one established once its tunnel stands, destroys the
 * rest when nothing waits for them, and gives each one the connect timeout to stand up in.
 */
export class PendingTunnels {
  readonly #sockets = new Map<Socket, NodeJS.Timeout | undefined>();

  /**
   * Tracks every proxy connection `connector` makes. With a `timeout` (ms), one whose tunnel is
   * not established that long after the connect began is destroyed with undici's
   * `ConnectTimeoutError`, which fails the request waiting for it as a `ConnectTimeout`.
   */
  wrap(connector: buildConnector.connector, timeout = 0): buildConnector.connector {
    return (options, callback) => {
      const socket = (connector as (o: typeof options, cb: typeof callback) => Socket | undefined)(
        options,
        callback,
      );
      if (socket === undefined || socket.destroyed) return;
      const timer =
        timeout > 0
          ? setTimeout(() => {
              this.#sockets.delete(socket);
              socket.destroy(
                new errors.ConnectTimeoutError(
                  `Connect Timeout Error (proxy ${options.hostname}:${options.port} did not open the tunnel within ${timeout}ms)`,
                ),
              );
            }, timeout)
          : undefined;
      // A pending tunnel alone must not keep the process alive.
      timer?.unref();
      this.#sockets.set(socket, timer);
      socket.once('close', () => this.#forget(socket));
    };
  }

  /** The tunnel over `socket` stands: from now on it belongs to the pool that uses it. */
  established(socket: unknown): void {
    this.#forget(socket as Socket);
  }

  cancelAll(error: Error): void {
    const sockets = [...this.#sockets.keys()];
    for (const socket of sockets) this.#forget(socket);
    for (const socket of sockets) socket.destroy(error);
  }

  #forget(socket: Socket): void {
    clearTimeout(this.#sockets.get(socket));
    this.#sockets.delete(socket);
  }
}
