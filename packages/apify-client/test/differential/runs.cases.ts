import { captureConsole } from './console-capture.js';
import type { DifferentialCase } from './harness.js';

export const runCases: DifferentialCase[] = [
  {
    method: 'RunCollectionClient.list',
    run: (c) => c.runs().list({ status: 'SUCCEEDED', desc: true, limit: 2 }),
  },
  { method: 'RunClient.get', run: (c) => c.run('run1').get({ waitForFinish: 3 }) },
  { method: 'RunClient.abort', run: (c) => c.run('run1').abort({ gracefully: true }) },
  { method: 'RunClient.delete', run: (c) => c.run('run1').delete() },
  {
    method: 'RunClient.metamorph',
    run: (c) =>
      c.run('run1').metamorph('john/other-actor', { a: 1, fn: (x: number) => x * 2 }, { build: 'beta' }),
  },
  { method: 'RunClient.reboot', run: (c) => c.run('run1').reboot() },
  {
    method: 'RunClient.update',
    run: (c) => c.run('run1').update({ statusMessage: 'half way', isStatusMessageTerminal: false }),
  },
  {
    method: 'RunClient.resurrect',
    run: (c) =>
      c
        .run('run1')
        .resurrect({ build: 'beta', memory: 256, timeout: 60, maxItems: 1, restartOnError: false }),
  },
  {
    method: 'RunClient.charge',
    run: async (c) => {
      const response = await c.run('run1').charge({ eventName: 'page', count: 2, idempotencyKey: 'key-1' });
      return { status: response.status, data: response.data };
    },
  },
  { method: 'RunClient.waitForFinish', run: (c) => c.run('run1').waitForFinish({ waitSecs: 5 }) },
  { method: 'RunClient.dataset', run: (c) => c.run('run1').dataset().listItems({ limit: 2 }) },
  { method: 'RunClient.keyValueStore', run: (c) => c.run('run1').keyValueStore().getRecord('text-record') },
  { method: 'RunClient.requestQueue', run: (c) => c.run('run1').requestQueue().listHead() },
  { method: 'RunClient.log', run: (c) => c.run('run1').log().get() },
  {
    method: 'RunClient.getStreamedLog',
    run: async (c) => {
      const lines: string[] = [];
      const streamed = await c
        .run('run1')
        .getStreamedLog({ toLog: { info: (line: string) => lines.push(line) } });
      streamed.start();
      await streamed.stop();
      const printed = await captureConsole(async () => {
        const byDefault = await c.run('run1').getStreamedLog();
        byDefault.start();
        await byDefault.stop();
      });
      return { lines, printed: printed.lines, none: await c.run('run1').getStreamedLog({ toLog: null }) };
    },
  },
  { method: 'BuildCollectionClient.list', run: (c) => c.builds().list({ offset: 2 }) },
  { method: 'BuildClient.get', run: (c) => c.build('b1').get({ waitForFinish: 1 }) },
  { method: 'BuildClient.abort', run: (c) => c.build('b1').abort() },
  { method: 'BuildClient.delete', run: (c) => c.build('b1').delete() },
  { method: 'BuildClient.getOpenApiDefinition', run: (c) => c.build('b1').getOpenApiDefinition() },
  { method: 'BuildClient.waitForFinish', run: (c) => c.build('b1').waitForFinish({ waitSecs: 5 }) },
  { method: 'BuildClient.log', run: (c) => c.build('b1').log().get() },
  { method: 'LogClient.get', run: (c) => c.log('run1').get({ raw: true }) },
  { method: 'LogClient.stream', run: (c) => c.log('run1').stream({ raw: true }) },
];
