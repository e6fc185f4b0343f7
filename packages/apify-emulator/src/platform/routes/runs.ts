import type { Context } from 'hono';
import { ApiError, notFound } from '../../errors.js';
import { readBody } from '../../http/body.js';
import { type App, type AppContext, param, requestUrl } from '../../http/context.js';
import { boolParam, dataResponse, intParam, noContent, numberParam, paginate } from '../../http/query.js';
import { actorObject, buildObject } from '../actors.js';
import type { JobLog } from '../logs.js';
import { isTerminal, type Run, runObject } from '../runs.js';
import { addAdHocWebhooks } from '../webhooks/events.js';
import { parseAdHocParameter } from '../webhooks/webhook-body.js';

const MAX_WAIT_SECS = 60;
const ACTOR_PREFIXES = ['/v2/actors', '/v2/acts'];

function logResponse(c: Context, ctx: AppContext, log: JobLog): Response {
  const headers = { 'content-type': 'text/plain; charset=utf-8' };
  if (boolParam(requestUrl(c), 'stream') && !log.isFinished) {
    const signal = AbortSignal.any([c.req.raw.signal, ctx.closing]);
    return new Response(log.follow(signal), { status: 200, headers });
  }
  return new Response(log.text(), { status: 200, headers });
}

/** Answers with the run, after a long poll of up to 60 s when `waitForFinish` asks for one. */
async function runResponse(c: Context, ctx: AppContext, run: Run, status = 200): Promise<Response> {
  const wait = Math.min(numberParam(requestUrl(c), 'waitForFinish') ?? 0, MAX_WAIT_SECS);
  if (wait > 0)
    await ctx.runs.waitForFinish(run, wait * 1000, AbortSignal.any([c.req.raw.signal, ctx.closing]));
  return dataResponse(runObject(run), status);
}

function listRuns(c: Context, runs: Run[]): Response {
  const statuses = (requestUrl(c).searchParams.get('status') || '').split(',').filter(Boolean);
  const filtered = statuses.length === 0 ? runs : runs.filter((r) => statuses.includes(r.status));
  const page = paginate(requestUrl(c), filtered);
  return dataResponse({ ...page, items: page.items.map(runObject) });
}

export function actorRoutes(app: App, ctx: AppContext): void {
  const { actors, runs } = ctx;
  const actorOf = (c: Context) => actors.require(param(c, 'actorId'));
  const runOfActor = (c: Context): Run => {
    const actor = actorOf(c);
    const run = runs.require(param(c, 'runId'));
    if (run.actor !== actor) throw notFound(`Actor run '${run.id}'`);
    return run;
  };
  const lastRun = (c: Context): Run =>
    runs.last(actorOf(c), requestUrl(c).searchParams.get('status') || null);

  for (const prefix of ACTOR_PREFIXES) {
    app.get(prefix, (c) => {
      const page = paginate(requestUrl(c), actors.list());
      return dataResponse({ ...page, items: page.items.map((a) => actorObject(a, runs.list(a).length)) });
    });
    app.post(prefix, async (c) => {
      const raw = (await readBody(c.req.raw, ctx.maxPayloadBytes, ctx.bodyTimeoutMs)).decoded.toString(
        'utf8',
      );
      let body: { name?: unknown; description?: unknown };
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        throw new ApiError(400, 'invalid-request', 'The body must be valid JSON');
      }
      if (typeof body.name !== 'string') throw new ApiError(400, 'invalid-value', 'Actor name is required');
      if (actors.resolve(body.name))
        throw new ApiError(409, 'actor-name-not-unique', `Actor '${body.name}' exists`);
      const description = typeof body.description === 'string' ? body.description : null;
      const actor = actors.create(body.name, null, undefined, description);
      return dataResponse(actorObject(actor, 0), 201);
    });
    app.get(`${prefix}/:actorId`, (c) => {
      const actor = actorOf(c);
      return dataResponse(actorObject(actor, runs.list(actor).length));
    });
    app.delete(`${prefix}/:actorId`, (c) => {
      actors.delete(actorOf(c));
      return noContent();
    });

    app.post(`${prefix}/:actorId/runs`, async (c) => {
      const actor = actorOf(c);
      const url = requestUrl(c);
      const adHocWebhooks = parseAdHocParameter(url.searchParams.get('webhooks'));
      const body = await readBody(c.req.raw, ctx.maxPayloadBytes, ctx.bodyTimeoutMs);
      const run = await runs.start(actor, {
        input: {
          bytes: body.encoded,
          decoded: body.decoded,
          encoding: body.encoding,
          contentType: c.req.header('content-type') || 'application/json; charset=utf-8',
        },
        timeoutSecs: intParam(url, 'timeout', { min: 0 }),
        memoryMbytes: intParam(url, 'memory', { min: 128 }),
      });
      addAdHocWebhooks(ctx.webhooks, adHocWebhooks, run);
      return runResponse(c, ctx, run, 201);
    });
    app.get(`${prefix}/:actorId/runs`, (c) => listRuns(c, runs.list(actorOf(c))));
    app.get(`${prefix}/:actorId/runs/last`, (c) => runResponse(c, ctx, lastRun(c)));
    app.get(`${prefix}/:actorId/runs/last/log`, (c) => logResponse(c, ctx, lastRun(c).log));
    app.post(`${prefix}/:actorId/runs/last/abort`, (c) => {
      const run = lastRun(c);
      runs.abort(run);
      return dataResponse(runObject(run));
    });
    app.get(`${prefix}/:actorId/runs/:runId`, (c) => runResponse(c, ctx, runOfActor(c)));
    app.post(`${prefix}/:actorId/runs/:runId/abort`, (c) => {
      const run = runOfActor(c);
      runs.abort(run);
      return dataResponse(runObject(run));
    });

    app.get(`${prefix}/:actorId/builds`, (c) => {
      const page = paginate(requestUrl(c), actorOf(c).builds);
      return dataResponse({ ...page, items: page.items.map(buildObject) });
    });
    app.post(`${prefix}/:actorId/builds`, (c) => dataResponse(buildObject(actors.build(actorOf(c))), 201));
    app.get(`${prefix}/:actorId/builds/default`, (c) => {
      const build = actorOf(c).builds.at(-1);
      if (build === undefined) throw notFound('Default build');
      return dataResponse(buildObject(build));
    });
    app.get(`${prefix}/:actorId/builds/:buildId`, (c) => {
      const build = actorOf(c).builds.find((b) => b.id === param(c, 'buildId'));
      if (build === undefined) throw notFound(`Build '${param(c, 'buildId')}'`);
      return dataResponse(buildObject(build));
    });
  }
}

