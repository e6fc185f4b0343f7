import { USER } from '../storages/common.js';
import type { JsonObject } from '../types.js';
import { chargedUsd } from './pricing.js';
import type { Run } from './runs.js';

export function runObject(run: Run): JsonObject {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  const durationMillis = end - Date.parse(run.startedAt);
  const object: JsonObject = {
    id: run.id,
    actId: run.actor.id,
    userId: USER.id,
    actorTaskId: run.task?.id ?? null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    status: run.status,
    statusMessage: run.statusMessage,
    isStatusMessageTerminal: run.isStatusMessageTerminal,
    meta: { origin: run.origin },
    stats: {
      inputBodyLen: run.inputBodyLen,
      restartCount: 0,
      rebootCount: run.rebootCount,
      resurrectCount: run.resurrectCount,
      durationMillis,
      runTimeSecs: durationMillis / 1000,
      computeUnits: 0,
    },
    options: {
      build: run.buildRef,
      timeoutSecs: run.timeoutSecs,
      memoryMbytes: run.memoryMbytes,
      diskMbytes: run.memoryMbytes * 2,
      ...(run.maxItems === null ? {} : { maxItems: run.maxItems }),
      ...(run.maxTotalChargeUsd === null ? {} : { maxTotalChargeUsd: run.maxTotalChargeUsd }),
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
    generalAccess: run.generalAccess,
    usageTotalUsd: chargedUsd(run.charges, run.pricingInfo),
  };
  if (run.metamorphs.length > 0) object.metamorphs = run.metamorphs.map((m) => ({ ...m }));
  if (run.pricingInfo !== null) {
    object.pricingInfo = structuredClone(run.pricingInfo);
    object.chargedEventCounts = { ...run.charges.counts };
  }
  return object;
}
