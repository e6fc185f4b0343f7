import { ApiError, notFound } from '../errors.js';
import { isId, newId } from '../ids.js';
import type { FolderActor } from '../local-runs/folder-actor.js';
import { actorDoc } from '../persistence/platform-codec.js';
import { commitInMemory, type PlatformCommit } from '../persistence/platform-commit.js';
import { SerialByKey } from '../serial-by-key.js';
import { USER } from '../storages/common.js';
import type { ActorFunction, JsonObject, RegisteredActor } from '../types.js';
import { type Build, createBuild } from './builds.js';
import { checkInputSchema, inputSchemaFromSourceFiles } from './input-schema.js';
import { type PricingInfo, parsePricingInfos } from './pricing.js';
import { parseRunOptions } from './run-options.js';
import {
  type ActorVersion,
  defaultVersion,
  parseVersion,
  requireVersion,
  runEnvironment,
} from './versions.js';

export type { Build } from './builds.js';

export interface RunOptionsDefaults {
  build: string;
  timeoutSecs: number;
  memoryMbytes: number;
  restartOnError: boolean;
}

export interface Actor {
  id: string;
  name: string;
  username: string;
  createdAt: string;
  modifiedAt: string;
  fn: ActorFunction | null;
  builds: Build[];
  taggedBuilds: Map<string, Build>;
  title: string | null;
  description: string | null;
  versions: ActorVersion[];
  defaultRunOptions: RunOptionsDefaults;
  pricingInfos: PricingInfo[];
  /** Given to registerActor: wins over any schema in the version's source files. */
  registeredInputSchema: JsonObject | null;
  /** Fields the platform stores and returns but that change nothing locally (isPublic, seoTitle...). */
  settings: JsonObject;
  /** Set for an actor defined by a folder: its runs are real processes. */
  folder?: FolderActor;
  /**
   * Restored from the storage folder: it ran an in-process function that this process has not
   * registered again, so it cannot run until `registerActor` gives it one.
   */
  missingFunction?: boolean;
}

const NAME_PATTERN = /^[a-zA-Z0-9-]{1,63}$/;
const STORED_AS_GIVEN = [
  'isPublic',
  'seoTitle',
  'seoDescription',
  'categories',
  'isDeprecated',
  'restartOnError',
  'actorStandby',
  'exampleRunInput',
  'isAnonymouslyRunnable',
  'notice',
];

/** Splits `user/name`, `user~name`, `~name` and `name` into owner and name. */
function splitName(ref: string): { username: string; name: string } {
  const normalized = ref.replace('/', '~');
  const tilde = normalized.indexOf('~');
  if (tilde === -1) return { username: USER.username, name: normalized };
  const username = normalized.slice(0, tilde);
  return { username: username === '' ? USER.username : username, name: normalized.slice(tilde + 1) };
}

function checkName(ref: string): { username: string; name: string } {
  const { username, name } = splitName(ref);
  if (!NAME_PATTERN.test(name) || !NAME_PATTERN.test(username)) {
    throw new ApiError(
      400,
      'invalid-value',
      `Actor name '${ref}' is invalid: use 1-63 characters a-z, A-Z, 0-9, '-'`,
    );
  }
  return { username, name };
}

function optionalString(body: JsonObject, field: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw new ApiError(400, 'invalid-value', `${field} must be a string or null, got ${JSON.stringify(value)}`);
}

/** Emulated actors: created over the API or registered in-process with a function. */
export class Actors {
  private readonly byId = new Map<string, Actor>();
  private readonly buildListeners = new Set<(build: Build) => void>();
  private commit: PlatformCommit = commitInMemory;
  /** Writes that check names (or keys) taken run one at a time: none checks while another is installing. */
  private readonly writes = new SerialByKey();

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

  /** Registers a function (re-registering a name replaces its function and schema) and builds it. */
  register(ref: string, fn: ActorFunction, options: { id?: string; inputSchema?: unknown } = {}): Actor {
    // A copy: later changes to the caller's object must not change what builds validate against.
    const inputSchema =
      options.inputSchema === undefined
        ? null
        : checkInputSchema(structuredClone(options.inputSchema), `Input schema of '${ref}'`);
    const { username, name } = checkName(ref);
    const existing = this.resolve(`${username}~${name}`);
    if (existing) {
      existing.fn = fn;
      delete existing.folder;
      delete existing.missingFunction;
      existing.modifiedAt = new Date().toISOString();
      if (options.inputSchema !== undefined) {
        existing.registeredInputSchema = inputSchema;
        this.build(existing);
      }
      return existing;
    }
    const actor = this.createNow({ name: ref }, options.id, inputSchema);
    actor.fn = fn;
    return actor;
  }

