import { ApiError, notFound } from '../errors.js';
import { isId, newId } from '../ids.js';

/** The one account the emulator serves; `~name` and `emulator~name` both resolve against it. */
export const USER = { id: 'EmuLaToRuSeR00001', username: 'emulator' } as const;

export interface StorageMeta {
  id: string;
  name: string | null;
  userId: string;
  createdAt: string;
  modifiedAt: string;
  accessedAt: string;
  actId: string | null;
  actRunId: string | null;
  generalAccess: string;
}

/** Where acknowledged writes go before the response: the journal, or nowhere when in memory. */
export interface Persist {
  write(header: unknown, payload?: Uint8Array): Promise<void>;
}

export const memoryPersist: Persist = { write: () => Promise.resolve() };

export interface JournalSnapshotRecord {
  header: unknown;
  payload?: Uint8Array;
}

const NAME_PATTERN = /^[a-zA-Z0-9-]{1,63}$/;

export function checkName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new ApiError(
      400,
      'invalid-value',
      `Storage name '${name}' is invalid: use 1-63 characters a-z, A-Z, 0-9 and '-'`,
    );
  }
  return name;
}

export function newMeta(name: string | null, owner?: { actId: string; actRunId: string }): StorageMeta {
  const now = new Date().toISOString();
  return {
    id: newId(),
    name,
    userId: USER.id,
    createdAt: now,
    modifiedAt: now,
    accessedAt: now,
    actId: owner?.actId ?? null,
    actRunId: owner?.actRunId ?? null,
    generalAccess: 'FOLLOW_USER_SETTING',
  };
}

/** Splits `~name`, `user~name` and `user/name` references; a bare string is an ID or a name. */
export function parseRef(ref: string): { id: string } | { name: string } | null {
  const normalized = ref.replace('/', '~');
  const tilde = normalized.indexOf('~');
  if (tilde === -1) return isId(ref) ? { id: ref } : { name: ref };
  const user = normalized.slice(0, tilde);
  if (user !== '' && user !== USER.username && user !== USER.id) return null;
  return { name: normalized.slice(tilde + 1) };
}

/** Storages of one kind, addressable by ID and by name (names unique per kind, like the platform). */
export class Collection<T extends { meta: StorageMeta }> {
  readonly byId = new Map<string, T>();
  private readonly byName = new Map<string, T>();
  private readonly label: string;

  constructor(label: string) {
    this.label = label;
  }

  resolve(ref: string): T | undefined {
    const parsed = parseRef(ref);
    if (parsed === null) return undefined;
    if ('id' in parsed) return this.byId.get(parsed.id) ?? this.byName.get(parsed.id);
    return this.byName.get(parsed.name);
  }

  require(ref: string): T {
    const found = this.resolve(ref);
    if (found === undefined) throw notFound(`${this.label} '${ref}'`);
    return found;
  }

  byNameGet(name: string): T | undefined {
    return this.byName.get(name);
  }

  set(item: T): void {
    const previous = this.byId.get(item.meta.id);
    if (previous?.meta.name) this.byName.delete(previous.meta.name);
    this.byId.set(item.meta.id, item);
    if (item.meta.name) this.byName.set(item.meta.name, item);
  }

  rename(item: T, name: string | null): void {
    this.checkFree(item, name);
    if (item.meta.name) this.byName.delete(item.meta.name);
    item.meta.name = name;
    if (name) this.byName.set(name, item);
  }

  /** Throws the platform's 409 when another storage of this kind holds `name`. */
  checkFree(item: T, name: string | null): void {
    if (name !== null) {
      const holder = this.byName.get(name);
      if (holder !== undefined && holder !== item) {
        throw new ApiError(
          409,
          `${this.label.replace(/ /g, '-')}-name-not-unique`.toLowerCase(),
          `Name '${name}' is taken`,
        );
      }
    }
  }

  delete(id: string): void {
    const item = this.byId.get(id);
    if (item === undefined) return;
    this.byId.delete(id);
    if (item.meta.name) this.byName.delete(item.meta.name);
  }

  list(unnamed: boolean): T[] {
    return [...this.byId.values()].filter((s) => unnamed || s.meta.name !== null);
  }
}

export function touch(meta: StorageMeta, modified: boolean): void {
  const now = new Date().toISOString();
  meta.accessedAt = now;
  if (modified) meta.modifiedAt = now;
}

export type JournalHeader = { t: string; [key: string]: unknown };

export type StorageKind = 'datasets' | 'key-value-stores' | 'request-queues';

/**
 * What every storage family shares: get-or-create by name, rename and drop, each journaled
 * before it is acknowledged. Families add their contents (items, records, requests) on top.
 */
export abstract class StorageFamily<T extends { meta: StorageMeta }> {
  readonly collection: Collection<T>;
  protected readonly persist: Persist;
  protected readonly kind: StorageKind;
  /** Creations under way by name: a second caller waits for the first instead of creating a twin. */
  private readonly creating = new Map<string, Promise<T>>();

  constructor(label: string, kind: StorageKind, persist: Persist) {
    this.collection = new Collection<T>(label);
    this.kind = kind;
    this.persist = persist;
  }

  /** A new, empty storage for this metadata. */
  protected abstract create(meta: StorageMeta): T;

  /** The storage a replayed journal entry describes, keeping the contents it already has. */
  protected abstract restore(meta: StorageMeta, existing: T | undefined, header: JournalHeader): T;

  /** Replays an entry written by `writeMeta` or `remove`; false when the entry is not one of those. */
  protected applyLifecycle(header: JournalHeader): boolean {
    if (header.kind !== this.kind) return false;
    if (header.t === 'storage') {
      const meta = header.meta as StorageMeta;
      this.collection.set(this.restore(meta, this.collection.byId.get(meta.id), header));
      return true;
    }
    if (header.t === 'drop') {
      this.collection.delete(header.id as string);
      return true;
    }
    return false;
  }

  protected writeMeta(storage: T, meta: StorageMeta = storage.meta): Promise<void> {
    return this.persist.write({ t: 'storage', kind: this.kind, meta });
  }

  /** A new storage exists (and is listed) only once its creation is durable. */
  protected async obtain(
    name: string | null,
    owner?: { actId: string; actRunId: string },
  ): Promise<{ storage: T; created: boolean }> {
    if (name !== null) {
      const existing = this.collection.byNameGet(checkName(name));
      if (existing) return { storage: existing, created: false };
      const underway = this.creating.get(name);
      if (underway !== undefined) return { storage: await underway, created: false };
    }
    const storage = this.create(newMeta(name, owner));
    const creation = this.writeMeta(storage).then(() => {
      this.collection.set(storage);
      return storage;
    });
    if (name === null) return { storage: await creation, created: true };
    this.creating.set(name, creation);
    try {
      return { storage: await creation, created: true };
    } finally {
      this.creating.delete(name);
    }
  }

  /** Renames and touches the storage once the new metadata is durable. */
  async update(storage: T, name: string | null | undefined): Promise<void> {
    const meta = { ...storage.meta };
    if (name !== undefined) {
      meta.name = name === null ? null : checkName(name);
      this.collection.checkFree(storage, meta.name);
    }
    touch(meta, true);
    await this.writeMeta(storage, meta);
    if (name !== undefined) this.collection.rename(storage, meta.name);
    Object.assign(storage.meta, meta);
  }

  async remove(storage: T): Promise<void> {
    await this.persist.write({ t: 'drop', kind: this.kind, id: storage.meta.id });
    this.collection.delete(storage.meta.id);
  }
}
