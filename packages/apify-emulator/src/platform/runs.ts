import { notFound } from '../errors.js';
import type { ContentEncoding } from '../http/body.js';
import { newId } from '../ids.js';
import type { State } from '../persistence/state.js';
import { USER } from '../storages/common.js';
import { createActorContext, readInput } from './actor-context.js';
import type { Actor, Build } from './actors.js';
import { JobLog } from './logs.js';

export type RunStatus = 'READY' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED-OUT' | 'ABORTING' | 'ABORTED';

const TERMINAL: ReadonlySet<RunStatus> = new Set(['SUCCEEDED', 'FAILED', 'TIMED-OUT', 'ABORTED']);

export interface Run {
  id: string;
  actor: Actor;
  build: Build;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  statusMessage: string | null;
  exitCode: number | null;
  timeoutSecs: number;
  memoryMbytes: number;
  inputBodyLen: number;
  datasetId: string;
  keyValueStoreId: string;
  requestQueueId: string;
  log: JobLog;
  controller: AbortController;
  timers: Set<NodeJS.Timeout>;
  finishedListeners: Set<() => void>;
}

/** What happened to a run, named as the webhook event types name it (`ACTOR.RUN.<event>`). */
export type RunEvent = 'CREATED' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RESURRECTED';

export type RunEventListener = (run: Run, event: RunEvent) => void;

const FINISH_EVENTS: Partial<Record<RunStatus, RunEvent>> = {
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  'TIMED-OUT': 'TIMED_OUT',
  ABORTED: 'ABORTED',
};

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL.has(status);
}

export interface StartOptions {
  input: { bytes: Buffer; contentType: string; encoding: ContentEncoding | null; decoded: Buffer } | null;
  timeoutSecs: number | undefined;
  memoryMbytes: number | undefined;
}

/** Emulated runs: fresh default storages, INPUT stored, READY → RUNNING → a terminal status. */
export class Runs {
  private readonly runs = new Map<string, Run>();
  private readonly state: State;
  private readonly runDurationMs: number;
  private readonly listeners = new Set<RunEventListener>();
  private closed = false;

  constructor(state: State, runDurationMs: number) {
    this.state = state;
    this.runDurationMs = runDurationMs;
  }

  /** Subscribes to run events (webhooks listen here); returns the unsubscribe function. */
  onEvent(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(run: Run, event: RunEvent): void {
    for (const listener of [...this.listeners]) listener(run, event);
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  require(id: string): Run {
    const run = this.runs.get(id);
    if (run === undefined) throw notFound(`Actor run '${id}'`);
    return run;
  }

  list(actor?: Actor): Run[] {
    const all = [...this.runs.values()];
    return actor ? all.filter((r) => r.actor === actor) : all;
  }

  last(actor: Actor, status: string | null): Run {
    const candidates = this.list(actor).filter((r) => status === null || r.status === status);
    const run = candidates.at(-1);
    if (run === undefined) throw notFound(`Last run of actor '${actor.id}'`);
    return run;
  }

  async start(actor: Actor, options: StartOptions): Promise<Run> {
    const id = newId();
    const owner = { actId: actor.id, actRunId: id };
    const { dataset } = await this.state.datasets.getOrCreate(null, owner);
    const { store } = await this.state.keyValueStores.getOrCreate(null, owner);
    const { queue } = await this.state.requestQueues.getOrCreate(null, owner);
    if (options.input !== null && options.input.bytes.length > 0) {
      await this.state.keyValueStores.setRecord(store, {
        key: 'INPUT',
        value: options.input.bytes,
        contentType: options.input.contentType,
        encoding: options.input.encoding,
        size: options.input.decoded.length,
      });
    }
    const build = actor.builds.at(-1) ?? {
      id: '',
      actId: actor.id,
      buildNumber: '0.0.0',
      startedAt: '',
      finishedAt: '',
      log: new JobLog(),
    };
    const run: Run = {
      id,
      actor,
      build,
      status: 'READY',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      statusMessage: null,
      exitCode: null,
      timeoutSecs: options.timeoutSecs ?? 3600,
      memoryMbytes: options.memoryMbytes ?? 4096,
      inputBodyLen: options.input?.decoded.length ?? 0,
      datasetId: dataset.meta.id,
      keyValueStoreId: store.meta.id,
      requestQueueId: queue.meta.id,
      log: new JobLog(),
      controller: new AbortController(),
      timers: new Set(),
      finishedListeners: new Set(),
    };
    this.runs.set(id, run);
    run.log.write(`ACTOR: Run ${id} of ${actor.username}/${actor.name} was created.`);
    // CREATED goes out on the next tick, so that ad-hoc webhooks registered with the start see it too.
    this.schedule(run, 0, () => {
      this.emit(run, 'CREATED');
      this.execute(run);
    });
    return run;
  }

  /** `keepAlive: false` for backstops (the run timeout) that must not hold a process open by themselves. */
  private schedule(run: Run, ms: number, fn: () => void, keepAlive = true): void {
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      fn();
    }, ms);
    if (!keepAlive) timer.unref();
    run.timers.add(timer);
  }

