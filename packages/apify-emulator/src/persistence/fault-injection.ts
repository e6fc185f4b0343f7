/**
 * Test-only fault injection for the journal (not exported from the package): makes the next `count`
 * fsyncs of the journal in `dir` fail, as a full or failing disk would, after the bytes were written.
 */
import { resolve } from 'node:path';

const failingSyncs = new Map<string, number>();

export function failNextJournalSyncs(dir: string, count = 1): void {
  const key = resolve(dir);
  failingSyncs.set(key, (failingSyncs.get(key) ?? 0) + count);
}

/** Throws the injected error when a failure is due for `dir`; called by the journal before each fsync. */
export function injectedSyncFailure(dir: string): void {
  const key = resolve(dir);
  const due = failingSyncs.get(key) ?? 0;
  if (due === 0) return;
  if (due === 1) failingSyncs.delete(key);
  else failingSyncs.set(key, due - 1);
  const error = new Error(`EIO: i/o error, fsync (injected) in ${dir}`) as NodeJS.ErrnoException;
  error.code = 'EIO';
  throw error;
}
