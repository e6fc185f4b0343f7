// Fills a dataset for the iterate operations (in a child, so the harness stays small).
import { ApifyClient } from '@pluggable/apify-client';
import { makeItems, TOKEN } from './clients.js';

export async function run({ baseUrl, size }) {
  const client = new ApifyClient({ baseUrl, token: TOKEN });
  try {
    const dataset = await client.datasets().getOrCreate(`iterate-${size}`);
    const batch = 100_000;
    for (let from = 0; from < size; from += batch)
      await client.dataset(dataset.id).pushItems(makeItems(Math.min(batch, size - from), from));
    return { datasetId: dataset.id };
  } finally {
    await client.close();
  }
}
