import type { Context } from 'hono';
import { ApiError } from '../../errors.js';
import { type App, type AppContext, param } from '../../http/context.js';
import { readJson } from '../../http/json-body.js';
import { dataResponse, noContent } from '../../http/query.js';
import type { Actor } from '../actors.js';
import {
  type ActorVersion,
  envVarObject,
  parseEnvVar,
  parseVersion,
  requireEnvVar,
  requireVersion,
  versionObject,
} from '../versions.js';
import { ACTOR_PREFIXES } from './actors.js';

function touch(actor: Actor): void {
  actor.modifiedAt = new Date().toISOString();
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
      actor.versions.push(version);
      touch(actor);
      return dataResponse(versionObject(version), 201);
    });
    app.get(`${base}/:versionNumber`, (c) => dataResponse(versionObject(versionOf(c).version)));
    // The spec serves the update under POST as well as PUT.
    app.on(['PUT', 'POST'], `${base}/:versionNumber`, async (c) => {
      const { actor, version } = versionOf(c);
      const updated = parseVersion(await readJson(c, ctx, 'The version'), version);
      actor.versions = actor.versions.map((v) => (v === version ? updated : v));
      touch(actor);
      return dataResponse(versionObject(updated));
    });
    app.delete(`${base}/:versionNumber`, (c) => {
      const { actor, version } = versionOf(c);
      if (actor.versions.length === 1)
        throw new ApiError(
          400,
          'too-few-versions',
          `Version '${version.versionNumber}' is the actor's only version`,
        );
      actor.versions = actor.versions.filter((v) => v !== version);
      touch(actor);
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
      version.envVars.push(envVar);
      touch(actor);
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
      Object.assign(current, updated);
      touch(actor);
      return dataResponse(envVarObject(current));
    });
    app.delete(`${envBase}/:envVarName`, (c) => {
      const { actor, version } = versionOf(c);
      const envVar = requireEnvVar(version, param(c, 'envVarName'));
      version.envVars = version.envVars.filter((e) => e !== envVar);
      touch(actor);
      return noContent();
    });
  }
}
