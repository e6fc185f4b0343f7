import { isIP, type Socket } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { type buildConnector, errors } from 'undici';
import { ConnectError } from '../../errors.js';

type Callback = (error: Error | null, socket: Socket | null) => void;

/**
 * The connector for `http1: false, http2: true`. TLS offers only `h2` in ALPN (undici's own
 * connector always offers `http/1.1` too); cleartext speaks h2c with prior knowledge, as httpcore
 * does, by marking the socket the way undici's `useH2c` does. `tcp` makes the TCP connection
 * (undici's connector for `http:`, so connect timeout, socket path and local address apply).
 */
export function h2OnlyConnector(
  tcp: buildConnector.connector,
  tls: ConnectionOptions,
  timeout: number,
): buildConnector.connector {
  return (options, callback) => {
    const done = callback as Callback;
    const https = options.protocol === 'https:';
    const started = Date.now();
    const port = options.port || (https ? '443' : '80');
    tcp({ ...options, protocol: 'http:', port }, (error, raw) => {
      if (error !== null || raw === null) return done(error, null);
      const socket = raw as Socket;
      if (!https) {
        (socket as Socket & { alpnProtocol?: string }).alpnProtocol = 'h2';
        return done(null, socket);
      }
      const servername = options.servername || (isIP(options.hostname) ? undefined : options.hostname);
      const secure: TLSSocket = tlsConnect({
        ...tls,
        socket,
        ...(servername !== undefined ? { servername } : {}),
        ALPNProtocols: ['h2'],
      });
      const origin = `https://${options.host}`;
      let timer: NodeJS.Timeout | undefined;
      const finish = (failure: Error | null) => {
        if (timer !== undefined) clearTimeout(timer);
        secure.off('secureConnect', onSecure);
        secure.off('error', onError);
        if (failure !== null) {
          secure.destroy();
          return done(failure, null);
        }
        done(null, secure);
      };
      const onSecure = () => {
        if (secure.alpnProtocol === 'h2') return finish(null);
        finish(refused(origin, `negotiated ${secure.alpnProtocol || 'no protocol'}`));
      };
      const onError = (cause: Error) => {
        const code = (cause as { code?: string }).code ?? '';
        finish(code.includes('NO_APPLICATION_PROTOCOL') ? refused(origin, 'refused h2', cause) : cause);
      };
      secure.once('secureConnect', onSecure);
      secure.once('error', onError);
      if (timeout > 0) {
        const left = Math.max(1, timeout - (Date.now() - started));
        timer = setTimeout(() => finish(new errors.ConnectTimeoutError()), left);
      }
    });
  };
}

function refused(origin: string, what: string, cause?: Error): ConnectError {
  return new ConnectError(
    `${origin} does not speak HTTP/2: its TLS handshake (ALPN) ${what}, and http1 is disabled`,
    cause === undefined ? {} : { cause },
  );
}
