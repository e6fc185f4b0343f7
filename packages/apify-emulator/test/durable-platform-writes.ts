import type { Api, WriteCase } from './durable-api.js';

const SOURCE = { sourceType: 'SOURCE_FILES', sourceFiles: [] };

async function actor(api: Api, body: Record<string, unknown> = {}): Promise<Record<string, string>> {
  return { actor: (await api.ok('POST', 'acts', { name: 'durable-actor', ...body })).id as string };
}

async function withTask(api: Api): Promise<Record<string, string>> {
  const ids = await actor(api);
  const task = await api.ok('POST', 'actor-tasks', {
    actId: ids.actor,
    name: 'durable-task',
    input: { a: 1 },
  });
  return { ...ids, task: task.id as string };
}

const SCHEDULE = { name: 'durable-schedule', cronExpression: '0 0 1 1 *' };
const HOOK_URL = 'http://127.0.0.1:9/hook';
const webhookOn = (ids: Record<string, string>) => ({
  eventTypes: ['ACTOR.RUN.SUCCEEDED'],
  condition: { actorId: ids.actor },
  requestUrl: HOOK_URL,
});
async function withWebhook(api: Api): Promise<Record<string, string>> {
  const ids = await actor(api);
  return { ...ids, webhook: (await api.ok('POST', 'webhooks', webhookOn(ids))).id as string };
}

const names = (key: string) => async (api: Api, path: string) =>
  ((await api.ok('GET', path)).items as Record<string, unknown>[]).map((item) => item[key]);
const actorNames = names('name');
const field =
  (path: (ids: Record<string, string>) => string, key: string) =>
  async (api: Api, ids: Record<string, string>) =>
    (await api.ok('GET', path(ids)))[key];
const versionNumbers = async (api: Api, ids: Record<string, string>) =>
  names('versionNumber')(api, `acts/${ids.actor}/versions`);
const envVarValues = async (api: Api, ids: Record<string, string>) =>
  (
    (await api.ok('GET', `acts/${ids.actor}/versions/0.0/env-vars`)).items as {
      name: string;
      value: string;
    }[]
  ).map((e) => `${e.name}=${e.value}`);
const buildNumbers = async (api: Api, ids: Record<string, string>) =>
  names('buildNumber')(api, `acts/${ids.actor}/builds`);

