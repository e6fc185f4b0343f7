import { notFound } from '../../errors.js';
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
 * The targets of the emulator's schedules. `startTask` is the task family's run start when it is given;
 * without one, a task action fails the way it fails for a task that does not exist.
 */
export function scheduleTargets(
  actors: Actors,
  runs: Runs,
  startTask?: (action: RunActorTaskAction) => Promise<Run>,
): ScheduleTargets {
  return {
    startActor: (action) => startActor(actors, runs, action),
    startTask: startTask ?? ((action) => Promise.reject(notFound(`Actor task '${action.actorTaskId}'`))),
  };
}
