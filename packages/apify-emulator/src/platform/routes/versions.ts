import type { Context } from 'hono';
import { ApiError } from '../../errors.js';
import { type App, type AppContext, param } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, noContent } from '../../http/query.js';
import type { Actor } from '../actors.js';
import {
  type ActorVersion,
  type EnvVar,
  envVarObject,
  parseEnvVar,
  parseVersion,
  requireEnvVar,
  requireVersion,
  versionObject,
} from '../versions.js';
import { ACTOR_PREFIXES } from './actors.js';

/** The environment variables of `version` in an actor's draft: what a change edits. */
function envVarsOf(draft: Actor, version: ActorVersion): EnvVar[] {
  return requireVersion(draft.versions, version.versionNumber).envVars;
}

/** Versions and their environment variables; a secret's value is accepted but never returned. */
export function versionRoutes(app: App, ctx: AppContext): void {
  const { actors } = ctx;
  const actorOf = (c: Context) => actors.require(param(c, 'actorId'));
  const versionOf = (c: Context): { actor: Actor; version: ActorVersion } => {
    const actor = actorOf(c);
    return { actor, version: requireVersion(actor.versions, param(c, 'versionNumber')) };
  };

  for (const prefix of ACTOR_PREFIXES) {
    const base = `${prefix}/:actorId/versions`;
    app.get(base, (c) => {
      const { versions } = actorOf(c);
      return dataResponse({ total: versions.length, items: versions.map(versionObject) });
    });
    app.post(base, async (c) => {
      const actor = actorOf(c);
      const version = parseVersion(await readJson(c, ctx, 'The version'));
      if (actor.versions.some((v) => v.versionNumber === version.versionNumber))
        throw new ApiError(
          400,
          'version-already-exists',
          `Version '${version.versionNumber}' already exists`,
        );
      await actors.change(actor, (draft) => draft.versions.push(version));
      return dataResponse(versionObject(version), 201);
    });
    app.get(`${base}/:versionNumber`, (c) => dataResponse(versionObject(versionOf(c).version)));
    // The spec serves the update under POST as well as PUT.
    app.on(['PUT', 'POST'], `${base}/:versionNumber`, async (c) => {
      const { actor, version } = versionOf(c);
      const updated = parseVersion(await readJson(c, ctx, 'The version'), version);
      await actors.change(actor, (draft) => {
        draft.versions = draft.versions.map((v) => (v.versionNumber === version.versionNumber ? updated : v));
      });
      return dataResponse(versionObject(updated));
    });
    app.delete(`${base}/:versionNumber`, async (c) => {
      const { actor, version } = versionOf(c);
      if (actor.versions.length === 1)
        throw new ApiError(
          400,
          'too-few-versions',
          `Version '${version.versionNumber}' is the actor's only version`,
        );
      await actors.change(actor, (draft) => {
        draft.versions = draft.versions.filter((v) => v.versionNumber !== version.versionNumber);
      });
      return noContent();
    });

    const envBase = `${base}/:versionNumber/env-vars`;
    app.get(envBase, (c) => {
      const { envVars } = versionOf(c).version;
      return dataResponse({ total: envVars.length, items: envVars.map(envVarObject) });
    });
    app.post(envBase, async (c) => {
      const { actor, version } = versionOf(c);
      const envVar = parseEnvVar(await readJson(c, ctx, 'The environment variable'));
      if (version.envVars.some((e) => e.name === envVar.name))
        throw new ApiError(
          400,
          'env-var-already-exists',
          `Environment variable '${envVar.name}' already exists`,
        );
      await actors.change(actor, (draft) => envVarsOf(draft, version).push(envVar));
      return dataResponse(envVarObject(envVar), 201);
    });
    app.get(`${envBase}/:envVarName`, (c) =>
      dataResponse(envVarObject(requireEnvVar(versionOf(c).version, param(c, 'envVarName')))),
    );
    app.on(['PUT', 'POST'], `${envBase}/:envVarName`, async (c) => {
      const { actor, version } = versionOf(c);
      const current = requireEnvVar(version, param(c, 'envVarName'));
      const updated = parseEnvVar(await readJson(c, ctx, 'The environment variable'), current);
      if (updated.name !== current.name)
        throw new ApiError(
          400,
          'cannot-rename-env-var',
          `Environment variable '${current.name}' cannot be renamed`,
        );
      await actors.change(actor, (draft) => {
        const envVars = envVarsOf(draft, version);
        envVars.splice(
          envVars.findIndex((e) => e.name === current.name),
          1,
          updated,
        );
      });
      return dataResponse(envVarObject(updated));
    });
    app.delete(`${envBase}/:envVarName`, async (c) => {
      const { actor, version } = versionOf(c);
      const envVar = requireEnvVar(version, param(c, 'envVarName'));
      await actors.change(actor, (draft) => {
        const envVars = envVarsOf(draft, version);
        envVars.splice(
          envVars.findIndex((e) => e.name === envVar.name),
          1,
        );
      });
      return noContent();
    });
  }
}
