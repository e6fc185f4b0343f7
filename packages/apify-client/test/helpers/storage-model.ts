import { createHash } from 'node:crypto';

/**
 * What the emulator must hold after a run of storage operations: every write the client saw succeed,
 * nothing else. Used by the end-to-end fault suite to predict each answer and the final storage.
 */

export type Json = Record<string, unknown>;

export interface DatasetModel {
  id: string;
  name: string | null;
  items: Json[];
}

export interface RecordModel {
  value: unknown;
  contentType: string;
  /** Decoded size in bytes, as the keys listing reports it. */
  size: number;
}

export interface StoreModel {
  id: string;
  name: string | null;
  records: Map<string, RecordModel>;
}

export interface RequestModel {
  data: Json;
  handled: boolean;
  locked: boolean;
  /** Head position while pending and unlocked: negative for forefront (newest first), else oldest first. */
  order: number;
}

export interface QueueModel {
  id: string;
  name: string | null;
  /** In insertion order, which is the order `listRequests` returns. */
  requests: Map<string, RequestModel>;
}

export interface OperationInfo {
  requestId: string;
  wasAlreadyPresent: boolean;
  wasAlreadyHandled: boolean;
}

/** The request-ID rule shared by the platform, the clients and the emulator. */
export function requestId(uniqueKey: string): string {
  return createHash('sha256').update(uniqueKey, 'utf8').digest('base64').replace(/[+/=]/g, '').slice(0, 15);
}

/** xorshift32: the plan must be the same on every run and machine, and independent of the fault PRNG. */
export class Seeded {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    let s = this.state;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s >>> 0;
    return this.state / 2 ** 32;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(values: readonly T[]): T {
    const value = values[this.int(values.length)];
    if (value === undefined) throw new Error('pick() from an empty list');
    return value;
  }

  text(length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/** Storages by kind, live and deleted; a name belongs to at most one live storage of a kind. */
export class StorageModel {
  readonly datasets = new Map<string, DatasetModel>();
  readonly stores = new Map<string, StoreModel>();
  readonly queues = new Map<string, QueueModel>();
  readonly deleted = { datasets: [] as string[], stores: [] as string[], queues: [] as string[] };
  private clock = 0;

  /** A logical time: the emulator stamps with Date.now() and a tie-breaking tick, which orders the same. */
  private stamp(forefront: boolean): number {
    this.clock += 1;
    return forefront ? -this.clock : this.clock;
  }

  addRequest(queue: QueueModel, body: Json, forefront: boolean): OperationInfo {
    const uniqueKey = body.uniqueKey as string;
    const id = requestId(uniqueKey);
    const existing = queue.requests.get(id);
    if (existing !== undefined) {
      return { requestId: id, wasAlreadyPresent: true, wasAlreadyHandled: existing.handled };
    }
    const { uniqueKey: _u, url, method, ...rest } = body;
    const data: Json = { id, uniqueKey, url, method: typeof method === 'string' ? method : 'GET', ...rest };
    const handled = data.handledAt !== undefined && data.handledAt !== null;
    queue.requests.set(id, { data, handled, locked: false, order: handled ? 0 : this.stamp(forefront) });
    return { requestId: id, wasAlreadyPresent: false, wasAlreadyHandled: false };
  }

  /** PUT of a whole request: an upsert; a pending, locked one keeps its lock unless moved to the front. */
  updateRequest(queue: QueueModel, data: Json, forefront: boolean): OperationInfo {
    const id = data.id as string;
    const existing = queue.requests.get(id);
    const handled = data.handledAt !== undefined && data.handledAt !== null;
    const info = {
      requestId: id,
      wasAlreadyPresent: existing !== undefined,
      wasAlreadyHandled: existing?.handled ?? false,
    };
    const next: RequestModel = existing ?? { data, handled, locked: false, order: 0 };
    if (handled) {
      next.locked = false;
    } else if (existing === undefined || existing.handled || forefront) {
      next.order = this.stamp(forefront);
      next.locked = false;
    }
    next.data = data;
    next.handled = handled;
    queue.requests.set(id, next);
    return info;
  }

  /** Pending, unlocked requests in head order. */
  head(queue: QueueModel): RequestModel[] {
    return [...queue.requests.values()]
      .filter((r) => !r.handled && !r.locked)
      .sort((a, b) => a.order - b.order);
  }

  /** A lock released by its owner puts the request back at the end (or the front) of the head. */
  unlock(request: RequestModel, forefront: boolean): void {
    request.locked = false;
    request.order = this.stamp(forefront);
  }

  /** Whether this client may prolong or release the lock: pending and locked (always by us here). */
  static holdsLock(request: RequestModel | undefined): boolean {
    return request !== undefined && !request.handled && request.locked;
  }

  liveNames(kind: 'datasets' | 'stores' | 'queues'): Map<string, string> {
    const byName = new Map<string, string>();
    for (const storage of this[kind].values())
      if (storage.name !== null) byName.set(storage.name, storage.id);
    return byName;
  }
}

export function headItem(request: RequestModel): Json {
  const { id, uniqueKey, url, method, retryCount } = request.data;
  return { id, uniqueKey, url, method, retryCount: retryCount ?? 0 };
}
