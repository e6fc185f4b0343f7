import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodingError, Response } from '../src/index.js';

const SEED = 0xdec0;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

type Compress = (data: Buffer) => Buffer;
const zstdCompress = (zlib as typeof zlib & { zstdCompressSync?: Compress }).zstdCompressSync;

// Content-Encoding token → compressor. 'deflate' is sent both ways servers send it: zlib-wrapped
// (RFC 9110) and raw.
const CODERS: Array<[name: string, coding: string, compress: Compress]> = [
  ['gzip', 'gzip', (d) => zlib.gzipSync(d)],
  ['x-gzip', 'x-gzip', (d) => zlib.gzipSync(d)],
  ['deflate (zlib)', 'deflate', (d) => zlib.deflateSync(d)],
  ['deflate (raw)', 'deflate', (d) => zlib.deflateRawSync(d)],
  ['br', 'br', (d) => zlib.brotliCompressSync(d)],
  ...(zstdCompress ? [['zstd', 'zstd', (d: Buffer) => zstdCompress(d)] as [string, string, Compress]] : []),
];
/** Codings with an integrity check: a damaged body must fail rather than decode to other bytes. */
const CHECKED = new Set(['gzip', 'x-gzip']);

const payload = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
  // Compressible text, so back-references and multi-block streams come up.
  fc
    .tuple(fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 400 }))
    .map(([unit, times]) => Buffer.from(unit.repeat(times))),
);

/** Cut points for splitting a body into chunks; empty chunks included on purpose. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });
function split(body: Buffer, at: number[]): Buffer[] {
  const points = at.map((f) => Math.floor(f * body.byteLength)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, body.byteLength]) {
    chunks.push(body.subarray(start, point));
    start = point;
  }
  return chunks;
}

async function decodeChunks(chunks: Buffer[], codings: string): Promise<Buffer> {
  const response = new Response(200, {
    headers: { 'Content-Encoding': codings },
    stream: (async function* () {
      yield* chunks;
    })(),
  });
  return Buffer.from(await response.read());
}

const decode = (body: Buffer, codings: string, at: number[]) => decodeChunks(split(body, at), codings);

/** Fails the test if decoding neither settles nor errors in time (a hang). */
async function bounded<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`decoding did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of decoding damaged input: the bytes, or the DecodingError; anything else is thrown. */
async function outcome(body: Buffer, codings: string, at: number[]): Promise<Buffer | DecodingError> {
  try {
    return await bounded(decode(body, codings, at));
  } catch (error) {
    if (error instanceof DecodingError) return error;
    throw error;
  }
}

describe('content decoding (property-based)', () => {
  it.each(CODERS)(
    '%s: compressed bytes decode exactly, whatever the chunk boundaries',
    async (_name, coding, compress) => {
      await fc.assert(
        fc.asyncProperty(payload, cuts, async (data, at) => {
          expect((await bounded(decode(compress(data), coding, at))).equals(data)).toBe(true);
        }),
        run(120),
      );
    },
  );

  it('regression: zlib-wrapped deflate whose first chunk is one byte', async () => {
    // Found by the chunk-boundary property: one byte was too little to recognise the zlib header,
    // so the body went to the raw inflater and failed with "invalid stored block lengths".
    const data = Buffer.from('    !'.repeat(60));
    const body = zlib.deflateSync(data);
    expect((await decodeChunks([body.subarray(0, 1), body.subarray(1)], 'deflate')).equals(data)).toBe(true);
    const empty = Buffer.alloc(0);
    const pieces = [empty, body.subarray(0, 1), empty, body.subarray(1, 2), body.subarray(2)];
    expect((await decodeChunks(pieces, 'deflate')).equals(data)).toBe(true);
  });

  it('stacked codings are undone in reverse order of application', async () => {
    const stack = fc.array(fc.constantFrom(...CODERS), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(payload, stack, cuts, async (data, coders, at) => {
        let body: Buffer = data;
        for (const [, , compress] of coders) body = compress(body);
        const header = coders.map(([, coding]) => coding).join(', ');
        expect((await bounded(decode(body, header, at))).equals(data)).toBe(true);
      }),
      run(150),
    );
  });

  it.each(CODERS)(
    '%s: truncated input is a DecodingError or the exact bytes, never another error',
    async (_name, coding, compress) => {
      await fc.assert(
        fc.asyncProperty(
          payload,
          fc.double({ min: 0, max: 1, noNaN: true }),
          cuts,
          async (data, keep, at) => {
            const full = compress(data);
            // At least one byte stays: an empty body is a valid (empty) encoding.
            const truncated = full.subarray(0, 1 + Math.floor(keep * (full.byteLength - 1)));
            fc.pre(truncated.byteLength < full.byteLength);
            const result = await outcome(truncated, coding, at);
            if (!(result instanceof DecodingError)) expect(result.equals(data)).toBe(true);
          },
        ),
        run(100),
      );
    },
  );

  it.each(CODERS)(
    '%s: a flipped bit or appended garbage is a DecodingError or some bytes, never a crash or hang',
    async (name, coding, compress) => {
      const damage = fc.oneof(
        fc.record({
          kind: fc.constant('flip' as const),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          bit: fc.integer({ min: 0, max: 7 }),
        }),
        fc.record({
          kind: fc.constant('append' as const),
          extra: fc.uint8Array({ minLength: 1, maxLength: 32 }),
        }),
      );
      await fc.assert(
        fc.asyncProperty(payload, damage, cuts, async (data, d, at) => {
          const body = Buffer.from(compress(data));
          let damaged: Buffer;
          if (d.kind === 'flip') {
            const index = Math.floor(d.at * body.byteLength) % body.byteLength;
            body[index] = (body[index] as number) ^ (1 << d.bit);
            damaged = body;
          } else {
            damaged = Buffer.concat([body, d.extra]);
          }
          const result = await outcome(damaged, coding, at);
          // A checked coding must not turn damage into different bytes.
          if (CHECKED.has(name) && !(result instanceof DecodingError)) expect(result.equals(data)).toBe(true);
        }),
        run(100),
      );
    },
  );

  it.each(CODERS)(
    '%s: random garbage is a DecodingError or some bytes, never a crash or hang',
    async (_name, coding) => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), cuts, async (garbage, at) => {
          await outcome(Buffer.from(garbage), coding, at);
        }),
        run(100),
      );
    },
  );
});
