import type { Context } from 'hono';
import { ApiError, notFound } from '../../errors.js';
import { type App, type AppContext, origin, param, requestUrl } from '../../http/context.js';
import { dataResponse, jsonResponse, noContent, paginate } from '../../http/query.js';
import type { Actor } from '../actors.js';
import { type Build, buildObject, openApiDefinition } from '../builds.js';
import { ACTOR_PREFIXES } from './actors.js';
import { logResponse } from './run-responses.js';

/** Builds finish on creation, so `waitForFinish` never has anything to wait for. */
function answer(actor: Actor, build: Build, status = 200): Response {
  return dataResponse(buildObject(build, actor.name), status);
}

function openApi(c: Context, actor: Actor, build: Build): Response {
  return jsonResponse(openApiDefinition(build, actor, `${origin(c)}/v2`));
}

export function buildRoutes(app: App, ctx: AppContext): void {
  const { actors } = ctx;
  const actorOf = (c: Context) => actors.require(param(c, 'actorId'));
  /** `default` is the build the actor's default run options name (normally the one tagged `latest`). */
  const buildOfActor = (c: Context): { actor: Actor; build: Build } => {
    const actor = actorOf(c);
    const id = param(c, 'buildId');
    if (id === 'default') return { actor, build: actors.resolveBuild(actor, null) };
    const build = actor.builds.find((b) => b.id === id);
    if (build === undefined) throw notFound(`Actor build '${id}'`);
    return { actor, build };
  };
  const buildOf = (c: Context): { actor: Actor; build: Build } => {
    const found = actors.findBuild(param(c, 'buildId'));
    if (found === undefined) throw notFound(`Actor build '${param(c, 'buildId')}'`);
    return found;
  };

  for (const prefix of ACTOR_PREFIXES) {
    app.get(`${prefix}/:actorId/builds`, (c) => {
      const actor = actorOf(c);
      const page = paginate(requestUrl(c), actor.builds);
      return dataResponse({ ...page, items: page.items.map((b) => buildObject(b, actor.name)) });
    });
    app.post(`${prefix}/:actorId/builds`, async (c) => {
      const actor = actorOf(c);
      const url = requestUrl(c);
      const versionNumber = url.searchParams.get('version') || undefined;
      const tag = url.searchParams.get('tag') || undefined;
      const build = await actors.change(actor, (draft) =>
        actors.addBuild(draft, {
          ...(versionNumber === undefined ? {} : { versionNumber }),
          ...(tag === undefined ? {} : { tag }),
        }),
      );
      return answer(actor, build, 201);
    });
    app.get(`${prefix}/:actorId/builds/:buildId`, (c) => {
      const { actor, build } = buildOfActor(c);
      return answer(actor, build);
    });
    app.post(`${prefix}/:actorId/builds/:buildId/abort`, (c) => {
      const { actor, build } = buildOfActor(c);
      return answer(actor, build);
    });
    app.get(`${prefix}/:actorId/builds/:buildId/openapi.json`, (c) => {
      const { actor, build } = buildOfActor(c);
      return openApi(c, actor, build);
    });
  }

  app.get('/v2/actor-builds', (c) => {
    const all = actors.list().flatMap((actor) => actor.builds.map((build) => ({ actor, build })));
    const page = paginate(requestUrl(c), all);
    return dataResponse({
      ...page,
      items: page.items.map(({ actor, build }) => buildObject(build, actor.name)),
    });
  });
  app.get('/v2/actor-builds/:buildId', (c) => {
    const { actor, build } = buildOf(c);
    return answer(actor, build);
  });
  app.delete('/v2/actor-builds/:buildId', async (c) => {
    const { actor, build } = buildOf(c);
    const inUse = ctx.runs.list(actor).find((r) => r.build === build && r.finishedAt === null);
    if (inUse !== undefined)
      throw new ApiError(
        400,
        'deleting-unfinished-build',
        `Build ${build.buildNumber} is used by run '${inUse.id}', which has not finished`,
      );
    await actors.change(actor, (draft) => actors.deleteBuild(draft, build));
    return noContent();
  });
  // A build finishes on creation: aborting it answers the finished build, as the platform does for one.
  app.post('/v2/actor-builds/:buildId/abort', (c) => {
    const { actor, build } = buildOf(c);
    return answer(actor, build);
  });
  app.get('/v2/actor-builds/:buildId/log', (c) => logResponse(c, ctx, buildOf(c).build.log));
  app.get('/v2/actor-builds/:buildId/openapi.json', (c) => {
    const { actor, build } = buildOf(c);
    return openApi(c, actor, build);
  });
}
