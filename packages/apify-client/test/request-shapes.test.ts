import { describe, expect, it } from 'vitest';
import { ApifyClient, type HttpCallOptions } from '../src/index.js';
import { memoryResponse, RecordingHttpClient } from './helpers/recording-client.js';

type Sent = {
  method: string;
  path: string;
  params?: Record<string, unknown>;
  json?: unknown;
  data?: unknown;
  headers?: Record<string, string>;
  idempotent?: boolean;
};

function client(respond?: (o: HttpCallOptions) => ReturnType<typeof memoryResponse>) {
  const http = new RecordingHttpClient(
    respond ?? (() => memoryResponse(200, { data: { id: 'x', status: 'SUCCEEDED', items: [], count: 0 } })),
  );
  return {
    http,
    api: ApifyClient.withCustomHttpClient({ baseUrl: 'http://api.test', token: 'tok', httpClient: http }),
  };
}

/** The request as sent, without the default headers and undefined params. */
function shape(call: HttpCallOptions | undefined): Sent {
  if (call === undefined) throw new Error('no call recorded');
  const params = Object.fromEntries(Object.entries(call.params ?? {}).filter(([, v]) => v !== undefined));
  const out: Sent = { method: call.method, path: new URL(call.url).pathname };
  if (Object.keys(params).length > 0) out.params = params;
  if (call.json !== undefined) out.json = call.json;
  if (call.data !== undefined) out.data = call.data;
  if (call.idempotent !== undefined) out.idempotent = call.idempotent;
  return out;
}

const ID = 'abcdefghijklmnopq';

