import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Certificates } from './servers.js';

export interface H2Server extends AsyncDisposable {
  url: string;
  port: number;
  /** HTTP/2 sessions (connections) the server accepted. */
  sessions: number;
  /** Streams (requests) the server received. */
  streams: number;
  /** The most streams any one session had open at once. */
  peakStreamsPerSession: number;
  server: http2.Http2Server | http2.Http2SecureServer;
  /** Closes every open session as a server going away does (GOAWAY, then close); resolves once closed. */
  goaway(): Promise<void>;
  close(): Promise<void>;
}

export interface H2ServerOptions {
  /** TLS with these certificates; cleartext (h2c, prior knowledge only) without. */
  certs?: Certificates;
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces. */
  maxConcurrentStreams?: number;
  /** Hold every response until this many streams are open at once (proves they are concurrent). */
  holdUntil?: number;
  /** The response body (default 'ok'). */
  body?: string;
}

/** A `node:http2` server (h2 only, no HTTP/1.1) on 127.0.0.1 that counts sessions and streams. */
export async function h2Server(options: H2ServerOptions = {}): Promise<H2Server> {
  const settings =
    options.maxConcurrentStreams === undefined ? {} : { maxConcurrentStreams: options.maxConcurrentStreams };
  const server =
    options.certs === undefined
      ? http2.createServer({ settings })
      : http2.createSecureServer({ cert: options.certs.cert, key: options.certs.key, settings });
  const sessions = new Set<http2.ServerHttp2Session>();
  const held: http2.ServerHttp2Stream[] = [];
  let open = 0;
  let released = options.holdUntil === undefined;
  const state = { sessions: 0, streams: 0, peak: 0 };
  const respond = (stream: http2.ServerHttp2Stream) => {
    if (stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'text/plain' });
    stream.end(options.body ?? 'ok');
  };
  server.on('session', (session: http2.ServerHttp2Session) => {
    state.sessions++;
    sessions.add(session);
    let openHere = 0;
    session.on('close', () => sessions.delete(session));
    session.on('stream', (stream) => {
      state.streams++;
      open++;
      openHere++;
      state.peak = Math.max(state.peak, openHere);
      stream.on('close', () => {
        open--;
        openHere--;
      });
      if (released) return respond(stream);
      held.push(stream);
      if (open >= (options.holdUntil as number)) {
        released = true;
        for (const waiting of held.splice(0)) respond(waiting);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `${options.certs === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    get sessions() {
      return state.sessions;
    },
    get streams() {
      return state.streams;
    },
    get peakStreamsPerSession() {
      return state.peak;
    },
    server,
    goaway: async () => {
      const closing = [...sessions].map((session) => {
        const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
        session.close();
        return closed;
      });
      await Promise.all(closing);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
