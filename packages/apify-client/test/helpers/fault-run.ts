import { expect } from 'vitest';
import {
  type ApifyClient,
  ApifyClientError,
  ApifyTransportError,
  ConflictError,
  InvalidResponseBodyError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '../../src/index.js';
import {
  headItem,
  type Json,
  type QueueModel,
  type RequestModel,
  requestId,
  Seeded,
  StorageModel,
} from './storage-model.js';

/**
 * A seeded random plan of storage operations run through one client against a faulty emulator.
 * Every answer is checked against the model as it arrives; every failure must be a typed error,
 * either one the model predicts (404, 409) or one an injected fault explains, and then nothing changed.
 */

type Kind = 'datasets' | 'stores' | 'queues';
type ErrorClass = abstract new (...args: never[]) => Error;

const NAMES = ['alpha', 'beta', 'gamma', 'delta'];
const KEYS = ['INPUT', 'OUTPUT', 'state', 'a.b', "x_y-(1)!'", 'z'];
const HANDLED_AT = '2024-01-02T03:04:05.678Z';
const LOCK_SECS = 3600;
const MAX_LIVE = 4;

/** The errors an injected fault can surface once retries are spent (or not allowed). */
export function isFaultError(error: unknown): boolean {
  if (error instanceof ApifyTransportError || error instanceof InvalidResponseBodyError) return true;
  // A HEAD answer has no body, so its 429 carries no error type.
  if (error instanceof RateLimitError)
    return error.statusCode === 429 && (error.type === 'rate-limit-exceeded' || error.httpMethod === 'head');
  if (error instanceof ServerError) return error.statusCode === 500 || error.statusCode === 503;
  return false;
}

export interface Tally {
  ok: number;
  /** Rejected with the typed error the model predicted (404 on a deleted storage, 409 on a lock or name). */
  predicted: number;
  /** Rejected by injected faults, by error class. */
  faulted: Record<string, number>;
}

/** Drops undefined options: the client's option types are exact. */
function defined<T extends Record<string, unknown>>(
  options: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

export class FaultRun {
  readonly model = new StorageModel();
  readonly tally = new Map<string, Tally>();
  private readonly rng: Seeded;
  private readonly client: ApifyClient;
  private index = 0;
  private current = '';

  constructor(client: ApifyClient, seed: number) {
    this.client = client;
    this.rng = new Seeded(seed);
  }

  /** Runs `n` operations, one at a time, so the emulator's fault sequence is the same on every run. */
  async run(n: number): Promise<void> {
    while (this.index < n) await this.step();
  }

  private async settle<T>(name: string, promise: Promise<T>, predicted?: ErrorClass): Promise<Outcome<T>> {
    this.current = `op #${this.index} ${name}`;
    this.index++;
    const tally = this.tally.get(name) ?? { ok: 0, predicted: 0, faulted: {} };
    this.tally.set(name, tally);
    try {
      const value = await promise;
      expect(predicted, `${this.current} succeeded, but the model predicted ${predicted?.name}`).toBe(
        undefined,
      );
      tally.ok++;
      return { ok: true, value };
    } catch (error) {
      expect(error, `${this.current}: an untyped failure`).toBeInstanceOf(ApifyClientError);
      if (predicted !== undefined && error instanceof predicted) {
        tally.predicted++;
        return { ok: false };
      }
      expect(isFaultError(error), `${this.current}: ${String(error)}`).toBe(true);
      const kind = (error as Error).constructor.name;
      tally.faulted[kind] = (tally.faulted[kind] ?? 0) + 1;
      return { ok: false };
    }
  }

  private check(actual: unknown, expected: unknown): void {
    // The model keeps the API's strings; the client turns `…At` fields into Dates (as the official).
    expect(datesAsStrings(actual), this.current).toEqual(expected);
  }

  /** A live storage of the kind, or now and then a deleted one (to meet the API's 404 answers). */
  private target(kind: Kind): { id: string; live: boolean } | null {
    const deleted = this.model.deleted[kind];
    if (deleted.length > 0 && this.rng.chance(0.05)) return { id: this.rng.pick(deleted), live: false };
    const live = [...this.model[kind].keys()];
    return live.length === 0 ? null : { id: this.rng.pick(live), live: true };
  }

  private async step(): Promise<void> {
    const ops: [number, () => Promise<void>][] = [
      [this.model.datasets.size < MAX_LIVE ? 2 : 0, () => this.datasetCreate()],
      [3, () => this.getOrCreate('datasets')],
      [3, () => this.datasetGet()],
      [2, () => this.datasetUpdate()],
      [8, () => this.pushItems()],
      [5, () => this.listItems()],
      [2, () => this.downloadItems()],
      [1.5, () => this.deleteStorage('datasets')],
      [this.model.stores.size < MAX_LIVE ? 2 : 0, () => this.storeCreate()],
      [3, () => this.getOrCreate('stores')],
      [8, () => this.setRecord()],
      [5, () => this.getRecord()],
      [3, () => this.recordExists()],
      [3, () => this.listKeys()],
      [3, () => this.deleteRecord()],
      [1.5, () => this.deleteStorage('stores')],
      [this.model.queues.size < MAX_LIVE ? 2 : 0, () => this.queueCreate()],
      [3, () => this.getOrCreate('queues')],
      [7, () => this.addRequest()],
      [3, () => this.batchAddRequests()],
      [3, () => this.getRequest()],
      [4, () => this.updateRequest()],
      [3, () => this.listHead()],
      [3, () => this.listAndLockHead()],
      [2, () => this.prolongRequestLock()],
      [2.5, () => this.deleteRequestLock()],
      [2, () => this.deleteRequest()],
      [2, () => this.listRequests()],
      [1, () => this.deleteStorage('queues')],
    ];
    const total = ops.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.rng.next() * total;
    for (const [weight, op] of ops) {
      roll -= weight;
      if (roll < 0) return op();
    }
  }

  // ---- creation, shared by the three kinds ----

  private collection(kind: Kind) {
    if (kind === 'datasets') return this.client.datasets();
    if (kind === 'stores') return this.client.keyValueStores();
    return this.client.requestQueues();
  }

  private adopt(kind: Kind, id: string, name: string | null): void {
    if (kind === 'datasets') this.model.datasets.set(id, { id, name, items: [] });
    else if (kind === 'stores') this.model.stores.set(id, { id, name, records: new Map() });
    else this.model.queues.set(id, { id, name, requests: new Map() });
  }

  /** Without a name this is a plain create: not replayed when its outcome is unknown. */
  private async create(kind: Kind): Promise<void> {
    const result = await this.settle(`${kind}.create`, this.collection(kind).getOrCreate());
    if (!result.ok) return;
    const { id, name } = result.value as { id: string; name: string | null };
    this.check([this.model[kind].has(id), name], [false, null]);
    this.adopt(kind, id, null);
  }

  private datasetCreate = () => this.create('datasets');
  private storeCreate = () => this.create('stores');
  private queueCreate = () => this.create('queues');

  private async getOrCreate(kind: Kind): Promise<void> {
    const name = this.rng.pick(NAMES);
    const result = await this.settle(`${kind}.getOrCreate`, this.collection(kind).getOrCreate(name));
    if (!result.ok) return;
    const { id } = result.value as { id: string };
    const existing = this.model.liveNames(kind).get(name);
    if (existing !== undefined) this.check(id, existing);
    else this.adopt(kind, id, name);
    this.check((result.value as { name: string }).name, name);
  }

  private async deleteStorage(kind: Kind): Promise<void> {
    const target = this.target(kind);
    if (target === null) return;
    const client =
      kind === 'datasets'
        ? this.client.dataset(target.id)
        : kind === 'stores'
          ? this.client.keyValueStore(target.id)
          : this.client.requestQueue(target.id);
    // Deleting what is already gone is a no-op, so this always succeeds unless faults get in the way.
    const result = await this.settle(`${kind}.delete`, client.delete());
    if (!result.ok || !target.live) return;
    this.model[kind].delete(target.id);
    this.model.deleted[kind].push(target.id);
  }

  // ---- datasets ----

  private async datasetGet(): Promise<void> {
    const target = this.target('datasets');
    if (target === null) return;
    const result = await this.settle('dataset.get', this.client.dataset(target.id).get());
    if (!result.ok) return;
    const dataset = this.model.datasets.get(target.id);
    const got = result.value;
    this.check(
      got === undefined ? undefined : { id: got.id, name: got.name, itemCount: got.itemCount },
      dataset === undefined
        ? undefined
        : { id: dataset.id, name: dataset.name, itemCount: dataset.items.length },
    );
  }

  private async datasetUpdate(): Promise<void> {
    const target = this.target('datasets');
    if (target === null) return;
    const name = this.rng.chance(0.2) ? null : this.rng.pick(NAMES);
    const holder = name === null ? undefined : this.model.liveNames('datasets').get(name);
    const predicted = !target.live
      ? NotFoundError
      : holder !== undefined && holder !== target.id
        ? ConflictError
        : undefined;
    const result = await this.settle(
      'dataset.update',
      this.client.dataset(target.id).update({ name }),
      predicted,
    );
    if (!result.ok) return;
    this.check(result.value.name, name);
    const dataset = this.model.datasets.get(target.id);
    if (dataset !== undefined) dataset.name = name;
  }

  private async pushItems(): Promise<void> {
    const target = this.target('datasets');
    if (target === null) return;
    const count = 1 + this.rng.int(4);
    // Some payloads pass 1 KiB, so they travel gzip-compressed.
    const pad = this.rng.chance(0.2) ? 400 : 4;
    const items = Array.from({ length: count }, (_, k) => ({ op: this.index, k, s: this.rng.text(pad) }));
    const single = count === 1 && this.rng.chance(0.5);
    const result = await this.settle(
      'dataset.pushItems',
      this.client.dataset(target.id).pushItems(single ? (items[0] as Json) : items),
      target.live ? undefined : NotFoundError,
    );
    if (result.ok) this.model.datasets.get(target.id)?.items.push(...items);
  }

  private async listItems(): Promise<void> {
    const target = this.target('datasets');
    if (target === null) return;
    const all = this.model.datasets.get(target.id)?.items ?? [];
    const offset = this.rng.int(all.length + 2);
    const limit = this.rng.chance(0.3) ? undefined : 1 + this.rng.int(6);
    const desc = this.rng.chance(0.4);
    const result = await this.settle(
      'dataset.listItems',
      this.client.dataset(target.id).listItems({ offset, desc, ...defined({ limit }) }),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    const ordered = desc ? [...all].reverse() : all;
    const window = ordered.slice(offset, limit === undefined ? undefined : offset + limit);
    this.check(
      {
        items: result.value.items,
        total: result.value.total,
        offset: result.value.offset,
        desc: result.value.desc,
      },
      { items: window, total: all.length, offset, desc },
    );
  }

  private async downloadItems(): Promise<void> {
    const target = this.target('datasets');
    if (target === null) return;
    const format = this.rng.pick(['json', 'jsonl'] as const);
    const result = await this.settle(
      'dataset.downloadItems',
      this.client.dataset(target.id).downloadItems(format),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    const text = new TextDecoder().decode(result.value);
    const parsed =
      format === 'json'
        ? JSON.parse(text)
        : text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line));
    this.check(parsed, this.model.datasets.get(target.id)?.items);
  }

  // ---- key-value stores ----

  private async setRecord(): Promise<void> {
    const target = this.target('stores');
    if (target === null) return;
    const key = this.rng.pick(KEYS);
    const asText = this.rng.chance(0.3);
    // 1 KiB and more goes gzip-compressed and is kept in that encoding by the emulator.
    const length = this.rng.chance(0.25) ? 1500 : 10;
    const value = asText ? this.rng.text(length) : { op: this.index, s: this.rng.text(length) };
    const result = await this.settle(
      'kvs.setRecord',
      this.client.keyValueStore(target.id).setRecord({ key, value }),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    // setRecord stores JSON indented by two spaces, as the official client does.
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    this.model.stores.get(target.id)?.records.set(key, {
      value,
      contentType: asText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      size: Buffer.byteLength(text),
    });
  }

  private async getRecord(): Promise<void> {
    const target = this.target('stores');
    if (target === null) return;
    const key = this.rng.pick(KEYS);
    const result = await this.settle('kvs.getRecord', this.client.keyValueStore(target.id).getRecord(key));
    if (!result.ok) return;
    const record = this.model.stores.get(target.id)?.records.get(key);
    this.check(
      result.value,
      record === undefined ? undefined : { key, value: record.value, contentType: record.contentType },
    );
  }

  private async recordExists(): Promise<void> {
    const target = this.target('stores');
    if (target === null) return;
    const key = this.rng.pick(KEYS);
    const result = await this.settle(
      'kvs.recordExists',
      this.client.keyValueStore(target.id).recordExists(key),
    );
    if (result.ok) this.check(result.value, this.model.stores.get(target.id)?.records.has(key) ?? false);
  }

  private async listKeys(): Promise<void> {
    const target = this.target('stores');
    if (target === null) return;
    const limit = this.rng.chance(0.5) ? undefined : 1 + this.rng.int(3);
    const exclusiveStartKey = this.rng.chance(0.3) ? this.rng.pick(KEYS) : undefined;
    const result = await this.settle(
      'kvs.listKeys',
      this.client.keyValueStore(target.id).listKeys(defined({ limit, exclusiveStartKey })),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    const records = this.model.stores.get(target.id)?.records ?? new Map();
    const keys = [...records.keys()]
      .filter((key) => exclusiveStartKey === undefined || key > exclusiveStartKey)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const page = keys.slice(0, limit ?? 1000);
    const truncated = keys.length > page.length;
    this.check(
      {
        items: result.value.items.map(({ key, size }) => ({ key, size })),
        isTruncated: result.value.isTruncated,
        nextExclusiveStartKey: result.value.nextExclusiveStartKey,
      },
      {
        items: page.map((key) => ({ key, size: records.get(key)?.size })),
        isTruncated: truncated,
        nextExclusiveStartKey: truncated ? page.at(-1) : null,
      },
    );
  }

  private async deleteRecord(): Promise<void> {
    const target = this.target('stores');
    if (target === null) return;
    const key = this.rng.pick(KEYS);
    // A missing record (or store) is a no-op for the client.
    const result = await this.settle(
      'kvs.deleteRecord',
      this.client.keyValueStore(target.id).deleteRecord(key),
    );
    if (result.ok) this.model.stores.get(target.id)?.records.delete(key);
  }

  // ---- request queues ----

  private newRequest(): Json {
    const uniqueKey = `u${this.rng.int(30)}`;
    const body: Json = { uniqueKey, url: `https://example.com/${uniqueKey}`, userData: { op: this.index } };
    if (this.rng.chance(0.15)) body.method = 'POST';
    if (this.rng.chance(0.1)) body.handledAt = HANDLED_AT;
    return body;
  }

  private async addRequest(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const queue = this.model.queues.get(target.id);
    const body = this.newRequest();
    const forefront = this.rng.chance(0.3);
    const result = await this.settle(
      'rq.addRequest',
      this.client
        .requestQueue(target.id)
        .addRequest(body as { uniqueKey: string; url: string }, { forefront }),
      target.live ? undefined : NotFoundError,
    );
    if (result.ok && queue !== undefined)
      this.check(result.value, this.model.addRequest(queue, body, forefront));
  }

  private async batchAddRequests(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const queue = this.model.queues.get(target.id);
    const bodies = Array.from({ length: 1 + this.rng.int(25) }, () => this.newRequest());
    const forefront = this.rng.chance(0.3);
    const result = await this.settle(
      'rq.batchAddRequests',
      this.client
        .requestQueue(target.id)
        .batchAddRequests(bodies as { uniqueKey: string; url: string }[], { forefront }),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok || queue === undefined) return;
    const expected = bodies.map((body) => ({
      ...this.model.addRequest(queue, body, forefront),
      uniqueKey: body.uniqueKey,
    }));
    this.check(result.value, { processedRequests: expected, unprocessedRequests: [] });
  }

  /** A request of the queue, or a uniqueKey it does not hold. */
  private requestOf(queue: QueueModel | undefined): { id: string; request: RequestModel | undefined } {
    const present = [...(queue?.requests.values() ?? [])];
    if (present.length > 0 && this.rng.chance(0.85)) {
      const request = this.rng.pick(present);
      return { id: request.data.id as string, request };
    }
    const id = requestId(`u${this.rng.int(30)}`);
    return { id, request: queue?.requests.get(id) };
  }

  private async getRequest(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const { id, request } = this.requestOf(this.model.queues.get(target.id));
    const result = await this.settle('rq.getRequest', this.client.requestQueue(target.id).getRequest(id));
    if (result.ok) this.check(result.value, request?.data);
  }

  private async updateRequest(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const queue = this.model.queues.get(target.id);
    const { request } = this.requestOf(queue);
    const uniqueKey = (request?.data.uniqueKey as string | undefined) ?? `upsert-${this.index}`;
    const base: Json = request?.data ?? {
      id: requestId(uniqueKey),
      uniqueKey,
      url: `https://example.com/${uniqueKey}`,
      method: 'GET',
    };
    const { handledAt: _dropped, ...rest } = base;
    const data: Json = { ...rest, userData: { op: this.index, updated: true } };
    if (this.rng.chance(0.4)) data.handledAt = HANDLED_AT;
    const forefront = this.rng.chance(0.3);
    const result = await this.settle(
      'rq.updateRequest',
      this.client
        .requestQueue(target.id)
        .updateRequest(data as { id: string; uniqueKey: string; url: string }, { forefront }),
      target.live ? undefined : NotFoundError,
    );
    if (result.ok && queue !== undefined)
      this.check(result.value, this.model.updateRequest(queue, data, forefront));
  }

  private async deleteRequest(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const queue = this.model.queues.get(target.id);
    const { id, request } = this.requestOf(queue);
    const result = await this.settle(
      'rq.deleteRequest',
      this.client.requestQueue(target.id).deleteRequest(id),
      request === undefined ? NotFoundError : undefined,
    );
    if (result.ok) queue?.requests.delete(id);
  }

  private async listHead(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const limit = 1 + this.rng.int(10);
    const result = await this.settle(
      'rq.listHead',
      this.client.requestQueue(target.id).listHead({ limit }),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    const queue = this.model.queues.get(target.id) as QueueModel;
    this.check(result.value.items, this.model.head(queue).slice(0, limit).map(headItem));
  }

  private async listAndLockHead(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const limit = 1 + this.rng.int(4);
    const result = await this.settle(
      'rq.listAndLockHead',
      this.client.requestQueue(target.id).listAndLockHead({ lockSecs: LOCK_SECS, limit }),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    const queue = this.model.queues.get(target.id) as QueueModel;
    const picked = this.model.head(queue).slice(0, limit);
    this.check(
      result.value.items.map(({ lockExpiresAt: _l, ...item }) => item),
      picked.map(headItem),
    );
    for (const request of picked) request.locked = true;
  }

  /** Lock operations mostly aim at locked requests; the rest must get 409 (or 404 when missing). */
  private lockTarget(queue: QueueModel | undefined): { id: string; request: RequestModel | undefined } {
    const locked = [...(queue?.requests.values() ?? [])].filter((r) => r.locked);
    if (locked.length > 0 && this.rng.chance(0.7)) {
      const request = this.rng.pick(locked);
      return { id: request.data.id as string, request };
    }
    return this.requestOf(queue);
  }

  private lockPrediction(live: boolean, request: RequestModel | undefined): ErrorClass | undefined {
    if (!live || request === undefined) return NotFoundError;
    return StorageModel.holdsLock(request) ? undefined : ConflictError;
  }

  private async prolongRequestLock(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const { id, request } = this.lockTarget(this.model.queues.get(target.id));
    await this.settle(
      'rq.prolongRequestLock',
      this.client
        .requestQueue(target.id)
        .prolongRequestLock(id, { lockSecs: LOCK_SECS, forefront: this.rng.chance(0.5) }),
      this.lockPrediction(target.live, request),
    );
  }

  private async deleteRequestLock(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const { id, request } = this.lockTarget(this.model.queues.get(target.id));
    const forefront = this.rng.chance(0.3);
    const result = await this.settle(
      'rq.deleteRequestLock',
      this.client.requestQueue(target.id).deleteRequestLock(id, { forefront }),
      this.lockPrediction(target.live, request),
    );
    if (result.ok && request !== undefined) this.model.unlock(request, forefront);
  }

  private async listRequests(): Promise<void> {
    const target = this.target('queues');
    if (target === null) return;
    const limit = this.rng.chance(0.5) ? undefined : 1 + this.rng.int(10);
    const result = await this.settle(
      'rq.listRequests',
      this.client.requestQueue(target.id).listRequests(defined({ limit })),
      target.live ? undefined : NotFoundError,
    );
    if (!result.ok) return;
    const all = [...(this.model.queues.get(target.id) as QueueModel).requests.values()].map((r) => r.data);
    const page = all.slice(0, limit ?? 100);
    this.check(
      { items: result.value.items, more: result.value.nextCursor !== null },
      { items: page, more: all.length > page.length },
    );
  }
}

/** Dates back to the ISO strings the API sent, so results compare with the model. */
export function datesAsStrings(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(datesAsStrings);
  if (typeof value === 'object' && value !== null && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, datesAsStrings(item)]));
  }
  return value;
}
