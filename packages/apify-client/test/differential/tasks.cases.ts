import type { DifferentialCase } from './harness.js';

export const taskCases: DifferentialCase[] = [
  { method: 'TaskCollectionClient.list', run: (c) => c.tasks().list({ limit: 1 }) },
  { method: 'TaskCollectionClient.create', run: (c) => c.tasks().create({ actId: 'act1', name: 'my-task' }) },
  { method: 'TaskClient.get', run: (c) => c.task('john/my-task').get() },
  { method: 'TaskClient.update', run: (c) => c.task('t1').update({ title: 'x' }) },
  { method: 'TaskClient.publish', run: (c) => c.task('t1').publish() },
  { method: 'TaskClient.unpublish', run: (c) => c.task('t1').unpublish() },
  { method: 'TaskClient.delete', run: (c) => c.task('t1').delete() },
  {
    method: 'TaskClient.start',
    run: (c) => c.task('t1').start({ a: 1, fn: () => 'x' }, { timeout: 120, memory: 256, waitForFinish: 1 }),
  },
  { method: 'TaskClient.call', run: (c) => c.task('t1').call({ a: 1 }, { timeout: 30, waitSecs: 5 }) },
  { method: 'TaskClient.getInput', run: (c) => c.task('t1').getInput() },
  {
    method: 'TaskClient.updateInput',
    run: (c) => c.task('t1').updateInput({ b: 2, changedAt: '2026-01-01T00:00:00.000Z' }),
  },
  {
    method: 'TaskClient.lastRun',
    run: async (c) => [
      await c.task('t1').lastRun({ status: 'FAILED' }).get(),
      await c.task('t1').lastRun().keyValueStore().get(),
    ],
  },
  { method: 'TaskClient.runs', run: (c) => c.task('t1').runs().list() },
  { method: 'TaskClient.webhooks', run: (c) => c.task('t1').webhooks().list() },
];
