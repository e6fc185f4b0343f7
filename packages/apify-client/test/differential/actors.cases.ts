import { captureConsole } from './console-capture.js';
import type { DifferentialCase } from './harness.js';

const input = {
  url: 'https://example.com',
  pageFunction: function pageFunction(x: number) {
    return x + 1;
  },
};

export const actorCases: DifferentialCase[] = [
  {
    method: 'ActorCollectionClient.list',
    run: (c) => c.actors().list({ my: true, sortBy: 'createdAt', limit: 0 }),
  },
  {
    method: 'ActorCollectionClient.create',
    run: (c) => c.actors().create({ name: 'new-actor', isPublic: false }),
  },
  { method: 'ActorClient.get', run: (c) => c.actor('john/my-actor').get() },
  { method: 'ActorClient.update', run: (c) => c.actor('act1').update({ title: 'Renamed' }) },
  { method: 'ActorClient.delete', run: (c) => c.actor('act1').delete() },
  {
    method: 'ActorClient.start',
    run: (c) =>
      c.actor('john/my-actor').start(input, {
        build: 'beta',
        memory: 1024,
        timeout: 300,
        waitForFinish: 10,
        maxItems: 5,
        maxTotalChargeUsd: 1.5,
        restartOnError: true,
        forcePermissionLevel: 'LIMITED_PERMISSIONS',
        webhooks: [{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: 'https://example.com/hook' }],
      }),
  },
  {
    method: 'ActorClient.call',
    unordered: true,
    run: async (c) => {
      const { value, lines } = await captureConsole(() =>
        c.actor('act1').call({ a: 1 }, { timeout: 300, memory: 512, waitSecs: 5 }),
      );
      return { run: value, lines };
    },
  },
  {
    method: 'ActorClient.validateInput',
    run: (c) => c.actor('act1').validateInput(input, { build: 'latest' }),
  },
  {
    method: 'ActorClient.build',
    run: (c) =>
      c.actor('act1').build('0.1', { betaPackages: true, tag: 'beta', useCache: false, waitForFinish: 5 }),
  },
  {
    method: 'ActorClient.defaultBuild',
    run: async (c) => (await c.actor('act1').defaultBuild({ waitForFinish: 2 })).get(),
  },
  {
    method: 'ActorClient.lastRun',
    run: async (c) => {
      const last = c.actor('act1').lastRun({ status: 'SUCCEEDED', origin: 'API' });
      return [
        await last.get(),
        await last.dataset().get(),
        await last.requestQueue().get(),
        await last.log().get(),
      ];
    },
  },
  { method: 'ActorClient.builds', run: (c) => c.actor('act1').builds().list({ desc: true }) },
  { method: 'ActorClient.runs', run: (c) => c.actor('act1').runs().list({ status: 'SUCCEEDED' }) },
  { method: 'ActorClient.version', run: (c) => c.actor('act1').version('0.1').get() },
  { method: 'ActorClient.versions', run: (c) => c.actor('act1').versions().list() },
  { method: 'ActorClient.webhooks', run: (c) => c.actor('act1').webhooks().list({ offset: 1 }) },
  { method: 'ActorVersionCollectionClient.list', run: (c) => c.actor('act1').versions().list() },
  {
    method: 'ActorVersionCollectionClient.create',
    run: (c) => c.actor('act1').versions().create({ versionNumber: '0.2', sourceType: 'SOURCE_FILES' }),
  },
  { method: 'ActorVersionClient.get', run: (c) => c.actor('act1').version('0.1').get() },
  {
    method: 'ActorVersionClient.update',
    run: (c) => c.actor('act1').version('0.1').update({ buildTag: 'beta' }),
  },
  { method: 'ActorVersionClient.delete', run: (c) => c.actor('act1').version('0.1').delete() },
  { method: 'ActorVersionClient.envVar', run: (c) => c.actor('act1').version('0.1').envVar('KEY').get() },
  { method: 'ActorVersionClient.envVars', run: (c) => c.actor('act1').version('0.1').envVars().list() },
  { method: 'ActorEnvVarCollectionClient.list', run: (c) => c.actor('act1').version('0.1').envVars().list() },
  {
    method: 'ActorEnvVarCollectionClient.create',
    run: (c) => c.actor('act1').version('0.1').envVars().create({ name: 'KEY', value: 'v', isSecret: true }),
  },
  { method: 'ActorEnvVarClient.get', run: (c) => c.actor('act1').version('0.1').envVar('KEY').get() },
  {
    method: 'ActorEnvVarClient.update',
    run: (c) => c.actor('act1').version('0.1').envVar('KEY').update({ name: 'KEY', value: 'w' }),
  },
  { method: 'ActorEnvVarClient.delete', run: (c) => c.actor('act1').version('0.1').envVar('KEY').delete() },
];
