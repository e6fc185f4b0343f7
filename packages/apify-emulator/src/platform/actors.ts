import { ApiError, notFound } from '../errors.js';
import { isId, newId } from '../ids.js';
import { USER } from '../storages/common.js';
import type { ActorFunction, RegisteredActor } from '../types.js';
import { JobLog } from './logs.js';

export interface Build {
  id: string;
  actId: string;
  buildNumber: string;
  startedAt: string;
  finishedAt: string;
  log: JobLog;
}

export interface Actor {
  id: string;
  name: string;
  username: string;
  createdAt: string;
  modifiedAt: string;
  fn: ActorFunction | null;
  builds: Build[];
  description: string | null;
}

const NAME_PATTERN = /^[a-zA-Z0-9-]{1,63}$/;

/** Splits `user/name`, `user~name`, `~name` and `name` into owner and name. */
function splitName(ref: string): { username: string; name: string } {
  const normalized = ref.replace('/', '~');
  const tilde = normalized.indexOf('~');
  if (tilde === -1) return { username: USER.username, name: normalized };
  const username = normalized.slice(0, tilde);
  return { username: username === '' ? USER.username : username, name: normalized.slice(tilde + 1) };
}

/** Emulated actors: created over the API or registered in-process with a function; builds always succeed. */
export class Actors {
  private readonly byId = new Map<string, Actor>();
  private readonly buildListeners = new Set<(build: Build) => void>();

  /** Subscribes to new builds (webhooks listen here); returns the unsubscribe function. */
  onBuild(listener: (build: Build) => void): () => void {
    this.buildListeners.add(listener);
    return () => this.buildListeners.delete(listener);
  }

  list(): Actor[] {
    return [...this.byId.values()];
  }

  resolve(ref: string): Actor | undefined {
    if (isId(ref) && this.byId.has(ref)) return this.byId.get(ref);
    const { username, name } = splitName(ref);
    for (const actor of this.byId.values())
      if (actor.name === name && actor.username === username) return actor;
    return undefined;
  }

  require(ref: string): Actor {
    const actor = this.resolve(ref);
    if (actor === undefined) throw notFound(`Actor '${ref}'`);
    return actor;
  }

  create(ref: string, fn: ActorFunction | null, id?: string, description: string | null = null): Actor {
    const { username, name } = splitName(ref);
    if (!NAME_PATTERN.test(name) || !NAME_PATTERN.test(username)) {
      throw new ApiError(
        400,
        'invalid-value',
        `Actor name '${ref}' is invalid: use 1-63 characters a-z, A-Z, 0-9, '-'`,
      );
    }
    if (id !== undefined && !isId(id))
      throw new ApiError(400, 'invalid-value', `Actor ID '${id}' is not 17 alphanumerics`);
    const existing = this.resolve(`${username}~${name}`);
    if (existing) {
      existing.fn = fn ?? existing.fn;
      existing.modifiedAt = new Date().toISOString();
      return existing;
    }
    const now = new Date().toISOString();
    const actor: Actor = {
      id: id ?? newId(),
      name,
      username,
      createdAt: now,
      modifiedAt: now,
      fn,
      builds: [],
      description,
    };
    this.byId.set(actor.id, actor);
    this.build(actor);
    return actor;
  }

  delete(actor: Actor): void {
    this.byId.delete(actor.id);
  }

  /** A new build: there is nothing to compile in-process, so it is SUCCEEDED on creation. */
  build(actor: Actor): Build {
    const now = new Date().toISOString();
    const build: Build = {
      id: newId(),
      actId: actor.id,
      buildNumber: `0.0.${actor.builds.length + 1}`,
      startedAt: now,
      finishedAt: now,
      log: new JobLog(),
    };
    build.log.write(
      `ACTOR: Emulated build ${build.buildNumber} of ${actor.username}/${actor.name} succeeded.`,
    );
    build.log.finish();
    actor.builds.push(build);
    for (const listener of [...this.buildListeners]) listener(build);
    return build;
  }

  findBuild(id: string): Build | undefined {
    for (const actor of this.byId.values())
      for (const build of actor.builds) if (build.id === id) return build;
    return undefined;
  }
}

export function registeredActor(actor: Actor): RegisteredActor {
  return { id: actor.id, name: actor.name, username: actor.username };
}

export function actorObject(actor: Actor, runCount: number): Record<string, unknown> {
  const latest = actor.builds.at(-1);
  return {
    id: actor.id,
    userId: USER.id,
    name: actor.name,
    username: actor.username,
    description: actor.description,
    isPublic: false,
    createdAt: actor.createdAt,
    modifiedAt: actor.modifiedAt,
    restartOnError: false,
    stats: { totalBuilds: actor.builds.length, totalRuns: runCount, totalUsers: 1 },
    versions: [{ versionNumber: '0.0', sourceType: 'SOURCE_FILES', buildTag: 'latest' }],
    defaultRunOptions: { build: 'latest', timeoutSecs: 3600, memoryMbytes: 4096 },
    taggedBuilds: latest
      ? { latest: { buildId: latest.id, buildNumber: latest.buildNumber, finishedAt: latest.finishedAt } }
      : {},
  };
}

export function buildObject(build: Build): Record<string, unknown> {
  return {
    id: build.id,
    actId: build.actId,
    userId: USER.id,
    startedAt: build.startedAt,
    finishedAt: build.finishedAt,
    status: 'SUCCEEDED',
    buildNumber: build.buildNumber,
    meta: { origin: 'API' },
    stats: { durationMillis: 0, runTimeSecs: 0, computeUnits: 0 },
    options: { useCache: true, betaPackages: false, memoryMbytes: 1024, diskMbytes: 2048 },
  };
}
