import { Zip, ZipDeflate } from 'fflate';
import { decodeBuffer } from '../http/body.js';
import type { KeyValueStore } from './key-value-stores.js';

/**
 * The store's records as a ZIP archive, one file per key holding the record's decoded bytes, in
 * key order. It is built record by record as the client reads, so a large store is never held in
 * memory as one archive; keys are taken when the download starts, and a record deleted meanwhile
 * is left out.
 */
export function recordsZip(store: KeyValueStore, prefix: string | null): ReadableStream<Uint8Array> {
  const keys = [...store.records.keys()]
    .filter((key) => prefix === null || key.startsWith(prefix))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let next = 0;
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) {
          controller.error(error);
          return;
        }
        if (chunk.length > 0) controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      // Pull until a record is added or the archive is ended, so every pull makes progress.
      while (next < keys.length) {
        const key = keys[next++] as string;
        const record = store.records.get(key);
        if (record === undefined) continue;
        const bytes =
          record.encoding === null ? record.value : await decodeBuffer(record.value, record.encoding);
        const file = new ZipDeflate(key, { level: 6 });
        zip.add(file);
        file.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), true);
        return;
      }
      zip.end();
    },
    cancel() {
      zip.terminate();
    },
  });
}
