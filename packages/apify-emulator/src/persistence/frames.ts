import { crc32 } from 'node:zlib';

export interface JournalRecord {
  readonly header: unknown;
  readonly payload: Buffer;
}

/** Bytes between two intact frames that could not be read: a damaged frame (or several). */
export interface JournalDamage {
  /** Byte offset in the journal file where the unreadable bytes start. */
  readonly offset: number;
  readonly length: number;
}

export interface DecodedJournal {
  readonly records: JournalRecord[];
  /** Damage followed by at least one intact frame; a damaged tail is not damage but a torn write. */
  readonly damage: JournalDamage[];
  /** Bytes at the end that are not a complete frame: a write cut short by a crash. */
  readonly tornTailBytes: number;
}

/** "AEJ1" little-endian: every frame starts with it, so a reader can find the next frame after damage. */
const MAGIC = 0x314a4541;
const HEAD = 16;

/**
 * Frame: u32 magic, u32 header length, u32 payload length, u32 crc32 of both lengths, the header JSON and
 * the payload. The checksum covers the lengths too, so a flipped length bit cannot pass for a frame.
 */
export function encodeFrame(header: unknown, payload: Uint8Array): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const frame = Buffer.allocUnsafe(HEAD + headerBytes.length + payload.length);
  frame.writeUInt32LE(MAGIC, 0);
  frame.writeUInt32LE(headerBytes.length, 4);
  frame.writeUInt32LE(payload.length, 8);
  headerBytes.copy(frame, HEAD);
  frame.set(payload, HEAD + headerBytes.length);
  frame.writeUInt32LE(crc32(frame.subarray(HEAD), crc32(frame.subarray(4, 12))), 12);
  return frame;
}

/** The frame at `pos` and where the next one starts, or null when there is no intact frame there. */
function frameAt(data: Buffer, pos: number): { record: JournalRecord; end: number } | null {
  if (pos + HEAD > data.length || data.readUInt32LE(pos) !== MAGIC) return null;
  const headerLength = data.readUInt32LE(pos + 4);
  const payloadLength = data.readUInt32LE(pos + 8);
  const end = pos + HEAD + headerLength + payloadLength;
  if (end > data.length) return null;
  const body = data.subarray(pos + HEAD, end);
  if (crc32(body, crc32(data.subarray(pos + 4, pos + 12))) !== data.readUInt32LE(pos + 12)) return null;
  try {
    const header: unknown = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
    return { record: { header, payload: Buffer.from(body.subarray(headerLength)) }, end };
  } catch {
    return null;
  }
}

/** The offset of the next intact frame after `from`, or -1. */
function resync(data: Buffer, from: number): number {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(MAGIC, 0);
  let at = data.indexOf(magic, from);
  while (at !== -1) {
    if (frameAt(data, at) !== null) return at;
    at = data.indexOf(magic, at + 1);
  }
  return -1;
}

export function isFramedJournal(data: Buffer): boolean {
  return data.length < 4 || data.readUInt32LE(0) === MAGIC;
}

/** Every intact frame; unreadable bytes between intact frames are reported, a torn tail is measured. */
export function decodeFrames(data: Buffer): DecodedJournal {
  const records: JournalRecord[] = [];
  const damage: JournalDamage[] = [];
  let pos = 0;
  while (pos < data.length) {
    const frame = frameAt(data, pos);
    if (frame !== null) {
      records.push(frame.record);
      pos = frame.end;
      continue;
    }
    const next = resync(data, pos + 1);
    if (next === -1) return { records, damage, tornTailBytes: data.length - pos };
    damage.push({ offset: pos, length: next - pos });
    pos = next;
  }
  return { records, damage, tornTailBytes: 0 };
}

/**
 * The first format (no magic, no checksum over the lengths): read so that an older storage folder still
 * opens; the first compaction rewrites it in the current format. It stops at the first bad frame.
 */
export function decodeLegacyFrames(data: Buffer): DecodedJournal {
  const records: JournalRecord[] = [];
  let pos = 0;
  while (pos + 12 <= data.length) {
    const headerLength = data.readUInt32LE(pos);
    const payloadLength = data.readUInt32LE(pos + 4);
    const end = pos + 12 + headerLength + payloadLength;
    if (end > data.length) break;
    const body = data.subarray(pos + 12, end);
    if (crc32(body) !== data.readUInt32LE(pos + 8)) break;
    try {
      const header: unknown = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
      records.push({ header, payload: Buffer.from(body.subarray(headerLength)) });
    } catch {
      break;
    }
    pos = end;
  }
  return { records, damage: [], tornTailBytes: data.length - pos };
}
