import type { FileHandle } from 'node:fs/promises';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, EmulatorError } from '../errors.js';
import { injectedSyncFailure } from './fault-injection.js';
import {
  type DecodedJournal,
  decodeFrames,
  decodeLegacyFrames,
  encodeFrame,
  isFramedJournal,
  type JournalRecord,
} from './frames.js';

export type { JournalRecord } from './frames.js';

const JOURNAL = 'journal.log';

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

export interface JournalOpenOptions {
  /** Keep every intact record of a journal with damaged frames instead of refusing to open it. */
  repair?: boolean;
}

export interface OpenedJournal {
  journal: Journal;
  records: JournalRecord[];
  /** What `repair` dropped, one line per damaged span; empty when the journal was intact. */
  repaired: string[];
}

function describeDamage(path: string, decoded: DecodedJournal): string[] {
  return decoded.damage.map(
    (d) => `${path}: ${d.length} unreadable bytes at byte offset ${d.offset} (a damaged frame)`,
  );
}

/**
 * An fsynced append-only log. A write is acknowledged only after its frame is on disk; concurrent
 * writes share one fsync (group commit). On open the log is replayed, then rewritten compactly
 * through a temp file + fsync + rename, which also drops a tail torn by `kill -9`. A failed write or
 * fsync is cut off the file again, so the log holds exactly the acknowledged writes and later writes
 * can go on.
 */
export class Journal {
  private readonly dir: string;
  private handle: FileHandle | null = null;
  /** Bytes of the file known to be durable: a failed batch is truncated back to this length. */
  private durableLength = 0;
  private pending: Buffer[] = [];
  /** The header type (`t`) of each pending record, for the fault injection of tests. */
  private pendingTypes: string[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string, options: JournalOpenOptions = {}): Promise<OpenedJournal> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, JOURNAL);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      data = Buffer.alloc(0);
    }
    const decoded = isFramedJournal(data) ? decodeFrames(data) : decodeLegacyFrames(data);
    const repaired = describeDamage(path, decoded);
    if (decoded.damage.length > 0) {
      const first = decoded.damage[0] as { offset: number; length: number };
      if (options.repair !== true) {
        throw new EmulatorError(
          'journal-damaged',
          `The journal ${path} is damaged at byte offset ${first.offset} (${first.length} unreadable bytes` +
            `${decoded.damage.length > 1 ? `, and ${decoded.damage.length - 1} more damaged span(s)` : ''}), ` +
            'with intact records after it. Refusing to start so that nothing is lost silently: start with ' +
            '--repair (option repair: true) to keep every intact record and drop only the damaged bytes.',
        );
      }
      // The damaged original stays next to the repaired journal, for whoever wants to look at it.
      await copyFile(path, `${path}.damaged-${Date.now()}`);
    }
    return { journal: new Journal(dir), records: decoded.records, repaired };
  }

  /** Replaces the log with `records` atomically, then starts appending after them. */
  async rewrite(records: Iterable<{ header: unknown; payload?: Uint8Array }>): Promise<void> {
    const tmp = join(this.dir, `${JOURNAL}.tmp`);
    await rm(tmp, { force: true });
    const out = await open(tmp, 'w');
    let length = 0;
    try {
      let batch: Buffer[] = [];
      let batchSize = 0;
      for (const record of records) {
        const frame = encodeFrame(record.header, record.payload ?? new Uint8Array(0));
        batch.push(frame);
        batchSize += frame.length;
        if (batchSize > 1 << 20) {
          await out.write(Buffer.concat(batch));
          length += batchSize;
          batch = [];
          batchSize = 0;
        }
      }
      if (batch.length > 0) await out.write(Buffer.concat(batch));
      length += batchSize;
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, join(this.dir, JOURNAL));
    await fsyncDirectory(this.dir);
    this.handle = await open(join(this.dir, JOURNAL), 'a');
    this.durableLength = length;
  }

  /**
   * Resolves once the record is durable; the caller applies and acknowledges the write only after that.
   * Rejects with a 500 when the disk failed: then the record is not in the journal either.
   */
  append(header: unknown, payload: Uint8Array = new Uint8Array(0)): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.pending.push(encodeFrame(header, payload));
    this.pendingTypes.push(String((header as { t?: unknown } | null)?.t));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    // Yield once so that writes issued in the same tick share a single fsync.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const frames = this.pending;
      const types = this.pendingTypes;
      this.pendingTypes = [];
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      const data = Buffer.concat(frames);
      try {
        if (this.handle === null) throw new Error('The journal is closed');
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await this.handle.write(data, written, data.length - written);
          written += bytesWritten;
        }
        injectedSyncFailure(this.dir, types);
        await this.handle.datasync();
        this.durableLength += data.length;
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        const refused = new ApiError(
          500,
          'internal-server-error',
          `The write was not stored: the storage folder could not be written or synced (${(error as Error).message}). ` +
            'Nothing of it was applied; retrying is safe.',
        );
        await this.cutBack(error);
        for (const waiter of waiters) waiter.reject(refused);
      }
    }
    this.flushing = null;
  }

  /** Truncates a failed batch off the file; if even that fails, refuses every later write. */
  private async cutBack(cause: unknown): Promise<void> {
    try {
      if (this.handle === null) throw cause;
      await this.handle.truncate(this.durableLength);
      await this.handle.datasync();
    } catch {
      this.failure = new ApiError(
        500,
        'internal-server-error',
        `The storage folder ${this.dir} failed and could not be repaired (${(cause as Error).message}); ` +
          'restart the emulator',
      );
      for (const waiter of this.waiters) waiter.reject(this.failure);
      this.pending = [];
      this.pendingTypes = [];
      this.waiters = [];
    }
  }

  async close(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
