import type { Actor, Build } from '../platform/actors.js';
import { JobLog } from '../platform/logs.js';
import { isTerminal, type Run, type RunStatus } from '../platform/run.js';
import type { Schedule } from '../platform/schedules/schedules.js';
import type { Task } from '../platform/tasks.js';
import type { Dispatch } from '../platform/webhooks/dispatches.js';
import type { Webhook } from '../platform/webhooks/webhooks.js';
import type { JsonObject } from '../types.js';

/**
 * Platform objects as JSON documents for the journal, and back. Object references (a run's actor,
 * build and task) become IDs; what only lives while the process runs (timers, abort controllers,
 * listeners, functions) is left out and made fresh on restore.
 */
export type PlatformKind = 'actor' | 'task' | 'run' | 'schedule' | 'webhook' | 'dispatch';

export type Doc = Record<string, unknown>;

type BuildDoc = Omit<Build, 'log'> & { log: string };

function buildDoc(build: Build): BuildDoc {
  const { log, ...rest } = build;
  return { ...rest, log: log.text() };
}

function buildFrom(doc: BuildDoc): Build {
  return { ...doc, log: JobLog.restore(doc.log, true) };
}

export function actorDoc(actor: Actor): Doc {
  const { fn, builds, taggedBuilds, missingFunction, ...rest } = actor;
  return {
    ...rest,
    hasFunction: fn !== null || missingFunction === true,
    builds: builds.map(buildDoc),
    taggedBuilds: [...taggedBuilds].map(([tag, build]) => [tag, build.id]),
  };
}

export function actorFrom(doc: Doc): Actor {
  const { hasFunction, builds, taggedBuilds, ...rest } = doc as Doc & {
    hasFunction: boolean;
    builds: BuildDoc[];
    taggedBuilds: [string, string][];
  };
  const restored = builds.map(buildFrom);
  const tagged = new Map<string, Build>();
  for (const [tag, id] of taggedBuilds) {
    const build = restored.find((b) => b.id === id);
    if (build !== undefined) tagged.set(tag, build);
  }
  const actor = { ...(rest as unknown as Actor), fn: null, builds: restored, taggedBuilds: tagged };
  if (hasFunction) actor.missingFunction = true;
  return actor;
}

export function taskDoc(task: Task): Doc {
  const { actor, ...rest } = task;
  return { ...rest, actorId: actor.id };
}

export function taskFrom(doc: Doc, actor: Actor): Task {
  const { actorId: _actorId, ...rest } = doc;
  return { ...(rest as unknown as Omit<Task, 'actor'>), actor };
}

/** The run's log is not in its document: it goes in separate, append-only records. */
export function runDoc(run: Run): Doc {
  return {
    id: run.id,
    actorId: run.actor.id,
    actorName: run.actor.name,
    actorUsername: run.actor.username,
    startedActorId: run.startedActorId,
    build: buildDoc(run.build),
    buildRef: run.buildRef,
    taskId: run.task?.id ?? null,
    origin: run.origin,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    statusMessage: run.statusMessage,
    isStatusMessageTerminal: run.isStatusMessageTerminal,
    generalAccess: run.generalAccess,
    exitCode: run.exitCode,
    timeoutSecs: run.timeoutSecs,
    memoryMbytes: run.memoryMbytes,
    maxItems: run.maxItems,
    maxTotalChargeUsd: run.maxTotalChargeUsd,
    inputBodyLen: run.inputBodyLen,
    inputKey: run.inputKey,
    datasetId: run.datasetId,
    keyValueStoreId: run.keyValueStoreId,
    requestQueueId: run.requestQueueId,
    env: run.env,
    pricingInfo: run.pricingInfo,
    charges: { counts: run.charges.counts, appliedKeys: [...run.charges.appliedKeys] },
    metamorphs: run.metamorphs,
    rebootCount: run.rebootCount,
    resurrectCount: run.resurrectCount,
  };
}

