// Dataset: push N generated products in chunks, then iterate them back and check every one arrived
// once, in order.
import { check, isUnknownOutcome, MAX_RECONCILE_ATTEMPTS } from '../checks.js';

const PUSH_CHUNK = 1000;
const READ_PAGE = 5000;

const sku = (n) => `SKU-${String(n).padStart(7, '0')}`;

/** A deterministic price in 0.99 … 1000.98, so results can be recomputed instead of stored. */
export const priceOf = (n) => Math.round(((n * 7919) % 100_000) + 99) / 100;

function product(n) {
  return {
    n,
    sku: sku(n),
    title: `Product ${n}`,
    price: priceOf(n),
    inStock: n % 3 !== 0,
    tags: n % 2 === 0 ? ['even', 'demo'] : ['odd', 'demo'],
  };
}

/**
 * The client never replays a push whose outcome is unknown (a connection lost after sending), since
 * that could store the chunk twice. Items are pushed in order, so whether the chunk landed is
 * visible at its offset: look, and push again only if it is not there.
 */
async function pushChunk(dataset, chunk, offset, tally) {
  for (let attempt = 1; attempt <= MAX_RECONCILE_ATTEMPTS; attempt++) {
    try {
      await dataset.pushItems(chunk);
      return;
    } catch (error) {
      if (!isUnknownOutcome(error)) throw error;
      tally.unknownOutcomes += 1;
      const { items } = await dataset.listItems({ offset, limit: 1 });
      if (items[0]?.n === offset) return;
    }
  }
  throw new Error(`pushing items ${offset}… kept failing with an unknown outcome`);
}

export async function datasetStep({ client, names, items, phase, tally, created }) {
  const { id } = await client.datasets().getOrCreate(names.dataset);
  const dataset = client.dataset(id);
  created.push(() => dataset.delete());

  const push = phase('push items', items, 'items');
  for (let offset = 0; offset < items; offset += PUSH_CHUNK) {
    const chunk = Array.from({ length: Math.min(PUSH_CHUNK, items - offset) }, (_, i) => product(offset + i));
    await pushChunk(dataset, chunk, offset, tally);
    push.add(chunk.length);
  }
  const pushMs = push.done();

  const read = phase('read items', items, 'items');
  let readBack = 0;
  for await (const item of dataset.iterateItems({ chunkSize: READ_PAGE })) {
    check(
      item.n === readBack && item.sku === sku(readBack),
      `dataset item ${readBack} came back as ${JSON.stringify(item)}: an item was lost, duplicated or reordered`,
    );
    readBack += 1;
    if (readBack % PUSH_CHUNK === 0) read.add(PUSH_CHUNK);
  }
  read.add(readBack % PUSH_CHUNK);
  const readMs = read.done();
  check(readBack === items, `pushed ${items} dataset items but read back ${readBack}`);

  return { datasetId: id, pushed: items, pushMs, readMs, readBack };
}
