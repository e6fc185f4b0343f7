import { readFile } from 'node:fs/promises';
import { ApifyClient } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';

interface Operation {
  method: string;
  path: string;
}

interface OperationsFixture {
  source: {
    repository: string;
    path: string;
    commit: string;
    counted: { paths: number; operations: number };
  };
  operations: Operation[];
}

const fixture = JSON.parse(
  await readFile(new URL('./fixtures/openapi-operations.json', import.meta.url), 'utf8'),
) as OperationsFixture;

const key = (op: Operation): string => `${op.method} ${op.path}`;

/** The answers the issue rules out: the route is unknown, the method is not served, or not implemented. */
function unserved(status: number, body: string): string | null {
  if (status === 405 || status === 501) return `${status}`;
  if (status === 404 && body.includes('"page-not-found"')) return '404 page-not-found';
  if (status >= 500) return `${status} ${body.slice(0, 200)}`;
  return null;
}

describe('the whole OpenAPI spec', () => {
  it('holds the spec operations as facts: method, path and the commit they were read at', () => {
    expect(fixture.source).toMatchObject({ repository: 'apify/apify-docs', commit: '4416da6' });
    expect(fixture.operations).toHaveLength(231);
    expect(fixture.source.counted).toEqual({ paths: 131, operations: 231 });
    expect(new Set(fixture.operations.map((op) => op.path)).size).toBe(131);
    expect(new Set(fixture.operations.map(key)).size).toBe(231);
  });

  it('answers a well-formed request to every operation (and its /v2/acts alias) with something other than page-not-found, 405 or 501', async () => {
    const token = 'spec-token';
    await using emulator = createEmulator({ token, runDurationMs: 50 });
    const { url } = await emulator.listen();
    const client = new ApifyClient({ baseUrl: url, token, maxRetries: 0 });
    const send = async (method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(60_000),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, text: method === 'HEAD' ? '' : await response.text() };
    };
    const idOf = async (method: string, path: string, body: unknown): Promise<string | null> => {
      const { status, text } = await send(method, path, body);
      return status < 300 ? ((JSON.parse(text) as { data: { id: string } }).data.id ?? null) : null;
    };

    // The resources the operations act on.
    const request = { url: 'https://example.com/spec', uniqueKey: 'spec-request' };
    const actor = emulator.registerActor('spec-probe', async (_input, ctx) => {
      await ctx.dataset.pushItems([{ probed: true }]);
      await ctx.keyValueStore.setRecord('spec-key', { probed: true });
      await ctx.requestQueue.addRequest(request);
    });
    const run = await client.actor(actor.id).call({ probe: 1 }, { log: null });
    const build = (await client.actor(actor.id).defaultBuild()).get();
    const buildId = (await build)?.id ?? '';
    const dataset = await client.datasets().getOrCreate('spec-dataset');
    await client.dataset(dataset.id).pushItems([{ a: 1 }]);
    const store = await client.keyValueStores().getOrCreate('spec-store');
    await client.keyValueStore(store.id).setRecord({ key: 'spec-key', value: { a: 1 } });
    const queue = await client.requestQueues().getOrCreate('spec-queue');
    const { requestId } = await client.requestQueue(queue.id).addRequest(request);
    const encoded = JSON.parse((await send('POST', '/v2/tools/encode-and-sign', { a: 1 })).text).data.encoded;
    // Families served on other branches: their IDs when they answer, a well-formed unknown ID until then.
    const placeholder = 'SpecPlaceholder01';
    await send('POST', `/v2/actors/${actor.id}/versions/0.0/env-vars`, { name: 'SPEC_VAR', value: 'x' });
    const taskId =
      (await idOf('POST', '/v2/actor-tasks', { actId: actor.id, name: 'spec-task', input: { probe: 2 } })) ??
      placeholder;
    if (taskId !== placeholder) await send('POST', `/v2/actor-tasks/${taskId}/runs`, {});
    const scheduleId =
      (await idOf('POST', '/v2/schedules', {
        name: 'spec-schedule',
        cronExpression: '0 0 1 1 *',
        isEnabled: false,
        actions: [{ type: 'RUN_ACTOR', actorId: actor.id }],
      })) ?? placeholder;
    const webhookId =
      (await idOf('POST', '/v2/webhooks', {
        eventTypes: ['ACTOR.RUN.SUCCEEDED'],
        condition: { actorId: actor.id },
        requestUrl: 'http://127.0.0.1:9/spec-hook',
      })) ?? placeholder;
    const dispatches = await send('GET', '/v2/webhook-dispatches');
    const dispatchId =
      dispatches.status === 200
        ? ((JSON.parse(dispatches.text).data.items[0]?.id as string | undefined) ?? placeholder)
        : placeholder;

    const params: Record<string, string> = {
      actorId: actor.id,
      runId: run.id,
      buildId,
      buildOrRunId: run.id,
      versionNumber: '0.0',
      envVarName: 'SPEC_VAR',
      actorTaskId: taskId,
      scheduleId,
      webhookId,
      dispatchId,
      datasetId: dataset.id,
      storeId: store.id,
      queueId: queue.id,
      recordKey: 'spec-key',
      requestId,
      userId: 'me',
    };
    const bodies: Record<string, unknown> = {
      'POST /v2/actors': { name: 'spec-created' },
      'PUT /v2/actors/{actorId}': { description: 'Probed by the spec test' },
      'POST /v2/actors/{actorId}/versions': { versionNumber: '0.1', sourceType: 'SOURCE_FILES' },
      'POST /v2/actors/{actorId}/versions/{versionNumber}/env-vars': { name: 'SPEC_OTHER', value: 'y' },
      'POST /v2/actor-tasks': { actId: actor.id, name: 'spec-task-2' },
      'PUT /v2/actor-tasks/{actorTaskId}/input': { probe: 3 },
      'PUT /v2/actor-runs/{runId}': { statusMessage: 'probed', isStatusMessageTerminal: true },
      'POST /v2/actor-runs/{runId}/charge': { eventName: 'spec-event', count: 1 },
      'POST /v2/schedules': { name: 'spec-schedule-2', cronExpression: '0 0 1 1 *', actions: [] },
      'POST /v2/webhooks': {
        eventTypes: ['ACTOR.RUN.FAILED'],
        condition: { actorId: actor.id },
        requestUrl: 'http://127.0.0.1:9/spec-hook-2',
      },
      'PUT /v2/users/me/limits': { maxMonthlyUsageUsd: 100 },
      'POST /v2/tools/encode-and-sign': { a: 1 },
      'POST /v2/tools/decode-and-verify': { encoded },
    };
    const bodyFor = (op: Operation): unknown => {
      if (key(op) in bodies) return bodies[key(op)];
      if (op.method !== 'POST' && op.method !== 'PUT') return undefined;
      if (op.path.endsWith('/items')) return [{ probed: true }];
      if (op.path.endsWith('/requests/batch'))
        return [{ url: 'https://example.com/b', uniqueKey: 'spec-batch' }];
      if (op.path.endsWith('/requests')) return { url: 'https://example.com/o', uniqueKey: 'spec-other' };
      if (op.path.endsWith('/requests/{requestId}')) return { id: requestId, ...request };
      return {};
    };
    const queryFor = (op: Operation): string => {
      if (op.path.endsWith('/lock')) return '?lockSecs=60';
      if (op.path.endsWith('/metamorph')) return `?targetActorId=${actor.id}`;
      return '';
    };
    // Locks are taken (head/lock) and prolonged after every other write, so the request they lock is
    // not updated in between; deletes go last, deepest first, so nothing is removed before the
    // operations that need it (a lock is released before its request is deleted).
    const depth = (op: Operation) => op.path.split('/').length;
    const phase = (op: Operation): number => {
      if (op.method === 'DELETE') return 3;
      if (op.path.endsWith('/head/lock')) return 1;
      if (op.path.endsWith('/lock')) return 2;
      return 0;
    };
    const ordered = [...fixture.operations].sort(
      (a, b) => phase(a) - phase(b) || (phase(a) === 3 ? depth(b) - depth(a) : 0),
    );

    const failures: string[] = [];
    for (const op of ordered) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`No value for {${name}} in ${key(op)}`);
        return encodeURIComponent(value);
      });
      let body = bodyFor(op);
      if (op.method === 'DELETE' && op.path.endsWith('/requests/batch')) body = [{ uniqueKey: 'spec-batch' }];
      // The spec routes the legacy /v2/acts prefix to the same operations as /v2/actors.
      const prefixes = path.startsWith('/v2/actors') ? ['/v2/actors', '/v2/acts'] : [''];
      for (const prefix of prefixes) {
        const sent = prefix === '' ? path : `${prefix}${path.slice('/v2/actors'.length)}`;
        const { status, text } = await send(op.method, `${sent}${queryFor(op)}`, body);
        const why = unserved(status, text);
        if (why !== null) failures.push(`${op.method} ${prefix === '/v2/acts' ? sent : op.path} → ${why}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
