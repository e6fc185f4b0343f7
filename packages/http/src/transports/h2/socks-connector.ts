import { isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import type { buildConnector } from 'undici';

type Callback = (error: Error | null, socket: Socket | null) => void;

/** Opens a TCP connection to `host:port` through the SOCKS5 proxy (the handshake done). */
export type SocksTunnel = (host: string, port: number) => Promise<Socket>;

/**
 * The connector for HTTP/2 through a SOCKS5 proxy: undici's `Socks5ProxyAgent` makes its own
 * per-origin pools without `allowH2` and offers only what its TLS options say, so with `http2` on
 * the transport makes the connection here, through the same SOCKS handshake, and offers `h2` and
 * `http/1.1` in ALPN. The origin pool reads the answer from the socket.
 */
export function socksH2Connector(tunnel: SocksTunnel, tls: ConnectionOptions): buildConnector.connector {
  return (options, callback) => {
    const done = callback as Callback;
    const https = options.protocol === 'https:';
    const port = Number(options.port) || (https ? 443 : 80);
    tunnel(options.hostname, port).then(
      (socket) => {
        if (!https) return done(null, socket);
        const servername = options.servername || (isIP(options.hostname) ? undefined : options.hostname);
        const secure = tlsConnect({
          ...tls,
          socket,
          ...(servername !== undefined ? { servername } : {}),
          ALPNProtocols: ['http/1.1', 'h2'],
        });
        const onError = (error: Error) => {
          secure.off('secureConnect', onSecure);
          secure.destroy();
          done(error, null);
        };
        const onSecure = () => {
          secure.off('error', onError);
          done(null, secure);
        };
        secure.once('secureConnect', onSecure);
        secure.once('error', onError);
      },
      (error: Error) => done(error, null),
    );
  };
}
