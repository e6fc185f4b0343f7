import type { ClientHttp2Session, Settings } from 'node:http2';
import type { Socket } from 'node:net';
import { type buildConnector, Client, Dispatcher } from 'undici';
import { PoolTimeout } from '../errors.js';
import type { ConnectionBudget, IdleConnections } from './connection-budget.js';
import { destroyError, settleDispatcherCall } from './dispatcher-settle.js';
import { giveClosedH2SocketItsError } from './h2/closed-socket-error.js';
import { type EndListeners, endListenersOf, finishStreamsAtGoaway } from './h2/graceful-goaway.js';
import { http2SessionOf } from './h2/session-of.js';
import { failHandler, trackedHandler } from './pool-handler.js';

/** Streams one connection carries at most, whatever the server allows (Node's default is 2^32 - 1). */
export const STREAM_CEILING = 1000;
// What a new connection to an origin is expected to carry before the server has said (undici's default).
const DEFAULT_STREAMS = 100;

export interface OriginPoolOptions {
  /** Makes each connection (TCP, TLS with ALPN); the socket's `alpnProtocol` decides h2 or HTTP/1.1. */
  connect: buildConnector.connector;
  /** Whether connections may negotiate h2; without it every connection is HTTP/1.1 from the start. */
  http2: boolean;
  /** Connections to this origin at most; `null` for no limit. */
  connections: number | null;
  /** The transport's connections across every origin: each connection of this pool holds a unit. */
  budget: ConnectionBudget;
  /** Options for every undici `Client` (one per connection); `connect` and `pipelining` are the pool's. */
  client: Omit<Client.Options, 'connect' | 'pipelining'>;
  /** Told when a connection of this pool negotiated h2 (the transport marks its responses 'HTTP/2'). */
  onH2?: () => void;
}

/**
 * Dispatch options may carry the pool timeout (ms) under this key: a request still waiting in the
 * pool's queue (every connection full, no more allowed) then fails with `PoolTimeout`.
 */
export const POOL_TIMEOUT = Symbol('pool timeout');

interface Queued {
  options: Dispatcher.DispatchOptions;
  handler: Dispatcher.DispatchHandler;
  timer: NodeJS.Timeout | undefined;
}

/** One connection slot: an undici Client that reconnects when its socket is gone. */
interface Slot {
  client: Client;
  /** Requests handed to the client and not finished. */
  running: number;
  /** Requests the connection takes at once: 1 for HTTP/1.1 (never pipelined), the server's limit for h2. */
  capacity: number;
  protocol: 'unknown' | 'h1' | 'h2';
  socket: Socket | null;
  /** The socket's own 'end' listeners, before undici added its (see finishStreamsAtGoaway). */
  endListeners: EndListeners;
  /** Connected, protocol known and (for h2) the server's SETTINGS read. */
  ready: boolean;
  /** Making a connection that has not connected yet (a `connectionError` then is a failed connect). */
  dialing: boolean;
  /** The server sent GOAWAY: the connection finishes its streams and takes no new ones. */
  goingAway: boolean;
  /** A budget unit taken for this slot's next connection. */
  reserved: boolean;
  /** Closed while idle to make room for another origin's connection. */
  closedForRoom: boolean;
}

type ConnectCallback = (error: Error | null, socket: Socket | null) => void;

/**
 * The connections to one origin. HTTP/2 connections carry up to the server's
 * `SETTINGS_MAX_CONCURRENT_STREAMS` requests each before another connection opens; HTTP/1.1 ones
 * carry one request at a time (no pipelining). While the first connection's ALPN answer is
 * pending, later requests wait for it instead of dialing connections of their own.
 *
 * Each connection is an undici `Client` that stays the origin's slot across reconnects: when a
 * server closes a kept-alive connection (nginx's `keepalive_requests`, Node's
 * `maxRequestsPerSocket`, an h2 GOAWAY), the next request reconnects that slot instead of
 * racing into a second one, which undici's `Pool` does in the moment between the close and the
 * reconnect.
 */
export class OriginPool extends Dispatcher implements IdleConnections {
  readonly #origin: string;
  readonly #options: OriginPoolOptions;
  readonly #slots: Slot[] = [];
  #queue: Queued[] = [];
  /** What the last connection negotiated, and how many streams its server allowed. */
  #protocol: 'unknown' | 'h1' | 'h2' = 'unknown';
  #streams = DEFAULT_STREAMS;
  #closing = false;
  // Called back by the budget when a unit may be free for the queue.
  readonly #retry = () => this.#drain();
  // Reconnects undici started on its own (a request queued on a closed connection) that wait for a unit.
  readonly #waitingConnects = new Map<() => void, (failure: Error | null) => void>();

  constructor(origin: string, options: OriginPoolOptions) {
    super();
    this.#origin = origin;
    this.#options = options;
    if (!options.http2) this.#protocol = 'h1';
    options.budget.join(this);
  }