  /** How a change becomes durable before it is put in place (in memory: at once). */
  attachCommit(commit: PlatformCommit): void {
    this.commit = commit;
  }

  /** `POST actors`: listed, and its first build announced, once it is durable. */
  create(body: JsonObject): Promise<Actor> {
    return this.writes.run('actors', () => this.createDurably(body));
  }

  private createDurably(body: JsonObject): Promise<Actor> {
    const actor = this.fresh(body);
    const build = this.addBuild(actor);
    return this.commit('actor', actor.id, actorDoc(actor), () => {
      this.byId.set(actor.id, actor);
      this.announce(build);
      return actor;
    });
  }

  /** `PUT actors/{id}`, in place once durable. */
  update(actor: Actor, body: JsonObject): Promise<void> {
    return this.change(actor, (draft) => void Object.assign(draft, this.updated(actor, body)));
  }

  remove(actor: Actor): Promise<void> {
    return this.commit('actor', actor.id, null, () => this.delete(actor));
  }

  /**
   * One change to an actor (its settings, versions, environment variables, builds) made by `mutate` on
   * a copy, journaled, and only then put in place; builds it made are announced after that.
   */
  change<T>(actor: Actor, mutate: (draft: Actor) => T): Promise<T> {
    return this.writes.run('actors', () => this.changeDurably(actor, mutate));
  }

  private async changeDurably<T>(actor: Actor, mutate: (draft: Actor) => T): Promise<T> {
    const draft: Actor = {
      ...actor,
      versions: actor.versions.map((v) => ({ ...v, envVars: v.envVars.map((e) => ({ ...e })) })),
      builds: [...actor.builds],
      taggedBuilds: new Map(actor.taggedBuilds),
      settings: { ...actor.settings },
    };
    const result = mutate(draft);
    draft.modifiedAt = new Date().toISOString();
    const made = draft.builds.filter((b) => !actor.builds.includes(b));
    await this.commit('actor', actor.id, actorDoc(draft), () => {
      Object.assign(actor, draft);
      for (const build of made) this.announce(build);
    });
    return result;
  }

  /** A registered actor: the body's name and settings; the first build is made at once. */
  createNow(body: JsonObject, id?: string, registeredInputSchema: JsonObject | null = null): Actor {
    const actor = this.fresh(body, id, registeredInputSchema);
    this.byId.set(actor.id, actor);
    this.build(actor);
    return actor;
  }

  /** A new actor from the body's name, versions and settings, not yet listed. */
  private fresh(body: JsonObject, id?: string, registeredInputSchema: JsonObject | null = null): Actor {
    if (typeof body.name !== 'string') throw new ApiError(400, 'invalid-value', 'Actor name is required');
    const { username, name } = checkName(body.name);
    if (this.resolve(`${username}~${name}`))
      throw new ApiError(409, 'actor-name-not-unique', `Actor name '${name}' is already taken`);
    if (id !== undefined && !isId(id))
      throw new ApiError(400, 'invalid-value', `Actor ID '${id}' is not 17 alphanumerics`);
    const now = new Date().toISOString();
    const actor: Actor = {
      id: id ?? newId(),
      name,
      username,
      createdAt: now,
      modifiedAt: now,
      fn: null,
      builds: [],
      taggedBuilds: new Map(),
      title: null,
      description: null,
      versions: [defaultVersion()],
      defaultRunOptions: { build: 'latest', timeoutSecs: 3600, memoryMbytes: 4096, restartOnError: false },
      pricingInfos: [],
      registeredInputSchema,
      settings: {},
    };
    this.apply(actor, body);
    return actor;
  }

  /** A registered actor's new settings, in place at once. */
  updateNow(actor: Actor, body: JsonObject): void {
    Object.assign(actor, this.updated(actor, body), { modifiedAt: new Date().toISOString() });
  }

  /** Every field given replaces the stored one; everything is checked before anything changes. */
  private updated(actor: Actor, body: JsonObject): Actor {
    const next: Actor = { ...actor, settings: { ...actor.settings } };
    if (body.name !== undefined) {
      if (typeof body.name !== 'string')
        throw new ApiError(400, 'invalid-value', 'Actor name must be a string');
      const { username, name } = checkName(body.name);
      const holder = this.resolve(`${username}~${name}`);
      if (holder !== undefined && holder !== actor)
        throw new ApiError(409, 'actor-name-not-unique', `Actor name '${name}' is already taken`);
      next.name = name;
    }
    this.apply(next, body);
    return next;
  }

