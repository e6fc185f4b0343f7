import { inspect } from 'node:util';
import { type BodyInit, BytesBody, encodeBody, type RequestBody } from '../content/body.js';
import { boundaryFromContentType } from '../content/multipart.js';
import { LocalProtocolError, RequestNotRead } from '../errors.js';
import { redactUrl } from '../internal/redact.js';
import { Cookies, type CookiesInit } from './cookies.js';
import { Headers, type HeadersInit } from './headers.js';
import { type ParamsInit, QueryParams } from './query-params.js';
import { appendParams, hostHeader, parseAbsoluteUrl } from './urls.js';

export interface RequestInit extends BodyInit {
  params?: ParamsInit | undefined;
  headers?: HeadersInit | undefined;
  cookies?: CookiesInit | undefined;
  extensions?: Record<string, unknown> | undefined;
  signal?: AbortSignal | undefined;
  /** A prepared body (what a transport or auth flow re-sends); wins over content/data/files/json. */
  body?: RequestBody | null | undefined;
}

// The URL the client just built for the Request it is constructing, which may keep it as it is.
// One slot is enough: the client marks its URL as the argument of that very `new Request`.
let adopted: URL | null = null;

/** @internal Marks a freshly parsed URL that nobody else holds, so the next `new Request` keeps it without copying. */
export function adoptUrl(url: URL): URL {
  adopted = url;
  return url;
}

const BODYLESS_NEEDS_LENGTH = new Set(['POST', 'PUT', 'PATCH']);
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** An HTTP request, as built by `Client.buildRequest` or by hand, and as transports receive it. */
export class Request {
  method: string;
  url: URL;
  headers: Headers;
  extensions: Record<string, unknown>;
  signal: AbortSignal | null;
  #body: RequestBody | null;

  constructor(method: string, url: string | URL, init: RequestInit = {}) {
    const ownUrl = adopted;
    adopted = null;
    const upper = method.toUpperCase();
    if (!METHOD.test(upper)) {
      // A method with spaces, CR/LF or NUL would corrupt the request line.
      throw new LocalProtocolError(`Invalid HTTP method ${JSON.stringify(method)}`);
    }
    this.method = upper;
    this.url = url === ownUrl ? url : parseAbsoluteUrl(url);
    // An empty QueryParams (the client's usual default) would add nothing: skip the copy.
    if (init.params !== undefined && !(init.params instanceof QueryParams && init.params.isEmpty)) {
      appendParams(this.url, new QueryParams(init.params));
    }
    this.extensions = { ...(init.extensions ?? {}) };
    this.signal = init.signal ?? null;

    const headers = Headers.view(init.headers);
    let encodedHeaders: Array<[string, string]> = [];
    if (init.body !== undefined) {
      this.#body = init.body;
    } else if (
      init.content === undefined &&
      init.data === undefined &&
      init.files === undefined &&
      init.json === undefined
    ) {
      this.#body = null;
    } else {
      const encoded = encodeBody(init, boundaryFromContentType(headers.get('content-type')));
      this.#body = encoded.body;
      encodedHeaders = encoded.headers;
    }

    // Wire order as HTTPX: Host first, then Content-Length for a body-less POST/PUT/PATCH, the
    // caller's headers, and the headers implied by the body last (unless the caller set them).
    const ordered = new Headers();
    if (!headers.has('host')) ordered.set('Host', hostHeader(this.url));
    if (this.#body === null && BODYLESS_NEEDS_LENGTH.has(this.method) && !headers.has('content-length')) {
      ordered.set('Content-Length', '0');
    }
    ordered.appendAll(headers);
    for (const [name, value] of encodedHeaders) {
      if (name === 'Content-Type' && ordered.has('content-type')) {
        const caller = ordered.get('content-type') as string;
        // A multipart Content-Type without a boundary gets ours, so body and header agree (HTTPX bug).
        if (/^\s*multipart\/form-data/i.test(caller) && boundaryFromContentType(caller) === null) {
          const boundary = boundaryFromContentType(value) as string;
          ordered.set('Content-Type', `${caller.replace(/;\s*$/, '')}; boundary=${boundary}`);
        }
        continue;
      }
      if (name === 'Transfer-Encoding' && ordered.has('content-length')) continue;
      if (!ordered.has(name)) ordered.append(name, value);
    }
    if (init.cookies !== undefined) {
      const cookieHeader = new Cookies(init.cookies).headerFor(this.url);
      if (cookieHeader !== '') ordered.set('Cookie', cookieHeader);
    }
    this.headers = ordered;
  }

  /** The body the transport sends, or null for none. */
  get body(): RequestBody | null {
    return this.#body;
  }

  set body(body: RequestBody | null) {
    this.#body = body;
  }

  /** The whole body; `RequestNotRead` while it is an unread stream (call `read()` first). */
  get content(): Uint8Array {
    if (this.#body === null) return new Uint8Array(0);
    if (this.#body.bytes === null) throw new RequestNotRead();
    return this.#body.bytes;
  }

  /** Reads a streaming body into memory (after which it can be sent again) and returns it. */
  async read(): Promise<Uint8Array> {
    if (this.#body === null) return new Uint8Array(0);
    if (this.#body.bytes !== null) return this.#body.bytes;
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.#body.stream()) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    this.#body = new BytesBody(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return this.#body.bytes as Uint8Array;
  }

  toString(): string {
    return `<Request(${this.method}, '${redactUrl(this.url)}')>`;
  }

  toJSON(): Record<string, unknown> {
    return { method: this.method, url: redactUrl(this.url), headers: this.headers.toJSON() };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
