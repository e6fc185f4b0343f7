/**
 * Test-only fault injection for the journal (not exported from the package): makes the next `count`
 * fsyncs of the journal in `dir` fail, as a full or failing disk would, after the bytes were written.
 * With `recordType`, only the fsyncs of batches holding a record of that type (`t` in its header,
 * such as `platform`) fail: the earlier writes of a request (a run's storages) go through.
 */
import { resolve } from 'node:path';

interface DueFailure {
  count: number;
  recordType: string | null;
}

const failingSyncs = new Map<string, DueFailure[]>();

export function failNextJournalSyncs(dir: string, count = 1, recordType: string | null = null): void {
  const key = resolve(dir);
  failingSyncs.set(key, [...(failingSyncs.get(key) ?? []), { count, recordType }]);
}

/**
 * Throws the injected error when a failure is due for `dir` and the batch's record types; called by the
 * journal before each fsync.
 */
export function injectedSyncFailure(dir: string, recordTypes: readonly string[]): void {
  const key = resolve(dir);
  const due = failingSyncs.get(key)?.[0];
  if (due === undefined) return;
  if (due.recordType !== null && !recordTypes.includes(due.recordType)) return;
  due.count--;
  if (due.count === 0) {
    const rest = failingSyncs.get(key)?.slice(1) ?? [];
    if (rest.length === 0) failingSyncs.delete(key);
    else failingSyncs.set(key, rest);
  }
  const error = new Error(`EIO: i/o error, fsync (injected) in ${dir}`) as NodeJS.ErrnoException;
  error.code = 'EIO';
  throw error;
}
