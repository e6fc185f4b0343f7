import type { ClientHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';

/** The socket's 'end' listeners before undici took it, so undici's own can be told apart later. */
export type EndListeners = ReadonlySet<(...args: unknown[]) => void>;

export function endListenersOf(socket: Socket): EndListeners {
  return new Set(socket.listeners('end') as ((...args: unknown[]) => void)[]);
}

/**
 * Lets the streams a server's GOAWAY still covers finish, as RFC 9113 §6.8 asks. undici 7 drops
 * the connection at any GOAWAY and fails the oldest request in flight even when the server
 * answers it: nginx sends its GOAWAY as the `keepalive_requests`-th request arrives, so that
 * request (a POST cannot be replayed) failed with "Server disconnected".
 *
 * Here, once a GOAWAY arrives, undici's GOAWAY and end-of-socket listeners are removed (the latter
 * would destroy the socket when the server closes it right after its last response, before that
 * response's end is read). `node:http2` then closes a NO_ERROR session gracefully: no new streams,
 * open ones run to their end, streams past the server's last one are refused; on an error code it
 * destroys the session. undici cleans up at the session's close as for any closed connection.
 * `onGoaway` tells the pool to start no more streams here. The undici contract test checks the
 * listeners this relies on, so an undici upgrade that moves them fails there first.
 */
export function finishStreamsAtGoaway(
  session: ClientHttp2Session,
  socket: Socket,
  before: EndListeners,
  onGoaway: () => void,
): void {
  session.removeAllListeners('goaway');
  session.on('goaway', () => {
    session.removeAllListeners('end');
    for (const listener of socket.listeners('end') as ((...args: unknown[]) => void)[])
      if (!before.has(listener)) socket.removeListener('end', listener);
    onGoaway();
  });
}
