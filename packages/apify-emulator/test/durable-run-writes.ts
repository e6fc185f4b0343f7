import { expect } from 'vitest';
import type { Api, WriteCase } from './durable-api.js';

/** A function-less actor: its runs stay RUNNING for the emulator's run duration (ten minutes here). */
async function actorNamed(api: Api, name: string): Promise<string> {
  return (await api.ok('POST', 'acts', { name })).id as string;
}

/**
 * A RUNNING run, saved as such: its start goes RUNNING on a timer and is saved on that event, and a save
 * still under way would take the fsync failure meant for the write under test.
 */
async function runningRun(
  api: Api,
  actorBody: Record<string, unknown> = { name: 'durable-actor' },
): Promise<Record<string, string>> {
  const actor = (await api.ok('POST', 'acts', actorBody)).id as string;
  const { id } = await api.ok('POST', `acts/${actor}/runs`);
  let status = 'READY';
  while (status === 'READY') status = (await api.ok('GET', `actor-runs/${id}`)).status as string;
  expect(status).toBe('RUNNING');
  // An API write is answered once everything changed before it is saved.
  await api.ok('PUT', `actor-runs/${id}`, {});
  return { actor, run: id as string };
}

async function finishedRun(api: Api): Promise<Record<string, string>> {
  const ids = await runningRun(api);
  await api.ok('POST', `actor-runs/${ids.run}/abort`);
  return ids;
}

/** What shows that a run was started: the actor's runs, the unnamed datasets, the CREATED dispatches. */
async function startTrace(api: Api, actor: string): Promise<Record<string, unknown>> {
  const runs = await api.ok('GET', `acts/${actor}/runs`);
  const datasets = await api.ok('GET', 'datasets?unnamed=true');
  const dispatches = await api.ok('GET', 'webhook-dispatches');
  return {
    runs: runs.total,
    datasets: datasets.total,
    created: (dispatches.items as { eventType: string }[]).filter((d) => d.eventType === 'ACTOR.RUN.CREATED')
      .length,
  };
}

async function actorWithCreatedWebhook(api: Api): Promise<Record<string, string>> {
  const actor = await actorNamed(api, 'durable-actor');
  // Nothing listens there: each delivery fails, but the dispatch is recorded, which is what is counted.
  await api.ok('POST', 'webhooks', {
    eventTypes: ['ACTOR.RUN.CREATED'],
    condition: { actorId: actor },
    requestUrl: 'http://127.0.0.1:9/never',
  });
  return { actor };
}

const PRICED = [
  {
    pricingModel: 'PAY_PER_EVENT',
    pricingPerEvent: { actorChargeEvents: { page: { eventTitle: 'Page', eventPriceUsd: 0.01 } } },
  },
];

const runField =
  (pick: (run: Record<string, unknown>) => unknown) =>
  async (api: Api, ids: Record<string, string>): Promise<unknown> =>
    pick(await api.ok('GET', `actor-runs/${ids.run}`));

const RUN_CASES: WriteCase[] = [
  {
    name: 'start a run of an actor (no run, storages or ACTOR.RUN.CREATED before it is durable)',
    prepare: actorWithCreatedWebhook,
    write: (api, { actor }) => api.call('POST', `acts/${actor}/runs`, { hello: 'world' }),
    read: (api, { actor }) => startTrace(api, actor as string),
    stored: () => ({ runs: 1, datasets: 1, created: 1 }),
  },
  {
    name: 'start a run of a task',
    prepare: async (api) => {
      const { actor } = await actorWithCreatedWebhook(api);
      const task = await api.ok('POST', 'actor-tasks', { actId: actor, name: 'durable-task' });
      return { actor: actor as string, task: task.id as string };
    },
    write: (api, { task }) => api.call('POST', `actor-tasks/${task}/runs`),
    read: (api, { actor }) => startTrace(api, actor as string),
    stored: () => ({ runs: 1, datasets: 1, created: 1 }),
  },
  {
    name: 'abort a run',
    prepare: runningRun,
    write: (api, { run }) => api.call('POST', `actor-runs/${run}/abort`),
    read: runField((r) => r.status),
    stored: () => 'ABORTED',
    restart: false,
  },
  {
    name: 'reboot a run',
    prepare: runningRun,
    write: (api, { run }) => api.call('POST', `actor-runs/${run}/reboot`),
    read: runField((r) => [r.status, (r.stats as { rebootCount: number }).rebootCount]),
    stored: () => ['RUNNING', 1],
    restart: false,
  },
  {
    name: 'metamorph a run',
    prepare: async (api) => ({ ...(await runningRun(api)), target: await actorNamed(api, 'durable-target') }),
    write: (api, { run, target }) => api.call('POST', `actor-runs/${run}/metamorph?targetActorId=${target}`),
    read: runField((r) => [r.actId, ((r.metamorphs as unknown[] | undefined) ?? []).length]),
    stored: ({ target }) => [target, 1],
    restart: false,
  },
  {
    name: 'resurrect a run',
    prepare: finishedRun,
    write: (api, { run }) => api.call('POST', `actor-runs/${run}/resurrect`),
    read: runField((r) => [r.status === 'ABORTED', (r.stats as { resurrectCount: number }).resurrectCount]),
    stored: () => [false, 1],
    restart: false,
  },
  {
    name: 'charge an event of a pay-per-event run (no idempotency key: a duplicate would count twice)',
    prepare: (api) => runningRun(api, { name: 'durable-priced', pricingInfos: PRICED }),
    write: (api, { run }) => api.call('POST', `actor-runs/${run}/charge`, { eventName: 'page', count: 2 }),
    read: runField((r) => r.chargedEventCounts),
    stored: () => ({ page: 2 }),
    restart: false,
  },
  {
    name: "update a run's status message",
    prepare: finishedRun,
    write: (api, { run }) =>
      api.call('PUT', `actor-runs/${run}`, {
        statusMessage: 'Checked by hand',
        isStatusMessageTerminal: true,
      }),
    read: runField((r) => [r.statusMessage, r.isStatusMessageTerminal]),
    stored: () => ['Checked by hand', true],
  },
  {
    name: 'delete a run',
    prepare: finishedRun,
    write: (api, { run }) => api.call('DELETE', `actor-runs/${run}`),
    read: async (api, { actor }) => (await api.ok('GET', `acts/${actor}/runs`)).total,
    stored: () => 0,
    failing: 'platform-drop',
  },
];

export const RUN_WRITES: WriteCase[] = RUN_CASES.map((write) => ({ failing: 'platform', ...write }));
