import type { DifferentialCase } from './harness.js';

/**
 * The option audit of docs/migrating-from-apify-client.md ("Options, one by one"): every per-call
 * option of the official d.ts that the family cases leave at its default, set to another value,
 * so that its name, its wire form and its default are compared too.
 */
const webhooks = [{ eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: 'https://example.com/failed' }];
const requests = Array.from({ length: 4 }, (_, i) => ({
  uniqueKey: `o${i}`,
  url: `https://example.com/o${i}`,
}));

export const optionCases: DifferentialCase[] = [
  {
    method: 'ActorCollectionClient.list',
    run: (c) => c.actors().list({ my: false, desc: true, offset: 1, sortBy: 'stats.lastRunStartedAt' }),
  },
  {
    method: 'ActorClient.start',
    run: (c) => c.actor('act1').start('plain input', { contentType: 'text/plain', webhooks }),
  },
  {
    method: 'ActorClient.call',
    run: (c) =>
      c.actor('act1').call(
        { a: 1 },
        {
          build: '0.1.2',
          maxItems: 7,
          maxTotalChargeUsd: 0.5,
          restartOnError: false,
          forcePermissionLevel: 'FULL_PERMISSIONS',
          waitSecs: 0,
          log: null,
        },
      ),
  },
  {
    method: 'ActorClient.validateInput',
    run: (c) => c.actor('act1').validateInput('{"a":1}', { contentType: 'application/json' }),
  },
  {
    method: 'ActorClient.lastRun',
    run: (c) => c.actor('act1').lastRun({ origin: 'WEB' }).requestQueue().listHead({ limit: 2 }),
  },
  {
    method: 'ActorVersionCollectionClient.list',
    run: (c) => c.actor('act1').versions().list({ desc: true, limit: 1, offset: 1 }),
  },
  {
    method: 'ActorEnvVarCollectionClient.list',
    run: (c) => c.actor('act1').version('0.1').envVars().list({ desc: true, limit: 2 }),
  },
  { method: 'BuildCollectionClient.list', run: (c) => c.builds().list({ desc: true, limit: 1 }) },
  {
    method: 'DatasetCollectionClient.list',
    run: (c) => c.datasets().list({ desc: true, ownership: 'ownedByMe', offset: 1 }),
  },
  {
    method: 'DatasetCollectionClient.getOrCreate',
    run: (c) => c.datasets().getOrCreate('with-schema', { schema: { actorSpecification: 1, fields: {} } }),
  },
  {
    method: 'DatasetClient.listItems',
    run: (c) =>
      c.dataset('ds1').listItems({
        offset: 1,
        limit: 2,
        desc: true,
        flatten: ['a'],
        omit: ['b'],
        unwind: ['c'],
        skipEmpty: true,
        skipHidden: true,
        view: 'overview',
        signature: 'sig',
      }),
  },
  {
    method: 'DatasetClient.downloadItems',
    run: (c) =>
      c.dataset('ds1').downloadItems('csv', {
        attachment: true,
        bom: true,
        delimiter: ';',
        fields: ['a'],
        xmlRoot: 'items',
        xmlRow: 'item',
        skipHeaderRow: false,
      }),
  },
  {
    method: 'DatasetClient.pushItems',
    run: async (c) => {
      await c.dataset('ds1').pushItems('{"asText":true}');
      await c.dataset('ds1').pushItems(['{"a":1}', '{"b":2}']);
      return 'pushed';
    },
  },
  {
    method: 'KeyValueStoreCollectionClient.list',
    run: (c) => c.keyValueStores().list({ unnamed: true, ownership: 'sharedWithMe', limit: 1 }),
  },
  {
    method: 'KeyValueStoreClient.listKeys',
    run: (c) =>
      c.keyValueStore('kv1').listKeys({ exclusiveStartKey: 'a', collection: 'images', signature: 'sig' }),
  },
  {
    method: 'KeyValueStoreClient.getRecord',
    run: (c) => c.keyValueStore('kv1').getRecord('json-record', { signature: 'sig' }),
  },
  {
    method: 'RequestQueueCollectionClient.list',
    run: (c) => c.requestQueues().list({ unnamed: true, desc: true, ownership: 'ownedByMe' }),
  },
  {
    method: 'RequestQueueClient.listRequests',
    run: async (c) => [
      await c.requestQueue('rq1').listRequests({ exclusiveStartId: 'r1' }),
      await c.requestQueue('rq1').listRequests({ cursor: 'r2', limit: 1 }),
    ],
  },
  {
    method: 'RequestQueueClient.paginateRequests',
    run: async (c) => {
      const pages: unknown[] = [];
      for await (const page of c.requestQueue('rq1').paginateRequests({ exclusiveStartId: 'r1', limit: 5 }))
        pages.push(page);
      return pages;
    },
  },
  {
    method: 'RequestQueueClient.batchAddRequests',
    unordered: true,
    run: (c) =>
      c.requestQueue('rq1').batchAddRequests(requests, {
        maxParallel: 2,
        maxUnprocessedRequestsRetries: 0,
        minDelayBetweenUnprocessedRequestsRetriesMillis: 1,
      }),
  },
  {
    method: 'RunCollectionClient.list',
    run: (c) =>
      c.runs().list({
        startedBefore: new Date('2026-02-01T00:00:00.000Z'),
        startedAfter: new Date('2026-01-01T00:00:00.000Z'),
        offset: 1,
      }),
  },
  { method: 'RunClient.abort', run: (c) => c.run('run1').abort({ gracefully: false }) },
  { method: 'RunClient.update', run: (c) => c.run('run1').update({ generalAccess: 'RESTRICTED' }) },
  {
    method: 'RunClient.metamorph',
    run: (c) => c.run('run1').metamorph('act2', 'text input', { contentType: 'text/plain' }),
  },
  {
    method: 'RunClient.resurrect',
    run: (c) => c.run('run1').resurrect({ maxTotalChargeUsd: 2, restartOnError: true }),
  },
  { method: 'ScheduleCollectionClient.list', run: (c) => c.schedules().list({ desc: true, offset: 1 }) },
  {
    method: 'StoreCollectionClient.list',
    run: (c) =>
      c.store().list({
        sortBy: 'popularity',
        category: 'AI',
        username: 'apify',
        pricingModel: 'FREE',
        includeUnrunnableActors: true,
        offset: 1,
      }),
  },
  { method: 'TaskCollectionClient.list', run: (c) => c.tasks().list({ desc: true, offset: 1 }) },
  {
    method: 'TaskClient.start',
    run: (c) =>
      c.task('t1').start(undefined, {
        build: 'beta',
        maxItems: 3,
        maxTotalChargeUsd: 1,
        restartOnError: true,
        webhooks,
      }),
  },
  { method: 'TaskClient.call', run: (c) => c.task('t1').call(undefined, { waitSecs: 0, memory: 128 }) },
  { method: 'WebhookDispatchCollectionClient.list', run: (c) => c.webhookDispatches().list({ desc: true }) },
  { method: 'LogClient.get', run: (c) => c.log('run1').get({ raw: false }) },
];
