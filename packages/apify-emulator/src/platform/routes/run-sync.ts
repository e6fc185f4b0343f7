import type { Context } from 'hono';
import { errorResponse } from '../../errors.js';
import { decodeBuffer } from '../../http/body.js';
import { type App, type AppContext, requestUrl } from '../../http/context.js';
import { checkKey } from '../../storages/key-value-stores.js';
import { listItems } from '../../storages/routes/datasets.js';
import { isTerminal, type Run } from '../runs.js';

/**
 * Starts a run and holds the request until it finishes (up to the platform's 300 s, `syncRunWaitMs`
 * locally): `408 run-timeout-exceeded` past it, `400 run-failed` when it did not succeed, else `201` with
 * the run's `OUTPUT` record (or `outputRecordKey`) or its dataset items.
 */
async function runSync(c: Context, ctx: AppContext, run: Run, answer: 'record' | 'items'): Promise<Response> {
  await ctx.runs.waitForFinish(run, ctx.syncRunWaitMs, AbortSignal.any([c.req.raw.signal, ctx.closing]));
  if (!isTerminal(run.status)) {
    const secs = ctx.syncRunWaitMs / 1000;
    return errorResponse(
      408,
      'run-timeout-exceeded',
      `Actor run exceeded the timeout of ${secs} seconds for this API endpoint`,
    );
  }
  if (run.status !== 'SUCCEEDED') {
    return errorResponse(
      400,
      'run-failed',
      `Actor run did not succeed (run ID: ${run.id}, status: ${run.status})`,
    );
  }
  if (answer === 'items') return listItems(c, ctx.state.datasets.collection.require(run.datasetId), 201);
  const key = checkKey(requestUrl(c).searchParams.get('outputRecordKey') || 'OUTPUT');
  const record = ctx.state.keyValueStores.collection.require(run.keyValueStoreId).records.get(key);
  // The record is a convention, not a guarantee: without one the answer is an empty 201.
  if (record === undefined) return new Response(null, { status: 201 });
  const bytes = record.encoding === null ? record.value : await decodeBuffer(record.value, record.encoding);
  return new Response(new Uint8Array(bytes), {
    status: 201,
    headers: { 'content-type': record.contentType },
  });
}

/**
 * The four synchronous variants (record or dataset items; GET without input, POST with it) under `prefix`,
 * e.g. `/v2/actors/:actorId`. `start` checks the input and starts the run; with `withBody` false (GET) the
 * run gets no input of its own.
 */
export function runSyncRoutes(
  app: App,
  ctx: AppContext,
  prefix: string,
  start: (c: Context, withBody: boolean) => Promise<Run>,
): void {
  for (const [path, answer] of [
    ['run-sync', 'record'],
    ['run-sync-get-dataset-items', 'items'],
  ] as const) {
    app.post(`${prefix}/${path}`, async (c) => runSync(c, ctx, await start(c, true), answer));
    app.get(`${prefix}/${path}`, async (c) => runSync(c, ctx, await start(c, false), answer));
  }
}