const cases: [string, (api: ApifyClient) => Promise<unknown>, Sent][] = [
  // Actors, versions, env vars, webhooks.
  [
    'actors().list',
    (a) => a.actors().list({ my: true, limit: 5, offset: 10, desc: true, sortBy: 'createdAt' }),
    {
      method: 'GET',
      path: '/v2/actors',
      params: { my: 1, limit: 5, offset: 10, desc: 1, sortBy: 'createdAt' },
    },
  ],
  [
    'actors().create',
    (a) => a.actors().create({ name: 'n' }),
    { method: 'POST', path: '/v2/actors', json: { name: 'n' }, idempotent: false },
  ],
  ['actor.get by user/name', (a) => a.actor('me/n').get(), { method: 'GET', path: '/v2/actors/me~n' }],
  [
    'actor.update',
    (a) => a.actor(ID).update({ title: 'T' }),
    { method: 'PUT', path: `/v2/actors/${ID}`, json: { title: 'T' } },
  ],
  ['actor.delete', (a) => a.actor(ID).delete(), { method: 'DELETE', path: `/v2/actors/${ID}` }],
  [
    'actor.start',
    (a) =>
      a
        .actor(ID)
        .start({ q: 1 }, { build: 'latest', memory: 512, timeout: 60, maxItems: 10, waitForFinish: 5 }),
    {
      method: 'POST',
      path: `/v2/actors/${ID}/runs`,
      params: { build: 'latest', memory: 512, timeout: 60, maxItems: 10, waitForFinish: 5 },
      data: '{"q":1}',
      idempotent: false,
    },
  ],
  [
    'actor.start with webhooks and raw input',
    (a) =>
      a.actor(ID).start('raw', {
        contentType: 'text/plain',
        webhooks: [{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: 'https://x' }],
      }),
    {
      method: 'POST',
      path: `/v2/actors/${ID}/runs`,
      params: {
        webhooks: Buffer.from(
          JSON.stringify([{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: 'https://x' }]),
        ).toString('base64'),
      },
      data: 'raw',
      idempotent: false,
    },
  ],
  [
    'actor.build',
    (a) => a.actor(ID).build('0.1', { tag: 'beta', useCache: false }),
    {
      method: 'POST',
      path: `/v2/actors/${ID}/builds`,
      params: { version: '0.1', tag: 'beta', useCache: 0 },
      idempotent: false,
    },
  ],
  [
    'actor.validateInput',
    (a) => a.actor(ID).validateInput({ a: 1 }, { build: 'latest' }),
    {
      method: 'POST',
      path: `/v2/actors/${ID}/validate-input`,
      params: { build: 'latest' },
      data: '{"a":1}',
      idempotent: true,
    },
  ],
  [
    'actor.builds().list',
    (a) => a.actor(ID).builds().list(),
    { method: 'GET', path: `/v2/actors/${ID}/builds` },
  ],
  [
    'actor.webhooks().list',
    (a) => a.actor(ID).webhooks().list(),
    { method: 'GET', path: `/v2/actors/${ID}/webhooks` },
  ],
  [
    'actor.lastRun().log().get',
    (a) => a.actor(ID).lastRun({ status: 'SUCCEEDED', origin: 'API' }).log().get(),
    { method: 'GET', path: `/v2/actors/${ID}/runs/last/log`, params: { status: 'SUCCEEDED', origin: 'API' } },
  ],
  [
    'actor.versions().list',
    (a) => a.actor(ID).versions().list(),
    { method: 'GET', path: `/v2/actors/${ID}/versions` },
  ],
  [
    'actor.versions().create',
    (a) => a.actor(ID).versions().create({ versionNumber: '0.2' }),
    { method: 'POST', path: `/v2/actors/${ID}/versions`, json: { versionNumber: '0.2' }, idempotent: false },
  ],
  [
    'version.get',
    (a) => a.actor(ID).version('0.2').get(),
    { method: 'GET', path: `/v2/actors/${ID}/versions/0.2` },
  ],
  [
    'version.update',
    (a) => a.actor(ID).version('0.2').update({ buildTag: 'x' }),
    { method: 'PUT', path: `/v2/actors/${ID}/versions/0.2`, json: { buildTag: 'x' } },
  ],
  [
    'version.delete',
    (a) => a.actor(ID).version('0.2').delete(),
    { method: 'DELETE', path: `/v2/actors/${ID}/versions/0.2` },
  ],
  [
    'envVars().list',
    (a) => a.actor(ID).version('0.2').envVars().list(),
    { method: 'GET', path: `/v2/actors/${ID}/versions/0.2/env-vars` },
  ],
  [
    'envVars().create',
    (a) => a.actor(ID).version('0.2').envVars().create({ name: 'K', value: 'v' }),
    {
      method: 'POST',
      path: `/v2/actors/${ID}/versions/0.2/env-vars`,
      json: { name: 'K', value: 'v' },
      idempotent: false,
    },
  ],
  [
    'envVar.get',
    (a) => a.actor(ID).version('0.2').envVar('K').get(),
    { method: 'GET', path: `/v2/actors/${ID}/versions/0.2/env-vars/K` },
  ],
  [
    'envVar.update',
    (a) => a.actor(ID).version('0.2').envVar('K').update({ name: 'K', value: 'w' }),
    { method: 'PUT', path: `/v2/actors/${ID}/versions/0.2/env-vars/K`, json: { name: 'K', value: 'w' } },
  ],
  [
    'envVar.delete',
    (a) => a.actor(ID).version('0.2').envVar('K').delete(),
    { method: 'DELETE', path: `/v2/actors/${ID}/versions/0.2/env-vars/K` },
  ],
  // Builds.
  ['build.delete', (a) => a.build(ID).delete(), { method: 'DELETE', path: `/v2/actor-builds/${ID}` }],
  [
    'build.getOpenApiDefinition',
    (a) => a.build(ID).getOpenApiDefinition(),
    { method: 'GET', path: `/v2/actor-builds/${ID}/openapi.json` },
  ],
  [
    'build.get waitForFinish',
    (a) => a.build(ID).get({ waitForFinish: 30 }),
    { method: 'GET', path: `/v2/actor-builds/${ID}`, params: { waitForFinish: 30 } },
  ],
  // Runs.
  [
    'run.metamorph',
    (a) => a.run(ID).metamorph('target', { i: 1 }, { build: 'b' }),
    {
      method: 'POST',
      path: `/v2/actor-runs/${ID}/metamorph`,
      params: { targetActorId: 'target', build: 'b' },
      data: '{"i":1}',
      idempotent: false,
    },
  ],
  [
    'run.resurrect',
    (a) => a.run(ID).resurrect({ memory: 1024, timeout: 30, restartOnError: true }),
    {
      method: 'POST',
      path: `/v2/actor-runs/${ID}/resurrect`,
      params: { memory: 1024, timeout: 30, restartOnError: 1 },
    },
  ],
  [
    'run.reboot',
    (a) => a.run(ID).reboot(),
    { method: 'POST', path: `/v2/actor-runs/${ID}/reboot`, idempotent: false },
  ],
  [
    'run.abort gracefully',
    (a) => a.run(ID).abort({ gracefully: true }),
    { method: 'POST', path: `/v2/actor-runs/${ID}/abort`, params: { gracefully: 1 }, idempotent: true },
  ],
  [
    'run.charge without key',
    (a) => a.run(ID).charge({ eventName: 'page', count: 2 }),
    {
      method: 'POST',
      path: `/v2/actor-runs/${ID}/charge`,
      json: { eventName: 'page', count: 2 },
      // A default idempotency key goes out (as in the official client), so a replay is safe.
      idempotent: true,
    },
  ],
  [
    'run.charge with key',
    (a) => a.run(ID).charge({ eventName: 'page', idempotencyKey: 'k1' }),
    {
      method: 'POST',
      path: `/v2/actor-runs/${ID}/charge`,
      json: { eventName: 'page', count: 1 },
      idempotent: true,
    },
  ],
  [
    'run.requestQueue().listHead',
    (a) => a.run(ID).requestQueue().listHead({ limit: 3 }),
    { method: 'GET', path: `/v2/actor-runs/${ID}/request-queue/head`, params: { limit: 3 } },
  ],
  [
    'runs().list',
    (a) => a.runs().list({ status: ['SUCCEEDED', 'FAILED'], startedBefore: '2026-01-01' }),
    {
      method: 'GET',
      path: '/v2/actor-runs',
      params: { status: ['SUCCEEDED', 'FAILED'], startedBefore: '2026-01-01' },
    },
  ],
  // Tasks.
  [
    'tasks().list',
    (a) => a.tasks().list({ limit: 2 }),
    { method: 'GET', path: '/v2/actor-tasks', params: { limit: 2 } },
  ],
  [
    'tasks().create',
    (a) => a.tasks().create({ actId: ID, name: 't' }),
    { method: 'POST', path: '/v2/actor-tasks', json: { actId: ID, name: 't' }, idempotent: false },
  ],
  ['task.get', (a) => a.task('me/t').get(), { method: 'GET', path: '/v2/actor-tasks/me~t' }],
  [
    'task.update',
    (a) => a.task(ID).update({ name: 'u' }),
    { method: 'PUT', path: `/v2/actor-tasks/${ID}`, json: { name: 'u' } },
  ],
  ['task.delete', (a) => a.task(ID).delete(), { method: 'DELETE', path: `/v2/actor-tasks/${ID}` }],
  [
    'task.start',
    (a) => a.task(ID).start({ over: 1 }, { memory: 256 }),
    {
      method: 'POST',
      path: `/v2/actor-tasks/${ID}/runs`,
      params: { memory: 256 },
      data: '{"over":1}',
      idempotent: false,
    },
  ],
  ['task.getInput', (a) => a.task(ID).getInput(), { method: 'GET', path: `/v2/actor-tasks/${ID}/input` }],
  [
    'task.updateInput',
    (a) => a.task(ID).updateInput({ a: 2 }),
    { method: 'PUT', path: `/v2/actor-tasks/${ID}/input`, json: { a: 2 } },
  ],
  [
    'task.runs().list',
    (a) => a.task(ID).runs().list(),
    { method: 'GET', path: `/v2/actor-tasks/${ID}/runs` },
  ],
  [
    'task.lastRun().get',
    (a) => a.task(ID).lastRun({ status: 'FAILED' }).get(),
    { method: 'GET', path: `/v2/actor-tasks/${ID}/runs/last`, params: { status: 'FAILED' } },
  ],
  [
    'task.webhooks().list',
    (a) => a.task(ID).webhooks().list(),
    { method: 'GET', path: `/v2/actor-tasks/${ID}/webhooks` },
  ],
  // Webhooks and dispatches.
  [
    'webhooks().list',
    (a) => a.webhooks().list({ offset: 1 }),
    { method: 'GET', path: '/v2/webhooks', params: { offset: 1 } },
  ],
  [
    'webhooks().create',
    (a) => a.webhooks().create({ eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: 'https://h' }),
    {
      method: 'POST',
      path: '/v2/webhooks',
      json: { eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: 'https://h' },
      idempotent: false,
    },
  ],
  ['webhook.get', (a) => a.webhook(ID).get(), { method: 'GET', path: `/v2/webhooks/${ID}` }],
  [
    'webhook.update',
    (a) => a.webhook(ID).update({ requestUrl: 'https://i' }),
    { method: 'PUT', path: `/v2/webhooks/${ID}`, json: { requestUrl: 'https://i' } },
  ],
  ['webhook.delete', (a) => a.webhook(ID).delete(), { method: 'DELETE', path: `/v2/webhooks/${ID}` }],
  [
    'webhook.test',
    (a) => a.webhook(ID).test(),
    { method: 'POST', path: `/v2/webhooks/${ID}/test`, idempotent: false },
  ],
  [
    'webhook.dispatches().list',
    (a) => a.webhook(ID).dispatches().list(),
    { method: 'GET', path: `/v2/webhooks/${ID}/dispatches` },
  ],
  [
    'webhookDispatches().list',
    (a) => a.webhookDispatches().list({ desc: true }),
    { method: 'GET', path: '/v2/webhook-dispatches', params: { desc: 1 } },
  ],
  [
    'webhookDispatch.get',
    (a) => a.webhookDispatch(ID).get(),
    { method: 'GET', path: `/v2/webhook-dispatches/${ID}` },
  ],
  // Schedules.
  ['schedules().list', (a) => a.schedules().list(), { method: 'GET', path: '/v2/schedules' }],
  [
    'schedules().create',
    (a) => a.schedules().create({ name: 's', cronExpression: '@daily' }),
    {
      method: 'POST',
      path: '/v2/schedules',
      json: { name: 's', cronExpression: '@daily' },
      idempotent: false,
    },
  ],
  ['schedule.get', (a) => a.schedule(ID).get(), { method: 'GET', path: `/v2/schedules/${ID}` }],
  [
    'schedule.update',
    (a) => a.schedule(ID).update({ isEnabled: false }),
    { method: 'PUT', path: `/v2/schedules/${ID}`, json: { isEnabled: false } },
  ],
  ['schedule.delete', (a) => a.schedule(ID).delete(), { method: 'DELETE', path: `/v2/schedules/${ID}` }],
  ['schedule.getLog', (a) => a.schedule(ID).getLog(), { method: 'GET', path: `/v2/schedules/${ID}/log` }],
  // Store and users.
  [
    'store().list',
    (a) => a.store().list({ search: 'web', category: 'AI', limit: 3 }),
    { method: 'GET', path: '/v2/store', params: { search: 'web', category: 'AI', limit: 3 } },
  ],
  [
    'user.monthlyUsage',
    (a) => a.user().monthlyUsage({ date: new Date(Date.UTC(2026, 4, 1)) }),
    { method: 'GET', path: '/v2/users/me/usage/monthly', params: { date: '2026-05-01' } },
  ],
  ['user.limits', (a) => a.user().limits(), { method: 'GET', path: '/v2/users/me/limits' }],
  [
    'user.updateLimits',
    (a) => a.user().updateLimits({ maxMonthlyUsageUsd: 100 }),
    { method: 'PUT', path: '/v2/users/me/limits', json: { maxMonthlyUsageUsd: 100 } },
  ],
  // Storage calls whose exact shape matters.
  [
    'keyValueStore.getRecord sends attachment',
    (a) => a.keyValueStore(ID).getRecord('k', { signature: 'sig' }),
    {
      method: 'GET',
      path: `/v2/key-value-stores/${ID}/records/k`,
      params: { attachment: 'true', signature: 'sig' },
    },
  ],
  [
    'requestQueue clientKey on every call',
    (a) => a.requestQueue(ID, { clientKey: 'ck' }).listAndLockHead({ lockSecs: 30, limit: 5 }),
    {
      method: 'POST',
      path: `/v2/request-queues/${ID}/head/lock`,
      params: { clientKey: 'ck', lockSecs: 30, limit: 5 },
      idempotent: true,
    },
  ],
  [
    'datasets().getOrCreate with schema',
    (a) => a.datasets().getOrCreate('n', { schema: { fields: {} } }),
    {
      method: 'POST',
      path: '/v2/datasets',
      params: { name: 'n' },
      json: { schema: { fields: {} } },
      idempotent: true,
    },
  ],
  [
    'datasets().list unnamed',
    (a) => a.datasets().list({ unnamed: true, ownership: 'ownedByMe' }),
    { method: 'GET', path: '/v2/datasets', params: { unnamed: 1, ownership: 'ownedByMe' } },
  ],
];

