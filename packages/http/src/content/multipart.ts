import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { LocalProtocolError, StreamConsumed, UsageError } from '../errors.js';
import { loadMimeTypes } from '../internal/lazy-dependencies.js';
import { Headers, type HeadersInit } from '../models/headers.js';
import type { Primitive } from '../models/query-params.js';
import { checkKey, primitiveToString } from '../models/query-params.js';
import type { DataInit, RequestBody } from './body.js';
import { FileSource } from './file-from-path.js';

export type FileContent = Blob | FileSource | Uint8Array | string | NodeJS.ReadableStream;
export type FileInit =
  | FileContent
  | readonly [
      filename: string | null,
      content: FileContent,
      contentType?: string | null,
      headers?: HeadersInit,
    ];
export type FilesInit = Record<string, FileInit> | ReadonlyArray<readonly [field: string, file: FileInit]>;

const encoder = new TextEncoder();
const CRLF = encoder.encode('\r\n');

// HTML5 form encoding of names: `"` → %22, `\` → `\\`, controls → %XX; UTF-8 stays raw. HTTPX
// leaves ESC (and DEL) raw, and parsers such as busboy then reject the whole body: we encode them.
function formatParam(name: string, value: string): string {
  const escaped = value.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    if (c === '"') return '%22';
    if (c === '\\') return '\\\\';
    return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  });
  return `${name}="${escaped}"`;
}

interface Part {
  head: Uint8Array;
  size: number | null;
  replayable: boolean;
  open(): AsyncIterable<Uint8Array>;
}

function isNodeReadable(value: unknown): value is NodeJS.ReadableStream {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}

function contentPart(head: string, content: FileContent): Part {
  const headBytes = encoder.encode(head);
  if (typeof content === 'string') content = encoder.encode(content);
  if (content instanceof Uint8Array) {
    const bytes = content;
    return {
      head: headBytes,
      size: bytes.byteLength,
      replayable: true,
      async *open() {
        if (bytes.byteLength > 0) yield bytes;
      },
    };
  }
  if (typeof Blob !== 'undefined' && content instanceof Blob) {
    const blob = content;
    return {
      head: headBytes,
      size: blob.size,
      replayable: true,
      open: () => Readable.fromWeb(blob.stream() as import('node:stream/web').ReadableStream<Uint8Array>),
    };
  }
  if (content instanceof FileSource) {
    const file = content;
    return { head: headBytes, size: file.size, replayable: true, open: () => file.open() };
  }
  if (isNodeReadable(content)) {
    let stream: NodeJS.ReadableStream | null = content;
    return {
      head: headBytes,
      size: readStreamSize(content),
      replayable: false,
      async *open() {
        if (stream === null) throw new StreamConsumed();
        const source = stream;
        stream = null;
        for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
          yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
        }
      },
    };
  }
  throw new UsageError(
    `Unexpected type for a multipart file: ${Object.prototype.toString.call(content)}; use fileFromPath(), a Blob, bytes, a string or a Node stream`,
  );
}

// A whole-file fs.ReadStream has a size we can know without reading it, so Content-Length can be sent.
function readStreamSize(stream: NodeJS.ReadableStream): number | null {
  const s = stream as NodeJS.ReadableStream & { path?: unknown; start?: unknown; end?: unknown };
  if (typeof s.path !== 'string' || s.start !== undefined || (s.end !== undefined && s.end !== Infinity))
    return null;
  try {
    return statSync(s.path).size;
  } catch {
    return null;
  }
}

function defaultFilename(content: FileContent): string {
  const named = content as { name?: unknown; path?: unknown };
  if (typeof named.name === 'string' && named.name !== '') return basename(named.name);
  if (typeof named.path === 'string' && named.path !== '') return basename(named.path);
  return 'upload';
}

