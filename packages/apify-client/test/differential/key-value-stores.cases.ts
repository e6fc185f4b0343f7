import { Readable } from 'node:stream';
import type { DifferentialCase } from './harness.js';

export const keyValueStoreCases: DifferentialCase[] = [
  { method: 'KeyValueStoreCollectionClient.list', run: (c) => c.keyValueStores().list({ desc: true }) },
  {
    method: 'KeyValueStoreCollectionClient.getOrCreate',
    run: (c) => c.keyValueStores().getOrCreate('named'),
  },
  { method: 'KeyValueStoreClient.get', run: (c) => c.keyValueStore('kv1').get() },
  {
    method: 'KeyValueStoreClient.update',
    run: (c) => c.keyValueStore('kv1').update({ name: 'renamed', title: 'Renamed' }),
  },
  { method: 'KeyValueStoreClient.delete', run: (c) => c.keyValueStore('kv1').delete() },
  {
    method: 'KeyValueStoreClient.listKeys',
    run: (c) => c.keyValueStore('kv1').listKeys({ prefix: 'a', limit: 2 }),
  },
  {
    method: 'KeyValueStoreClient.getRecordPublicUrl',
    run: (c) => c.keyValueStore('kv1').getRecordPublicUrl('a'),
  },
  {
    method: 'KeyValueStoreClient.createKeysPublicUrl',
    run: (c) => c.keyValueStore('kv1').createKeysPublicUrl({ prefix: 'a', limit: 5 }),
  },
  {
    method: 'KeyValueStoreClient.recordExists',
    run: async (c) => [
      await c.keyValueStore('kv1').recordExists('a'),
      await c.keyValueStore('kv1').recordExists('missing'),
    ],
  },
  {
    method: 'KeyValueStoreClient.getRecord',
    run: async (c) => {
      const store = c.keyValueStore('kv1');
      return [
        await store.getRecord('json-record'),
        await store.getRecord('text-record'),
        await store.getRecord('binary-record'),
        await store.getRecord('json-record', { buffer: true }),
        await store.getRecord('binary-record', { stream: true }),
        await store.getRecord('missing'),
      ];
    },
  },
  {
    method: 'KeyValueStoreClient.setRecord',
    run: async (c) => {
      const store = c.keyValueStore('kv1');
      await store.setRecord({ key: 'json', value: { a: 1, nested: { b: [1, 2] } } });
      await store.setRecord({ key: 'text', value: 'plain text' });
      await store.setRecord({ key: 'bytes', value: Buffer.from('abc') });
      await store.setRecord({ key: 'typed', value: '<p>hi</p>', contentType: 'text/html' });
      await store.setRecord(
        { key: 'large', value: 'y'.repeat(5000) },
        { timeoutSecs: 20, doNotRetryTimeouts: true },
      );
      await store.setRecord({ key: 'stream', value: Readable.from([Buffer.from('streamed')]) });
      return 'stored';
    },
  },
  { method: 'KeyValueStoreClient.deleteRecord', run: (c) => c.keyValueStore('kv1').deleteRecord('a') },
];
