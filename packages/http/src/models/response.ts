import { inspect } from 'node:util';
import { encodeJson } from '../content/body.js';
import { decodeBytes, decodeStream, parseContentEncoding } from '../content/decoders.js';
import {
  charsetFromContentType,
  decodeText,
  detectJsonEncoding,
  isKnownEncoding,
  isLatin1,
  LineDecoder,
  toWhatwgLabel,
} from '../content/text.js';
import {
  HTTPStatusError,
  ResponseNotRead,
  ResponseTooLarge,
  StreamClosed,
  StreamConsumed,
  UsageError,
} from '../errors.js';
import { describeValue } from '../internal/describe.js';
import { redactUrl } from '../internal/redact.js';
import { codes } from './codes.js';
import { Cookies } from './cookies.js';
import { Headers, type HeadersInit } from './headers.js';
import type { Request } from './request.js';

/** The raw (still content-encoded) body of a response as a transport hands it over. */
export interface ResponseStream extends AsyncIterable<Uint8Array> {
  /** A fast path that returns every remaining byte at once. */
  /** `expectedBytes`, the declared Content-Length, lets it copy each chunk in as it arrives. */
  readAll?(expectedBytes?: number): Promise<Uint8Array>;
  /** Releases the connection without reading the rest. */
  close?(): void | Promise<void>;
}

/**
 * A body given whole is decoded (per `Content-Encoding`) right away, as HTTPX does; an (async)
 * iterable is streamed, read like a network body, and announced as `Transfer-Encoding: chunked`.
 */
export type ResponseContent =
  | string
  | Uint8Array
  | ArrayBuffer
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>;

export interface ResponseInit {
  headers?: HeadersInit | undefined;
  content?: ResponseContent | undefined;
  text?: string | undefined;
  html?: string | undefined;
  json?: unknown;
  stream?: ResponseStream | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | undefined;
  request?: Request | undefined;
  extensions?: Record<string, unknown> | undefined;
  httpVersion?: string | undefined;
  reasonPhrase?: string | undefined;
  defaultEncoding?: string | ((content: Uint8Array) => string) | undefined;
  /** Bound on the decoded body; past it reading fails with `ResponseTooLarge` and the connection is closed. */
  maxBytes?: number | null | undefined;
}

const encoder = new TextEncoder();

function isIterable(value: unknown): value is Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  return (
    typeof value === 'object' && value !== null && (Symbol.asyncIterator in value || Symbol.iterator in value)
  );
}

