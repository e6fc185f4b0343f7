import type { Context } from 'hono';
import { ApiError, notFound } from '../../errors.js';
import { type App, type AppContext, param, requestUrl } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, noContent } from '../../http/query.js';
import { isJsonObject } from '../input-schema.js';
import { parseChargeRequest } from '../pricing.js';
import { runObject } from '../run-object.js';
import type { Run } from '../runs.js';
import { listRuns, logResponse, readRunInput, runQuery, runResponse } from './run-responses.js';

export type RunOperation = 'abort' | 'metamorph' | 'reboot' | 'resurrect' | 'charge';

const GENERAL_ACCESS = ['FOLLOW_USER_SETTING', 'ANYONE_WITH_ID_CAN_READ', 'RESTRICTED'];

type RunOf = (c: Context) => Run;

function operationHandler(
  ctx: AppContext,
  operation: RunOperation,
  runOf: RunOf,
): (c: Context) => Promise<Response> {
  const { actors, runs } = ctx;
  switch (operation) {
    case 'abort':
      return async (c) => {
        const run = runOf(c);
        await runs.abort(run);
        return dataResponse(runObject(run));
      };
    case 'metamorph':
      return async (c) => {
        const run = runOf(c);
        const url = requestUrl(c);
        const targetRef = url.searchParams.get('targetActorId');
        if (!targetRef) throw new ApiError(400, 'parameter-required', 'Parameter targetActorId is required');
        const target = actors.require(targetRef);
        const buildRef = url.searchParams.get('build');
        const build = actors.resolveBuild(target, buildRef);
        const input = await readRunInput(c, ctx, build, null);
        await runs.metamorph(run, target, build, input);
        return dataResponse(runObject(run));
      };
    case 'reboot':
      return async (c) => {
        const run = runOf(c);
        await runs.reboot(run);
        return dataResponse(runObject(run));
      };
    case 'resurrect':
      return async (c) => {
        const run = runOf(c);
        const query = runQuery(c);
        const build = query.build === null ? undefined : actors.resolveBuild(run.actor, query.build);
        await runs.resurrect(run, {
          ...(build === undefined ? {} : { build, buildRef: query.build ?? build.buildNumber }),
          timeoutSecs: query.timeoutSecs,
          memoryMbytes: query.memoryMbytes,
          maxItems: query.maxItems,
          maxTotalChargeUsd: query.maxTotalChargeUsd,
        });
        return dataResponse(runObject(run));
      };
    case 'charge':
      return async (c) => {
        const run = runOf(c);
        const request = parseChargeRequest(await readJson(c, ctx, 'The body'));
        await runs.charge(run, { ...request, idempotencyKey: c.req.header('idempotency-key') ?? null });
        return new Response(null, { status: 201 });
      };
  }
}

/** The operations on one run, under a prefix that names it (`actor-runs/:runId`, `actors/:actorId/runs/:runId`). */
export function runOperationRoutes(
  app: App,
  ctx: AppContext,
  prefix: string,
  runOf: RunOf,
  operations: RunOperation[],
): void {
  app.get(prefix, (c) => runResponse(c, ctx, runOf(c)));
  for (const operation of operations)
    app.post(`${prefix}/${operation}`, operationHandler(ctx, operation, runOf));
}

/** `…/runs/last` of an actor or a task: the run (filtered by `status` and `origin`), its log and its operations. */
export function lastRunRoutes(app: App, ctx: AppContext, prefix: string, lastRunOf: RunOf): void {
  runOperationRoutes(app, ctx, prefix, lastRunOf, ['abort', 'metamorph', 'reboot']);
  app.get(`${prefix}/log`, (c) => logResponse(c, ctx, lastRunOf(c).log));
}

/** The fields `PUT actor-runs/{id}` takes, all checked before the run changes. */
function runUpdate(run: Run, body: unknown): Parameters<AppContext['runs']['update']>[1] {
  if (!isJsonObject(body)) throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
  const { statusMessage, isStatusMessageTerminal, generalAccess } = body;
  if (statusMessage !== undefined && statusMessage !== null && typeof statusMessage !== 'string')
    throw new ApiError(
      400,
      'invalid-value',
      `statusMessage must be a string, got ${JSON.stringify(statusMessage)}`,
    );
  if (isStatusMessageTerminal !== undefined && typeof isStatusMessageTerminal !== 'boolean')
    throw new ApiError(
      400,
      'invalid-value',
      `isStatusMessageTerminal must be a boolean, got ${JSON.stringify(isStatusMessageTerminal)}`,
    );
  if (isStatusMessageTerminal === true && (statusMessage ?? run.statusMessage) === null)
    throw new ApiError(
      400,
      'cannot-set-is-status-message-terminal',
      'isStatusMessageTerminal needs a status message',
    );
  if (generalAccess !== undefined && !GENERAL_ACCESS.includes(generalAccess as string))
    throw new ApiError(400, 'invalid-value', `generalAccess must be one of ${GENERAL_ACCESS.join(', ')}`);
  return {
    ...(statusMessage === undefined ? {} : { statusMessage: statusMessage as string | null }),
    ...(isStatusMessageTerminal === undefined ? {} : { isStatusMessageTerminal }),
    ...(generalAccess === undefined ? {} : { generalAccess: generalAccess as string }),
  };
}

export function runRoutes(app: App, ctx: AppContext): void {
  const { actors, runs } = ctx;
  const runOf = (c: Context) => runs.require(param(c, 'runId'));

  app.get('/v2/actor-runs', (c) => listRuns(c, runs.list()));
  runOperationRoutes(app, ctx, '/v2/actor-runs/:runId', runOf, [
    'abort',
    'metamorph',
    'reboot',
    'resurrect',
    'charge',
  ]);
  app.put('/v2/actor-runs/:runId', async (c) => {
    const run = runOf(c);
    await runs.update(run, runUpdate(run, await readJson(c, ctx, 'The body')));
    return dataResponse(runObject(run));
  });
  app.delete('/v2/actor-runs/:runId', async (c) => {
    await runs.delete(runOf(c));
    return noContent();
  });
  app.get('/v2/actor-runs/:runId/log', (c) => logResponse(c, ctx, runOf(c).log));

  app.get('/v2/logs/:id', (c) => {
    const id = param(c, 'id');
    const log = runs.get(id)?.log ?? actors.findBuild(id)?.build.log;
    if (log === undefined) throw notFound(`Log of '${id}'`);
    return logResponse(c, ctx, log);
  });
}
