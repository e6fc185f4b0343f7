import { ApiError } from '../errors.js';
import {
  type JournalHeader,
  type JournalSnapshotRecord,
  type Persist,
  StorageFamily,
  type StorageMeta,
  USER,
} from './common.js';

export type Item = Record<string, unknown>;

export interface Dataset {
  meta: StorageMeta;
  items: Item[];
  cleanItemCount: number;
}

export function isHiddenField(key: string): boolean {
  return key.startsWith('#');
}

export function isCleanNonEmpty(item: Item): boolean {
  for (const key of Object.keys(item)) if (!isHiddenField(key)) return true;
  return false;
}

/** Validates a push body: one object or an array of objects, nothing else (as the platform does). */
export function toItems(body: unknown): Item[] {
  const isObject = (v: unknown): v is Item => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(body)) return [body];
  if (Array.isArray(body)) {
    body.forEach((item, index) => {
      if (!isObject(item)) {
        throw new ApiError(
          400,
          'invalid-request',
          `Dataset item at index ${index} is not a JSON object: the API accepts only an object or an array of objects`,
        );
      }
    });
    return body as Item[];
  }
  throw new ApiError(400, 'invalid-request', 'POST data must be a JSON object or an array of JSON objects');
}

export class Datasets extends StorageFamily<Dataset> {
  constructor(persist: Persist) {
    super('Dataset', 'datasets', persist);
  }

  protected override create(meta: StorageMeta): Dataset {
    return { meta, items: [], cleanItemCount: 0 };
  }

  protected override restore(
    meta: StorageMeta,
    existing: Dataset | undefined,
    _header: JournalHeader,
  ): Dataset {
    return { meta, items: existing?.items ?? [], cleanItemCount: existing?.cleanItemCount ?? 0 };
  }

  async getOrCreate(
    name: string | null,
    owner?: { actId: string; actRunId: string },
  ): Promise<{ dataset: Dataset; created: boolean }> {
    const { storage, created } = await this.obtain(name, owner);
    return { dataset: storage, created };
  }

  /** Readers see the items only once they are durable: a failed write leaves no trace. */
  async push(dataset: Dataset, items: Item[]): Promise<void> {
    const modifiedAt = new Date().toISOString();
    await this.persist.write(
      { t: 'items', id: dataset.meta.id, modifiedAt },
      Buffer.from(JSON.stringify(items), 'utf8'),
    );
    this.append(dataset, items);
    dataset.meta.modifiedAt = modifiedAt;
    dataset.meta.accessedAt = modifiedAt;
  }

  private append(dataset: Dataset, items: Item[]): void {
    for (const item of items) {
      dataset.items.push(item);
      if (isCleanNonEmpty(item)) dataset.cleanItemCount++;
    }
  }

  /** Replays one journal record; returns false when the record belongs to another storage kind. */
  apply(header: { t: string; [k: string]: unknown }, payload: Buffer): boolean {
    if (this.applyLifecycle(header)) return true;
    if (header.t === 'items') {
      const dataset = this.collection.byId.get(header.id as string);
      if (dataset) {
        this.append(dataset, JSON.parse(payload.toString('utf8')) as Item[]);
        dataset.meta.modifiedAt = header.modifiedAt as string;
      }
      return true;
    }
    return false;
  }

  *snapshot(): Generator<JournalSnapshotRecord> {
    for (const dataset of this.collection.byId.values()) {
      yield { header: { t: 'storage', kind: 'datasets', meta: dataset.meta } };
      for (let i = 0; i < dataset.items.length; i += 1000) {
        yield {
          header: { t: 'items', id: dataset.meta.id, modifiedAt: dataset.meta.modifiedAt },
          payload: Buffer.from(JSON.stringify(dataset.items.slice(i, i + 1000)), 'utf8'),
        };
      }
    }
  }
}

export function datasetObject(dataset: Dataset, baseUrl: string): Record<string, unknown> {
  const { meta } = dataset;
  return {
    ...meta,
    username: USER.username,
    itemCount: dataset.items.length,
    cleanItemCount: dataset.cleanItemCount,
    fields: null,
    consoleUrl: `${baseUrl}/v2/datasets/${meta.id}`,
    itemsPublicUrl: `${baseUrl}/v2/datasets/${meta.id}/items`,
    stats: { readCount: 0, writeCount: 0, storageBytes: 0 },
  };
}
