import { Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { DecodingError, HTTPError } from '../errors.js';
import { type FramePiece, ZstdFrameScanner } from './zstd-frames.js';

type ZstdCapableZlib = typeof zlib & {
  createZstdDecompress?: () => Transform;
  zstdDecompressSync?: (buffer: Uint8Array) => Buffer;
};
const createZstd = (zlib as ZstdCapableZlib).createZstdDecompress;
const zstdSync = (zlib as ZstdCapableZlib).zstdDecompressSync;

/** The codings this runtime can decode, in the order advertised in `Accept-Encoding`. */
export const SUPPORTED_ENCODINGS: readonly string[] = createZstd
  ? ['gzip', 'deflate', 'br', 'zstd']
  : ['gzip', 'deflate', 'br'];
export const ACCEPT_ENCODING = SUPPORTED_ENCODINGS.join(', ');

// zstd is always recognised: where Node cannot decode it, the body fails with a DecodingError
// saying so, rather than reaching the caller still compressed.
const DECODABLE = new Set([...SUPPORTED_ENCODINGS, 'zstd', 'x-gzip']);

const ZSTD_MISSING = `Cannot decode a zstd response body: Node.js ${process.version} has no zstd support (zlib.createZstdDecompress needs Node.js 22.15 or later)`;

/** The codings of a `Content-Encoding` value that must be undone, innermost last; identity and unknown ones are dropped. */
export function parseContentEncoding(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => DECODABLE.has(c));
}

function looksLikeZlib(first: Uint8Array): boolean {
  // RFC 1950: CM = 8 in the low nibble of CMF, and CMF·256 + FLG divisible by 31.
  const cmf = first[0];
  const flg = first[1];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

function createDecoder(coding: string, first: Uint8Array): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return looksLikeZlib(first) ? zlib.createInflate() : zlib.createInflateRaw();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd':
      if (!createZstd) throw new DecodingError(ZSTD_MISSING);
      return createZstd();
    default:
      throw new DecodingError(`Unsupported content encoding ${JSON.stringify(coding)}`);
  }
}

function toDecodingError(error: unknown, coding: string): Error {
  if (error instanceof HTTPError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new DecodingError(`Failed to decode ${coding} response body: ${reason}`, { cause: error });
}

async function* decodeOne(source: AsyncIterable<Uint8Array>, coding: string): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.byteLength === 0) first = await iterator.next();
  if (first.done) return; // An empty body is valid for every coding.

  // Telling zlib from raw deflate takes the first two bytes, which may arrive in separate chunks.
  let firstChunk = first.value;
  while (firstChunk.byteLength < 2) {
    const next = await iterator.next();
    if (next.done) break;
    firstChunk = Buffer.concat([firstChunk, next.value]);
  }
  let decoder: Transform;
  try {
    decoder = createDecoder(coding, firstChunk);
  } catch (error) {
    throw toDecodingError(error, coding);
  }
  const input = Readable.from(
    (async function* () {
      yield firstChunk;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  input.on('error', (error) => decoder.destroy(error));
  input.pipe(decoder);
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) {
      if (chunk.byteLength > 0) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (error) {
    throw toDecodingError(error, coding);
  } finally {
    input.destroy();
    decoder.destroy();
  }
}

async function* zstdPieces(source: AsyncIterable<Uint8Array>): AsyncGenerator<FramePiece> {
  const scanner = new ZstdFrameScanner();
  for await (const chunk of source) yield* scanner.scan(chunk);
  yield* scanner.end();
}

/** zstd, one frame at a time (a body may hold several, and skippable frames between them). */
async function* decodeZstd(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const pieces = zstdPieces(source)[Symbol.asyncIterator]();
  let pending = await pieces.next();
  while (!pending.done) {
    const frame = async function* (): AsyncGenerator<Uint8Array> {
      while (!pending.done) {
        const piece = pending.value;
        pending = await pieces.next();
        if (piece.bytes.byteLength > 0) yield piece.bytes;
        if (piece.frameEnd) return;
      }
    };
    yield* decodeOne(frame(), 'zstd');
  }
}

function decodeZstdSync(bytes: Uint8Array): Uint8Array {
  if (!zstdSync) throw new DecodingError(ZSTD_MISSING);
  const scanner = new ZstdFrameScanner();
  const outputs: Uint8Array[] = [];
  let frame: Uint8Array[] = [];
  for (const piece of [...scanner.scan(bytes), ...scanner.end()]) {
    frame.push(piece.bytes);
    if (piece.frameEnd) {
      outputs.push(zstdSync(Buffer.concat(frame)));
      frame = [];
    }
  }
  if (frame.length > 0) outputs.push(zstdSync(Buffer.concat(frame)));
  return outputs.length === 1 ? (outputs[0] as Uint8Array) : Buffer.concat(outputs);
}

/** Decodes a body stream through each coding in reverse order of application (`deflate, gzip` → gunzip first). */
export function decodeStream(
  raw: AsyncIterable<Uint8Array>,
  codings: readonly string[],
): AsyncIterable<Uint8Array> {
  let stream = raw;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i] as string;
    stream = coding === 'zstd' ? decodeZstd(stream) : decodeOne(stream, coding);
  }
  return stream;
}

function decodeOneSync(bytes: Uint8Array, coding: string): Uint8Array {
  if (bytes.byteLength === 0) return bytes;
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(bytes);
      case 'deflate':
        return looksLikeZlib(bytes) ? zlib.inflateSync(bytes) : zlib.inflateRawSync(bytes);
      case 'br':
        return zlib.brotliDecompressSync(bytes);
      case 'zstd':
        return decodeZstdSync(bytes);
      default:
        throw new DecodingError(`Unsupported content encoding ${JSON.stringify(coding)}`);
    }
  } catch (error) {
    throw toDecodingError(error, coding);
  }
}

/** `decodeStream` for a body already in memory (a `Response` built with `content`), synchronously. */
export function decodeBytes(raw: Uint8Array, codings: readonly string[]): Uint8Array {
  let bytes = raw;
  for (let i = codings.length - 1; i >= 0; i--) bytes = decodeOneSync(bytes, codings[i] as string);
  return bytes;
}
