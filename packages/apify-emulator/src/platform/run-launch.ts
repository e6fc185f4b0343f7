import { ApiError } from '../errors.js';
import type { ProcessHost } from '../local-runs/process-host.js';
import { releaseDefaultQueueLocks } from '../local-runs/release-locks.js';
import type { State } from '../persistence/state.js';
import { createActorContext, readInput } from './actor-context.js';
import type { Actor, Build } from './actors.js';
import { JobLog } from './logs.js';
import type { Run, RunStatus } from './run.js';

/** Ends a run with a status; the owner (Runs) ignores it once the run has finished. */
export type FinishRun = (status: RunStatus, message: string, exitCode?: number | null) => void;

/** The build a run reports when its actor has none (in-process actors are never built). */
export function placeholderBuild(actor: Actor): Build {
  return {
    id: '',
    actId: actor.id,
    buildNumber: '0.0.0',
    versionNumber: '0.0',
    status: 'SUCCEEDED',
    startedAt: '',
    finishedAt: '',
    log: new JobLog(),
    inputSchema: null,
    env: {},
  };
}

/** A run of an actor restored without the in-process function it ran before the restart. */
export function functionNotRegistered(actor: Actor): ApiError {
  const ref = `${actor.username}/${actor.name}`;
  return new ApiError(
    400,
    'actor-function-not-registered',
    `Actor '${ref}' runs an in-process function, and functions are code: they are not saved in the storage ` +
      `folder. Call registerActor('${ref}', fn) again after a restart to run it.`,
  );
}

/** An in-process actor's attempt: the function's outcome decides the run's status, unless superseded. */
export function runFunction(
  state: State,
  run: Run,
  attempt: number,
  fn: NonNullable<Actor['fn']>,
  finish: FinishRun,
): void {
  void (async () => {
    try {
      const input = await readInput(state, run.keyValueStoreId, run.inputKey);
      await fn(input, createActorContext(state, run));
      if (run.attempt === attempt) finish('SUCCEEDED', 'Run succeeded.');
    } catch (error) {
      if (run.attempt !== attempt) return;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      run.log.write(`ERROR: ${message}`);
      finish('FAILED', 'Run failed: the actor function threw.');
    }
  })();
}

/** A folder actor's attempt: a real process, whose exit decides the run's status. */
export function launchFolderRun(
  host: ProcessHost | null,
  state: State,
  run: Run,
  attempt: number,
  finish: FinishRun,
): void {
  if (host === null) {
    finish('FAILED', 'Run failed: this emulator cannot start processes.');
    return;
  }
  host
    .launch(
      run,
      attempt,
      (outcome) => {
        if (run.attempt === attempt) finish(outcome.status, outcome.message, outcome.exitCode);
      },
      // A replacement process must not wait for its predecessor's request locks to expire.
      attempt > 1 ? () => releaseDefaultQueueLocks(state, run.requestQueueId) : undefined,
    )
    .catch((error: unknown) => {
      if (run.attempt !== attempt) return;
      run.log.write(`ERROR: ${(error as Error).message}`);
      finish('FAILED', 'Run failed: the process could not be started.');
    });
}