  /** What undici's `Agent` and the origin router read: connections open, requests not finished. */
  get stats(): { connected: number; size: number } {
    let connected = 0;
    let size = this.#queue.length;
    for (const slot of this.#slots) {
      if (slot.client.stats.connected) connected++;
      size += slot.running;
    }
    return { connected, size };
  }

  /** The connections this pool has made so far that are open (for tests and benchmarks). */
  get connections(): number {
    return this.stats.connected;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.#closing) {
      failHandler(handler, new Error('The connection pool is closed'));
      return false;
    }
    const queued: Queued = { options, handler, timer: undefined };
    this.#queue.push(queued);
    this.#drain();
    const timeout = (options as { [POOL_TIMEOUT]?: number | null })[POOL_TIMEOUT];
    if (typeof timeout === 'number' && this.#queue.includes(queued)) {
      queued.timer = setTimeout(() => this.#timedOut(queued, timeout), timeout);
    }
    return true;
  }

  #timedOut(queued: Queued, timeout: number): void {
    const at = this.#queue.indexOf(queued);
    if (at === -1) return;
    this.#queue.splice(at, 1);
    const message = `Timed out after ${timeout} ms waiting for a connection from the pool`;
    failHandler(queued.handler, new PoolTimeout(message));
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const slot = this.#readySlot() ?? this.#slotToDial();
      if (slot === null) break;
      this.#start(slot, this.#queue.shift() as Queued);
    }
    if (this.#queue.length === 0) {
      this.#options.budget.cancel(this.#retry);
      this.#options.budget.offerIdle(this);
      this.#whenIdle?.();
    }
  }

  /** A connected slot with room, the fullest first, so streams gather on few connections. */
  #readySlot(): Slot | null {
    let best: Slot | null = null;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.running >= slot.capacity) continue;
      if (best === null || slot.running > best.running) best = slot;
    }
    return best;
  }

  /** A slot to open a connection with, when what is being dialed will not carry the queue. */
  #slotToDial(): Slot | null {
    let expected = 0;
    let idle: Slot | null = null;
    for (const slot of this.#slots) {
      if (slot.ready || slot.goingAway) continue;
      if (slot.running === 0) {
        idle ??= slot;
        continue;
      }
      // Dialing: until its ALPN answer, the first connection is expected to carry everything.
      if (slot.protocol === 'unknown' && this.#protocol === 'unknown') return null;
      expected += (this.#protocol === 'h2' ? this.#streams : 1) - slot.running;
    }
    if (this.#queue.length <= expected) return null;
    if (idle !== null) return this.#unitFor(idle) ? idle : null;
    const max = this.#options.connections;
    if (max !== null && this.#slots.length >= max) return null;
    if (!this.#options.budget.take(this.#retry)) return null;
    const slot = this.#newSlot();
    slot.reserved = true;
    return slot;
  }

  /** Whether the slot may carry a request: it is connected or connecting, or a unit was free for it. */
  #unitFor(slot: Slot): boolean {
    if (slot.dialing || slot.reserved || slot.client.stats.connected) return true;
    if (!this.#options.budget.take(this.#retry)) return false;
    slot.reserved = true;
    return true;
  }

  /** Runs `go` once the slot's next connection holds a budget unit (its reserved one, or one that frees). */
  #withUnit(slot: Slot, go: (failure: Error | null) => void): void {
    if (slot.reserved) {
      slot.reserved = false;
      go(null);
      return;
    }
    const retry = () => {
      this.#waitingConnects.delete(retry);
      if (this.#closing) return go(new Error('The connection pool is closed'));
      if (this.#options.budget.take(retry)) go(null);
      else this.#waitingConnects.set(retry, go);
    };
    retry();
  }

  closeIdle(): boolean {
    const at = this.#slots.findIndex(
      (slot) => slot.ready && slot.running === 0 && slot.client.stats.connected,
    );
    if (at === -1) return false;
    const [slot] = this.#slots.splice(at, 1) as [Slot];
    slot.ready = false;
    slot.closedForRoom = true;
    slot.client.close().catch(() => {});
    return true;
  }

  #newSlot(): Slot {
    const client = new Client(this.#origin, {
      ...this.#options.client,
      connect: (options, callback) => {
        slot.ready = false;
        slot.dialing = true;
        this.#withUnit(slot, (failure) => {
          if (failure !== null) return (callback as ConnectCallback)(failure, null);
          // The unit is this connection's until its socket has closed (or it failed to connect).
          let held = true;
          const letGo = () => {
            if (!held) return;
            held = false;
            this.#options.budget.release(slot.closedForRoom);
          };
          this.#options.connect(options, (error, socket) => {
            if (socket !== null && error === null) {
              (socket as Socket).once('close', letGo);
              giveClosedH2SocketItsError(socket as Socket);
              this.#negotiated(slot, socket as Socket);
            } else letGo();
            (callback as ConnectCallback)(error, socket as Socket | null);
          });
        });
      },
    });
    const slot: Slot = {
      client,
      running: 0,
      capacity: 1,
      protocol: 'unknown',
      socket: null,
      endListeners: new Set(),
      ready: false,
      dialing: false,
      goingAway: false,
      reserved: false,
      closedForRoom: false,
    };
    client.on('connect', (origin) => {
      slot.dialing = false;
      this.#connected(slot);
      this.emit('connect', origin, [this, client]);
    });
    client.on('disconnect', (origin, _targets, error) => {
      slot.ready = false;
      slot.goingAway = false;
      this.emit('disconnect', origin, [this, client], error);
      // Requests queued for room on this connection (a GOAWAY, a server close) go to a new one.
      queueMicrotask(() => this.#drain());
    });
    client.on('connectionError', (_origin, _targets, error) => this.#connectFailed(slot, error));
    this.#slots.push(slot);
    return slot;
  }

  #negotiated(slot: Slot, socket: Socket): void {
    slot.socket = socket;
    slot.endListeners = endListenersOf(socket);
    slot.protocol = (socket as Socket & { alpnProtocol?: unknown }).alpnProtocol === 'h2' ? 'h2' : 'h1';
    this.#protocol = slot.protocol;
    if (slot.protocol === 'h2') this.#options.onH2?.();
  }

  #connected(slot: Slot): void {
    if (slot.protocol !== 'h2') {
      slot.capacity = 1;
      slot.client.pipelining = 1;
      slot.ready = true;
      this.#drain();
      return;
    }
    const session = slot.socket === null ? null : http2SessionOf(slot.socket);
    if (session === null) {
      // Not where undici keeps it (the contract test guards this): one stream at a time still works.
      slot.capacity = 1;
      slot.ready = true;
      this.#drain();
      return;
    }
    this.#watchSettings(slot, session);
  }

  #watchSettings(slot: Slot, session: ClientHttp2Session): void {
    session.on('remoteSettings', (settings: Settings) => {
      const streams = Math.max(1, Math.min(settings.maxConcurrentStreams ?? DEFAULT_STREAMS, STREAM_CEILING));
      this.#streams = streams;
      slot.capacity = streams;
      slot.client.pipelining = streams;
      slot.ready = !slot.goingAway;
      this.#drain();
    });
    finishStreamsAtGoaway(session, slot.socket as Socket, slot.endListeners, () => {
      slot.ready = false;
      slot.goingAway = true;
      // What waits for room here goes to another connection.
      queueMicrotask(() => this.#drain());
    });
  }

  /** A connection could not be made: the requests waiting for it fail as undici's own queue would. */
  #connectFailed(slot: Slot, error: Error): void {
    slot.ready = false;
    // undici also reports an h2 GOAWAY as a connection error: that connection did connect.
    if (!slot.dialing) return;
    slot.dialing = false;
    if (this.#slots.some((other) => other.ready)) return;
    const queued = this.#queue;
    this.#queue = [];
    for (const { handler, timer } of queued) {
      if (timer !== undefined) clearTimeout(timer);
      failHandler(handler, error);
    }
  }

  #start(slot: Slot, { options, handler, timer }: Queued): void {
    if (timer !== undefined) clearTimeout(timer);
    slot.running++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      slot.running--;
      this.#drain();
    };
    slot.client.dispatch(options, trackedHandler(handler, finish));
  }

  #whenIdle: (() => void) | null = null;

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.#closing = true;
    const queueDone =
      this.#queue.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.#whenIdle = resolve;
          });
    return settleDispatcherCall(
      queueDone.then(() => {
        this.#leaveBudget();
        return Promise.all(this.#slots.map((s) => s.client.close()));
      }),
      callback,
    );
  }

  /** Gives back what this pool holds of the budget but no connection uses, and stops waiting on it. */
  #leaveBudget(): void {
    const budget = this.#options.budget;
    budget.leave(this);
    budget.cancel(this.#retry);
    const waiting = [...this.#waitingConnects];
    this.#waitingConnects.clear();
    for (const [retry, go] of waiting) {
      budget.cancel(retry);
      go(new Error('The connection pool is closed'));
    }
    for (const slot of this.#slots) {
      if (!slot.reserved) continue;
      slot.reserved = false;
      budget.release(false);
    }
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    this.#closing = true;
    const error = destroyError(errOrCallback);
    const queued = this.#queue;
    this.#queue = [];
    const reason = error ?? new Error('The connection pool was destroyed');
    for (const { handler, timer } of queued) {
      if (timer !== undefined) clearTimeout(timer);
      failHandler(handler, reason);
    }
    this.#leaveBudget();
    return settleDispatcherCall(
      Promise.all(this.#slots.map((s) => s.client.destroy(error))),
      errOrCallback,
      callback,
    );
  }
}
