import { checkCallOptions, checkWebhooks } from '../validation/call-options.js';
import type { QueryParams, RequestOptions } from './base.js';
import type { WaitForFinishOptions } from './wait.js';

/** How a run is configured: shared by `start()` and `run.resurrect()`, with the official names. */
export interface RunSettings extends RequestOptions {
  build?: string;
  /** The run's timeout in seconds, sent as `timeout=` (not an HTTP deadline: that is `httpTimeout`). */
  timeout?: number;
  /** Memory in megabytes. */
  memory?: number;
  maxItems?: number;
  maxTotalChargeUsd?: number;
  restartOnError?: boolean;
}

/** Options of `actor.start()` / `task.start()`. */
export interface StartOptions extends RunSettings {
  /** Seconds the server may hold the start request (≤ 60). */
  waitForFinish?: number;
  /** Ad-hoc webhooks for this run. */
  webhooks?: Record<string, unknown>[];
  /** Sends the input raw with this content type instead of as JSON. */
  contentType?: string;
  /** `LIMITED_PERMISSIONS` or `FULL_PERMISSIONS` for this run. */
  forcePermissionLevel?: string;
}

/** Where `call()` forwards the run's log: `'default'` (a prefixed logger), any `@apify/log` `Log`, or `null`. */
export type CallLog = 'default' | null | { info(message: string): void };

export type CallOptions = Omit<StartOptions, 'waitForFinish'> &
  Pick<WaitForFinishOptions, 'waitSecs'> & {
    /** Actors only, as in the official client; default `'default'`. */
    log?: CallLog;
  };

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The query parameters of a run's settings. */
export function runSettingsParams(options: RunSettings): QueryParams {
  const { build, timeout, memory, maxItems, maxTotalChargeUsd, restartOnError } = options;
  return { build, timeout, memory, maxItems, maxTotalChargeUsd, restartOnError };
}

/** The official order (`waitForFinish` first), so the query strings of both clients read the same. */
export function startParams(options: StartOptions): QueryParams {
  const { waitForFinish, timeout, memory, build, webhooks, maxItems, maxTotalChargeUsd, restartOnError } =
    options;
  checkWebhooks(webhooks);
  checkCallOptions({ contentType: options.contentType });
  return {
    waitForFinish,
    timeout,
    memory,
    build,
    webhooks: webhooks === undefined ? undefined : base64(JSON.stringify(webhooks)),
    maxItems,
    maxTotalChargeUsd,
    restartOnError,
    forcePermissionLevel: options.forcePermissionLevel,
  };
}
