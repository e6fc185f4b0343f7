import type { Context } from 'hono';
import { ApiError, notFound } from '../../errors.js';
import { type App, type AppContext, param, requestUrl } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, jsonResponse, noContent, paginate } from '../../http/query.js';
import { actorObject } from '../actor-object.js';
import type { Actor } from '../actors.js';
import { isJsonObject, validateInput } from '../input-schema.js';
import type { Run } from '../runs.js';
import { addAdHocWebhooks } from '../webhooks/events.js';
import { parseAdHocParameter } from '../webhooks/webhook-body.js';
import { lastRunFilter, listRuns, readRunInput, runQuery, runResponse } from './run-responses.js';
import { runSyncRoutes } from './run-sync.js';
import { lastRunRoutes, runOperationRoutes } from './runs.js';

export const ACTOR_PREFIXES = ['/v2/actors', '/v2/acts'];

/** Starts a run of `actor` from a request: build and options from the query, the input from the body. */
export async function startActorRun(
  c: Context,
  ctx: AppContext,
  actor: Actor,
  withBody: boolean,
): Promise<Run> {
  const query = runQuery(c);
  const adHocWebhooks = parseAdHocParameter(requestUrl(c).searchParams.get('webhooks'));
  const build = ctx.actors.resolveBuild(actor, query.build);
  const input = await readRunInput(c, ctx, build, null, withBody);
  const run = await ctx.runs.start(actor, {
    ...query,
    input,
    build,
    buildRef: query.build ?? actor.defaultRunOptions.build,
  });
  addAdHocWebhooks(ctx.webhooks, adHocWebhooks, run);
  return run;
}

async function readObject(c: Context, ctx: AppContext): Promise<Record<string, unknown>> {
  const body = await readJson(c, ctx, 'The body');
  if (!isJsonObject(body)) throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
  return body;
}

export function actorRoutes(app: App, ctx: AppContext): void {
  const { actors, runs } = ctx;
  const actorOf = (c: Context) => actors.require(param(c, 'actorId'));
  const object = (actor: Actor) => actorObject(actor, runs.list(actor).length);
  const runOfActor = (c: Context): Run => {
    const actor = actorOf(c);
    const run = runs.require(param(c, 'runId'));
    if (run.actor !== actor && run.startedActorId !== actor.id) throw notFound(`Actor run '${run.id}'`);
    return run;
  };
  const lastRun = (c: Context): Run => {
    const actor = actorOf(c);
    return runs.lastOf(runs.list(actor), lastRunFilter(c), `actor '${actor.id}'`);
  };

  for (const prefix of ACTOR_PREFIXES) {
    app.get(prefix, (c) => {
      const page = paginate(requestUrl(c), actors.list());
      return dataResponse({ ...page, items: page.items.map(object) });
    });
    app.post(prefix, async (c) => dataResponse(object(await actors.create(await readObject(c, ctx))), 201));
    app.get(`${prefix}/:actorId`, (c) => dataResponse(object(actorOf(c))));
    app.put(`${prefix}/:actorId`, async (c) => {
      const actor = actorOf(c);
      await actors.update(actor, await readObject(c, ctx));
      return dataResponse(object(actor));
    });
    app.delete(`${prefix}/:actorId`, async (c) => {
      await actors.remove(actorOf(c));
      return noContent();
    });

    // The body is validated as sent: defaults only fill a run's input, they do not make a bad input valid.
    app.post(`${prefix}/:actorId/validate-input`, async (c) => {
      const actor = actorOf(c);
      const build = actors.resolveBuild(actor, requestUrl(c).searchParams.get('build'));
      const input = await readJson(c, ctx, 'The input');
      if (build.inputSchema !== null) validateInput(build.inputSchema, input);
      return jsonResponse({ valid: true });
    });

    app.post(`${prefix}/:actorId/runs`, async (c) =>
      runResponse(c, ctx, await startActorRun(c, ctx, actorOf(c), true), 201),
    );
    app.get(`${prefix}/:actorId/runs`, (c) => listRuns(c, runs.list(actorOf(c))));
    runSyncRoutes(app, ctx, `${prefix}/:actorId`, (c, withBody) =>
      startActorRun(c, ctx, actorOf(c), withBody),
    );
    lastRunRoutes(app, ctx, `${prefix}/:actorId/runs/last`, lastRun);
    runOperationRoutes(app, ctx, `${prefix}/:actorId/runs/:runId`, runOfActor, [
      'abort',
      'metamorph',
      'resurrect',
    ]);
  }
}
