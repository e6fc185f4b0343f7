import type { Actors } from '../actors.js';
import type { Run, Runs } from '../runs.js';
import type { RunActorAction, RunActorTaskAction } from './schedule-body.js';
import type { ScheduleTargets } from './schedules.js';

/** Starts an action's actor run with the action's input and options, as a run started over the API. */
function startActor(actors: Actors, runs: Runs, action: RunActorAction): Promise<Run> {
  const actor = actors.require(action.actorId);
  const body = action.runInput === null ? null : Buffer.from(action.runInput.body, 'utf8');
  return runs.start(actor, {
    input:
      body === null || action.runInput === null
        ? null
        : { bytes: body, decoded: body, encoding: null, contentType: action.runInput.contentType },
    timeoutSecs: action.runOptions?.timeoutSecs,
    memoryMbytes: action.runOptions?.memoryMbytes,
  });
}

/**
 * Starts a task run through the emulator's own `POST /v2/actor-tasks/{id}/runs`, in-process, so the
 * task's input is merged with the action's and its options apply exactly as for a client's request.
 */
async function startTask(
  serve: (request: Request) => Promise<Response>,
  runs: Runs,
  action: RunActorTaskAction,
): Promise<Run> {
  const path = `/v2/actor-tasks/${encodeURIComponent(action.actorTaskId)}/runs`;
  const init: RequestInit =
    action.input === null
      ? { method: 'POST' }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(action.input),
        };
  const response = await serve(new Request(`http://emulator.internal${path}`, init));
  const body = (await response.json().catch(() => null)) as {
    data?: { id?: unknown };
    error?: { message?: unknown };
  } | null;
  const id = body?.data?.id;
  if (!response.ok || typeof id !== 'string') {
    const message = body?.error?.message;
    throw new Error(typeof message === 'string' ? message : `POST ${path} answered ${response.status}`);
  }
  return runs.require(id);
}

/** The targets of the emulator's schedules; `serve` is the emulator's own API, without auth or faults. */
export function scheduleTargets(
  actors: Actors,
  runs: Runs,
  serve: (request: Request) => Promise<Response>,
): ScheduleTargets {
  return {
    startActor: (action) => startActor(actors, runs, action),
    startTask: (action) => startTask(serve, runs, action),
  };
}
