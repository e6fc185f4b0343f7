import {
  CloseError,
  ConnectError,
  ConnectTimeout,
  HTTPError,
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  RequestAborted,
  ResponseTooLarge,
  TransportError,
  WriteError,
} from '../errors.js';
import { redactUrl } from '../internal/redact.js';
import type { Request } from '../models/request.js';

/** How far an exchange got when it failed: decides between connect, protocol and read errors. */
export type Phase = 'connecting' | 'sending' | 'receiving-headers' | 'receiving-body';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'ENOENT', // a Unix socket path that does not exist
]);

function isTlsError(error: { code?: unknown; message?: string }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    /certificate|SSL routines/i.test(error.message ?? '')
  );
}

/** Maps an undici or Node error to the most specific class of the HTTPX tree. */
export function mapTransportError(error: unknown, phase: Phase, request: Request): HTTPError {
  if (error instanceof HTTPError) {
    if (!error.hasRequest) error.request = request;
    return error;
  }
  const err = (error ?? {}) as { code?: unknown; message?: string; name?: string; cause?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const where = `(${request.method} ${redactUrl(request.url)})`;
  const reason = err.message ?? String(error);
  const init = { cause: error, request };

  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new ConnectTimeout(`Timed out connecting ${where}`, init);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new ReadTimeout(`Timed out waiting for the response ${where}`, init);
    case 'UND_ERR_ABORTED':
      return new RequestAborted(`Request aborted ${where}`, init);
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return new LocalProtocolError(`${reason} ${where}`, init);
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new RemoteProtocolError(`Response body length does not match Content-Length ${where}`, init);
    // Response headers past undici's maxHeaderSize: the peer broke the protocol, as h11 reports it.
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new RemoteProtocolError(`Response headers exceed the size limit ${where}`, init);
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return new ResponseTooLarge(`Response exceeds the size limit ${where}`, init);
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return new CloseError(`The transport was closed ${where}`, init);
    // The server reset the h2 stream (RST_STREAM, e.g. REFUSED_STREAM) or ended the session with an
    // error code: a protocol event from the peer, as httpcore reports its StreamReset and
    // ConnectionTerminated.
    case 'ERR_HTTP2_STREAM_ERROR':
    case 'ERR_HTTP2_SESSION_ERROR':
      return new RemoteProtocolError(`${reason} ${where}`, init);
    case 'UND_ERR_INFO':
    case 'UND_ERR_SOCKET':
      if (phase === 'connecting') return new ConnectError(`${reason} ${where}`, init);
      if (phase === 'receiving-body') {
        return new RemoteProtocolError(
          `Peer closed connection without sending complete message body ${where}`,
          init,
        );
      }
      return markDisconnected(
        new RemoteProtocolError(`Server disconnected without sending a response ${where}`, init),
      );
  }
  if (code.startsWith('HPE_') || err.name === 'HTTPParserError') {
    return new RemoteProtocolError(`Invalid HTTP response: ${reason} ${where}`, init);
  }
  if (phase === 'connecting' && (CONNECT_CODES.has(code) || isTlsError(err) || code === 'ECONNRESET')) {
    return new ConnectError(`${reason} ${where}`, init);
  }
  if (code === 'EPIPE' || (code === 'ECONNRESET' && phase === 'sending')) {
    return new WriteError(`${reason} ${where}`, init);
  }
  if (code === 'ECONNRESET') return new ReadError(`${reason} ${where}`, init);
  if (phase === 'connecting') return new ConnectError(`${reason} ${where}`, init);
  return new TransportError(`${reason} ${where}`, init);
}

// Errors raised because the server closed the connection before any byte of the response: known
// by identity, so retry decisions never depend on a message's wording.
const disconnectedBeforeResponse = new WeakSet<Error>();

function markDisconnected(error: RemoteProtocolError): RemoteProtocolError {
  disconnectedBeforeResponse.add(error);
  return error;
}

/** The server closed the connection (undici `UND_ERR_SOCKET`) before sending any of the response. */
export function isDisconnectBeforeResponse(error: unknown): boolean {
  return error instanceof RemoteProtocolError && disconnectedBeforeResponse.has(error);
}

/** Errors after which a fresh connection may succeed: the old one was closed under us before any response. */
export function isStaleConnectionError(error: HTTPError): boolean {
  return (
    isDisconnectBeforeResponse(error) ||
    (error instanceof ReadError && !(error.cause instanceof HTTPError)) ||
    error instanceof WriteError
  );
}