  private execute(run: Run): void {
    if (isTerminal(run.status) || this.closed) return;
    run.status = 'RUNNING';
    run.log.write('ACTOR: Run started.');
    if (run.timeoutSecs > 0) {
      this.schedule(
        run,
        run.timeoutSecs * 1000,
        () => this.finish(run, 'TIMED-OUT', 'Run timed out.'),
        false,
      );
    }
    const fn = run.actor.fn;
    if (fn === null) {
      this.schedule(run, this.runDurationMs, () => this.finish(run, 'SUCCEEDED', 'Run succeeded.'));
      return;
    }
    void (async () => {
      try {
        const input = await readInput(this.state, run.keyValueStoreId);
        await fn(input, createActorContext(this.state, run));
        this.finish(run, 'SUCCEEDED', 'Run succeeded.');
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        run.log.write(`ERROR: ${message}`);
        this.finish(run, 'FAILED', 'Run failed: the actor function threw.');
      }
    })();
  }

  private finish(run: Run, status: RunStatus, message: string): void {
    if (isTerminal(run.status)) return;
    run.status = status;
    run.finishedAt = new Date().toISOString();
    run.exitCode = status === 'SUCCEEDED' ? 0 : status === 'FAILED' ? 1 : null;
    run.statusMessage ??= message;
    for (const timer of run.timers) clearTimeout(timer);
    run.timers.clear();
    if (status !== 'SUCCEEDED' && status !== 'FAILED') run.controller.abort(new Error(message));
    run.log.write(`ACTOR: ${message}`);
    run.log.finish();
    for (const listener of [...run.finishedListeners]) listener();
    const event = FINISH_EVENTS[status];
    if (event !== undefined && !this.closed) this.emit(run, event);
  }

  delete(run: Run): void {
    this.runs.delete(run.id);
  }

  abort(run: Run): void {
    this.finish(run, 'ABORTED', 'Run was aborted.');
  }

  /** Long poll: resolves when the run is terminal, after `ms`, or when `signal` aborts. */
  waitForFinish(run: Run, ms: number, signal: AbortSignal): Promise<void> {
    if (isTerminal(run.status) || ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        run.finishedListeners.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      run.finishedListeners.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.closed = true;
    for (const run of this.runs.values()) this.finish(run, 'ABORTED', 'The emulator was closed.');
  }
}

export function runObject(run: Run): Record<string, unknown> {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  const durationMillis = end - Date.parse(run.startedAt);
  return {
    id: run.id,
    actId: run.actor.id,
    userId: USER.id,
    actorTaskId: null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    status: run.status,
    statusMessage: run.statusMessage,
    isStatusMessageTerminal: isTerminal(run.status),
    meta: { origin: 'API' },
    stats: {
      inputBodyLen: run.inputBodyLen,
      restartCount: 0,
      resurrectCount: 0,
      durationMillis,
      runTimeSecs: durationMillis / 1000,
      computeUnits: 0,
    },
    options: {
      build: 'latest',
      timeoutSecs: run.timeoutSecs,
      memoryMbytes: run.memoryMbytes,
      diskMbytes: run.memoryMbytes * 2,
    },
    buildId: run.build.id,
    buildNumber: run.build.buildNumber,
    exitCode: run.exitCode,
    defaultKeyValueStoreId: run.keyValueStoreId,
    defaultDatasetId: run.datasetId,
    defaultRequestQueueId: run.requestQueueId,
    storageIds: {
      datasets: { default: run.datasetId },
      keyValueStores: { default: run.keyValueStoreId },
      requestQueues: { default: run.requestQueueId },
    },
    generalAccess: 'FOLLOW_USER_SETTING',
    usageTotalUsd: 0,
  };
}
