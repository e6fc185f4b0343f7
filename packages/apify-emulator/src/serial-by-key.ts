/**
 * Runs the tasks given for one key one after another, so that a write computed from the current state
 * (a queue's requests, the names taken) is put in place before the next write under that key looks at it.
 */
export class SerialByKey {
  /** Each key's last task, settled either way: the next task starts after it. */
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
