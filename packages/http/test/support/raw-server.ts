import diagnostics from 'node:diagnostics_channel';
import net, { type AddressInfo } from 'node:net';

export interface RawServer extends AsyncDisposable {
  url: string;
  port: number;
  server: net.Server;
  /** Every socket accepted, in order (connections made). */
  accepted: net.Socket[];
  /** Sockets accepted and not yet closed. */
  open(): number;
  /** Resolves once every accepted socket has closed. */
  drained(): Promise<void>;
  /** Destroys every socket and stops listening. */
  close(): Promise<void>;
}

/**
 * A raw TCP server on 127.0.0.1 that hands each connection to `onSocket`, so a test can write any
 * bytes (broken responses, stalls, resets). `port` reuses a port, to restart a server in place.
 */
export async function rawServer(onSocket: (socket: net.Socket) => void, port = 0): Promise<RawServer> {
  const accepted: net.Socket[] = [];
  const live = new Set<net.Socket>();
  let waiters: Array<() => void> = [];
  const server = net.createServer((socket) => {
    accepted.push(socket);
    live.add(socket);
    socket.on('error', () => {});
    // Flowing by default, so a peer's FIN is seen even by handlers that never read; stallers pause().
    socket.resume();
    socket.once('close', () => {
      live.delete(socket);
      if (live.size === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const drained = () =>
    live.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
  const close = async () => {
    for (const socket of live) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    server,
    accepted,
    open: () => live.size,
    drained,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Calls `onRequest` with each complete request head (and the bytes after it) seen on the socket. */
export function onRequestHead(socket: net.Socket, onRequest: (head: string, rest: Buffer) => void): void {
  let buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    const end = buffer.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = buffer.subarray(0, end).toString('latin1');
    const rest = buffer.subarray(end + 4);
    buffer = Buffer.alloc(0);
    onRequest(head, rest);
  };
  socket.on('data', onData);
}

/** Counts the client sockets this process opens and has not yet seen close (idle pooled ones included). */
export function trackClientSockets(): { open(): number; closed(): Promise<void>; stop(): void } {
  const live = new Set<net.Socket>();
  let waiters: Array<() => void> = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: net.Socket };
    live.add(socket);
    socket.once('close', () => {
      live.delete(socket);
      if (live.size === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  return {
    open: () => live.size,
    closed: () =>
      live.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    stop: () => diagnostics.unsubscribe('net.client.socket', onSocket),
  };
}
