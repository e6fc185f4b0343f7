import type { DifferentialCase } from './harness.js';

const requests = Array.from({ length: 30 }, (_, i) => ({
  uniqueKey: `k${i}`,
  url: `https://example.com/${i}`,
}));

export const requestQueueCases: DifferentialCase[] = [
  { method: 'RequestQueueCollectionClient.list', run: (c) => c.requestQueues().list({ limit: 3 }) },
  { method: 'RequestQueueCollectionClient.getOrCreate', run: (c) => c.requestQueues().getOrCreate('named') },
  { method: 'RequestQueueClient.get', run: (c) => c.requestQueue('rq1').get() },
  {
    method: 'RequestQueueClient.update',
    run: (c) => c.requestQueue('rq1').update({ name: 'renamed', title: 'Renamed' }),
  },
  { method: 'RequestQueueClient.delete', run: (c) => c.requestQueue('rq1').delete() },
  {
    method: 'RequestQueueClient.listHead',
    run: (c) => c.requestQueue('rq1', { clientKey: 'ck' }).listHead({ limit: 5 }),
  },
  {
    method: 'RequestQueueClient.listAndLockHead',
    run: async (c) => [
      await c.requestQueue('rq1', { clientKey: 'ck' }).listAndLockHead({ lockSecs: 30, limit: 2 }),
      await c
        .requestQueue('rq1')
        .listAndLockHead({ limit: 2 })
        .catch((error: Error) => error.constructor.name),
    ],
    difference: (official, ours) => {
      // Both reject before sending; the official throws ow's ArgumentError, ours InvalidArgumentError.
      const officialRejection = (official.result as unknown[])[1];
      const ourRejection = (ours.result as unknown[])[1];
      if (officialRejection !== 'ArgumentError' || ourRejection !== 'InvalidArgumentError') {
        throw new Error(`unexpected rejections ${String(officialRejection)} / ${String(ourRejection)}`);
      }
      (ours.result as unknown[])[1] = officialRejection;
    },
  },
  {
    method: 'RequestQueueClient.addRequest',
    run: (c) =>
      c
        .requestQueue('rq1', { clientKey: 'ck' })
        .addRequest({ uniqueKey: 'u', url: 'https://example.com' }, { forefront: true }),
  },
  {
    method: 'RequestQueueClient.batchAddRequests',
    run: (c) =>
      c
        .requestQueue('rq1', { clientKey: 'ck' })
        .batchAddRequests(requests, { forefront: false, maxParallel: 1 }),
  },
  {
    method: 'RequestQueueClient.batchDeleteRequests',
    run: (c) =>
      c.requestQueue('rq1', { clientKey: 'ck' }).batchDeleteRequests([{ id: 'r1' }, { uniqueKey: 'u-r2' }]),
  },
  {
    method: 'RequestQueueClient.getRequest',
    run: (c) => c.requestQueue('rq1', { clientKey: 'ck' }).getRequest('r1'),
  },
  {
    method: 'RequestQueueClient.updateRequest',
    run: (c) =>
      c.requestQueue('rq1', { clientKey: 'ck' }).updateRequest({
        id: 'r1',
        uniqueKey: 'u',
        url: 'https://example.com',
        handledAt: new Date(0).toISOString(),
      }),
  },
  {
    method: 'RequestQueueClient.deleteRequest',
    run: (c) => c.requestQueue('rq1', { clientKey: 'ck' }).deleteRequest('r1'),
  },
  {
    method: 'RequestQueueClient.prolongRequestLock',
    run: (c) =>
      c.requestQueue('rq1', { clientKey: 'ck' }).prolongRequestLock('r1', { lockSecs: 60, forefront: true }),
  },
  {
    method: 'RequestQueueClient.deleteRequestLock',
    run: (c) => c.requestQueue('rq1', { clientKey: 'ck' }).deleteRequestLock('r1', { forefront: false }),
  },
  {
    method: 'RequestQueueClient.listRequests',
    run: (c) => c.requestQueue('rq1', { clientKey: 'ck' }).listRequests({ limit: 2, filter: ['pending'] }),
  },
  {
    method: 'RequestQueueClient.unlockRequests',
    run: (c) => c.requestQueue('rq1', { clientKey: 'ck' }).unlockRequests(),
  },
  {
    method: 'RequestQueueClient.paginateRequests',
    run: async (c) => {
      const pages: unknown[] = [];
      for await (const page of c.requestQueue('rq1').paginateRequests({ maxPageLimit: 2, limit: 3 }))
        pages.push(page);
      return pages;
    },
  },
];
