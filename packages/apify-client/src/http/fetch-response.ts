import type { HttpResponse } from './http-response.js';

/** The part of a WHATWG `Response` the adapters use; impit's `ImpitResponse` matches it too. */
export interface FetchLikeResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

const decoder = new TextDecoder();

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Adapts a fetch-style response to `HttpResponse`. `onSettled` runs once when the body has been
 * fully read, cancelled or closed, so the transport can clear its deadline timer.
 */
export class FetchHttpResponse implements HttpResponse {
  readonly statusCode: number;
  readonly headers: HttpResponse['headers'];
  #response: FetchLikeResponse;
  #onSettled: (() => void) | undefined;
  #content: Uint8Array | undefined;
  #text: string | undefined;
  #consumed = false;

  constructor(response: FetchLikeResponse, onSettled?: () => void) {
    this.#response = response;
    this.statusCode = response.status;
    this.headers = response.headers;
    this.#onSettled = onSettled;
  }

  get content(): Uint8Array {
    if (this.#content === undefined)
      throw new Error('The response body has not been read; call read() first');
    return this.#content;
  }

  get text(): string {
    this.#text ??= decoder.decode(this.content);
    return this.#text;
  }

  json(): unknown {
    return JSON.parse(this.text);
  }

  async read(): Promise<Uint8Array> {
    if (this.#content !== undefined) return this.#content;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of this.iterBytes()) {
      chunks.push(chunk);
      total += chunk.byteLength;
    }
    this.#content = concat(chunks, total);
    return this.#content;
  }

  async *iterBytes(): AsyncIterable<Uint8Array> {
    if (this.#content !== undefined) {
      if (this.#content.byteLength > 0) yield this.#content;
      return;
    }
    if (this.#consumed) throw new Error('The response body has already been consumed');
    this.#consumed = true;
    const body = this.#response.body;
    if (body === null) {
      this.#settle();
      return;
    }
    const reader = body.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value !== undefined && value.byteLength > 0) yield value;
      }
      finished = true;
    } finally {
      // An early break or an error must release the connection rather than leave it half-read.
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
      this.#settle();
    }
  }

  async close(): Promise<void> {
    if (!this.#consumed && this.#content === undefined) {
      this.#consumed = true;
      await this.#response.body?.cancel().catch(() => undefined);
    }
    this.#settle();
  }

  #settle(): void {
    const onSettled = this.#onSettled;
    this.#onSettled = undefined;
    onSettled?.();
  }
}
