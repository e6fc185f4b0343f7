// Request queue: fill it, then drain it with several workers that lock the head, handle requests
// and give some back (a failed first attempt), until every request is handled exactly once.
import { ConflictError } from '@pluggable/apify-client';
import { check } from '../checks.js';

const WORKERS = 4;
const LOCK_SECS = 120;
const HEAD_LIMIT = 25;

/** Every 10th page "fails" on its first attempt and goes back to the queue for another worker. */
const isFlaky = (uniqueKey) => Number(uniqueKey.slice('page-'.length)) % 10 === 7;

export function queueSize(items) {
  return Math.max(50, Math.min(1000, Math.ceil(items / 100)));
}

/** Gives a request back to the queue for another attempt. */
async function releaseLock(queue, id) {
  try {
    await queue.deleteRequestLock(id);
  } catch (error) {
    // 409: the lock is no longer ours. A replay after a lost response finds it released already (or
    // expired and taken by another worker); either way the request is back in other hands.
    if (!(error instanceof ConflictError)) throw error;
  }
}

async function drain(queue, state, progress) {
  for (;;) {
    const head = await queue.listAndLockHead({ lockSecs: LOCK_SECS, limit: HEAD_LIMIT });
    if (head.items.length === 0) {
      // A lock call whose response was lost and replayed leaves requests locked to this worker that
      // it never saw; it holds nothing else at this point, so releasing its locks frees exactly those.
      const { unlockedCount } = await queue.unlockRequests();
      if (unlockedCount === 0) return;
      state.staleLocksReleased += unlockedCount;
      continue;
    }
    for (const request of head.items) {
      if (isFlaky(request.uniqueKey) && !state.failedOnce.has(request.id)) {
        state.failedOnce.add(request.id);
        await releaseLock(queue, request.id);
        continue;
      }
      const { id, uniqueKey, url, method } = request;
      await queue.updateRequest({ id, uniqueKey, url, method, handledAt: new Date().toISOString() });
      check(!state.handled.has(id), `request ${uniqueKey} was handed out again after it was handled`);
      state.handled.add(id);
      progress.add(1);
    }
  }
}

export async function requestQueueStep({ client, names, items, phase, tally, created }) {
  const size = queueSize(items);
  const { id } = await client.requestQueues().getOrCreate(names.requestQueue);
  created.push(() => client.requestQueue(id).delete());

  const fill = phase('fill queue', size, 'requests');
  const requests = Array.from({ length: size }, (_, n) => ({
    url: `https://shop.example/products?page=${n}`,
    uniqueKey: `page-${n}`,
  }));
  const { processedRequests, unprocessedRequests } = await client.requestQueue(id).batchAddRequests(requests);
  fill.add(processedRequests.length);
  const fillMs = fill.done();
  check(
    processedRequests.length === size && unprocessedRequests.length === 0,
    `added ${size} requests but ${unprocessedRequests.length} were not processed`,
  );

  const progress = phase('drain queue', size, 'requests');
  const state = { handled: new Set(), failedOnce: new Set(), staleLocksReleased: 0 };
  await Promise.all(
    Array.from({ length: WORKERS }, (_, w) =>
      drain(client.requestQueue(id, { clientKey: `worker-${w + 1}` }), state, progress),
    ),
  );
  const drainMs = progress.done();
  tally.staleLocksReleased += state.staleLocksReleased;

  const flaky = requests.filter((request) => isFlaky(request.uniqueKey)).length;
  check(state.handled.size === size, `the queue had ${size} requests but ${state.handled.size} were handled`);
  check(
    state.failedOnce.size === flaky,
    `${flaky} requests should have been retried, ${state.failedOnce.size} were`,
  );
  const rest = await client.requestQueue(id).listHead({ limit: 1 });
  check(rest.items.length === 0, `the drained queue still has ${rest.items[0]?.uniqueKey} at its head`);
  return { requestQueueId: id, requests: size, retried: flaky, fillMs, drainMs };
}
