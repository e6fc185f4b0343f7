import type { QueryParams, RequestOptions } from './base.js';
import type { WaitForFinishOptions } from './wait.js';

/** How a run is configured: shared by `start()` and `run.resurrect()`. */
export interface RunSettings extends RequestOptions {
  build?: string;
  /** The run's timeout in seconds (the `timeout` query parameter; `timeout` here is the HTTP one). */
  timeoutSecs?: number;
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
}

export type CallOptions = Omit<StartOptions, 'waitForFinish'> & Pick<WaitForFinishOptions, 'waitSecs'>;

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The query parameters of a run's settings. */
export function runSettingsParams(options: RunSettings): QueryParams {
  const { build, timeoutSecs, memory, maxItems, maxTotalChargeUsd, restartOnError } = options;
  return { build, timeout: timeoutSecs, memory, maxItems, maxTotalChargeUsd, restartOnError };
}

export function startParams(options: StartOptions): QueryParams {
  const { waitForFinish, webhooks } = options;
  return {
    ...runSettingsParams(options),
    waitForFinish,
    webhooks: webhooks === undefined ? undefined : base64(JSON.stringify(webhooks)),
  };
}
