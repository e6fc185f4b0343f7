import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { type Client, errors } from 'undici';

// undici keeps a socket's error under this private symbol; the undici contract test checks that
// its HTTP/2 client still reads it, so an upgrade that renames it fails there first.
const { kError } = createRequire(import.meta.url)('undici/lib/core/symbols.js') as { kError: symbol };

/**
 * undici 7's HTTP/2 client throws an uncaught TypeError, ending the process, from the session's
 * 'close' listener when a server's GOAWAY was followed by a socket that closed without an error:
 * it describes the "closed" error from the Client's current socket, which the GOAWAY has already
 * cleared (undici 8 uses the session's own socket). nginx does this at every `keepalive_requests`.
 * Giving such a socket its "closed" error first, from a 'close' listener registered before
 * `node:http2`'s, takes that path away; the error is the one undici would have made.
 */
export function giveClosedH2SocketItsError(socket: Socket): void {
  socket.once('close', () => {
    const marked = socket as Socket & { alpnProtocol?: unknown; [kError]?: Error | null };
    if (marked.alpnProtocol !== 'h2' || marked[kError] != null) return;
    const error = new errors.SocketError('closed');
    // What undici's getSocketInfo reads; fields a closed socket no longer has stay undefined, as there.
    error.socket = {
      localAddress: socket.localAddress,
      localPort: socket.localPort,
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      remoteFamily: socket.remoteFamily,
      timeout: socket.timeout,
      bytesWritten: socket.bytesWritten,
      bytesRead: socket.bytesRead,
    } as Client.SocketInfo;
    marked[kError] = error;
  });
}
