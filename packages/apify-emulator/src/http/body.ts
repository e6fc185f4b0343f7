import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { ApiError } from '../errors.js';

export type ContentEncoding = 'br' | 'gzip' | 'deflate';

export interface ReadBody {
  /** The body after decoding its Content-Encoding. */
  readonly decoded: Buffer;
  /** The body exactly as received (equal to `decoded` when there was no encoding). */
  readonly encoded: Buffer;
  readonly encoding: ContentEncoding | null;
}

export function parseContentEncoding(header: string | null): ContentEncoding | null {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return null;
  if (value === 'br' || value === 'gzip' || value === 'deflate') return value;
  if (value === 'x-gzip') return 'gzip';
  throw new ApiError(
    415,
    'unsupported-content-encoding',
    `Content-Encoding '${header}' is not supported; use br, gzip, deflate or identity`,
  );
}

function tooLarge(limit: number, actual: number | null): ApiError {
  const actualText = actual === null ? `more than ${limit}` : String(actual);
  return new ApiError(
    413,
    'request-too-large',
    `The POST payload is too large (limit: ${limit} bytes, actual length: ${actualText} bytes).`,
  );
}

/** HTTP "deflate" is meant to be zlib-wrapped, but some senders use raw deflate: sniff the zlib header. */
function deflateDecoder(first: Buffer): Transform {
  const b0 = first[0];
  const b1 = first[1];
  const zlibWrapped = b0 !== undefined && b1 !== undefined && (b0 & 0x0f) === 8 && (b0 * 256 + b1) % 31 === 0;
  return zlibWrapped ? createInflate() : createInflateRaw();
}

function decoderFor(encoding: ContentEncoding, first: Buffer): Transform {
  if (encoding === 'br') return createBrotliDecompress();
  if (encoding === 'gzip') return createGunzip();
  return deflateDecoder(first);
}

/** How long a request body may pause between two chunks before the emulator gives up on it. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

function stalled(idleMs: number): ApiError {
  return new ApiError(
    408,
    'request-timeout',
    `The request body stalled: no bytes arrived for ${idleMs} ms, so the request was dropped`,
  );
}

/** One read that fails when the sender stays silent for `idleMs`; the timer never outlives the read. */
function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleMs: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(stalled(idleMs)), idleMs);
    reader.read().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The body's chunks. A sender that goes quiet (one byte, then nothing) would otherwise hold the
 * handler until the socket dies; this ends it with 408 and cancels the stream.
 */
async function* chunksOf(body: ReadableStream<Uint8Array>, idleMs: number): AsyncGenerator<Buffer> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await readWithin(reader, idleMs);
      if (next.done) {
        done = true;
        return;
      }
      yield Buffer.from(next.value);
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/**
 * Reads a request body, decoding br/gzip/deflate as a stream and stopping as soon as the DECODED size
 * passes `limit`, so a small compressed bomb never expands in memory. A pause longer than `idleMs`
 * between two chunks fails with 408.
 */
export async function readBody(
  request: Request,
  limit: number,
  idleMs: number = DEFAULT_BODY_TIMEOUT_MS,
): Promise<ReadBody> {
  const encoding = parseContentEncoding(request.headers.get('content-encoding'));
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (encoding === null && Number.isFinite(declared) && declared > limit) throw tooLarge(limit, declared);
  if (request.body === null) return { decoded: Buffer.alloc(0), encoded: Buffer.alloc(0), encoding };

  const encodedChunks: Buffer[] = [];
  let encodedSize = 0;
  // Compressed input is capped too: garbage that never decodes must not be buffered without bound.
  const encodedLimit = encoding === null ? limit : limit * 2 + 1024;
  const collectEncoded = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      encodedSize += chunk.length;
      if (encodedSize > encodedLimit) return cb(tooLarge(limit, null));
      encodedChunks.push(chunk);
      cb(null, chunk);
    },
  });
  const chunks = chunksOf(request.body, idleMs);

  if (encoding === null) {
    await pipeline(Readable.from(chunks), collectEncoded, new Writable({ write: (_c, _e, cb) => cb() }));
    const bytes = Buffer.concat(encodedChunks);
    return { decoded: bytes, encoded: bytes, encoding };
  }

  const decodedChunks: Buffer[] = [];
  let decodedSize = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      decodedSize += chunk.length;
      if (decodedSize > limit) return cb(tooLarge(limit, null));
      decodedChunks.push(chunk);
      cb();
    },
  });

  const head = await chunks.next();
  const firstChunk = head.done ? Buffer.alloc(0) : head.value;
  async function* rest(): AsyncGenerator<Buffer> {
    if (firstChunk.length > 0) yield firstChunk;
    yield* chunks;
  }
  try {
    await pipeline(Readable.from(rest()), collectEncoded, decoderFor(encoding, firstChunk), sink);
  } catch (error) {
    await chunks.return(undefined).catch(() => undefined);
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'invalid-request', `The request body could not be decoded as ${encoding}`);
  }
  return { decoded: Buffer.concat(decodedChunks), encoded: Buffer.concat(encodedChunks), encoding };
}

/** Decodes stored bytes (a KVS record kept in its upload encoding) for a client that cannot accept it. */
export async function decodeBuffer(bytes: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from([bytes]),
    decoderFor(encoding, bytes),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(chunks);
}

export function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid-request', `${what} must be valid JSON`);
  }
}
