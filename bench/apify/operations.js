// One Apify operation by one client variant, in a fresh child process (CPU and RSS attributable).
import { settle, watchRss } from '../lib/memory.js';
import { makeClient, makeItems } from './clients.js';

const CHUNK_SIZE = 1000;

async function timed(work) {
  await settle();
  const watch = watchRss();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const count = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    opsPerSecond: count / seconds,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    ...watch.stop(),
  };
}

const OPERATIONS = {
  /** Push `size` items to a fresh dataset (chunked under the payload limit). */
  async push({ client, pushItems }, { size }) {
    const dataset = await client.datasets().getOrCreate(`push-${process.pid}-${Date.now()}`);
    const items = makeItems(size);
    try {
      return await timed(async () => {
        await pushItems(dataset.id, items);
        return size;
      });
    } finally {
      await client.dataset(dataset.id).delete();
    }
  },

  /** Iterate every item of a prepared dataset, page by page. */
  async iterate({ iterateItems }, { size, datasetId }) {
    return timed(async () => {
      let count = 0;
      for await (const item of iterateItems(datasetId, CHUNK_SIZE)) {
        if (item.id !== count) throw new Error(`item ${count} came back as ${JSON.stringify(item)}`);
        count++;
      }
      if (count !== size) throw new Error(`iterated ${count} items, expected ${size}`);
      return count;
    });
  },

  /** `size` sequential set+get pairs on a fresh key-value store. */
  async kvs({ client }, { size }) {
    const meta = await client.keyValueStores().getOrCreate(`kvs-${process.pid}-${Date.now()}`);
    const store = client.keyValueStore(meta.id);
    try {
      return await timed(async () => {
        for (let i = 0; i < size; i++) {
          await store.setRecord({ key: `key-${i}`, value: { i, text: 'value' } });
          const record = await store.getRecord(`key-${i}`);
          if (record?.value?.i !== i)
            throw new Error(`record key-${i} came back as ${JSON.stringify(record)}`);
        }
        return size;
      });
    } finally {
      await store.delete();
    }
  },

  /** Add `size` requests in batches, then lock the head 25 at a time and mark each handled. */
  async queue({ client }, { size }) {
    const meta = await client.requestQueues().getOrCreate(`rq-${process.pid}-${Date.now()}`);
    const queue = client.requestQueue(meta.id);
    const requests = Array.from({ length: size }, (_, i) => ({
      url: `https://example.com/page/${i}`,
      uniqueKey: `page-${i}`,
    }));
    try {
      return await timed(async () => {
        const added = await queue.batchAddRequests(requests);
        if (added.processedRequests.length !== size)
          throw new Error(`added ${added.processedRequests.length} of ${size} requests`);
        let handled = 0;
        for (;;) {
          const head = await queue.listAndLockHead({ lockSecs: 300, limit: 25 });
          if (head.items.length === 0) break;
          const handledAt = new Date().toISOString();
          await Promise.all(head.items.map((item) => queue.updateRequest({ ...item, handledAt })));
          handled += head.items.length;
        }
        if (handled !== size) throw new Error(`handled ${handled} requests, expected ${size}`);
        return size;
      });
    } finally {
      await queue.delete();
    }
  },
};

export async function run({ variant, baseUrl, op, ...args }) {
  const wrapped = await makeClient(variant, baseUrl);
  try {
    // Warm-up: connection and lazy modules are not part of the measurement.
    await wrapped.client.user('me').get();
    return await OPERATIONS[op](wrapped, args);
  } finally {
    await wrapped.close();
  }
}
