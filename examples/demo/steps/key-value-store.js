// Key-value store: JSON, text and binary records written and read back, each compared with what was
// stored.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { check } from '../checks.js';

const RECORDS_PER_KIND = 10;
const IN_FLIGHT = 5;

function records() {
  const list = [];
  for (let i = 0; i < RECORDS_PER_KIND; i++) {
    list.push({ key: `state-${i}`, value: { page: i, cursor: `c${i * 97}`, seen: [i, i + 1, i + 2] } });
    list.push({ key: `note-${i}.txt`, value: `Crawl note ${i}: ${'żluťoučký kůň '.repeat(i + 1)}` });
    // Binary sizes straddle the 1 KiB compression threshold.
    list.push({ key: `blob-${i}.bin`, value: new Uint8Array(randomBytes(512 * 2 ** (i % 6))) });
  }
  return list;
}

/** Runs `task` over `list` with at most `limit` at once, as a crawler would. */
async function pool(list, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await task(list[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

function sameValue(stored, read) {
  if (stored instanceof Uint8Array) return read instanceof Uint8Array && Buffer.from(stored).equals(read);
  return isDeepStrictEqual(stored, read);
}

export async function keyValueStoreStep({ client, names, phase, created }) {
  const { id } = await client.keyValueStores().getOrCreate(names.keyValueStore);
  const store = client.keyValueStore(id);
  created.push(() => store.delete());
  const list = records();

  const write = phase('write records', list.length, 'records');
  await pool(list, IN_FLIGHT, async (record) => {
    await store.setRecord(record);
    write.add(1);
  });
  const writeMs = write.done();

  const read = phase('read records', list.length, 'records');
  await pool(list, IN_FLIGHT, async ({ key, value }) => {
    const record = await store.getRecord(key);
    check(record !== undefined, `key-value record "${key}" was stored but is missing`);
    check(sameValue(value, record.value), `key-value record "${key}" came back different`);
    read.add(1);
  });
  const readMs = read.done();

  const { items } = await store.listKeys({ limit: 1000 });
  check(
    items.length === list.length,
    `stored ${list.length} records but the store lists ${items.length} keys`,
  );
  return { keyValueStoreId: id, records: list.length, writeMs, readMs };
}
