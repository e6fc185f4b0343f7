import type { DifferentialCase, Observed } from './harness.js';

const errorBody = (type: string, message: string) => ({ error: { type, message, data: { field: 'x' } } });

const replies = {
  400: { status: 400, body: errorBody('invalid-input', 'Input is not valid') },
  404: { status: 404, body: errorBody('page-not-found', 'Route was not found') },
  429: { status: 429, body: errorBody('rate-limit-exceeded', 'Too many requests') },
} as const;

/** One call per resource family and HTTP method, so clientMethod and httpMethod vary. */
const calls: [string, DifferentialCase['run']][] = [
  ['DatasetClient.listItems', (c) => c.dataset('ds1').listItems()],
  ['DatasetClient.pushItems', (c) => c.dataset('ds1').pushItems([{ a: 1 }])],
  ['KeyValueStoreClient.setRecord', (c) => c.keyValueStore('kv1').setRecord({ key: 'k', value: 1 })],
  [
    'RequestQueueClient.addRequest',
    (c) => c.requestQueue('rq1').addRequest({ uniqueKey: 'u', url: 'https://x' }),
  ],
  ['ActorClient.start', (c) => c.actor('act1').start({ a: 1 })],
  ['RunClient.abort', (c) => c.run('run1').abort()],
  ['TaskCollectionClient.list', (c) => c.tasks().list()],
  ['ScheduleClient.update', (c) => c.schedule('s1').update({ isEnabled: false })],
];

/**
 * The official client reads `clientMethod` off the stack, which loses `listItems` (its pages are
 * fetched by an inner arrow function) and gives `'unknown'`; ours names the method.
 */
function listItemsNamesItsMethod(official: Observed, ours: Observed): void {
  const theirs = (official.result as { $error: Record<string, unknown> }).$error;
  const mine = (ours.result as { $error: Record<string, unknown> }).$error;
  if (theirs.clientMethod !== 'unknown' || mine.clientMethod !== 'DatasetClient.listItems') {
    throw new Error(
      `clientMethod: official ${String(theirs.clientMethod)}, ours ${String(mine.clientMethod)}`,
    );
  }
  mine.clientMethod = theirs.clientMethod;
}

/** The error programs: every call above against a 400, a 404 and a 429. */
export const errorCases: { status: string; cases: DifferentialCase[] }[] = Object.entries(replies).map(
  ([status, reply]) => ({
    status,
    cases: calls.map(([method, run]) => ({
      method,
      run,
      reply,
      ...(method === 'DatasetClient.listItems' ? { difference: listItemsNamesItsMethod } : {}),
    })),
  }),
);
