import { InvalidArgumentError } from '../errors.js';
import { utf8ByteLength } from '../http/pipeline.js';
import { serializeJson } from '../validation/options.js';

const encoder = new TextEncoder();

/**
 * Packs dataset items, in order, into JSON arrays of at most `limit` bytes each: every payload is
 * the longest run of the remaining items that fits (greedy), as if each item were serialized and
 * measured on its own.
 *
 * The common case (plain objects, none with `toJSON`) serializes blocks of items with one
 * `JSON.stringify` call each, sized from a sample to about 1/16 of the limit; only the block that
 * would overflow a payload is serialized again item by item, to find the exact greedy boundary.
 * That is far cheaper than one call per item for a large push, which was most of the client's CPU. Anything unusual, and every error, goes through the
 * item-by-item path, so errors name the first bad item by its index exactly as before.
 */
export function chunkItems(items: readonly unknown[], limit: number): Uint8Array[] {
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return chunkOneByOne(items, limit);
    // `toJSON` may return undefined, which an array would serialize as `null`: measure those alone.
    if (typeof (item as { toJSON?: unknown }).toJSON === 'function') return chunkOneByOne(items, limit);
  }
  try {
    return chunkInBlocks(items, limit);
  } catch {
    // A circular or BigInt item, or one over the limit: the item-by-item path names it.
    return chunkOneByOne(items, limit);
  }
}

/** A payload is built from blocks of about 1/16 of the limit: only the block that overflows goes item by item. */
const BLOCKS_PER_PAYLOAD = 16;
const SAMPLE_ITEMS = 100;

function chunkInBlocks(items: readonly unknown[], limit: number): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  const sample = Math.min(items.length, SAMPLE_ITEMS);
  const sampleBytes = utf8ByteLength(JSON.stringify(items.slice(0, sample))) - 2;
  const blockItems = Math.max(
    1,
    Math.floor((limit * Math.max(1, sample)) / BLOCKS_PER_PAYLOAD / Math.max(1, sampleBytes)),
  );
  // The current payload: the JSON texts of its items (or blocks of items, without their brackets),
  // kept as strings and measured without encoding, so each payload is encoded once, in one buffer.
  let parts: string[] = [];
  let size = 2;
  const add = (json: string, bytes: number) => {
    size += bytes + (parts.length > 0 ? 1 : 0);
    parts.push(json);
  };
  const flush = () => {
    payloads.push(encodeArray(parts, size));
    parts = [];
    size = 2;
  };
  for (let start = 0; start < items.length; ) {
    const end = Math.min(items.length, start + blockItems);
    const block = JSON.stringify(items.slice(start, end));
    const inner = block.slice(1, -1);
    const innerBytes = utf8ByteLength(block) - 2;
    if (size + innerBytes + (parts.length > 0 ? 1 : 0) <= limit) {
      add(inner, innerBytes);
    } else {
      // The block does not fit whole: its items go one at a time, a new payload where one no longer fits.
      for (let index = start; index < end; index++) {
        const json = JSON.stringify(items[index]);
        const bytes = utf8ByteLength(json);
        if (bytes + 2 > limit)
          throw new InvalidArgumentError(`Dataset item at index ${index} is over the limit`);
        if (size + bytes + (parts.length > 0 ? 1 : 0) > limit) flush();
        add(json, bytes);
      }
    }
    start = end;
  }
  if (parts.length > 0) flush();
  return payloads;
}

type NodeBuffer = Uint8Array & { write(text: string, offset: number): number };
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): NodeBuffer } }).Buffer;

/**
 * `[` + the parts joined by commas + `]` as UTF-8 of the known `size`, written straight into one
 * buffer. Node's `Buffer#write` encodes about twice as fast as `TextEncoder`, and no joined copy of
 * the text is made; elsewhere `encodeInto` fills the buffer the same way.
 */
function encodeArray(parts: readonly string[], size: number): Uint8Array {
  if (NodeBuffer !== undefined) {
    const out = NodeBuffer.allocUnsafeSlow(size);
    let at = out.write('[', 0);
    for (const [k, part] of parts.entries()) {
      if (k > 0) at += out.write(',', at);
      at += out.write(part, at);
    }
    // The buffer is not zeroed: every byte must have been written.
    if (at + out.write(']', at) !== size) throw new Error(`payload encoded to ${at + 1} bytes, not ${size}`);
    return out;
  }
  const out = new Uint8Array(size);
  encoder.encodeInto(`[${parts.join(',')}]`, out);
  return out;
}

/** Serializes each item once and packs them, in order, into JSON arrays of at most `limit` bytes. */
function chunkOneByOne(items: readonly unknown[], limit: number): Uint8Array[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const [index, item] of items.entries()) {
    // Strings are allowed, as the official client allows them: the API takes them as JSON text.
    if (typeof item !== 'string' && (typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new InvalidArgumentError(`Dataset item at index ${index} is not an object or a string`);
    }
    const json = serializeJson(item, `Dataset item at index ${index}`);
    const bytes = utf8ByteLength(json);
    if (bytes + 2 > limit) {
      throw new InvalidArgumentError(
        `Dataset item at index ${index} is ${bytes} bytes, over the payload limit of ${limit} bytes`,
      );
    }
    const added = bytes + (current.length > 0 ? 1 : 0);
    if (size + added > limit) {
      payloads.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    size += bytes + (current.length > 0 ? 1 : 0);
    current.push(json);
  }
  if (current.length > 0) payloads.push(`[${current.join(',')}]`);
  return payloads.map((payload) => encoder.encode(payload));
}
