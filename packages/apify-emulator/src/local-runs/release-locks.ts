import type { State } from '../persistence/state.js';

/**
 * A replaced process (reboot, migration, metamorph) takes its request locks with it: its successor has
 * another client key and would otherwise wait for them to expire. Only the run's default queue is freed;
 * a named queue may be shared with other runs, whose locks are theirs.
 */
export async function releaseDefaultQueueLocks(state: State, queueId: string): Promise<void> {
  const queues = state.requestQueues;
  const queue = queues.collection.byId.get(queueId);
  if (queue === undefined) return;
  await queues.change(queue, (draft) => {
    const now = Date.now();
    queues.unlock(
      draft,
      [...queue.requests.values()].filter((r) => queues.isLocked(r, now)),
      now,
    );
  });
}
