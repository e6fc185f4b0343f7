import type { RequestQueue, StoredRequest } from './request-queues.js';

/**
 * The requests one write to a queue changes, held as copies: readers keep seeing the queue as it was
 * until the copies are journaled and put in place, so a write that fails to become durable leaves no
 * trace. Reads through the draft see the write's own earlier changes (a batch sees its earlier entries).
 */
export class QueueDraft {
  readonly changed = new Map<string, StoredRequest>();
  readonly deleted = new Set<string>();
  nextSeq: number;

  constructor(readonly queue: RequestQueue) {
    this.nextSeq = queue.nextSeq;
  }

  get(id: string): StoredRequest | undefined {
    if (this.deleted.has(id)) return undefined;
    return this.changed.get(id) ?? this.queue.requests.get(id);
  }

  /** A copy of the request to change in place; the stored one stays as it is. */
  edit(id: string): StoredRequest | undefined {
    const current = this.get(id);
    if (current === undefined) return undefined;
    const copy = this.changed.get(id) ?? { ...current };
    this.changed.set(id, copy);
    return copy;
  }

  put(request: StoredRequest): void {
    this.deleted.delete(request.id);
    this.changed.set(request.id, request);
  }

  remove(id: string): void {
    this.changed.delete(id);
    if (this.queue.requests.has(id)) this.deleted.add(id);
  }

  get isEmpty(): boolean {
    return this.changed.size === 0 && this.deleted.size === 0;
  }
}
