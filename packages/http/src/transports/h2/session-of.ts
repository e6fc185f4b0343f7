import type { ClientHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';

/**
 * The `node:http2` session undici runs over a socket it connected with h2. undici keeps it on the
 * socket under a private symbol (described 'http2Session'); the undici contract test checks that,
 * so an upgrade that moves it fails there first. The pool reads the server's SETTINGS from it.
 */
export function http2SessionOf(socket: Socket): ClientHttp2Session | null {
  for (const symbol of Object.getOwnPropertySymbols(socket)) {
    if (symbol.description !== 'http2Session') continue;
    const session = (socket as unknown as Record<symbol, unknown>)[symbol] as ClientHttp2Session | undefined;
    if (session !== undefined && typeof session.request === 'function') return session;
  }
  return null;
}
