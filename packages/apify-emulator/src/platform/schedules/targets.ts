import type { Run, Runs } from '../runs.js';
import type { RunActorAction, RunActorTaskAction } from './schedule-body.js';
import type { ScheduleTargets } from './schedules.js';

type Serve = (request: Request) => Promise<Response>;

/**
 * Starts a run through the emulator's own API, in-process, so a schedule's run is exactly the run a
 * client's request would start: build resolution, input schema defaults, task input merging and options.
 */
async function startThrough(serve: Serve, runs: Runs, path: string, init: RequestInit): Promise<Run> {
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

/** `POST /v2/acts/{id}/runs` with the action's input as the body and its run options as the query. */
function startActor(serve: Serve, runs: Runs, action: RunActorAction): Promise<Run> {
  const query = new URLSearchParams();
  const options = action.runOptions ?? {};
  if (options.build !== undefined) query.set('build', options.build);
  if (options.timeoutSecs !== undefined) query.set('timeout', String(options.timeoutSecs));
  if (options.memoryMbytes !== undefined) query.set('memory', String(options.memoryMbytes));
  const search = query.size === 0 ? '' : `?${query}`;
  const path = `/v2/acts/${encodeURIComponent(action.actorId)}/runs${search}`;
  const input = action.runInput;
  const init: RequestInit =
    input === null
      ? { method: 'POST' }
      : { method: 'POST', headers: { 'content-type': input.contentType }, body: input.body };
  return startThrough(serve, runs, path, init);
}

/** `POST /v2/actor-tasks/{id}/runs`: the task's input is merged with the action's, as for a client. */
function startTask(serve: Serve, runs: Runs, action: RunActorTaskAction): Promise<Run> {
  const path = `/v2/actor-tasks/${encodeURIComponent(action.actorTaskId)}/runs`;
  const init: RequestInit =
    action.input === null
      ? { method: 'POST' }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(action.input),
        };
  return startThrough(serve, runs, path, init);
}

/** The targets of the emulator's schedules; `serve` is the emulator's own API, without auth or faults. */
export function scheduleTargets(runs: Runs, serve: Serve): ScheduleTargets {
  return {
    startActor: (action) => startActor(serve, runs, action),
    startTask: (action) => startTask(serve, runs, action),
  };
}
