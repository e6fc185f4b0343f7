import { ApiError, notFound } from '../errors.js';
import { isId, newId } from '../ids.js';
import { taskDoc } from '../persistence/platform-codec.js';
import { commitInMemory, type PlatformCommit } from '../persistence/platform-commit.js';
import { SerialByKey } from '../serial-by-key.js';
import { USER } from '../storages/common.js';
import type { JsonObject } from '../types.js';
import type { Actor, Actors } from './actors.js';
import { isJsonObject } from './input-schema.js';
import { parseRunOptions } from './run-options.js';

export interface TaskOptions {
  build?: string;
  timeoutSecs?: number;
  memoryMbytes?: number;
  restartOnError?: boolean;
}

/** A saved configuration of an actor: its input and run options, started as one unit. */
export interface Task {
  id: string;
  actor: Actor;
  name: string;
  title: string | null;
  description: string | null;
  createdAt: string;
  modifiedAt: string;
  options: TaskOptions;
  input: JsonObject | null;
  /** Fields returned as given (actorStandby, isPublic...): nothing local depends on them. */
  settings: JsonObject;
}

const NAME_PATTERN = /^[a-zA-Z0-9-]{1,63}$/;
const STORED_AS_GIVEN = ['actorStandby', 'isPublic', 'publicConfig'];

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-value', message);
}

export function parseTaskInput(raw: unknown): JsonObject | null {
  if (raw === null) return null;
  if (!isJsonObject(raw))
    throw new ApiError(400, 'input-json-not-object', 'The task input must be a JSON object');
  return structuredClone(raw);
}

export class Tasks {
  private readonly byId = new Map<string, Task>();
  private readonly actors: Actors;

  constructor(actors: Actors) {
    this.actors = actors;
  }

  private commit: PlatformCommit = commitInMemory;
  /** Writes that check names (or keys) taken run one at a time: none checks while another is installing. */
  private readonly writes = new SerialByKey();

  /** How a change becomes durable before it is put in place (in memory: at once). */
  attachCommit(commit: PlatformCommit): void {
    this.commit = commit;
  }

  /** Puts a task read back from the storage folder in place. */
  adopt(task: Task): void {
    this.byId.set(task.id, task);
  }

  /** Deleting an actor deletes its tasks, as on the platform. */
  list(): Task[] {
    return [...this.byId.values()].filter((t) => this.actors.resolve(t.actor.id) === t.actor);
  }

  /** By ID, `user~name` or `~name`, like actors. */
  resolve(ref: string): Task | undefined {
    if (isId(ref) && this.byId.has(ref)) return this.list().find((t) => t.id === ref);
    const normalized = ref.replace('/', '~');
    const tilde = normalized.indexOf('~');
    const username = tilde <= 0 ? USER.username : normalized.slice(0, tilde);
    const name = tilde === -1 ? normalized : normalized.slice(tilde + 1);
    if (username !== USER.username) return undefined;
    return this.list().find((t) => t.name === name);
  }

  require(ref: string): Task {
    const task = this.resolve(ref);
    if (task === undefined) throw notFound(`Actor task '${ref}'`);
    return task;
  }

  create(body: unknown): Promise<Task> {
    return this.writes.run('tasks', () => this.createDurably(body));
  }

  private createDurably(body: unknown): Promise<Task> {
    if (!isJsonObject(body)) throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
    if (typeof body.actId !== 'string' || body.actId === '')
      throw invalid('actId is required: the actor the task runs');
    const actor = this.actors.require(body.actId);
    const now = new Date().toISOString();
    const task: Task = {
      id: newId(),
      actor,
      name: '',
      title: null,
      description: null,
      createdAt: now,
      modifiedAt: now,
      options: {},
      input: null,
      settings: {},
    };
    if (typeof body.name !== 'string') throw invalid('name is required');
    this.apply(task, body);
    return this.commit('task', task.id, taskDoc(task), () => {
      this.byId.set(task.id, task);
      return task;
    });
  }

  /** Every field given replaces the stored one, after all of them are checked. */
  update(task: Task, body: unknown): Promise<void> {
    return this.writes.run('tasks', () => this.updateDurably(task, body));
  }

  private updateDurably(task: Task, body: unknown): Promise<void> {
    if (!isJsonObject(body)) throw new ApiError(400, 'invalid-request', 'The body must be a JSON object');
    const next: Task = { ...task, settings: { ...task.settings } };
    this.apply(next, body);
    return this.install(task, next);
  }

  /** Journals the task as `next`, then makes it so. */
  private install(task: Task, next: Task): Promise<void> {
    next.modifiedAt = new Date().toISOString();
    return this.commit('task', task.id, taskDoc(next), () => void Object.assign(task, next));
  }

  private apply(task: Task, body: JsonObject): void {
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || !NAME_PATTERN.test(body.name))
        throw invalid(
          `Task name ${JSON.stringify(body.name)} is invalid: use 1-63 characters a-z, A-Z, 0-9, '-'`,
        );
      const holder = this.list().find((t) => t.name === body.name);
      if (holder !== undefined && holder.id !== task.id)
        throw new ApiError(409, 'actor-task-name-not-unique', `Task name '${body.name}' is already taken`);
      task.name = body.name;
    }
    for (const field of ['title', 'description'] as const) {
      const value = body[field];
      if (value === undefined) continue;
      if (value !== null && typeof value !== 'string') throw invalid(`${field} must be a string or null`);
      task[field] = value;
    }
    if (body.options !== undefined) task.options = parseRunOptions(body.options, task.options, 'options');
    if (body.input !== undefined) task.input = parseTaskInput(body.input);
    for (const field of STORED_AS_GIVEN)
      if (body[field] !== undefined) task.settings[field] = structuredClone(body[field]);
  }

  delete(task: Task): Promise<void> {
    return this.commit('task', task.id, null, () => void this.byId.delete(task.id));
  }

  /** The platform publishes a task only when its actor is public; the state is `publicConfig.publishedAt`. */
  setPublished(task: Task, published: boolean): Promise<void> {
    if (published && task.actor.settings.isPublic !== true) {
      throw new ApiError(
        400,
        'actor-not-public',
        `Task '${task.name}' cannot be published: its actor ${task.actor.username}/${task.actor.name} is not public`,
      );
    }
    const config = isJsonObject(task.settings.publicConfig) ? task.settings.publicConfig : {};
    const publicConfig = { ...config, publishedAt: published ? new Date().toISOString() : null };
    // The official client publishes by setting isPublic; keep both views in step.
    return this.install(task, { ...task, settings: { ...task.settings, publicConfig, isPublic: published } });
  }
}

/**
 * The platform's rule for a task run's input: the override's top-level fields replace the task's, fields it
 * does not set keep the task's value (a shallow merge, not a deep one).
 */
export function mergeTaskInput(task: Task, override: JsonObject | null): JsonObject {
  return { ...(task.input ?? {}), ...(override ?? {}) };
}

export function taskObject(task: Task, runCount: number): JsonObject {
  return {
    id: task.id,
    userId: USER.id,
    actId: task.actor.id,
    actName: task.actor.name,
    actUsername: task.actor.username,
    name: task.name,
    username: USER.username,
    title: task.title,
    description: task.description,
    createdAt: task.createdAt,
    modifiedAt: task.modifiedAt,
    removedAt: null,
    stats: { totalRuns: runCount },
    options: { ...task.options },
    input: task.input === null ? null : structuredClone(task.input),
    ...structuredClone(task.settings),
  };
}
