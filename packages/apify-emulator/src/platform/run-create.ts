import type { State } from '../persistence/state.js';
import type { KeyValueStore } from '../storages/key-value-stores.js';
import type { Actor } from './actors.js';
import { JobLog } from './logs.js';
import { isTerminal, type Run, type RunInput, type StartOptions } from './run.js';
import { placeholderBuild } from './run-launch.js';

type RunStorageIds = Pick<Run, 'datasetId' | 'keyValueStoreId' | 'requestQueueId'>;

export async function storeRunInput(
  state: State,
  store: KeyValueStore,
  key: string,
  input: RunInput | null,
): Promise<void> {
  if (input === null || input.bytes.length === 0) return;
  await state.keyValueStores.setRecord(store, {
    key,
    value: input.bytes,
    contentType: input.contentType,
    encoding: input.encoding,
    size: input.decoded.length,
  });
}

/**
 * A new run's default storages, its input stored as INPUT; `drop` removes them again when the run
 * itself could not be stored (as far as the failing folder lets it).
 */
export async function newRunStorages(
  state: State,
  owner: { actId: string; actRunId: string },
  input: RunInput | null,
): Promise<{ ids: RunStorageIds; drop(): Promise<void> }> {
  const { dataset } = await state.datasets.getOrCreate(null, owner);
  const { store } = await state.keyValueStores.getOrCreate(null, owner);
  const { queue } = await state.requestQueues.getOrCreate(null, owner);
  await storeRunInput(state, store, 'INPUT', input);
  return {
    ids: { datasetId: dataset.meta.id, keyValueStoreId: store.meta.id, requestQueueId: queue.meta.id },
    async drop() {
      await state.datasets.remove(dataset).catch(() => undefined);
      await state.keyValueStores.remove(store).catch(() => undefined);
      await state.requestQueues.remove(queue).catch(() => undefined);
    },
  };
}

/** A new run's object, READY, on storages already made for it; nothing is listed or started yet. */
export function newRun(id: string, actor: Actor, options: StartOptions, storages: RunStorageIds): Run {
  const build =
    options.build ?? actor.taggedBuilds.get('latest') ?? actor.builds.at(-1) ?? placeholderBuild(actor);
  const run: Run = {
    id,
    actor,
    startedActorId: actor.id,
    build,
    buildRef: options.buildRef ?? actor.defaultRunOptions.build,
    task: options.task ?? null,
    origin: options.origin ?? 'API',
    status: 'READY',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    statusMessage: null,
    isStatusMessageTerminal: false,
    generalAccess: 'FOLLOW_USER_SETTING',
    exitCode: null,
    timeoutSecs:
      options.timeoutSecs ?? options.task?.options.timeoutSecs ?? actor.defaultRunOptions.timeoutSecs,
    memoryMbytes:
      options.memoryMbytes ?? options.task?.options.memoryMbytes ?? actor.defaultRunOptions.memoryMbytes,
    maxItems: options.maxItems ?? null,
    maxTotalChargeUsd: options.maxTotalChargeUsd ?? null,
    inputBodyLen: options.input?.decoded.length ?? 0,
    inputKey: 'INPUT',
    ...storages,
    env: { ...build.env },
    pricingInfo: actor.pricingInfos.at(-1) ?? null,
    charges: { counts: {}, appliedKeys: new Set() },
    metamorphs: [],
    rebootCount: 0,
    resurrectCount: 0,
    log: new JobLog(),
    controller: new AbortController(),
    attempt: 0,
    timers: new Set(),
    timeoutTimer: null,
    finishedListeners: new Set(),
  };
  return run;
}

/** Long poll: resolves when the run is terminal, after `ms`, or when `signal` aborts. */
export function waitForFinish(run: Run, ms: number, signal: AbortSignal): Promise<void> {
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
