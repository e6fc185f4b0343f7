import type { DifferentialCase } from './harness.js';

const big = Array.from({ length: 40 }, (_, i) => ({ i, text: 'x'.repeat(40) }));

export const datasetCases: DifferentialCase[] = [
  {
    method: 'DatasetCollectionClient.list',
    run: (c) => c.datasets().list({ unnamed: true, limit: 2, offset: 1 }),
  },
  { method: 'DatasetCollectionClient.getOrCreate', run: (c) => c.datasets().getOrCreate('named') },
  { method: 'DatasetClient.get', run: (c) => c.dataset('john/ds').get() },
  {
    method: 'DatasetClient.update',
    run: (c) => c.dataset('ds1').update({ name: 'renamed', title: 'Renamed' }),
  },
  { method: 'DatasetClient.delete', run: (c) => c.dataset('ds1').delete() },
  {
    method: 'DatasetClient.listItems',
    run: (c) =>
      c
        .dataset('ds1')
        .listItems({ clean: true, desc: false, fields: ['n', 'seenAt'], limit: 0, chunkSize: 2 }),
  },
  {
    method: 'DatasetClient.downloadItems',
    run: async (c) => [
      await c.dataset('ds1').downloadItems('csv', { bom: false, skipHeaderRow: true }),
      await c.dataset('ds1').downloadItems('xlsx'),
    ],
  },
  {
    method: 'DatasetClient.pushItems',
    run: async (c) => {
      await c.dataset('ds1').pushItems({ single: true });
      await c.dataset('ds1').pushItems([{ a: 1 }, { b: 2 }]);
      await c.dataset('ds1').pushItems(big);
      return 'pushed';
    },
  },
  { method: 'DatasetClient.getStatistics', run: (c) => c.dataset('ds1').getStatistics() },
  {
    method: 'DatasetClient.createItemsPublicUrl',
    run: (c) => c.dataset('ds1').createItemsPublicUrl({ clean: true, fields: ['a', 'b'], limit: 3 }),
  },
];
