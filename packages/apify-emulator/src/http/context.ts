import type { Context, Hono } from 'hono';
import type { PlatformCommit } from '../persistence/platform-commit.js';
import type { State } from '../persistence/state.js';
import type { Actors } from '../platform/actors.js';
import type { Runs } from '../platform/runs.js';
import type { Schedules } from '../platform/schedules/schedules.js';
import type { Tasks } from '../platform/tasks.js';
import type { Dispatches } from '../platform/webhooks/dispatches.js';
import type { Webhooks } from '../platform/webhooks/webhooks.js';

/** What every route module needs: the storages, the emulated actors/runs and the resolved limits. */
export interface AppContext {
  readonly state: State;
  readonly actors: Actors;
  readonly runs: Runs;
  readonly tasks: Tasks;
  readonly schedules: Schedules;
  readonly webhooks: Webhooks;
  readonly dispatches: Dispatches;
  readonly maxPayloadBytes: number;
  readonly maxRecordBytes: number;
  /** How long `run-sync*` waits for the run before answering 408 (the platform: 300 s). */
  readonly syncRunWaitMs: number;
  /** The longest pause allowed between two chunks of a request body. */
  readonly bodyTimeoutMs: number;
  /** Journals a platform object's change before it is put in place. */
  readonly commit: PlatformCommit;
  /** Aborted on close(), so long polls and log streams end. */
  readonly closing: AbortSignal;
}

export type App = Hono;

export function requestUrl(c: Context): URL {
  return new URL(c.req.url);
}

/**
 * Hono's env of a request the emulator makes to its own API: a schedule starts its runs through the run
 * routes, and they record the origin given here. A client's request cannot set it.
 */
export interface InternalBindings {
  readonly runOrigin: string;
}

/** The run origin of an internal request; undefined for a client's request. */
export function internalRunOrigin(c: Context): string | undefined {
  const env = c.env as Partial<InternalBindings> | undefined;
  return typeof env?.runOrigin === 'string' ? env.runOrigin : undefined;
}

export function origin(c: Context): string {
  return new URL(c.req.url).origin;
}

/** The storage route prefixes: by ID/name, and the run-scoped aliases resolving to a run's default storage. */
export type StorageResolver<T> = (c: Context) => T;

export function param(c: Context, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw new Error(`Route parameter '${name}' is missing`);
  return value;
}