  private apply(actor: Actor, body: JsonObject): void {
    const title = optionalString(body, 'title');
    if (title !== undefined) actor.title = title;
    const description = optionalString(body, 'description');
    if (description !== undefined) actor.description = description;
    if (body.defaultRunOptions !== undefined)
      actor.defaultRunOptions = parseRunOptions(
        body.defaultRunOptions,
        actor.defaultRunOptions,
        'defaultRunOptions',
      );
    if (body.pricingInfos !== undefined) actor.pricingInfos = parsePricingInfos(body.pricingInfos);
    if (body.versions !== undefined) {
      if (!Array.isArray(body.versions) || body.versions.length === 0)
        throw new ApiError(400, 'too-few-versions', 'An actor needs at least one version');
      const versions = body.versions.map((v) => parseVersion(v));
      const numbers = versions.map((v) => v.versionNumber);
      const duplicate = numbers.find((n, i) => numbers.indexOf(n) !== i);
      if (duplicate !== undefined)
        throw new ApiError(400, 'version-already-exists', `Version '${duplicate}' is given twice`);
      actor.versions = versions;
    }
    for (const field of STORED_AS_GIVEN)
      if (body[field] !== undefined) actor.settings[field] = structuredClone(body[field]);
  }

  delete(actor: Actor): void {
    this.byId.delete(actor.id);
  }

  /** Puts an actor read back from the storage folder in place. */
  adopt(actor: Actor): void {
    this.byId.set(actor.id, actor);
  }

  /**
   * A build of a version (default: the first one). Nothing compiles in-process, so it finishes at once:
   * SUCCEEDED and tagged, or FAILED when the version's input schema is broken.
   */
  build(actor: Actor, options: { versionNumber?: string; tag?: string } = {}): Build {
    const build = this.addBuild(actor, options);
    this.announce(build);
    return build;
  }

  private announce(build: Build): void {
    for (const listener of [...this.buildListeners]) listener(build);
  }

  /** `build` without telling the listeners: for a copy that is not yet in place. */
  addBuild(actor: Actor, options: { versionNumber?: string; tag?: string } = {}): Build {
    const version =
      options.versionNumber === undefined
        ? actor.versions[0]
        : requireVersion(actor.versions, options.versionNumber);
    const versionNumber = version?.versionNumber ?? '0.0';
    let inputSchema: JsonObject | null = actor.registeredInputSchema;
    let error: string | null = null;
    try {
      inputSchema ??= inputSchemaFromSourceFiles(version?.sourceFiles ?? []);
    } catch (e) {
      error = (e as Error).message;
    }
    const sequence = actor.builds.filter((b) => b.versionNumber === versionNumber).length + 1;
    const build = createBuild(actor.id, versionNumber, sequence, {
      inputSchema,
      env: runEnvironment(version),
      error,
    });
    actor.builds.push(build);
    if (build.status === 'SUCCEEDED')
      actor.taggedBuilds.set(options.tag ?? version?.buildTag ?? 'latest', build);
    return build;
  }

  findBuild(id: string): { actor: Actor; build: Build } | undefined {
    for (const actor of this.byId.values()) {
      const build = actor.builds.find((b) => b.id === id);
      if (build !== undefined) return { actor, build };
    }
    return undefined;
  }

  /** A tag (`latest`, `beta`) or a build number (`0.0.3`); default: the actor's default run options' build. */
  resolveBuild(actor: Actor, ref: string | null | undefined): Build {
    const wanted = ref || actor.defaultRunOptions.build;
    const build = actor.taggedBuilds.get(wanted) ?? actor.builds.find((b) => b.buildNumber === wanted);
    if (build === undefined)
      throw new ApiError(
        400,
        'unknown-build-tag',
        `Actor '${actor.username}/${actor.name}' has no build tagged or numbered '${wanted}'`,
      );
    return build;
  }

  /** As on the platform, the build a tag points to cannot be deleted (re-tag or build again first). */
  deleteBuild(actor: Actor, build: Build): void {
    for (const [tag, tagged] of actor.taggedBuilds) {
      if (tagged === build)
        throw new ApiError(
          400,
          'deleting-default-build',
          `Build ${build.buildNumber} is tagged '${tag}' and cannot be deleted`,
        );
    }
    actor.builds = actor.builds.filter((b) => b !== build);
  }
}

/** Live: when a restart restores the actor's earlier identity from the storage folder, the ID follows. */
export function registeredActor(actor: Actor): RegisteredActor {
  return {
    get id() {
      return actor.id;
    },
    get name() {
      return actor.name;
    },
    get username() {
      return actor.username;
    },
  };
}
