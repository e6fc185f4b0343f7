import { Readable } from 'node:stream';
import { StreamConsumed, UsageError } from '../errors.js';
import { encodeForm, type Primitive, primitiveToString } from '../models/query-params.js';
import { FileSource } from './file-from-path.js';
import { type FilesInit, MultipartBody } from './multipart.js';

export type ContentInit =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | FileSource
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array>
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>;
export type DataInit = Record<string, Primitive | readonly Primitive[] | undefined>;

export interface BodyInit {
  content?: ContentInit | undefined;
  data?: DataInit | undefined;
  files?: FilesInit | undefined;
  json?: unknown;
}

/**
 * A request body as the transports see it. `length` (when known) becomes `Content-Length`;
 * otherwise the body goes out chunked. A body that is not `replayable` can be sent only once,
 * so redirects and retries that would resend it fail instead of sending something else.
 */
export interface RequestBody {
  readonly length: number | null;
  readonly replayable: boolean;
  /** A one-shot body whose stream was already started: sending it again must fail. */
  readonly consumed?: boolean;
  /** The whole body when it is in memory. */
  readonly bytes: Uint8Array | null;
  stream(): AsyncIterable<Uint8Array>;
}

export class BytesBody implements RequestBody {
  readonly replayable = true;
  constructor(readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.byteLength;
  }
  async *stream(): AsyncIterable<Uint8Array> {
    if (this.bytes.byteLength > 0) yield this.bytes;
  }
}

/** A body of known size that is read afresh on every send (a Blob, a file on disk), so it can be resent. */
export class ReopenableBody implements RequestBody {
  readonly replayable = true;
  readonly bytes = null;
  constructor(
    readonly length: number,
    readonly stream: () => AsyncIterable<Uint8Array>,
  ) {}
}

/** A one-shot source: a Node stream, a generator, or any (async) iterable of bytes. */
export class IterableBody implements RequestBody {
  readonly replayable = false;
  readonly bytes = null;
  #source: Iterable<Uint8Array> | AsyncIterable<Uint8Array> | null;

  constructor(
    source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    readonly length: number | null = null,
  ) {
    this.#source = source;
  }

  get consumed(): boolean {
    return this.#source === null;
  }

  async *stream(): AsyncIterable<Uint8Array> {
    const source = this.#source;
    if (source === null) throw new StreamConsumed();
    this.#source = null;
    for await (const chunk of source as AsyncIterable<unknown>) {
      if (typeof chunk === 'string') yield new TextEncoder().encode(chunk);
      else if (chunk instanceof Uint8Array) yield chunk;
      else throw new UsageError(`Request body chunks must be Uint8Array, got ${typeof chunk}`);
    }
  }
}

const encoder = new TextEncoder();

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function isIterable(value: unknown): value is Iterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

export function contentBody(content: ContentInit): RequestBody {
  if (typeof content === 'string') return new BytesBody(encoder.encode(content));
  if (content instanceof Uint8Array) return new BytesBody(content);
  if (content instanceof ArrayBuffer) return new BytesBody(new Uint8Array(content));
  if (typeof Blob !== 'undefined' && content instanceof Blob) {
    return new ReopenableBody(content.size, () =>
      Readable.fromWeb(content.stream() as import('node:stream/web').ReadableStream<Uint8Array>),
    );
  }
  if (content instanceof FileSource) return new ReopenableBody(content.size, () => content.open());
  if (isAsyncIterable(content) || isIterable(content)) return new IterableBody(content);
  if (typeof ReadableStream !== 'undefined' && content instanceof ReadableStream) {
    return new IterableBody(
      Readable.fromWeb(content as import('node:stream/web').ReadableStream<Uint8Array>),
    );
  }
  throw new UsageError(`Unexpected type for 'content': ${Object.prototype.toString.call(content)}`);
}

/** `application/x-www-form-urlencoded`: `true` → `true`, `null` → empty, arrays repeat the key. */
export function formPairs(data: DataInit): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    const field = `form field ${JSON.stringify(key)}`;
    if (Array.isArray(value))
      for (const v of value as Primitive[]) pairs.push([key, primitiveToString(v, field)]);
    else pairs.push([key, primitiveToString(value as Primitive, field)]);
  }
  return pairs;
}

/** Compact JSON in UTF-8; `NaN` and `Infinity` are errors rather than silently becoming `null`. */
export function encodeJson(value: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new UsageError(`Out of range float values are not JSON compliant: ${v}`);
      }
      if (typeof v === 'bigint') throw new UsageError('BigInt values are not JSON serializable');
      return v;
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // A cycle (or a throwing toJSON): V8's message says where, and names no values.
    throw new UsageError(`Value is not JSON serializable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new UsageError(`Value is not JSON serializable: ${String(value)}`);
  return encoder.encode(text);
}

function isEmptyCollection(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

export interface EncodedBody {
  body: RequestBody | null;
  /** Headers implied by the body (`Content-Type`, `Content-Length`, `Transfer-Encoding`), in wire order. */
  headers: Array<[string, string]>;
}

/**
 * Turns the body options of a request into a `RequestBody` and the headers it implies.
 * Exactly one of `content`, `data`, `json` may be given (`data` with `files` is the one pair allowed).
 */
export function encodeBody(init: BodyInit, boundary: string | null = null): EncodedBody {
  const given = (['content', 'data', 'json'] as const).filter((k) => init[k] !== undefined);
  if (given.length > 1) {
    throw new UsageError(
      `Pass only one of ${given.map((k) => `'${k}'`).join(' and ')}: they are all request bodies`,
    );
  }
  if (init.files !== undefined && init.content !== undefined) {
    throw new UsageError(
      "Pass either 'files' or 'content': multipart bodies are built from 'files' and 'data'",
    );
  }
  if (init.files !== undefined && init.json !== undefined) {
    throw new UsageError("'json' cannot be combined with 'files': use 'data' for the form fields");
  }

  let body: RequestBody | null = null;
  let contentType: string | null = null;
  // As HTTPX: empty `files` (and empty `data`) mean no body at all, not an empty multipart one.
  if (init.files !== undefined && !isEmptyCollection(init.files)) {
    const multipart = new MultipartBody(init.data ?? {}, init.files, boundary);
    body = multipart;
    contentType = multipart.contentType;
  } else if (init.content !== undefined) {
    body = contentBody(init.content);
  } else if (init.data !== undefined) {
    if (typeof init.data !== 'object' || init.data === null || init.data instanceof Uint8Array) {
      throw new UsageError("'data' must be an object of form fields; pass raw bytes or text as 'content'");
    }
    const pairs = formPairs(init.data);
    if (pairs.length === 0 && isEmptyCollection(init.data)) return { body: null, headers: [] };
    body = new BytesBody(encoder.encode(encodeForm(pairs)));
    contentType = 'application/x-www-form-urlencoded';
  } else if (init.json !== undefined) {
    body = new BytesBody(encodeJson(init.json));
    contentType = 'application/json';
  }
  return { body, headers: bodyHeaders(body, contentType) };
}

export function bodyHeaders(body: RequestBody | null, contentType: string | null): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  if (body === null) return headers;
  if (body.length !== null) {
    if (body.length > 0 || body.bytes === null) headers.push(['Content-Length', String(body.length)]);
  } else {
    headers.push(['Transfer-Encoding', 'chunked']);
  }
  if (contentType !== null) headers.push(['Content-Type', contentType]);
  return headers;
}