export function runRoutes(app: App, ctx: AppContext): void {
  const { actors, runs } = ctx;
  const runOf = (c: Context) => runs.require(param(c, 'runId'));
  const buildOf = (c: Context) => {
    const build = actors.findBuild(param(c, 'buildId'));
    if (build === undefined) throw notFound(`Build '${param(c, 'buildId')}'`);
    return build;
  };

  app.get('/v2/actor-runs', (c) => listRuns(c, runs.list()));
  app.get('/v2/actor-runs/:runId', (c) => runResponse(c, ctx, runOf(c)));
  app.put('/v2/actor-runs/:runId', async (c) => {
    const run = runOf(c);
    const raw = (await readBody(c.req.raw, ctx.maxPayloadBytes, ctx.bodyTimeoutMs)).decoded.toString('utf8');
    let body: { statusMessage?: unknown };
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      throw new ApiError(400, 'invalid-request', 'The body must be valid JSON');
    }
    if (typeof body.statusMessage === 'string') run.statusMessage = body.statusMessage;
    return dataResponse(runObject(run));
  });
  app.delete('/v2/actor-runs/:runId', (c) => {
    const run = runOf(c);
    if (!isTerminal(run.status)) {
      throw new ApiError(
        400,
        'invalid-request',
        `Run '${run.id}' is ${run.status}; only finished runs can be deleted`,
      );
    }
    runs.delete(run);
    return noContent();
  });
  app.post('/v2/actor-runs/:runId/abort', (c) => {
    const run = runOf(c);
    runs.abort(run);
    return dataResponse(runObject(run));
  });
  app.get('/v2/actor-runs/:runId/log', (c) => logResponse(c, ctx, runOf(c).log));

  app.get('/v2/actor-builds', (c) => {
    const page = paginate(
      requestUrl(c),
      actors.list().flatMap((a) => a.builds),
    );
    return dataResponse({ ...page, items: page.items.map(buildObject) });
  });
  app.get('/v2/actor-builds/:buildId', (c) => dataResponse(buildObject(buildOf(c))));
  app.post('/v2/actor-builds/:buildId/abort', (c) => dataResponse(buildObject(buildOf(c))));
  app.get('/v2/actor-builds/:buildId/log', (c) => logResponse(c, ctx, buildOf(c).log));

  app.get('/v2/logs/:id', (c) => {
    const id = param(c, 'id');
    const log = runs.get(id)?.log ?? actors.findBuild(id)?.log;
    if (log === undefined) throw notFound(`Log of '${id}'`);
    return logResponse(c, ctx, log);
  });
}
