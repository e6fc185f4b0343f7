import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { type App, type AppContext, param } from '../http/context.js';
import { readJson } from '../http/json-body.js';
import { dataResponse } from '../http/query.js';
import { actorObject } from '../platform/actor-object.js';
import { isJsonObject } from '../platform/input-schema.js';
import { runObject } from '../platform/run-object.js';
import { commandActor, readActorFolder } from './folder-actor.js';
import { registerCommandActor, registerFolderActor } from './register-folder.js';

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/**
 * Registering a folder makes this emulator spawn its command: no web page may do that. Browsers send
 * `Origin` with every POST (and a rebound DNS name as `Host`), so both are refused.
 */
function refuseBrowsers(c: Context): void {
  const host = c.req.header('host') ?? '';
  if (c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') !== undefined)
    throw new ApiError(403, 'insufficient-permissions', 'Folder actors cannot be registered from a browser');
  if (!LOOPBACK_HOST.test(host))
    throw new ApiError(
      403,
      'insufficient-permissions',
      `Folder actors are registered over loopback only, not via '${host}'`,
    );
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string'))
    throw new ApiError(400, 'invalid-value', `${field} must be a non-empty array of strings`);
  return value as string[];
}

/**
 * Emulator-only endpoints (the platform has none of them), under an `emulator` path segment:
 * - `POST /v2/emulator/folder-actors` `{folder, name?, command?}`: registers a folder actor;
 * - `POST /v2/actor-runs/{id}/emulator/migrate`: sends `migrating` to the run's process, then restarts it.
 */
export function localRunRoutes(app: App, ctx: AppContext): void {
  const { actors, runs } = ctx;
  app.post('/v2/emulator/folder-actors', async (c) => {
    refuseBrowsers(c);
    const body = await readJson(c, ctx, 'The body');
    if (!isJsonObject(body)) throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
    const { folder, name } = body;
    if (typeof folder !== 'string' || folder === '')
      throw new ApiError(400, 'invalid-value', 'folder must be the path of the actor folder');
    if (name !== undefined && typeof name !== 'string')
      throw new ApiError(400, 'invalid-value', 'name must be a string');
    const command = stringList(body.command, 'command');
    let actor: ReturnType<typeof registerFolderActor>;
    try {
      if (body.withoutDefinition === true) {
        if (command === undefined || name === undefined)
          throw new ApiError(400, 'invalid-value', 'A folder without .actor/ needs name and command');
        actor = registerCommandActor(actors, name, commandActor(folder, command));
      } else {
        actor = registerFolderActor(actors, readActorFolder(folder, command), name);
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(400, 'invalid-value', (error as Error).message);
    }
    return dataResponse(actorObject(actor, runs.list(actor).length), 201);
  });
  app.post('/v2/actor-runs/:runId/emulator/migrate', (c) => {
    const run = runs.require(param(c, 'runId'));
    runs.migrate(run);
    return dataResponse(runObject(run));
  });
}
