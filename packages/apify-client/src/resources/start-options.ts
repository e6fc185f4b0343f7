import type { QueryParams, RequestOptions } from './base.js';
import type { WaitForFinishOptions } from './wait.js';

/** Options of `actor.start()` / `task.start()`. */
export interface StartOptions extends RequestOptions {
  build?: string;
  /** The run's timeout in seconds (`timeout` here is the HTTP timeout of the request). */
  timeoutSecs?: number;
  memory?: number;
  maxItems?: number;
  maxTotalChargeUsd?: number;
  restartOnError?: boolean;
  /** Seconds the server may hold the start request (≤ 60). */
  waitForFinish?: number;
  /** Ad-hoc webhooks for this run. */
  webhooks?: Record<string, unknown>[];
  /** Sends the input raw with this content type instead of as JSON. */
  contentType?: string;
}

export type CallOptions = Omit<StartOptions, 'waitForFinish'> & Pick<WaitForFinishOptions, 'waitSecs'>;

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function startParams(options: StartOptions): QueryParams {
  const { build, timeoutSecs, memory, maxItems, maxTotalChargeUsd, restartOnError, waitForFinish, webhooks } =
    options;
  return {
    build,
    timeout: timeoutSecs,
    memory,
    maxItems,
    maxTotalChargeUsd,
    restartOnError,
    waitForFinish,
    webhooks: webhooks === undefined ? undefined : base64(JSON.stringify(webhooks)),
  };
}