describe('exact requests for endpoints the emulator does not serve', () => {
  it.each(cases)('%s', async (_name, run, expected) => {
    const { http, api } = client();
    await run(api);
    expect(http.calls).toHaveLength(1);
    expect(shape(http.calls[0])).toEqual(expected);
    expect(http.calls[0]?.headers?.Authorization).toBe('Bearer tok');
  });

  it('actor.defaultBuild follows the default build to its build client', async () => {
    const { http, api } = client(() => memoryResponse(200, { data: { id: 'B1', status: 'SUCCEEDED' } }));
    const build = await api.actor(ID).defaultBuild();
    await build.get();
    expect(http.calls.map((c) => new URL(c.url).pathname)).toEqual([
      `/v2/actors/${ID}/builds/default`,
      '/v2/actor-builds/B1',
    ]);
  });

  it('task.call starts then long-polls the run with no timeout', async () => {
    const { http, api } = client((o) =>
      memoryResponse(200, { data: { id: 'R1', status: o.method === 'POST' ? 'READY' : 'SUCCEEDED' } }),
    );
    const run = await api.task(ID).call({ a: 1 }, { waitSecs: 120 });
    expect(run.status).toBe('SUCCEEDED');
    expect(http.calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      `POST /v2/actor-tasks/${ID}/runs`,
      'GET /v2/actor-runs/R1',
    ]);
    expect(http.calls[1]?.params?.waitForFinish).toBe(60);
    expect(http.calls[1]?.timeout).toBeNull();
  });

  it('the charge idempotency key travels as a header', async () => {
    const { http, api } = client();
    await api.run(ID).charge({ eventName: 'e', idempotencyKey: 'key-1' });
    expect(http.calls[0]?.headers?.['idempotency-key']).toBe('key-1');
  });
});
