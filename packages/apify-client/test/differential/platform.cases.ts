import type { DifferentialCase } from './harness.js';

export const platformCases: DifferentialCase[] = [
  { method: 'ScheduleCollectionClient.list', run: (c) => c.schedules().list() },
  {
    method: 'ScheduleCollectionClient.create',
    run: (c) =>
      c.schedules().create({ name: 'nightly', cronExpression: '0 0 * * *', isEnabled: true, actions: [] }),
  },
  { method: 'ScheduleClient.get', run: (c) => c.schedule('s1').get() },
  { method: 'ScheduleClient.update', run: (c) => c.schedule('s1').update({ isEnabled: false }) },
  { method: 'ScheduleClient.delete', run: (c) => c.schedule('s1').delete() },
  { method: 'ScheduleClient.getLog', run: (c) => c.schedule('s1').getLog() },
  { method: 'StoreCollectionClient.list', run: (c) => c.store().list({ search: 'crawler', limit: 2 }) },
  { method: 'UserClient.get', run: (c) => c.user().get() },
  { method: 'UserClient.monthlyUsage', run: (c) => c.user('me').monthlyUsage() },
  { method: 'UserClient.limits', run: (c) => c.user().limits() },
  {
    method: 'UserClient.updateLimits',
    run: (c) => c.user().updateLimits({ maxMonthlyUsageUsd: 10, dataRetentionDays: 7 }),
  },
  { method: 'WebhookCollectionClient.list', run: (c) => c.webhooks().list({ desc: true }) },
  {
    method: 'WebhookCollectionClient.create',
    run: (c) =>
      c.webhooks().create({ eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: 'https://example.com/hook' }),
  },
  { method: 'WebhookClient.get', run: (c) => c.webhook('w1').get() },
  {
    method: 'WebhookClient.update',
    run: (c) => c.webhook('w1').update({ requestUrl: 'https://example.com/other' }),
  },
  { method: 'WebhookClient.delete', run: (c) => c.webhook('w1').delete() },
  { method: 'WebhookClient.test', run: (c) => c.webhook('w1').test() },
  { method: 'WebhookClient.dispatches', run: (c) => c.webhook('w1').dispatches().list() },
  { method: 'WebhookDispatchCollectionClient.list', run: (c) => c.webhookDispatches().list({ limit: 2 }) },
  { method: 'WebhookDispatchClient.get', run: (c) => c.webhookDispatch('d1').get() },
  {
    method: 'ApifyClient.setStatusMessage',
    run: async (c) => {
      process.env.ACTOR_RUN_ID = 'run-in-env';
      try {
        return await c.setStatusMessage('working', { isStatusMessageTerminal: true, level: 'WARNING' });
      } finally {
        delete process.env.ACTOR_RUN_ID;
      }
    },
  },
];