export const PLATFORM_WRITES: WriteCase[] = [
  {
    name: 'create an actor',
    prepare: async () => ({}),
    write: (api) => api.call('POST', 'acts', { name: 'durable-actor' }),
    read: (api) => actorNames(api, 'acts'),
    stored: () => ['durable-actor'],
  },
  {
    name: 'update an actor',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('PUT', `acts/${ids.actor}`, { title: 'Durable' }),
    read: field((ids) => `acts/${ids.actor}`, 'title'),
    stored: () => 'Durable',
  },
  {
    name: 'delete an actor',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('DELETE', `acts/${ids.actor}`),
    read: (api) => actorNames(api, 'acts'),
    stored: () => [],
    failing: 'platform-drop',
  },
  {
    name: 'add a version',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('POST', `acts/${ids.actor}/versions`, { versionNumber: '0.1', ...SOURCE }),
    read: versionNumbers,
    stored: () => ['0.0', '0.1'],
  },
  {
    name: 'update a version',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('PUT', `acts/${ids.actor}/versions/0.0`, { buildTag: 'beta' }),
    read: field((ids) => `acts/${ids.actor}/versions/0.0`, 'buildTag'),
    stored: () => 'beta',
  },
  {
    name: 'delete a version',
    prepare: (api) =>
      actor(api, {
        versions: [
          { versionNumber: '0.0', ...SOURCE },
          { versionNumber: '0.1', ...SOURCE },
        ],
      }),
    write: (api, ids) => api.call('DELETE', `acts/${ids.actor}/versions/0.1`),
    read: versionNumbers,
    stored: () => ['0.0'],
  },
  {
    name: 'add an environment variable',
    prepare: (api) => actor(api),
    write: (api, ids) =>
      api.call('POST', `acts/${ids.actor}/versions/0.0/env-vars`, { name: 'KEY', value: 'one' }),
    read: envVarValues,
    stored: () => ['KEY=one'],
  },
  {
    name: 'update an environment variable',
    prepare: async (api) => {
      const ids = await actor(api);
      await api.ok('POST', `acts/${ids.actor}/versions/0.0/env-vars`, { name: 'KEY', value: 'one' });
      return ids;
    },
    write: (api, ids) => api.call('PUT', `acts/${ids.actor}/versions/0.0/env-vars/KEY`, { value: 'two' }),
    read: envVarValues,
    stored: () => ['KEY=two'],
  },
  {
    name: 'delete an environment variable',
    prepare: async (api) => {
      const ids = await actor(api);
      await api.ok('POST', `acts/${ids.actor}/versions/0.0/env-vars`, { name: 'KEY', value: 'one' });
      return ids;
    },
    write: (api, ids) => api.call('DELETE', `acts/${ids.actor}/versions/0.0/env-vars/KEY`),
    read: envVarValues,
    stored: () => [],
  },
  {
    name: 'build an actor',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('POST', `acts/${ids.actor}/builds`),
    read: buildNumbers,
    stored: () => ['0.0.1', '0.0.2'],
  },
  {
    name: 'delete a build',
    prepare: async (api) => {
      const ids = await actor(api);
      const [first] = (await api.ok('GET', `acts/${ids.actor}/builds`)).items as { id: string }[];
      await api.ok('POST', `acts/${ids.actor}/builds`);
      return { ...ids, build: first?.id ?? '' };
    },
    write: (api, ids) => api.call('DELETE', `actor-builds/${ids.build}`),
    read: buildNumbers,
    stored: () => ['0.0.2'],
  },
  {
    name: 'create a task',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('POST', 'actor-tasks', { actId: ids.actor, name: 'durable-task' }),
    read: (api) => actorNames(api, 'actor-tasks'),
    stored: () => ['durable-task'],
  },
  {
    name: 'update a task',
    prepare: withTask,
    write: (api, ids) => api.call('PUT', `actor-tasks/${ids.task}`, { title: 'Durable task' }),
    read: field((ids) => `actor-tasks/${ids.task}`, 'title'),
    stored: () => 'Durable task',
  },
  {
    name: "update a task's input",
    prepare: withTask,
    write: (api, ids) => api.call('PUT', `actor-tasks/${ids.task}/input`, { b: 2 }),
    read: field((ids) => `actor-tasks/${ids.task}`, 'input'),
    stored: () => ({ a: 1, b: 2 }),
  },
  {
    name: 'delete a task',
    prepare: withTask,
    write: (api, ids) => api.call('DELETE', `actor-tasks/${ids.task}`),
    read: (api) => actorNames(api, 'actor-tasks'),
    stored: () => [],
    failing: 'platform-drop',
  },
  {
    name: 'create a schedule',
    prepare: async () => ({}),
    write: (api) => api.call('POST', 'schedules', SCHEDULE),
    read: (api) => actorNames(api, 'schedules'),
    stored: () => ['durable-schedule'],
  },
  {
    name: 'update a schedule',
    prepare: async (api) => ({ schedule: (await api.ok('POST', 'schedules', SCHEDULE)).id as string }),
    write: (api, ids) => api.call('PUT', `schedules/${ids.schedule}`, { cronExpression: '0 0 2 2 *' }),
    read: field((ids) => `schedules/${ids.schedule}`, 'cronExpression'),
    stored: () => '0 0 2 2 *',
  },
  {
    name: 'delete a schedule',
    prepare: async (api) => ({ schedule: (await api.ok('POST', 'schedules', SCHEDULE)).id as string }),
    write: (api, ids) => api.call('DELETE', `schedules/${ids.schedule}`),
    read: (api) => actorNames(api, 'schedules'),
    stored: () => [],
    failing: 'platform-drop',
  },
  {
    name: 'create a webhook',
    prepare: (api) => actor(api),
    write: (api, ids) => api.call('POST', 'webhooks', webhookOn(ids)),
    read: async (api) => names('requestUrl')(api, 'webhooks'),
    stored: () => [HOOK_URL],
  },
  {
    name: 'update a webhook',
    prepare: withWebhook,
    write: (api, ids) =>
      api.call('PUT', `webhooks/${ids.webhook}`, { requestUrl: 'http://127.0.0.1:9/other' }),
    read: field((ids) => `webhooks/${ids.webhook}`, 'requestUrl'),
    stored: () => 'http://127.0.0.1:9/other',
  },
  {
    name: 'delete a webhook',
    prepare: withWebhook,
    write: (api, ids) => api.call('DELETE', `webhooks/${ids.webhook}`),
    read: async (api) => names('requestUrl')(api, 'webhooks'),
    stored: () => [],
    failing: 'platform-drop',
  },
].map((write) => ({ failing: 'platform', ...write }));
