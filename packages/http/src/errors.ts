import { redactText } from './internal/redact.js';
import type { Request } from './models/request.js';
import type { Response } from './models/response.js';

interface ErrorInit {
  cause?: unknown;
  request?: Request | null;
}

/**
 * Root of every error raised while sending a request or reading a response.
 * `request` is attached whenever one exists; messages never contain credentials.
 */
export class HTTPError extends Error {
  override name = 'HTTPError';
  readonly code: string = 'ERR_HTTP';
  #request: Request | null;

  constructor(message: string, init: ErrorInit = {}) {
    super(redactText(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.#request = init.request ?? null;
  }

  /** The request that failed. Throws when the error was raised without one, as in HTTPX. */
  get request(): Request {
    if (this.#request === null) throw new Error(`${this.name} has no request attached`);
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  get hasRequest(): boolean {
    return this.#request !== null;
  }
}

export class RequestError extends HTTPError {
  override name = 'RequestError';
  override readonly code: string = 'ERR_HTTP_REQUEST';
}
export class TransportError extends RequestError {
  override name = 'TransportError';
  override readonly code: string = 'ERR_HTTP_TRANSPORT';
}
export class TimeoutException extends TransportError {
  override name = 'TimeoutException';
  override readonly code: string = 'ERR_HTTP_TIMEOUT';
}
export class ConnectTimeout extends TimeoutException {
  override name = 'ConnectTimeout';
  override readonly code = 'ERR_HTTP_CONNECT_TIMEOUT';
}
export class ReadTimeout extends TimeoutException {
  override name = 'ReadTimeout';
  override readonly code = 'ERR_HTTP_READ_TIMEOUT';
}
export class WriteTimeout extends TimeoutException {
  override name = 'WriteTimeout';
  override readonly code = 'ERR_HTTP_WRITE_TIMEOUT';
}
export class PoolTimeout extends TimeoutException {
  override name = 'PoolTimeout';
  override readonly code = 'ERR_HTTP_POOL_TIMEOUT';
}
/** Beyond HTTPX: the optional `total` deadline of a request elapsed. */
export class TotalTimeout extends TimeoutException {
  override name = 'TotalTimeout';
  override readonly code = 'ERR_HTTP_TOTAL_TIMEOUT';
}
export class NetworkError extends TransportError {
  override name = 'NetworkError';
  override readonly code: string = 'ERR_HTTP_NETWORK';
}
export class ConnectError extends NetworkError {
  override name = 'ConnectError';
  override readonly code = 'ERR_HTTP_CONNECT';
}
export class ReadError extends NetworkError {
  override name = 'ReadError';
  override readonly code = 'ERR_HTTP_READ';
}
export class WriteError extends NetworkError {
  override name = 'WriteError';
  override readonly code = 'ERR_HTTP_WRITE';
}
export class CloseError extends NetworkError {
  override name = 'CloseError';
  override readonly code = 'ERR_HTTP_CLOSE';
}
export class ProtocolError extends TransportError {
  override name = 'ProtocolError';
  override readonly code: string = 'ERR_HTTP_PROTOCOL';
}
export class LocalProtocolError extends ProtocolError {
  override name = 'LocalProtocolError';
  override readonly code = 'ERR_HTTP_LOCAL_PROTOCOL';
}
export class RemoteProtocolError extends ProtocolError {
  override name = 'RemoteProtocolError';
  override readonly code = 'ERR_HTTP_REMOTE_PROTOCOL';
}
export class ProxyError extends TransportError {
  override name = 'ProxyError';
  override readonly code = 'ERR_HTTP_PROXY';
}
export class UnsupportedProtocol extends TransportError {
  override name = 'UnsupportedProtocol';
  override readonly code = 'ERR_HTTP_UNSUPPORTED_PROTOCOL';
}
/** The request was cancelled through its `AbortSignal`. */
export class RequestAborted extends TransportError {
  override name = 'RequestAborted';
  override readonly code = 'ERR_HTTP_ABORTED';
}
/**
 * Beyond HTTPX: the client or transport was closed while the request was queued, connecting or in
 * flight. Sending on an already-closed client is a `UsageError` instead (nothing was started).
 */
export class ClientClosed extends TransportError {
  override name = 'ClientClosed';
  override readonly code = 'ERR_HTTP_CLIENT_CLOSED';
}
export class DecodingError extends RequestError {
  override name = 'DecodingError';
  override readonly code = 'ERR_HTTP_DECODING';
}
export class TooManyRedirects extends RequestError {
  override name = 'TooManyRedirects';
  override readonly code = 'ERR_HTTP_TOO_MANY_REDIRECTS';
}
/** Beyond HTTPX: the decoded body grew past `maxResponseBytes`. */
export class ResponseTooLarge extends RequestError {
  override name = 'ResponseTooLarge';
  override readonly code = 'ERR_HTTP_RESPONSE_TOO_LARGE';
}

export class HTTPStatusError extends HTTPError {
  override name = 'HTTPStatusError';
  override readonly code = 'ERR_HTTP_STATUS';
  readonly response: Response;

  constructor(message: string, init: { request: Request; response: Response }) {
    super(message, { request: init.request });
    this.response = init.response;
  }
}

/** A malformed URL, or one that cannot be used for a request. Not an HTTPError, as in HTTPX. */
export class InvalidURL extends Error {
  override name = 'InvalidURL';
  readonly code = 'ERR_HTTP_INVALID_URL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactText(message), options);
  }
}

export class CookieConflict extends Error {
  override name = 'CookieConflict';
  readonly code = 'ERR_HTTP_COOKIE_CONFLICT';
}

export class StreamError extends Error {
  override name = 'StreamError';
  readonly code: string = 'ERR_HTTP_STREAM';
}
export class StreamConsumed extends StreamError {
  override name = 'StreamConsumed';
  override readonly code = 'ERR_HTTP_STREAM_CONSUMED';
  constructor() {
    super(
      'Attempted to read or stream content, but the content has already been streamed. ' +
        'Read the whole body with `read()` first if you need it more than once.',
    );
  }
}
export class StreamClosed extends StreamError {
  override name = 'StreamClosed';
  override readonly code = 'ERR_HTTP_STREAM_CLOSED';
  constructor() {
    super('Attempted to read or stream content, but the stream has been closed.');
  }
}
export class ResponseNotRead extends StreamError {
  override name = 'ResponseNotRead';
  override readonly code = 'ERR_HTTP_RESPONSE_NOT_READ';
  constructor() {
    super('Attempted to access streaming response content, without having called `read()`.');
  }
}
export class RequestNotRead extends StreamError {
  override name = 'RequestNotRead';
  override readonly code = 'ERR_HTTP_REQUEST_NOT_READ';
  constructor() {
    super('Attempted to access streaming request content, without having called `read()`.');
  }
}

/** Thrown for misuse of the API itself (bad option values, a closed client): fails before anything is sent. */
export class UsageError extends TypeError {
  override name = 'UsageError';
  readonly code = 'ERR_HTTP_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactText(message), options);
  }
}
