import type { Dispatcher } from 'undici';
import type { HTTPError } from '../../errors.js';
import type { ResponseStream } from '../../models/response.js';

// Above this many unread bytes the socket is paused until the reader catches up.
const HIGH_WATER_MARK = 256 * 1024;
// Below this a declared body is collected as chunks: one copy at the end costs little.
const COPY_IN_FROM = 16 * 1024;

export interface BodyStreamHost {
  /** The undici controller, once the request is on a socket. */
  readonly controller: Dispatcher.DispatchController | null;
  readonly failure: HTTPError | null;
  /** The network is (again) what we wait on: restart the read timeout. */
  onWaitingForNetwork(): void;
  /** We wait on our reader, not the network: stop the read timeout. */
  onWaitingForReader(): void;
  /** The reader is done with the body; `unfinished` when it gave up before the end. */
  closed(unfinished: boolean): void;
}

/** A response body as it arrives from undici: buffered, back-pressured, read at once or chunk by chunk. */
export class ResponseBodyStream implements ResponseStream {
  readonly #host: BodyStreamHost;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #collectAll = false;
  #wake: (() => void) | null = null;
  /** readAll's target when the length is declared: chunks are copied in as they arrive. */
  #whole: Uint8Array | null = null;
  #filled = 0;
  #received = 0;

  constructor(host: BodyStreamHost) {
    this.#host = host;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Body bytes received so far, as they came off the wire (before any content decoding). */
  get received(): number {
    return this.#received;
  }

  push(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#received += chunk.byteLength;
    const whole = this.#whole;
    if (whole !== null && this.#filled + chunk.byteLength <= whole.byteLength) {
      // Copied while it is fresh, so the socket's read buffer it slices is garbage at once.
      whole.set(chunk, this.#filled);
      this.#filled += chunk.byteLength;
      this.#host.onWaitingForNetwork();
      return;
    }
    if (whole !== null) this.#unfill();
    this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#buffered += chunk.byteLength;
    if (!this.#collectAll && this.#buffered > HIGH_WATER_MARK) {
      controller.pause();
      this.#host.onWaitingForReader();
    } else {
      this.#host.onWaitingForNetwork();
    }
    this.notify();
  }

  end(): void {
    this.#ended = true;
    this.notify();
  }

  /** Wakes a reader waiting for the next chunk, the end or a failure. */
  notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async readAll(expectedBytes?: number): Promise<Uint8Array> {
    this.#collectAll = true;
    // A body that is already here whole, or small, is returned as it came (no copy).
    if (expectedBytes !== undefined && !this.#ended && expectedBytes > COPY_IN_FROM) {
      this.#whole = Buffer.allocUnsafe(expectedBytes);
      for (const chunk of this.#chunks) {
        this.#whole.set(chunk, this.#filled);
        this.#filled += chunk.byteLength;
      }
      this.#chunks = [];
      this.#buffered = 0;
    }
    this.#resume();
    while (!this.#ended && this.#host.failure === null)
      await new Promise<void>((resolve) => (this.#wake = resolve));
    if (this.#host.failure !== null) throw this.#host.failure;
    const whole = this.#whole;
    if (whole !== null) {
      this.#whole = null;
      return this.#filled === whole.byteLength ? whole : whole.subarray(0, this.#filled);
    }
    const chunks = this.#chunks;
    this.#chunks = [];
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    return Buffer.concat(chunks, this.#buffered);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        for (;;) {
          const chunk = this.#chunks.shift();
          if (chunk !== undefined) {
            this.#buffered -= chunk.byteLength;
            if (this.#buffered <= HIGH_WATER_MARK / 2) this.#resume();
            return { value: chunk, done: false };
          }
          if (this.#host.failure !== null) throw this.#host.failure;
          if (this.#ended) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /** Gives the connection back without reading the rest. */
  close(): void {
    const unfinished = !this.#ended && this.#host.failure === null;
    this.#ended = true;
    this.#chunks = [];
    this.#host.closed(unfinished);
  }

  /** More bytes than declared: back to a list of chunks (undici then fails the response). */
  #unfill(): void {
    const whole = this.#whole as Uint8Array;
    this.#whole = null;
    this.#chunks = [whole.subarray(0, this.#filled)];
    this.#buffered = this.#filled;
  }

  #resume(): void {
    const controller = this.#host.controller;
    if (controller?.paused) {
      controller.resume();
      this.#host.onWaitingForNetwork();
    }
  }
}