const LINK_TRIM = /^[ '"]+|[ '"]+$/g;

function parseLinkHeader(header: string | null): Array<Record<string, string>> {
  const value = header?.replace(LINK_TRIM, '') ?? '';
  if (value === '') return [];
  const links: Array<Record<string, string>> = [];
  for (const entry of value.split(/, *</)) {
    const semicolon = entry.indexOf(';');
    const target = semicolon === -1 ? entry : entry.slice(0, semicolon);
    const link: Record<string, string> = { url: target.replace(/^[<> '"]+|[<> '"]+$/g, '') };
    for (const param of semicolon === -1 ? [] : entry.slice(semicolon + 1).split(';')) {
      const parts = param.split('=');
      if (parts.length !== 2) break;
      link[(parts[0] as string).replace(LINK_TRIM, '')] = (parts[1] as string).replace(LINK_TRIM, '');
    }
    links.push(link);
  }
  return links;
}

function checkString(option: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new UsageError(`Unexpected type for '${option}': ${describeValue(value)}`);
  return value;
}

const EMPTY = new Uint8Array(0);
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

async function* rechunk(
  source: AsyncIterable<Uint8Array>,
  size: number | undefined,
): AsyncGenerator<Uint8Array> {
  if (size === undefined) {
    // Sources may hand over empty chunks (a generator's, a transport's): never pass one on.
    for await (const chunk of source) if (chunk.byteLength > 0) yield chunk;
    return;
  }
  if (!Number.isInteger(size) || size < 1)
    throw new UsageError(`chunkSize must be a positive integer, got ${size}`);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    pending.push(chunk);
    pendingBytes += chunk.byteLength;
    if (pendingBytes < size) continue;
    let joined = concat(pending, pendingBytes);
    while (joined.byteLength >= size) {
      yield joined.subarray(0, size);
      joined = joined.subarray(size);
    }
    pending = joined.byteLength > 0 ? [joined] : [];
    pendingBytes = joined.byteLength;
  }
  if (pendingBytes > 0) yield concat(pending, pendingBytes);
}

/** An HTTP response. The body is a stream until read; `await using` closes it. */
export class Response implements AsyncDisposable {
  statusCode: number;
  reasonPhrase: string;
  httpVersion: string;
  headers: Headers;
  history: Response[] = [];
  nextRequest: Request | null = null;
  extensions: Record<string, unknown>;
  defaultEncoding: string | ((content: Uint8Array) => string);

  #request: Request | null;
  #content: Uint8Array | null = null;
  // The still-encoded bytes of a body given whole, for `iterRaw`.
  #raw: Uint8Array | null = null;
  #stream: ResponseStream | null;
  #consumed = false;
  #closed = false;
  #text: string | null = null;
  #encoding: string | null = null;
  #numBytesDownloaded = 0;
  #maxBytes: number | null;
  #startedAt = performance.now();
  #elapsed: number | null = null;
  // Created on first use: most responses never get a close callback.
  #onClose: Array<() => void | Promise<void>> | null = null;

  constructor(statusCode: number, init: ResponseInit = {}) {
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 999) {
      throw new UsageError(`Invalid status code ${statusCode}`);
    }
    this.statusCode = statusCode;
    this.reasonPhrase = init.reasonPhrase ?? codes.getReasonPhrase(statusCode);
    this.httpVersion = init.httpVersion ?? 'HTTP/1.1';
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers ?? null);
    this.#request = init.request ?? null;
    // As HTTPX's `extensions['http_version']`: every response says which protocol carried it.
    this.extensions = { httpVersion: this.httpVersion, ...init.extensions };
    this.defaultEncoding = init.defaultEncoding ?? 'utf-8';
    this.#maxBytes = init.maxBytes ?? null;

    let body: Uint8Array | null = null;
    let contentType: string | null = null;
    let streamed: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null = null;
    if (init.content !== undefined) {
      const content: unknown = init.content;
      if (typeof content === 'string') body = encoder.encode(content);
      else if (content instanceof Uint8Array) body = content;
      else if (content instanceof ArrayBuffer) body = new Uint8Array(content);
      else if (isIterable(content)) streamed = content;
      else throw new UsageError(`Unexpected type for 'content': ${describeValue(content)}`);
    } else if (init.text !== undefined)
      [body, contentType] = [encoder.encode(checkString('text', init.text)), 'text/plain; charset=utf-8'];
    else if (init.html !== undefined)
      [body, contentType] = [encoder.encode(checkString('html', init.html)), 'text/html; charset=utf-8'];
    else if (init.json !== undefined) [body, contentType] = [encodeJson(init.json), 'application/json'];

    if (body !== null) {
      if (!this.headers.has('content-length') && body.byteLength > 0)
        this.headers.set('Content-Length', body.byteLength);
      if (contentType !== null && !this.headers.has('content-type'))
        this.headers.set('Content-Type', contentType);
      // As HTTPX, a body given whole is read at once: decoded now (a corrupt one is a DecodingError
      // here, not later), and the response is closed.
      const codings = parseContentEncoding(this.headers.get('content-encoding'));
      this.#content = codings.length === 0 ? body : decodeBytes(body, codings);
      this.#raw = body;
      this.#stream = null;
      this.#numBytesDownloaded = body.byteLength;
      this.#consumed = true;
      this.#closed = true;
      this.#elapsed = 0;
    } else if (streamed !== null) {
      if (!this.headers.has('content-length') && !this.headers.has('transfer-encoding'))
        this.headers.set('Transfer-Encoding', 'chunked');
      this.#stream = Symbol.asyncIterator in streamed ? streamed : Response.#fromSync(streamed);
    } else if (init.stream !== undefined) {
      this.#stream = Symbol.asyncIterator in init.stream ? init.stream : Response.#fromSync(init.stream);
    } else {
      this.#content = EMPTY;
      this.#raw = EMPTY;
      this.#stream = null;
      this.#consumed = true;
      this.#closed = true;
      this.#elapsed = 0;
    }
  }

  static async *#fromSync(source: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    yield* source;
  }

  get request(): Request {
    if (this.#request === null)
      throw new UsageError('The request instance has not been set on this response.');
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  get url(): URL {
    return this.request.url;
  }

  get isInformational(): boolean {
    return this.statusCode >= 100 && this.statusCode < 200;
  }
  get isSuccess(): boolean {
    return this.statusCode >= 200 && this.statusCode < 300;
  }
  get isRedirect(): boolean {
    return this.statusCode >= 300 && this.statusCode < 400;
  }
  get isClientError(): boolean {
    return this.statusCode >= 400 && this.statusCode < 500;
  }
  get isServerError(): boolean {
    return this.statusCode >= 500 && this.statusCode < 600;
  }
  get isError(): boolean {
    return this.statusCode >= 400 && this.statusCode < 600;
  }
  get hasRedirectLocation(): boolean {
    return REDIRECT_CODES.has(this.statusCode) && this.headers.has('location');
  }
  get isClosed(): boolean {
    return this.#closed;
  }
  get isStreamConsumed(): boolean {
    return this.#consumed;
  }
  get numBytesDownloaded(): number {
    return this.#numBytesDownloaded;
  }

  /** Bound on the decoded body size in bytes (`null`: none). */
  get maxBytes(): number | null {
    return this.#maxBytes;
  }
  set maxBytes(value: number | null) {
    this.#maxBytes = value;
  }

  /** Milliseconds from sending the request to the end (or close) of the response; known once closed. */
  get elapsed(): number {
    if (this.#elapsed === null) {
      throw new UsageError("'.elapsed' may only be accessed after the response has been read or closed.");
    }
    return this.#elapsed;
  }

  /** @internal Used by the client to time the exchange from when the request was sent. */
  markStarted(at: number): void {
    this.#startedAt = at;
    // A response that arrived whole (a mock's) ended when the transport handed it over.
    if (this.#closed) this.#elapsed = performance.now() - at;
  }

  /** @internal Runs `callback` once the response is closed (body fully read, or closed early). */
  onClose(callback: () => void | Promise<void>): void {
    if (this.#closed) void callback();
    else (this.#onClose ??= []).push(callback);
  }

  /** The whole decoded body; `ResponseNotRead` on a streamed response until `read()`. */
  get content(): Uint8Array {
    if (this.#content === null) throw new ResponseNotRead();
    return this.#content;
  }

  /** The encoding `text` uses: explicit, else a known Content-Type charset, else `defaultEncoding`, else UTF-8. */
  get encoding(): string {
    if (this.#encoding !== null) return this.#encoding;
    const charset = charsetFromContentType(this.headers.get('content-type'));
    if (charset !== null && isKnownEncoding(charset)) return charset;
    if (typeof this.defaultEncoding === 'function') {
      return this.#content === null ? 'utf-8' : this.defaultEncoding(this.#content);
    }
    return this.defaultEncoding;
  }

  set encoding(value: string) {
    if (this.#text !== null) {
      throw new UsageError('Setting encoding after `text` has been accessed is not allowed.');
    }
    this.#encoding = value;
  }

  get text(): string {
    if (this.#text === null) this.#text = decodeText(this.content, this.encoding);
    return this.#text;
  }

  /** Parses the body as JSON, detecting UTF-8/16/32 from the bytes (the charset is ignored, as in HTTPX). */
  json<T = unknown>(): T {
    const bytes = this.content;
    const { encoding, bomLength } = detectJsonEncoding(bytes);
    return JSON.parse(decodeText(bytes.subarray(bomLength), encoding)) as T;
  }

  get cookies(): Cookies {
    const cookies = new Cookies();
    cookies.extract(this.request.url, this.headers);
    return cookies;
  }

  /**
   * The `Link` header parsed into `{ [rel or url]: { url, rel, ... } }`. As HTTPX, spaces and both
   * kinds of quote are stripped from every parameter name and value.
   */
  get links(): Record<string, Record<string, string>> {
    const links: Record<string, Record<string, string>> = {};
    for (const link of parseLinkHeader(this.headers.get('link')))
      links[link.rel || (link.url as string)] = link;
    return links;
  }

  /** Reads the whole body (decoded) into `content` and closes the stream. */
  async read(): Promise<Uint8Array> {
    if (this.#content !== null) return this.#content;
    const stream = this.#takeStream();
    const codings = parseContentEncoding(this.headers.get('content-encoding'));
    try {
      // readAll buffers the whole body before we could count it: with a bound, count as it arrives.
      if (codings.length === 0 && stream.readAll !== undefined && this.#maxBytes === null) {
        const declared = Number(this.headers.get('content-length'));
        const bytes = await stream.readAll(Number.isSafeInteger(declared) ? declared : undefined);
        this.#numBytesDownloaded += bytes.byteLength;
        this.#checkSize(bytes.byteLength);
        this.#content = bytes;
      } else {
        const chunks: Uint8Array[] = [];
        let total = 0;
        for await (const chunk of this.#decoded(stream, codings)) {
          chunks.push(chunk);
          total += chunk.byteLength;
        }
        this.#content = concat(chunks, total);
      }
    } finally {
      await this.close();
    }
    return this.#content;
  }

  /** The raw bytes as received (still content-encoded). */
  async *iterRaw(chunkSize?: number): AsyncGenerator<Uint8Array> {
    if (this.#content !== null) {
      const raw = this.#raw ?? this.#content;
      yield* rechunk(Response.#fromSync(raw.byteLength ? [raw] : []), chunkSize);
      return;
    }
    const stream = this.#takeStream();
    try {
      yield* rechunk(this.#counted(stream), chunkSize);
    } finally {
      await this.close();
    }
  }

  /** The decoded body in chunks (of `chunkSize` bytes, the last one shorter). */
  async *iterBytes(chunkSize?: number): AsyncGenerator<Uint8Array> {
    if (this.#content !== null) {
      yield* rechunk(Response.#fromSync(this.#content.byteLength ? [this.#content] : []), chunkSize);
      return;
    }
    const stream = this.#takeStream();
    try {
      yield* rechunk(
        this.#decoded(stream, parseContentEncoding(this.headers.get('content-encoding'))),
        chunkSize,
      );
    } finally {
      await this.close();
    }
  }

  /** The body as text, decoded incrementally; never yields an empty string. */
  async *iterText(chunkSize?: number): AsyncGenerator<string> {
    const decoder = this.#streamingDecoder();
    let buffered = '';
    for await (const chunk of this.iterBytes()) {
      buffered += decoder.decode(chunk);
      if (chunkSize === undefined) {
        if (buffered !== '') yield buffered;
        buffered = '';
        continue;
      }
      while (buffered.length >= chunkSize) {
        yield buffered.slice(0, chunkSize);
        buffered = buffered.slice(chunkSize);
      }
    }
    buffered += decoder.flush();
    if (buffered !== '') yield buffered;
  }

  /** The body split into lines on `\n`, `\r\n` or `\r` (terminators removed). */
  async *iterLines(): AsyncGenerator<string> {
    const lines = new LineDecoder();
    for await (const text of this.iterText()) yield* lines.decode(text);
    yield* lines.flush();
  }

  /** Closes the response, releasing the connection; unread body bytes are discarded. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#elapsed ??= performance.now() - this.#startedAt;
    const stream = this.#stream;
    this.#stream = null;
    // Only wait when there is something to wait for (the network stream closes synchronously).
    const closing = stream?.close?.();
    if (closing !== undefined) await closing;
    const callbacks = this.#onClose;
    this.#onClose = null;
    if (callbacks !== null) for (const callback of callbacks) await callback();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Returns the response on 2xx; otherwise throws `HTTPStatusError` with HTTPX's message. */
  raiseForStatus(): this {
    if (this.#request === null) {
      throw new UsageError(
        'Cannot call `raiseForStatus` as the request instance has not been set on this response.',
      );
    }
    if (this.isSuccess) return this;
    const kind = this.isInformational
      ? 'Informational response'
      : this.isRedirect
        ? 'Redirect response'
        : this.isClientError
          ? 'Client error'
          : this.isServerError
            ? 'Server error'
            : 'Invalid status code';
    let message = `${kind} '${this.statusCode} ${this.reasonPhrase}' for url '${redactUrl(this.url)}'`;
    if (this.hasRedirectLocation) message += `\nRedirect location: '${this.headers.get('location')}'`;
    message += `\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${this.statusCode}`;
    throw new HTTPStatusError(message, { request: this.#request, response: this });
  }

  toString(): string {
    return `<Response [${this.statusCode} ${this.reasonPhrase}]>`;
  }

  toJSON(): Record<string, unknown> {
    return {
      statusCode: this.statusCode,
      reasonPhrase: this.reasonPhrase,
      httpVersion: this.httpVersion,
      url: this.#request === null ? null : redactUrl(this.#request.url),
      headers: this.headers.toJSON(),
    };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #takeStream(): ResponseStream {
    if (this.#consumed) throw new StreamConsumed();
    if (this.#closed || this.#stream === null) throw new StreamClosed();
    this.#consumed = true;
    return this.#stream;
  }

  async *#counted(stream: ResponseStream): AsyncGenerator<Uint8Array> {
    for await (const chunk of stream) {
      this.#numBytesDownloaded += chunk.byteLength;
      yield chunk;
    }
  }

  async *#decoded(stream: ResponseStream, codings: string[]): AsyncGenerator<Uint8Array> {
    // Without a coding the declared length is the body's length: refuse it before reading a byte.
    // (A HEAD, 204 or 304 response declares a length it does not carry.)
    const declared = Number(this.headers.get('content-length'));
    const bodiless = this.#request?.method === 'HEAD' || this.statusCode === 204 || this.statusCode === 304;
    if (codings.length === 0 && !bodiless && Number.isSafeInteger(declared)) this.#checkSize(declared);
    const raw = this.#counted(stream);
    const source = codings.length === 0 ? raw : decodeStream(raw, codings);
    let total = 0;
    for await (const chunk of source) {
      total += chunk.byteLength;
      this.#checkSize(total);
      yield chunk;
    }
  }

  #checkSize(total: number): void {
    if (this.#maxBytes !== null && total > this.#maxBytes) {
      throw new ResponseTooLarge(
        `Response body exceeds maxResponseBytes (${this.#maxBytes} bytes) for url '${this.#request === null ? '' : redactUrl(this.#request.url)}'`,
        { request: this.#request },
      );
    }
  }

  #streamingDecoder(): { decode(chunk: Uint8Array): string; flush(): string } {
    const encoding = this.encoding;
    if (/^utf-?32/i.test(encoding)) {
      const chunks: Uint8Array[] = [];
      return {
        decode: (chunk) => {
          chunks.push(chunk);
          return '';
        },
        flush: () => decodeText(Buffer.concat(chunks), encoding),
      };
    }
    if (isLatin1(encoding)) {
      // Single-byte: every chunk decodes on its own.
      return { decode: (chunk) => decodeText(chunk, encoding), flush: () => '' };
    }
    const decoder = new TextDecoder(toWhatwgLabel(encoding), { fatal: false });
    return { decode: (chunk) => decoder.decode(chunk, { stream: true }), flush: () => decoder.decode() };
  }
}
