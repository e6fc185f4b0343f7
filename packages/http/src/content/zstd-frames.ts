/**
 * Finds the frame boundaries of a zstd body (RFC 8878 §3.1), chunk by chunk, without decoding.
 *
 * A zstd body may hold several frames back to back, and skippable frames between them. Node's
 * decompressor stops at the end of the first frame it was given in one write, so the decoder
 * feeds it one frame at a time; skippable frames are dropped here.
 */

/** A run of body bytes; `frameEnd` marks the last run of a zstd frame. */
export interface FramePiece {
  bytes: Uint8Array;
  frameEnd: boolean;
}

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DICTIONARY_ID_BYTES = [0, 1, 2, 4];
const CONTENT_SIZE_BYTES = [0, 2, 4, 8];

type State =
  | 'magic'
  | 'skippable-size'
  | 'skippable-data'
  | 'frame-header'
  | 'frame-header-rest'
  | 'block-header'
  | 'block-data'
  | 'checksum'
  | 'opaque';

const HEADER_STATES: ReadonlySet<State> = new Set([
  'magic',
  'skippable-size',
  'frame-header',
  'block-header',
]);

function littleEndian(bytes: readonly number[]): number {
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + (bytes[i] as number);
  return value;
}

export class ZstdFrameScanner {
  #state: State = 'magic';
  #need = 4;
  #header: number[] = [];
  #descriptor = 0;
  #lastBlock = false;
  /** The magic number just read, when it starts a frame (or an opaque tail) that is kept. */
  #held: number[] = [];

  /** The kept runs of `chunk`, cut where a frame ends; skippable frames and magic numbers in between are held back. */
  scan(chunk: Uint8Array): FramePiece[] {
    const pieces: FramePiece[] = [];
    let start = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'opaque') {
        i = chunk.length;
        break;
      }
      if (HEADER_STATES.has(this.#state)) {
        this.#header.push(chunk[i] as number);
        i++;
        this.#need--;
      } else {
        const taken = Math.min(this.#need, chunk.length - i);
        i += taken;
        this.#need -= taken;
      }
      if (this.#need > 0) continue;
      const dropping = this.#state === 'magic' || this.#state.startsWith('skippable');
      const event = this.#advance();
      if (dropping) {
        start = i;
        // The magic number, held back until it was known, starts the frame (or the opaque tail).
        if (event === 'kept-magic') pieces.push({ bytes: Uint8Array.from(this.#held), frameEnd: false });
      } else if (event === 'frame-end') {
        pieces.push({ bytes: chunk.subarray(start, i), frameEnd: true });
        start = i;
      }
    }
    const inMagic = this.#state === 'magic' || this.#state.startsWith('skippable');
    if (!inMagic && i > start) pieces.push({ bytes: chunk.subarray(start, i), frameEnd: false });
    return pieces;
  }

  /** What is left at the end of the body: a partial magic number is passed on, for the decoder to reject. */
  end(): FramePiece[] {
    if (this.#state === 'magic' && this.#header.length > 0) {
      return [{ bytes: Uint8Array.from(this.#header), frameEnd: false }];
    }
    return [];
  }

  #advance(): 'kept-magic' | 'frame-end' | null {
    const header = this.#header;
    this.#header = [];
    switch (this.#state) {
      case 'magic': {
        const magic = littleEndian(header);
        if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) return this.#go('skippable-size', 4);
        this.#held = header;
        if (magic === ZSTD_MAGIC) this.#go('frame-header', 1);
        else this.#go('opaque', 0);
        return 'kept-magic';
      }
      case 'skippable-size': {
        const size = littleEndian(header);
        return size === 0 ? this.#go('magic', 4) : this.#go('skippable-data', size);
      }
      case 'skippable-data':
        return this.#go('magic', 4);
      case 'frame-header': {
        const descriptor = header[0] as number;
        this.#descriptor = descriptor;
        const singleSegment = (descriptor >> 5) & 1;
        const contentSizeFlag = descriptor >> 6;
        const rest =
          (singleSegment ? 0 : 1) +
          (DICTIONARY_ID_BYTES[descriptor & 3] as number) +
          (contentSizeFlag === 0 ? singleSegment : (CONTENT_SIZE_BYTES[contentSizeFlag] as number));
        return rest > 0 ? this.#go('frame-header-rest', rest) : this.#go('block-header', 3);
      }
      case 'frame-header-rest':
        return this.#go('block-header', 3);
      case 'block-header': {
        const value = littleEndian(header);
        this.#lastBlock = (value & 1) === 1;
        const type = (value >> 1) & 3;
        if (type === 3) return this.#go('opaque', 0); // Reserved: the decoder reports the corruption.
        const size = type === 1 ? 1 : value >>> 3;
        return size > 0 ? this.#go('block-data', size) : this.#afterBlock();
      }
      case 'block-data':
        return this.#afterBlock();
      case 'checksum':
        return this.#frameEnd();
      default:
        return null;
    }
  }

  #afterBlock(): 'frame-end' | null {
    if (!this.#lastBlock) return this.#go('block-header', 3);
    const hasChecksum = (this.#descriptor >> 2) & 1;
    return hasChecksum ? this.#go('checksum', 4) : this.#frameEnd();
  }

  #frameEnd(): 'frame-end' {
    this.#go('magic', 4);
    return 'frame-end';
  }

  #go(state: State, need: number): null {
    this.#state = state;
    this.#need = need;
    return null;
  }
}
