import type { Response, ResponseStream } from '../models/response.js';
import type { CacheWriter } from './store.js';

/**
 * The body of `source` as a stream that also writes every chunk to `writer` as the caller reads it
 * (never buffering the whole body). The entry is committed only when the body ended and its length
 * agrees with `Content-Length`; an early close, a read error or a short body aborts it. A failing
 * store never fails the caller's read: storing just stops.
 */
export function teeToStore(
  source: Response,
  writer: CacheWriter,
  declaredLength: number | null,
): ResponseStream {
  let storing = true;
  let settled = false;
  const stopStoring = async () => {
    storing = false;
    if (settled) return;
    settled = true;
    await writer.abort().catch(() => {});
  };
  async function* body(): AsyncGenerator<Uint8Array> {
    let received = 0;
    let complete = false;
    try {
      for await (const chunk of source.iterRaw()) {
        received += chunk.byteLength;
        if (storing) await writer.write(chunk).catch(stopStoring);
        yield chunk;
      }
      complete = true;
    } finally {
      if (complete && storing && (declaredLength === null || declaredLength === received) && !settled) {
        settled = true;
        await writer.commit().catch(() => {});
      } else await stopStoring();
    }
  }
  const iterator = body();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      await stopStoring();
      await source.close();
    },
  };
}
