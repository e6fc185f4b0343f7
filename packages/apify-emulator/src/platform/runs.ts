import { ApiError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { ProcessHost } from '../local-runs/process-host.js';
import { runDoc } from '../persistence/platform-codec.js';
import { commitInMemory, type PlatformCommit } from '../persistence/platform-commit.js';
import type { State } from '../persistence/state.js';
import type { Actor, Build } from './actors.js';
import { type ChargeRequest, charge } from './pricing.js';
import {
  isTerminal,
  type ResurrectOptions,
  type Run,
  type RunInput,
  type RunStatus,
  type StartOptions,
} from './run.js';
import { newRun, newRunStorages, storeRunInput, waitForFinish } from './run-create.js';
import { type FinishRun, functionNotRegistered, launchFolderRun, runFunction } from './run-launch.js';
import type { Task } from './tasks.js';

export {
  isTerminal,
  type Metamorph,
  type Run,
  type RunInput,
  type RunStatus,
  type StartOptions,
} from './run.js';

/** What happened to a run, named as the webhook event types name it (`ACTOR.RUN.<event>`). */
export type RunEvent = 'CREATED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RESURRECTED';

export type RunEventListener = (run: Run, event: RunEvent) => void;

const FINISH_EVENTS: Partial<Record<RunStatus, RunEvent>> = {
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  'TIMED-OUT': 'TIMED_OUT',
  ABORTED: 'ABORTED',
};

/** Emulated runs: fresh default storages, INPUT stored, READY → RUNNING → a terminal status. */
export class Runs {
  private readonly runs = new Map<string, Run>();
  private readonly state: State;
  private readonly runDurationMs: number;
  private readonly listeners = new Set<RunEventListener>();
  private closed = false;
  /** Runs folder actors as processes; null until the emulator attaches it. */
  private host: ProcessHost | null = null;
  private commit: PlatformCommit = commitInMemory;

  constructor(state: State, runDurationMs: number) {
    this.state = state;
    this.runDurationMs = runDurationMs;
  }

  attachProcessHost(host: ProcessHost): void {
    this.host = host;
  }

  /** How a run's change becomes durable before it is put in place (in memory: at once). */
  attachCommit(commit: PlatformCommit): void {
    this.commit = commit;
  }

  /** Journals the run as `changes` would leave it; only then does `apply` make the change. */
  private commitRun<T>(run: Run, changes: Partial<Run>, apply: () => T): Promise<T> {
    return this.commit('run', run.id, runDoc({ ...run, ...changes }), apply);
  }

  /** Subscribes to run events (webhooks listen here); returns the unsubscribe function. */
  onEvent(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(run: Run, event: RunEvent): void {
    for (const listener of [...this.listeners]) listener(run, event);
  }

  /** Puts a run read back from the storage folder in place (it is not executed again). */
  adopt(run: Run): void {
    this.runs.set(run.id, run);
  }

  /** True while a run may still change on its own (status, log): the platform state is then re-saved. */
  hasUnfinished(): boolean {
    for (const run of this.runs.values()) if (!isTerminal(run.status)) return true;
    return false;
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  require(id: string): Run {
    const run = this.runs.get(id);
    if (run === undefined) throw notFound(`Actor run '${id}'`);
    return run;
  }

  /** An actor's runs include those metamorphed away from it: to its users the metamorph is transparent. */
  list(actor?: Actor): Run[] {
    const all = [...this.runs.values()];
    return actor ? all.filter((r) => r.actor === actor || r.startedActorId === actor.id) : all;
  }

  listOfTask(task: Task): Run[] {
    return [...this.runs.values()].filter((r) => r.task === task);
  }

  /** The newest of `runs` with the given status and origin (either null: any). */
  lastOf(runs: readonly Run[], filter: { status: string | null; origin?: string | null }, what: string): Run {
    const run = runs
      .filter(
        (r) =>
          (filter.status === null || r.status === filter.status) &&
          (!filter.origin || r.origin === filter.origin),
      )
      .at(-1);
    if (run === undefined) throw notFound(`Last run of ${what}`);
    return run;
  }

  async start(actor: Actor, options: StartOptions): Promise<Run> {
    if (actor.missingFunction === true) throw functionNotRegistered(actor);
    const id = newId();
    const storages = await newRunStorages(this.state, { actId: actor.id, actRunId: id }, options.input);
    const run = newRun(id, actor, options, storages.ids);
    run.log.write(`ACTOR: Run ${id} of ${actor.username}/${actor.name} was created.`);
    try {
      await this.commit('run', id, runDoc(run), () => this.runs.set(id, run));
    } catch (error) {
      await storages.drop();
      throw error;
    }
    // CREATED goes out on the next tick, so that ad-hoc webhooks registered with the start see it too.
    this.schedule(run, 0, () => {
      this.emit(run, 'CREATED');
      this.execute(run);
    });
    return run;
  }

  private schedule(run: Run, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      fn();
    }, ms);
    run.timers.add(timer);
  }

  private execute(run: Run): void {
    if (isTerminal(run.status) || this.closed) return;
    const attempt = ++run.attempt;
    run.status = 'RUNNING';
    run.log.write('ACTOR: Run started.');
    if (run.timeoutTimer === null && run.timeoutSecs > 0) this.armTimeout(run, run.timeoutSecs * 1000);
    const finish: FinishRun = (status, message, exitCode) => this.finish(run, status, message, exitCode);
    if (run.actor.folder !== undefined) {
      launchFolderRun(this.host, this.state, run, attempt, finish);
      return;
    }
    const fn = run.actor.fn;
    if (run.actor.missingFunction === true) {
      finish('FAILED', functionNotRegistered(run.actor).message);
      return;
    }
    if (fn === null) {
      this.schedule(run, this.runDurationMs, () => finish('SUCCEEDED', 'Run succeeded.'));
      return;
    }
    runFunction(this.state, run, attempt, fn, finish);
  }

  /** The run's timeout, `ms` from now: a backstop that must not hold a process open by itself. */
  private armTimeout(run: Run, ms: number): void {
    run.timeoutTimer = setTimeout(() => this.finish(run, 'TIMED-OUT', 'Run timed out.'), ms);
    run.timeoutTimer.unref();
  }

  private finish(run: Run, status: RunStatus, message: string, exitCode?: number | null): void {
    if (isTerminal(run.status)) return;
    run.status = status;
    run.finishedAt = new Date().toISOString();
    run.exitCode =
      exitCode !== undefined ? exitCode : status === 'SUCCEEDED' ? 0 : status === 'FAILED' ? 1 : null;
    run.statusMessage ??= message;
    this.clearTimers(run);
    if (run.timeoutTimer !== null) clearTimeout(run.timeoutTimer);
    run.timeoutTimer = null;
    if (status !== 'SUCCEEDED' && status !== 'FAILED') run.controller.abort(new Error(message));
    run.log.write(`ACTOR: ${message}`);
    run.log.finish();
    for (const listener of [...run.finishedListeners]) listener();
    const event = FINISH_EVENTS[status];
    if (event !== undefined && !this.closed) this.emit(run, event);
  }

  private clearTimers(run: Run): void {
    for (const timer of run.timers) clearTimeout(timer);
    run.timers.clear();
  }

  /** Stops the code running now, as the platform stops the container: its outcome no longer counts. */
  private replaceRunningCode(run: Run, reason: string): void {
    run.attempt++;
    this.clearTimers(run);
    run.controller.abort(new Error(reason));
    run.controller = new AbortController();
  }

  /** A READY run counts as running: its code is about to start, and the platform accepts it too. */
  private requireUnfinished(run: Run, operation: string): void {
    if (!isTerminal(run.status)) return;
    throw new ApiError(
      400,
      'job-finished',
      `Run '${run.id}' is ${run.status}: only a run that has not finished can ${operation}`,
    );
  }

  /**
   * Same run, same storages, another actor: the new input goes to `INPUT-METAMORPH-n` in the default store
   * (`INPUT` keeps the original), and the target actor starts reading its input from there.
   */
  async metamorph(run: Run, target: Actor, build: Build, input: RunInput | null): Promise<void> {
    this.requireUnfinished(run, 'metamorph');
    const inputKey = `INPUT-METAMORPH-${run.metamorphs.length + 1}`;
    const store = this.state.keyValueStores.collection.require(run.keyValueStoreId);
    await storeRunInput(this.state, store, inputKey, input);
    const metamorph = {
      createdAt: new Date().toISOString(),
      actorId: target.id,
      buildId: build.id,
      inputKey,
    };
    const changes = {
      metamorphs: [...run.metamorphs, metamorph],
      actor: target,
      build,
      buildRef: build.buildNumber,
      env: { ...build.env },
      inputKey,
    } satisfies Partial<Run>;
    await this.commitRun(run, changes, () => {
      this.replaceRunningCode(run, 'The run was metamorphed.');
      Object.assign(run, changes);
      run.log.write(
        `ACTOR: Run was metamorphed into ${target.username}/${target.name} (build ${build.buildNumber}).`,
      );
      this.schedule(run, 0, () => this.execute(run));
    });
  }

  /** Restarts the run's code with the same input and storages, as a container restart would. */
  reboot(run: Run): Promise<void> {
    this.requireUnfinished(run, 'reboot');
    return this.commitRun(run, { rebootCount: run.rebootCount + 1 }, () => {
      this.replaceRunningCode(run, 'The run was rebooted.');
      run.rebootCount++;
      run.log.write('ACTOR: Run was rebooted.');
      this.schedule(run, 0, () => this.execute(run));
    });
  }

  /** A finished run starts again: same ID, same storages, its log continued; options can be overridden. */
  resurrect(run: Run, options: ResurrectOptions): Promise<void> {
    if (!isTerminal(run.status)) {
      throw new ApiError(
        400,
        'operation-not-allowed',
        `Run '${run.id}' is ${run.status}: only a finished run can be resurrected`,
      );
    }
    const { build } = options;
    const changes: Partial<Run> = {
      ...(build === undefined
        ? {}
        : { build, buildRef: options.buildRef ?? build.buildNumber, env: { ...build.env } }),
      timeoutSecs: options.timeoutSecs ?? run.timeoutSecs,
      memoryMbytes: options.memoryMbytes ?? run.memoryMbytes,
      maxItems: options.maxItems ?? run.maxItems,
      maxTotalChargeUsd: options.maxTotalChargeUsd ?? run.maxTotalChargeUsd,
      status: 'READY',
      finishedAt: null,
      exitCode: null,
      statusMessage: null,
      isStatusMessageTerminal: false,
      resurrectCount: run.resurrectCount + 1,
    };
    return this.commitRun(run, changes, () => {
      Object.assign(run, changes);
      run.controller = new AbortController();
      run.log.reopen();
      run.log.write('ACTOR: Run was resurrected.');
      this.emit(run, 'RESURRECTED');
      this.schedule(run, 0, () => this.execute(run));
    });
  }

  /**
   * Charges events: journaled as a copy of the charges would be after it, then applied to the run's own
   * (the same result, unless another charge was put in place meanwhile, which it then adds to).
   */
  charge(run: Run, request: ChargeRequest): Promise<void> {
    const charges = { counts: { ...run.charges.counts }, appliedKeys: new Set(run.charges.appliedKeys) };
    charge(charges, run.pricingInfo, request);
    return this.commitRun(run, { charges }, () => charge(run.charges, run.pricingInfo, request));
  }

  /** `PUT actor-runs/{id}`: the checked fields, in place once durable. */
  update(
    run: Run,
    changes: Partial<Pick<Run, 'statusMessage' | 'isStatusMessageTerminal' | 'generalAccess'>>,
  ): Promise<void> {
    return this.commitRun(run, changes, () => void Object.assign(run, changes));
  }

  delete(run: Run): Promise<void> {
    if (!isTerminal(run.status)) {
      throw new ApiError(
        400,
        'cannot-remove-running-run',
        `Run '${run.id}' is ${run.status}; only finished runs can be deleted`,
      );
    }
    return this.commit('run', run.id, null, () => void this.runs.delete(run.id));
  }

  /**
   * A running process gets `aborting` and the grace period (status ABORTING); aborting again, or any other
   * run, stops at once.
   */
  async abort(run: Run): Promise<void> {
    const host = this.host;
    if (run.status === 'RUNNING' && host?.isRunning(run)) {
      await this.commitRun(run, { status: 'ABORTING' }, () => {
        run.status = 'ABORTING';
        run.log.write('ACTOR: Aborting the run: the process got the aborting event.');
        host.abort(run);
      });
      return;
    }
    if (isTerminal(run.status)) return;
    const aborted: Partial<Run> = {
      status: 'ABORTED',
      finishedAt: new Date().toISOString(),
      exitCode: null,
      statusMessage: run.statusMessage ?? 'Run was aborted.',
    };
    await this.commitRun(run, aborted, () => this.finish(run, 'ABORTED', 'Run was aborted.'));
  }

  /** Emulator-only: `migrating` to the run's process, then its code restarts, as after a migration. */
  migrate(run: Run): void {
    this.requireUnfinished(run, 'migrate');
    const started = this.host?.migrate(run, () => {
      this.replaceRunningCode(run, 'The run was migrated.');
      run.log.write('ACTOR: Run was migrated: its code starts again.');
      this.schedule(run, 0, () => this.execute(run));
    });
    if (started !== true)
      throw new ApiError(
        400,
        'operation-not-allowed',
        `Run '${run.id}' has no running process to migrate: only runs of folder actors can be migrated`,
      );
  }

  /**
   * A run the emulator was running when it died starts its code again, as the platform restarts a run whose
   * host failed on another host: same ID, storages and log, and its timeout still counts from its start.
   * An abort that was under way completes instead.
   */
  restartAfterHostFailure(run: Run, nowMs: number): void {
    const stopped = `ACTOR: The emulator stopped (killed or its host failed) while this run was ${run.status}`;
    if (run.status === 'ABORTING') {
      run.log.write(`${stopped}; the abort completes now.`);
      this.finish(run, 'ABORTED', 'Run was aborted.');
      return;
    }
    run.log.write(`${stopped}; the run starts again, as the platform restarts a run whose host failed.`);
    if (run.timeoutSecs > 0)
      this.armTimeout(run, Math.max(0, run.timeoutSecs * 1000 - (nowMs - Date.parse(run.startedAt))));
    this.schedule(run, 0, () => this.execute(run));
  }

  /** Long poll: resolves when the run is terminal, after `ms`, or when `signal` aborts. */
  waitForFinish(run: Run, ms: number, signal: AbortSignal): Promise<void> {
    return waitForFinish(run, ms, signal);
  }

  close(): void {
    this.closed = true;
    for (const run of this.runs.values()) this.finish(run, 'ABORTED', 'The emulator was closed.');
  }
}