function filePart(field: string, file: FileInit): Part {
  let filename: string | null;
  let content: FileContent;
  let contentType: string | null | undefined;
  let extra: Headers;
  if (Array.isArray(file)) {
    const tuple = file as readonly [string | null, FileContent, (string | null)?, HeadersInit?];
    [filename, content, contentType] = tuple;
    extra = new Headers(tuple[3] ?? null);
  } else {
    content = file as FileContent;
    filename = defaultFilename(content);
    extra = new Headers();
  }
  // As HTTPX: an empty filename counts as none, and only a named file gets a guessed type; an
  // explicit type is kept even without a filename.
  const name = filename === '' ? null : filename;
  if (name !== null && (contentType === undefined || contentType === null)) {
    contentType = loadMimeTypes().lookup(name) || 'application/octet-stream';
  }
  let head = `Content-Disposition: form-data; ${formatParam('name', field)}`;
  if (name !== null) head += `; ${formatParam('filename', name)}`;
  head += '\r\n';
  const explicitType = extra.get('content-type');
  extra.delete('content-type');
  for (const [header, value] of extra.raw) head += `${header}: ${value}\r\n`;
  const type = explicitType ?? contentType ?? null;
  // The part's head is written verbatim: a CR or LF here would start a forged header or part.
  if (type && /[\r\n\0]/.test(type)) {
    throw new LocalProtocolError(
      `Invalid content type for file field ${JSON.stringify(field)}: CR, LF and NUL are not allowed`,
    );
  }
  if (type) head += `Content-Type: ${type}\r\n`;
  return contentPart(`${head}\r\n`, content);
}

function fieldParts(data: DataInit): Part[] {
  const parts: Part[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? (value as Primitive[]) : [value as Primitive];
    for (const v of values) {
      parts.push(
        contentPart(
          `Content-Disposition: form-data; ${formatParam('name', name)}\r\n\r\n`,
          primitiveToString(v, `form field ${JSON.stringify(name)}`),
        ),
      );
    }
  }
  return parts;
}

/**
 * A streaming `multipart/form-data` body: fields first, then files, each read only while it is
 * being sent, so a large file costs constant memory. `length` is known when every part's size is.
 */
export class MultipartBody implements RequestBody {
  readonly boundary: string;
  readonly contentType: string;
  readonly length: number | null;
  readonly replayable: boolean;
  readonly bytes = null;
  readonly #parts: Part[];
  #started = false;

  constructor(data: DataInit, files: FilesInit, boundary: string | null = null) {
    this.boundary = boundary ?? randomBytes(16).toString('hex');
    this.contentType = `multipart/form-data; boundary=${this.boundary}`;
    const fileEntries = Array.isArray(files)
      ? (files as ReadonlyArray<readonly [string, FileInit]>)
      : Object.entries(files as Record<string, FileInit>);
    this.#parts = [
      ...fieldParts(data),
      ...fileEntries.map(([field, file]) => filePart(checkKey(field, 'multipart field'), file)),
    ];
    this.replayable = this.#parts.every((p) => p.replayable);
    const delimiter = encoder.encode(`--${this.boundary}\r\n`).byteLength;
    let length: number | null = encoder.encode(`--${this.boundary}--\r\n`).byteLength;
    for (const part of this.#parts) {
      if (part.size === null || length === null) {
        length = null;
        continue;
      }
      length += delimiter + part.head.byteLength + part.size + CRLF.byteLength;
    }
    this.length = length;
  }

  /** A body with a one-shot part (a Node stream) that already went out: it cannot be sent again. */
  get consumed(): boolean {
    return this.#started && !this.replayable;
  }

  async *stream(): AsyncIterable<Uint8Array> {
    this.#started = true;
    const delimiter = encoder.encode(`--${this.boundary}\r\n`);
    for (const part of this.#parts) {
      yield delimiter;
      yield part.head;
      yield* part.open();
      yield CRLF;
    }
    yield encoder.encode(`--${this.boundary}--\r\n`);
  }
}

/** The boundary in a caller's `multipart/form-data` Content-Type, if it has one (quoted or not). */
export function boundaryFromContentType(contentType: string | null): string | null {
  if (contentType === null || !/^\s*multipart\/form-data/i.test(contentType)) return null;
  const match = /(?:^|;)\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const value = match?.[1] ?? match?.[2];
  return value ? value : null;
}
