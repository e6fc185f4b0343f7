import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { isSensitiveHeader, redactText, SECURE } from '../internal/redact.js';

// What `-v` shows about the connection and the request head comes from undici's diagnostics
// channels, not from the Request object: the transport adds, drops and rewrites headers (Host,
// Connection, HTTP/2's pseudo-headers), and only the wire says what was really sent.
const BEFORE_CONNECT = 'undici:client:beforeConnect';
const CONNECTED = 'undici:client:connected';
const CONNECT_ERROR = 'undici:client:connectError';
const SEND_HEADERS = 'undici:client:sendHeaders';

interface ConnectParams {
  hostname: string;
  port: string | number;
  protocol: string;
}

/** A request head as written to the socket: the request line and the headers in their order. */
export interface SentHead {
  requestLine: string;
  headers: Array<[name: string, value: string]>;
}

function subjectText(subject: PeerCertificate['subject'] | undefined): string {
  if (subject === undefined) return '(none)';
  return Object.entries(subject)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function tlsLines(socket: TLSSocket): string[] {
  const cipher = socket.getCipher();
  const lines = [`* TLS established using '${socket.getProtocol()}' / '${cipher.name}'`];
  const certificate = socket.getPeerCertificate();
  if (certificate !== null && Object.keys(certificate).length > 0) {
    lines.push(
      '* Server certificate:',
      `*   subject: ${subjectText(certificate.subject)}`,
      `*   issuer: ${subjectText(certificate.issuer)}`,
      `*   valid until: ${certificate.valid_to}`,
    );
  }
  const alpn = socket.alpnProtocol;
  lines.push(`* Selected ALPN protocol: ${alpn === false || alpn === null ? 'none' : `'${alpn}'`}`);
  return lines;
}

/** undici writes an HTTP/1.1 head as text; for HTTP/2 it lists the pseudo-headers with the rest. */
function parseHead(wire: string): SentHead {
  const lines = wire.split('\r\n').filter((line) => line !== '');
  const pairs = (from: string[]): Array<[string, string]> =>
    from.map((line) => {
      // A pseudo-header's name starts with ':', so the separator is the first ': ' after it.
      const at = line.indexOf(': ', line.startsWith(':') ? 1 : 0);
      return [line.slice(0, at), line.slice(at + 2)];
    });
  if (!lines[0]?.startsWith(':') && / HTTP\/1\.[01]$/.test(lines[0] ?? '')) {
    return { requestLine: lines[0] as string, headers: pairs(lines.slice(1)) };
  }
  const all = pairs(lines);
  const pseudo = (name: string): string => all.find(([key]) => key === name)?.[1] ?? '';
  // :method and :path are the request line; :authority and :scheme stay, first, as they are framed.
  // HTTP/2 frames every header name in lower case, whatever the caller wrote.
  const shown: Array<[string, string]> = [
    ...all.filter(([key]) => key === ':authority' || key === ':scheme'),
    ...all
      .filter(([key]) => !key.startsWith(':'))
      .map(([key, value]): [string, string] => [key.toLowerCase(), value]),
  ];
  return { requestLine: `${pseudo(':method')} ${pseudo(':path')} HTTP/2`, headers: shown };
}

export function formatSentHead(head: SentHead): string {
  const lines = [head.requestLine];
  for (const [name, value] of head.headers) {
    lines.push(`${name}: ${isSensitiveHeader(name.toLowerCase()) ? SECURE : redactText(value)}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * Collects connection lines and sent request heads while subscribed. The CLI sends one request
 * at a time (redirect hops and auth retries follow each other), so events arrive in order.
 */
export class WireTrace {
  #connection: string[] = [];
  #heads: SentHead[] = [];

  readonly #onBeforeConnect = (message: unknown): void => {
    const { connectParams } = message as { connectParams: ConnectParams };
    this.#connection.push(`* Connecting to '${connectParams.hostname}' on port ${connectParams.port}`);
  };

  readonly #onConnected = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    this.#connection.push(`* Connected to '${socket.remoteAddress}' on port ${socket.remotePort}`);
    if ((socket as TLSSocket).encrypted === true) this.#connection.push(...tlsLines(socket as TLSSocket));
  };

  readonly #onConnectError = (message: unknown): void => {
    const { error } = message as { error: Error };
    this.#connection.push(`* Connection failed: ${redactText(error.message)}`);
  };

  readonly #onSendHeaders = (message: unknown): void => {
    const { headers } = message as { headers: string };
    this.#heads.push(parseHead(headers));
  };

  constructor() {
    diagnostics.subscribe(BEFORE_CONNECT, this.#onBeforeConnect);
    diagnostics.subscribe(CONNECTED, this.#onConnected);
    diagnostics.subscribe(CONNECT_ERROR, this.#onConnectError);
    diagnostics.subscribe(SEND_HEADERS, this.#onSendHeaders);
  }

  /** Connection lines since the last call, then the request heads sent since then. */
  take(): { connection: string[]; heads: SentHead[] } {
    const taken = { connection: this.#connection, heads: this.#heads };
    this.#connection = [];
    this.#heads = [];
    return taken;
  }

  close(): void {
    diagnostics.unsubscribe(BEFORE_CONNECT, this.#onBeforeConnect);
    diagnostics.unsubscribe(CONNECTED, this.#onConnected);
    diagnostics.unsubscribe(CONNECT_ERROR, this.#onConnectError);
    diagnostics.unsubscribe(SEND_HEADERS, this.#onSendHeaders);
  }
}
