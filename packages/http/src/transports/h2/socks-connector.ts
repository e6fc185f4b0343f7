import { isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import type { buildConnector } from 'undici';

type Callback = (error: Error | null, socket: Socket | null) => void;

/** Opens a TCP connection to `host:port` through the SOCKS5 proxy (the handshake done). */
export type SocksTunnel = (host: string, port: number) => Promise<Socket>;

/**
 * The connector for tunnels through a SOCKS5 proxy, used instead of undici's `Socks5ProxyAgent`
 * pools: those are made per origin outside the transport's connection budget, and without
 * `allowH2`. The connection goes through the agent's own SOCKS handshake; with `http2` on, TLS
 * offers `h2` and `http/1.1` in ALPN and the origin pool reads the answer from the socket.
 */
export function socksConnector(
  tunnel: SocksTunnel,
  tls: ConnectionOptions,
  http2: boolean,
): buildConnector.connector {
  const alpn = http2 ? ['http/1.1', 'h2'] : ['http/1.1'];
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
          ALPNProtocols: alpn,
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
