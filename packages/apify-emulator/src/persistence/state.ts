import { memoryPersist, type Persist } from '../storages/common.js';
import { Datasets } from '../storages/datasets.js';
import { KeyValueStores } from '../storages/key-value-stores.js';
import { RequestQueues } from '../storages/request-queues.js';
import { Journal } from './journal.js';

/** All storages, in memory or backed by the journal in `storageDir`. */
export class State {
  readonly datasets: Datasets;
  readonly keyValueStores: KeyValueStores;
  readonly requestQueues: RequestQueues;
  private readonly journal: Journal | null;

  private constructor(persist: Persist, journal: Journal | null) {
    this.datasets = new Datasets(persist);
    this.keyValueStores = new KeyValueStores(persist);
    this.requestQueues = new RequestQueues(persist);
    this.journal = journal;
  }

  static async open(storageDir: string | null): Promise<State> {
    if (storageDir === null) return new State(memoryPersist, null);
    const { journal, records } = await Journal.open(storageDir);
    const state = new State({ write: (header, payload) => journal.append(header, payload) }, journal);
    for (const { header, payload } of records) {
      const h = header as { t: string; [k: string]: unknown };
      if (!state.datasets.apply(h, payload) && !state.keyValueStores.apply(h, payload))
        state.requestQueues.apply(h);
    }
    await journal.rewrite(state.snapshot());
    return state;
  }

  private *snapshot(): Generator<{ header: unknown; payload?: Uint8Array }> {
    yield* this.datasets.snapshot();
    yield* this.keyValueStores.snapshot();
    yield* this.requestQueues.snapshot();
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }
}
