import { ACTOR_ENV_VARS, APIFY_ENV_VARS } from '@apify/consts';
import type { Run } from '../platform/run.js';
import { USER } from '../storages/common.js';

/** What the platform knows about a run's container besides the run itself. */
export interface RunSurroundings {
  /** The emulator's base URL, without `/v2`. */
  apiBaseUrl: string;
  token: string;
  eventsUrl: string;
  webServerPort: number;
  persistStateIntervalMs: number;
  systemInfoIntervalMs: number;
  /** Variables from the folder's `.actor/actor.json` (`environmentVariables`). */
  actorEnv: Readonly<Record<string, string>>;
}

/**
 * The environment the platform gives an actor's container, with the names from `@apify/consts`: the
 * `ACTOR_*` set and the `APIFY_*` twins that the SDK 3 and Crawlee still read.
 */
export function actorEnvironment(run: Run, around: RunSurroundings): Record<string, string> {
  const startedAt = run.startedAt;
  const timeoutAt =
    run.timeoutSecs > 0 ? new Date(Date.parse(startedAt) + run.timeoutSecs * 1000).toISOString() : '';
  const webServerUrl = `http://localhost:${around.webServerPort}`;
  const both = (actorName: string, apifyName: string, value: string): [string, string][] => [
    [actorName, value],
    [apifyName, value],
  ];
  const pairs: [string, string][] = [
    [APIFY_ENV_VARS.IS_AT_HOME, '1'],
    [APIFY_ENV_VARS.TOKEN, around.token],
    [APIFY_ENV_VARS.API_BASE_URL, around.apiBaseUrl],
    [APIFY_ENV_VARS.API_PUBLIC_BASE_URL, around.apiBaseUrl],
    [APIFY_ENV_VARS.USER_ID, USER.id],
    [APIFY_ENV_VARS.USER_IS_PAYING, '0'],
    [APIFY_ENV_VARS.HEADLESS, '1'],
    [APIFY_ENV_VARS.XVFB, '0'],
    [APIFY_ENV_VARS.META_ORIGIN, run.origin],
    [APIFY_ENV_VARS.PERSIST_STATE_INTERVAL_MILLIS, String(around.persistStateIntervalMs)],
    [APIFY_ENV_VARS.SYSTEM_INFO_INTERVAL_MILLIS, String(around.systemInfoIntervalMs)],
    [APIFY_ENV_VARS.DISABLE_OUTDATED_WARNING, '1'],
    [APIFY_ENV_VARS.DEDICATED_CPUS, '1'],
    ...both(ACTOR_ENV_VARS.ID, APIFY_ENV_VARS.ACTOR_ID, run.actor.id),
    [APIFY_ENV_VARS.ACT_ID, run.actor.id],
    [ACTOR_ENV_VARS.FULL_NAME, `${run.actor.username}/${run.actor.name}`],
    ...both(ACTOR_ENV_VARS.RUN_ID, APIFY_ENV_VARS.ACTOR_RUN_ID, run.id),
    [APIFY_ENV_VARS.ACT_RUN_ID, run.id],
    ...both(ACTOR_ENV_VARS.BUILD_ID, APIFY_ENV_VARS.ACTOR_BUILD_ID, run.build.id),
    ...both(ACTOR_ENV_VARS.BUILD_NUMBER, APIFY_ENV_VARS.ACTOR_BUILD_NUMBER, run.build.buildNumber),
    [ACTOR_ENV_VARS.BUILD_TAGS, run.buildRef],
    ...both(ACTOR_ENV_VARS.TASK_ID, APIFY_ENV_VARS.ACTOR_TASK_ID, run.task?.id ?? ''),
    ...both(ACTOR_ENV_VARS.DEFAULT_DATASET_ID, APIFY_ENV_VARS.DEFAULT_DATASET_ID, run.datasetId),
    ...both(
      ACTOR_ENV_VARS.DEFAULT_KEY_VALUE_STORE_ID,
      APIFY_ENV_VARS.DEFAULT_KEY_VALUE_STORE_ID,
      run.keyValueStoreId,
    ),
    ...both(
      ACTOR_ENV_VARS.DEFAULT_REQUEST_QUEUE_ID,
      APIFY_ENV_VARS.DEFAULT_REQUEST_QUEUE_ID,
      run.requestQueueId,
    ),
    ...both(ACTOR_ENV_VARS.INPUT_KEY, APIFY_ENV_VARS.INPUT_KEY, run.inputKey),
    ...both(ACTOR_ENV_VARS.EVENTS_WEBSOCKET_URL, APIFY_ENV_VARS.ACTOR_EVENTS_WS_URL, around.eventsUrl),
    ...both(ACTOR_ENV_VARS.MEMORY_MBYTES, APIFY_ENV_VARS.MEMORY_MBYTES, String(run.memoryMbytes)),
    ...both(ACTOR_ENV_VARS.STARTED_AT, APIFY_ENV_VARS.STARTED_AT, startedAt),
    ...both(ACTOR_ENV_VARS.TIMEOUT_AT, APIFY_ENV_VARS.TIMEOUT_AT, timeoutAt),
    ...both(ACTOR_ENV_VARS.WEB_SERVER_PORT, APIFY_ENV_VARS.CONTAINER_PORT, String(around.webServerPort)),
    ...both(ACTOR_ENV_VARS.WEB_SERVER_URL, APIFY_ENV_VARS.CONTAINER_URL, webServerUrl),
    [ACTOR_ENV_VARS.STANDBY_PORT, String(around.webServerPort)],
    [ACTOR_ENV_VARS.STANDBY_URL, webServerUrl],
    [ACTOR_ENV_VARS.RESTART_ON_ERROR, run.actor.defaultRunOptions.restartOnError ? '1' : '0'],
    [ACTOR_ENV_VARS.PERMISSION_LEVEL, 'FULL_PERMISSIONS'],
  ];
  if (run.maxItems !== null) pairs.push([ACTOR_ENV_VARS.MAX_PAID_DATASET_ITEMS, String(run.maxItems)]);
  if (run.maxTotalChargeUsd !== null)
    pairs.push([ACTOR_ENV_VARS.MAX_TOTAL_CHARGE_USD, String(run.maxTotalChargeUsd)]);
  if (run.pricingInfo !== null) {
    pairs.push([APIFY_ENV_VARS.ACTOR_PRICING_INFO, JSON.stringify(run.pricingInfo)]);
    pairs.push([APIFY_ENV_VARS.CHARGED_ACTOR_EVENT_COUNTS, JSON.stringify(run.charges.counts)]);
  }
  // The actor's own variables (actor.json, then the version's env vars) come first; the platform's win.
  return { ...around.actorEnv, ...run.env, ...Object.fromEntries(pairs) };
}
