import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface JournalRecord {
  readonly header: unknown;
  readonly payload: Buffer;
}

const FRAME_HEAD = 12;
const JOURNAL = 'journal.log';

/** Frame: u32 header length, u32 payload length, u32 crc32(header+payload), header JSON, payload bytes. */
function encodeFrame(header: unknown, payload: Uint8Array): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEAD + headerBytes.length + payload.length);
  frame.writeUInt32LE(headerBytes.length, 0);
  frame.writeUInt32LE(payload.length, 4);
  headerBytes.copy(frame, FRAME_HEAD);
  frame.set(payload, FRAME_HEAD + headerBytes.length);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEAD)), 8);
  return frame;
}

/** Every complete, checksummed frame; stops at the first torn or corrupt one (a write cut by a crash). */
function decodeFrames(data: Buffer): JournalRecord[] {
  const records: JournalRecord[] = [];
  let pos = 0;
  while (pos + FRAME_HEAD <= data.length) {
    const headerLength = data.readUInt32LE(pos);
    const payloadLength = data.readUInt32LE(pos + 4);
    const end = pos + FRAME_HEAD + headerLength + payloadLength;
    if (end > data.length) break;
    const body = data.subarray(pos + FRAME_HEAD, end);
    if (crc32(body) !== data.readUInt32LE(pos + 8)) break;
    let header: unknown;
    try {
      header = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
    } catch {
      break;
    }
    records.push({ header, payload: Buffer.from(body.subarray(headerLength)) });
    pos = end;
  }
  return records;
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An fsynced append-only log. A write is acknowledged only after its frame is on disk; concurrent
 * writes share one fsync (group commit). On open the log is replayed, then rewritten compactly
 * through a temp file + fsync + rename, which also drops a tail torn by `kill -9`.
 */
export class Journal {
  private readonly dir: string;
  private handle: FileHandle | null = null;
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string): Promise<{ journal: Journal; records: JournalRecord[] }> {
    await mkdir(dir, { recursive: true });
    let data: Buffer;
    try {
      data = await readFile(join(dir, JOURNAL));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      data = Buffer.alloc(0);
    }
    return { journal: new Journal(dir), records: decodeFrames(data) };
  }

  /** Replaces the log with `records` atomically, then starts appending after them. */
  async rewrite(records: Iterable<{ header: unknown; payload?: Uint8Array }>): Promise<void> {
    const tmp = join(this.dir, `${JOURNAL}.tmp`);
    await rm(tmp, { force: true });
    const out = await open(tmp, 'w');
    try {
      let batch: Buffer[] = [];
      let batchSize = 0;
      for (const record of records) {
        const frame = encodeFrame(record.header, record.payload ?? new Uint8Array(0));
        batch.push(frame);
        batchSize += frame.length;
        if (batchSize > 1 << 20) {
          await out.write(Buffer.concat(batch));
          batch = [];
          batchSize = 0;
        }
      }
      if (batch.length > 0) await out.write(Buffer.concat(batch));
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, join(this.dir, JOURNAL));
    await fsyncDirectory(this.dir);
    this.handle = await open(join(this.dir, JOURNAL), 'a');
  }

  /** Resolves once the record is durable; the caller acknowledges the write only after that. */
  append(header: unknown, payload: Uint8Array = new Uint8Array(0)): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.pending.push(encodeFrame(header, payload));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    // Yield once so that writes issued in the same tick share a single fsync.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const frames = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        if (this.handle === null) throw new Error('The journal is closed');
        const data = Buffer.concat(frames);
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await this.handle.write(data, written, data.length - written);
          written += bytesWritten;
        }
        await this.handle.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        // A partly written frame would hide every later one on replay, so refuse all further writes.
        this.failure = error;
        for (const waiter of [...waiters, ...this.waiters]) waiter.reject(error);
        this.pending = [];
        this.waiters = [];
      }
    }
    this.flushing = null;
  }

  async close(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
