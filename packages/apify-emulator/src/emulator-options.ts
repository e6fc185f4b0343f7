import { EmulatorError } from './errors.js';
import type { EventsServer } from './local-runs/events-server.js';
import { ProcessHost } from './local-runs/process-host.js';
import { DEFAULT_DELIVERY, type DeliveryPolicy } from './platform/webhooks/dispatches.js';
import type { EmulatorOptions, LocalRunOptions } from './types.js';

/** Every numeric option is checked at construction, so a typo fails before anything starts. */
export function checkOptions(options: EmulatorOptions): void {
  const { maxPayloadBytes, maxRecordBytes, runDurationMs, rateLimitPerSecond } = options;
  const positive = (name: string, value: number | undefined | null): void => {
    if (value !== undefined && value !== null && !(Number.isFinite(value) && value >= 0)) {
      throw new EmulatorError('invalid-option', `${name} must be a non-negative number, got ${value}`);
    }
  };
  positive('maxPayloadBytes', maxPayloadBytes);
  positive('maxRecordBytes', maxRecordBytes);
  const { bodyTimeoutMs } = options;
  if (bodyTimeoutMs !== undefined && !(Number.isFinite(bodyTimeoutMs) && bodyTimeoutMs > 0)) {
    throw new EmulatorError(
      'invalid-option',
      `bodyTimeoutMs must be a positive number, got ${bodyTimeoutMs}`,
    );
  }
  positive('runDurationMs', runDurationMs);
  positive('syncRunWaitMs', options.syncRunWaitMs);
  positive('rateLimitPerSecond', rateLimitPerSecond);
  const delivery = options.webhookDelivery ?? {};
  positive('webhookDelivery.firstRetryDelayMs', delivery.firstRetryDelayMs);
  positive('webhookDelivery.timeoutMs', delivery.timeoutMs);
  const { maxRetries } = delivery;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new EmulatorError(
      'invalid-option',
      `webhookDelivery.maxRetries must be a non-negative integer, got ${maxRetries}`,
    );
  }
  const local = options.localRuns ?? {};
  positive('localRuns.persistStateIntervalMs', local.persistStateIntervalMs);
  positive('localRuns.systemInfoIntervalMs', local.systemInfoIntervalMs);
  positive('localRuns.abortGracePeriodMs', local.abortGracePeriodMs);
  positive('localRuns.migrationGracePeriodMs', local.migrationGracePeriodMs);
  positive('localRuns.killTimeoutMs', local.killTimeoutMs);
  const { clock } = options;
  if (clock !== undefined && (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function')) {
    throw new EmulatorError('invalid-option', 'clock must have now() and setTimeout(callback, ms) methods');
  }
}

export function deliveryPolicy(options: EmulatorOptions): DeliveryPolicy {
  const given = options.webhookDelivery ?? {};
  return {
    firstRetryDelayMs: given.firstRetryDelayMs ?? DEFAULT_DELIVERY.firstRetryDelayMs,
    maxRetries: given.maxRetries ?? DEFAULT_DELIVERY.maxRetries,
    timeoutMs: given.timeoutMs ?? DEFAULT_DELIVERY.timeoutMs,
  };
}

/** The platform's intervals and grace periods for folder-actor processes, with the platform's defaults. */
export function processHost(
  options: EmulatorOptions,
  events: EventsServer,
  baseUrl: () => Promise<string>,
): ProcessHost {
  const local: LocalRunOptions = options.localRuns ?? {};
  return new ProcessHost({
    events,
    baseUrl,
    // Any token is accepted when none is set; the SDK still wants one to send.
    token: options.token ?? 'emulator-token',
    persistStateIntervalMs: local.persistStateIntervalMs ?? 60_000,
    systemInfoIntervalMs: local.systemInfoIntervalMs ?? 1_000,
    abortGracePeriodMs: local.abortGracePeriodMs ?? 30_000,
    migrationGracePeriodMs: local.migrationGracePeriodMs ?? 30_000,
    killTimeoutMs: local.killTimeoutMs ?? 5_000,
  });
}
