import { mkdir } from 'node:fs/promises';
import { memoryPersist, type Persist } from '../storages/common.js';
import { Datasets } from '../storages/datasets.js';
import { KeyValueStores } from '../storages/key-value-stores.js';
import { RequestQueues } from '../storages/request-queues.js';
import { Journal, type JournalRecord } from './journal.js';
import { StorageLock } from './lock.js';

export interface StateOptions {
  /** Keep every intact record of a damaged journal (and report what was dropped) instead of refusing. */
  repair?: boolean;
  /**
   * Folds the platform's records (actors, runs, tasks...) read from the journal into the ones to keep;
   * the storages' own records are folded here.
   */
  compactPlatform?: (records: JournalRecord[]) => Iterable<{ header: unknown; payload?: Uint8Array }>;
}

/** All storages, in memory or backed by the journal in `storageDir`, which this emulator alone holds. */
export class State {
  readonly datasets: Datasets;
  readonly keyValueStores: KeyValueStores;
  readonly requestQueues: RequestQueues;
  /** Where the platform's registries journal their changes too. */
  readonly persist: Persist;
  /** The platform's records as read from the journal at start, compacted; empty in memory. */
  readonly platformRecords: JournalRecord[] = [];
  /** What a repair dropped, one line per damaged span. */
  readonly repaired: string[] = [];
  private readonly journal: Journal | null;
  private readonly lock: StorageLock | null;

  private constructor(persist: Persist, journal: Journal | null, lock: StorageLock | null) {
    this.persist = persist;
    this.datasets = new Datasets(persist);
    this.keyValueStores = new KeyValueStores(persist);
    this.requestQueues = new RequestQueues(persist);
    this.journal = journal;
    this.lock = lock;
  }

  static async open(storageDir: string | null, options: StateOptions = {}): Promise<State> {
    if (storageDir === null) return new State(memoryPersist, null, null);
    await mkdir(storageDir, { recursive: true });
    const lock = await StorageLock.acquire(storageDir);
    try {
      const { journal, records, repaired } = await Journal.open(storageDir, {
        repair: options.repair === true,
      });
      const state = new State({ write: (header, payload) => journal.append(header, payload) }, journal, lock);
      state.repaired.push(...repaired);
      const platform: JournalRecord[] = [];
      for (const record of records) {
        const h = record.header as { t: string; [k: string]: unknown };
        if (h.t.startsWith('platform')) platform.push(record);
        else if (!state.datasets.apply(h, record.payload) && !state.keyValueStores.apply(h, record.payload))
          state.requestQueues.apply(h);
      }
      const kept = [...(options.compactPlatform?.(platform) ?? platform)].map((r) => ({
        header: r.header,
        payload: Buffer.from(r.payload ?? new Uint8Array(0)),
      }));
      state.platformRecords.push(...kept);
      await journal.rewrite([...state.snapshot(), ...kept]);
      return state;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private *snapshot(): Generator<{ header: unknown; payload?: Uint8Array }> {
    yield* this.datasets.snapshot();
    yield* this.keyValueStores.snapshot();
    yield* this.requestQueues.snapshot();
  }

  /** Notes the URL an emulator on this folder serves, for the message a second one prints. */
  async listening(url: string): Promise<void> {
    await this.lock?.setUrl(url);
  }

  async close(): Promise<void> {
    try {
      await this.journal?.close();
    } finally {
      await this.lock?.release();
    }
  }
}
