import { type ChildProcess, spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import net from 'node:net';
import { expect } from 'vitest';
import {
  type Client,
  ClientClosed,
  type HTTPError,
  RequestAborted,
  type Response,
  TotalTimeout,
} from '../../src/index.js';
import { onRequestHead, type RawServer, rawServer } from './raw-server.js';

/** How a phase's subject is sent: the caller's signal and timeout go into the request options. */
export interface SendOptions {
  signal?: AbortSignal;
  timeout?: { total: number };
}

export interface PhaseRun {
  client: Client;
  /** Sends the subject request (or reads its body): what must fail with the typed error. */
  start(options: SendOptions): Promise<unknown>;
  /** Resolves once the subject is in the phase. */
  reached: Promise<void>;
  /** Servers whose sockets must all close once everything is over (and, mid-exchange, at once). */
  servers: RawServer[];
  /** The exchange was over before the phase: its connection is back in the pool, not closed. */
  finishedExchange: boolean;
  /** Runs once the typed error arrived, before the sockets are counted (a stalled server reads again). */
  afterError?(): void;
  /** Client sockets the test itself keeps open throughout (not the client's). */
  testSockets?: number;
  cleanup?(): Promise<void>;
}

export interface Phase {
  name: string;
  setup(): Promise<PhaseRun>;
}

export type Trigger = 'abort' | 'total' | 'close';

// The bound the issue sets for every phase and trigger, from the trigger to the typed error.
const BOUND_MS = 100;
// Long enough for every phase to be reached on a loaded machine before the deadline fires.
const TOTAL_MS = 500;

/** Counts the client sockets this process has open, to wait until it is back to a baseline. */
export function clientSocketCounter(): { open(): number; until(count: number): Promise<void>; stop(): void } {
  const live = new Set<net.Socket>();
  let waiters: Array<() => void> = [];
  const wake = () => {
    const pending = waiters;
    waiters = [];
    for (const fn of pending) fn();
  };
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: net.Socket };
    live.add(socket);
    socket.once('close', () => {
      live.delete(socket);
      wake();
    });
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  const until = async (count: number): Promise<void> => {
    while (live.size > count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    open: () => live.size,
    until,
    stop: () => diagnostics.unsubscribe('net.client.socket', onSocket),
  };
}

/** A deferred resolved from a server or hook callback. */
export function signalled(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A raw HTTP/1.1 server answering each request head with `respond` (keep-alive, several per socket). */
export function rawHttpServer(respond: (head: string, socket: net.Socket) => void): Promise<RawServer> {
  return rawServer((socket) => onRequestHead(socket, (head) => respond(head, socket)));
}

/**
 * A TCP listener that never accepts: its one-place backlog is filled by a first connection, so the
 * next connect stays in SYN-SENT (a Node server would accept everything; Python's socket does not).
 */
export async function neverAcceptingListener(): Promise<{ url: string; close(): Promise<void> }> {
  const child: ChildProcess = spawn('python3', [
    '-c',
    'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()',
  ]);
  const [data] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number(String(data).trim());
  const filler = net.connect(port, '127.0.0.1');
  filler.on('error', () => {});
  await once(filler, 'connect');
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      filler.destroy();
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    },
  };
}

function expectedError(trigger: Trigger): new (...args: never[]) => HTTPError {
  if (trigger === 'abort') return RequestAborted;
  if (trigger === 'total') return TotalTimeout;
  return ClientClosed;
}

/** One cell of the matrix: send, wait for the phase, trigger, then check the error, the sockets and the servers. */
export async function runCell(phase: Phase, trigger: Trigger): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const sockets = clientSocketCounter();
  const before = sockets.open();
  const run = await phase.setup();
  const baseline = before + (run.testSockets ?? 0);
  try {
    const controller = new AbortController();
    const options: SendOptions =
      trigger === 'abort'
        ? { signal: controller.signal }
        : trigger === 'total'
          ? { timeout: { total: TOTAL_MS } }
          : {};
    const sentAt = performance.now();
    let reachedFirst = true;
    const outcome = run.start(options).then(
      () => ({ error: null as unknown, at: performance.now() }),
      (error: unknown) => ({ error, at: performance.now() }),
    );
    const first = await Promise.race([run.reached.then(() => 'reached' as const), outcome]);
    if (first !== 'reached') {
      reachedFirst = false;
    }
    expect(reachedFirst, `${phase.name}: the phase was not reached before the request ended`).toBe(true);

    let triggeredAt: number;
    if (trigger === 'abort') {
      triggeredAt = performance.now();
      controller.abort('the caller gave up');
    } else if (trigger === 'close') {
      triggeredAt = performance.now();
      void run.client.close();
    } else {
      triggeredAt = sentAt + TOTAL_MS;
    }
    const { error, at } = await outcome;
    expect(error).toBeInstanceOf(expectedError(trigger));
    if (trigger === 'abort') expect((error as RequestAborted).cause).toBe('the caller gave up');
    expect(at - triggeredAt).toBeLessThan(BOUND_MS);
    run.afterError?.();

    if (!run.finishedExchange) {
      // The request was cut mid-exchange: its connection is closed now, not when the client closes.
      await Promise.all(run.servers.map((server) => server.drained()));
      await sockets.until(baseline);
    }
    await run.client.close();
    await Promise.all(run.servers.map((server) => server.drained()));
    await sockets.until(baseline);
    expect(sockets.open()).toBe(baseline);
    // Rejections are reported a turn later: give them that turn before counting.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    sockets.stop();
    await run.client.close();
    await run.cleanup?.();
    for (const server of run.servers) await server.close();
  }
}

export type { Response };
