import { type Context, Hono } from 'hono';
import { ApiError, errorResponse } from '../errors.js';
import { isId } from '../ids.js';
import { localRunRoutes } from '../local-runs/routes.js';
import { actorRoutes } from '../platform/routes/actors.js';
import { buildRoutes } from '../platform/routes/builds.js';
import { lastRunFilter } from '../platform/routes/run-responses.js';
import { runRoutes } from '../platform/routes/runs.js';
import { taskRoutes } from '../platform/routes/tasks.js';
import { versionRoutes } from '../platform/routes/versions.js';
import type { Run } from '../platform/runs.js';
import { scheduleRoutes } from '../platform/schedules/routes.js';
import { webhookRoutes } from '../platform/webhooks/routes.js';
import { datasetCollectionRoutes, datasetRoutes } from '../storages/routes/datasets.js';
import { storeCollectionRoutes, storeRoutes } from '../storages/routes/key-value-stores.js';
import { queueCollectionRoutes, queueRoutes } from '../storages/routes/request-queues.js';
import { storeListingRoutes } from '../store/routes.js';
import { toolRoutes } from '../tools/routes.js';
import { meterUsage, userRoutes } from '../users/routes.js';
import { type AppContext, param } from './context.js';

function tokenOf(request: Request): string | null {
  const auth = request.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return new URL(request.url).searchParams.get('token');
}

/** Operations the spec marks `security: []`: they answer without a token on the platform too. */
const PUBLIC_PATHS = new Set(['/v2/browser-info', '/v2/tools/decode-and-verify']);

/** Reads by raw ID need no token on the platform: the hard-to-guess ID is the key. */
function isAnonymousRead(request: Request): boolean {
  if (PUBLIC_PATHS.has(new URL(request.url).pathname)) return true;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const [, v2, kind, id] = new URL(request.url).pathname.split('/');
  const readable = ['datasets', 'key-value-stores', 'request-queues', 'actor-runs', 'actor-builds', 'logs'];
  return v2 === 'v2' && kind !== undefined && readable.includes(kind) && id !== undefined && isId(id);
}

export function checkAuth(request: Request, token: string | null): Response | null {
  if (token === null) return null;
  const sent = tokenOf(request);
  if (sent === token) return null;
  if (sent === null || sent === '') {
    if (isAnonymousRead(request)) return null;
    return errorResponse(401, 'token-not-provided', 'Authentication token was not provided');
  }
  return errorResponse(401, 'invalid-token', 'Authentication token is not valid');
}

/** The Hono app serving Apify API v2: storages under their own paths and under the run-scoped aliases. */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  const { state, runs, actors, tasks } = ctx;
  const usage = meterUsage(app);

  datasetCollectionRoutes(app, ctx);
  storeCollectionRoutes(app, ctx);
  queueCollectionRoutes(app, ctx);

  // Run-scoped aliases first, so `runs/last/...` is not taken for a run ID.
  const lastRunOf = (c: Context): Run => {
    const actor = actors.require(param(c, 'actorId'));
    return runs.lastOf(runs.list(actor), lastRunFilter(c), `actor '${actor.id}'`);
  };
  const lastTaskRunOf = (c: Context): Run => {
    const task = tasks.require(param(c, 'taskId'));
    return runs.lastOf(runs.listOfTask(task), lastRunFilter(c), `task '${task.id}'`);
  };
  const runScopes: [string, (c: Context) => Run][] = [
    ['/v2/actor-runs/:runId', (c) => runs.require(param(c, 'runId'))],
    ['/v2/actors/:actorId/runs/last', lastRunOf],
    ['/v2/acts/:actorId/runs/last', lastRunOf],
    ['/v2/actor-tasks/:taskId/runs/last', lastTaskRunOf],
  ];
  for (const [prefix, runOf] of runScopes) {
    datasetRoutes(app, ctx, `${prefix}/dataset`, (c) =>
      state.datasets.collection.require(runOf(c).datasetId),
    );
    storeRoutes(app, ctx, `${prefix}/key-value-store`, (c) =>
      state.keyValueStores.collection.require(runOf(c).keyValueStoreId),
    );
    queueRoutes(app, ctx, `${prefix}/request-queue`, (c) =>
      state.requestQueues.collection.require(runOf(c).requestQueueId),
    );
  }

  datasetRoutes(app, ctx, '/v2/datasets/:datasetId', (c) =>
    state.datasets.collection.require(param(c, 'datasetId')),
  );
  storeRoutes(app, ctx, '/v2/key-value-stores/:storeId', (c) =>
    state.keyValueStores.collection.require(param(c, 'storeId')),
  );
  queueRoutes(app, ctx, '/v2/request-queues/:queueId', (c) =>
    state.requestQueues.collection.require(param(c, 'queueId')),
  );
  actorRoutes(app, ctx);
  buildRoutes(app, ctx);
  versionRoutes(app, ctx);
  taskRoutes(app, ctx);
  runRoutes(app, ctx);
  userRoutes(app, ctx, usage);
  storeListingRoutes(app, ctx);
  toolRoutes(app, ctx);
  scheduleRoutes(app, ctx);
  webhookRoutes(app, ctx);
  localRunRoutes(app, ctx);

  app.notFound((c) =>
    errorResponse(
      404,
      'page-not-found',
      `${c.req.method} ${new URL(c.req.url).pathname} is not a known API endpoint`,
    ),
  );
  app.onError((error) => {
    if (error instanceof ApiError) return errorResponse(error.status, error.type, error.message);
    return errorResponse(
      500,
      'internal-server-error',
      error instanceof Error ? error.message : String(error),
    );
  });
  return app;
}