/** An actor that was deleted while its runs stayed: enough of it for the runs to show where they came from. */
function detachedActor(doc: Doc): Actor {
  return actorFrom({
    id: doc.actorId,
    name: doc.actorName,
    username: doc.actorUsername,
    createdAt: doc.startedAt,
    modifiedAt: doc.startedAt,
    hasFunction: false,
    builds: [],
    taggedBuilds: [],
    title: null,
    description: null,
    versions: [],
    defaultRunOptions: { build: 'latest', timeoutSecs: 3600, memoryMbytes: 4096, restartOnError: false },
    pricingInfos: [],
    registeredInputSchema: null,
    settings: {},
  });
}

export function runFrom(
  doc: Doc,
  log: string,
  find: { actor(id: string): Actor | undefined; task(id: string): Task | undefined },
): Run {
  const d = doc as Doc & {
    build: BuildDoc;
    charges: { counts: Record<string, number>; appliedKeys: string[] };
    status: RunStatus;
  };
  const actor = find.actor(d.actorId as string) ?? detachedActor(doc);
  const build = actor.builds.find((b) => b.id === d.build.id) ?? buildFrom(d.build);
  return {
    id: d.id as string,
    actor,
    startedActorId: d.startedActorId as string,
    build,
    buildRef: d.buildRef as string,
    task: d.taskId === null ? null : (find.task(d.taskId as string) ?? null),
    origin: d.origin as string,
    status: d.status,
    startedAt: d.startedAt as string,
    finishedAt: d.finishedAt as string | null,
    statusMessage: d.statusMessage as string | null,
    isStatusMessageTerminal: d.isStatusMessageTerminal as boolean,
    generalAccess: d.generalAccess as string,
    exitCode: d.exitCode as number | null,
    timeoutSecs: d.timeoutSecs as number,
    memoryMbytes: d.memoryMbytes as number,
    maxItems: d.maxItems as number | null,
    maxTotalChargeUsd: d.maxTotalChargeUsd as number | null,
    inputBodyLen: d.inputBodyLen as number,
    inputKey: d.inputKey as string,
    datasetId: d.datasetId as string,
    keyValueStoreId: d.keyValueStoreId as string,
    requestQueueId: d.requestQueueId as string,
    env: d.env as Record<string, string>,
    pricingInfo: d.pricingInfo as Run['pricingInfo'],
    charges: { counts: d.charges.counts, appliedKeys: new Set(d.charges.appliedKeys) },
    metamorphs: d.metamorphs as Run['metamorphs'],
    rebootCount: d.rebootCount as number,
    resurrectCount: d.resurrectCount as number,
    log: JobLog.restore(log, isTerminal(d.status)),
    controller: new AbortController(),
    attempt: 0,
    timers: new Set(),
    timeoutTimer: null,
    finishedListeners: new Set(),
  };
}

export function scheduleDoc(schedule: Schedule): Doc {
  const { timer: _timer, nextRunAt: _next, lastRunIds, ...rest } = schedule;
  return { ...rest, lastRunIds: [...lastRunIds] };
}

export function scheduleFrom(doc: Doc): Schedule {
  const { lastRunIds, ...rest } = doc as Doc & { lastRunIds: [string, string][] };
  return { ...(rest as unknown as Schedule), lastRunIds: new Map(lastRunIds), timer: null, nextRunAt: null };
}

export function webhookDoc(webhook: Webhook): Doc {
  return { ...webhook };
}

export function webhookFrom(doc: Doc): Webhook {
  return doc as unknown as Webhook;
}

export function dispatchDoc(dispatch: Dispatch): Doc {
  return dispatch as unknown as JsonObject;
}

/**
 * A dispatch still being delivered when the emulator stopped: its retries lived in timers, which are
 * gone, so it ends FAILED with a call that says why.
 */
export function dispatchFrom(doc: Doc, restartedAt: string): Dispatch {
  const dispatch = structuredClone(doc) as unknown as Dispatch;
  if (dispatch.status === 'ACTIVE') {
    for (const call of dispatch.calls) call.finishedAt ??= restartedAt;
    dispatch.calls.push({
      startedAt: restartedAt,
      finishedAt: restartedAt,
      errorMessage:
        'The emulator stopped before this dispatch was delivered; its remaining retries are not resumed after a restart',
      responseStatus: null,
      responseBody: null,
    });
    dispatch.status = 'FAILED';
  }
  return dispatch;
}
