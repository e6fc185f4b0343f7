/**
 * A local Apify API v2 server (storages, emulated runs, seeded faults, crash-safe persistence),
 * in-process through `fetch()` or over HTTP through `listen()`. Guide: `docs/guides/emulator.md`.
 *
 * @packageDocumentation
 * @module @pluggable/apify-emulator
 */
export { createEmulator, DEFAULT_MAX_PAYLOAD_BYTES, type Emulator } from './emulator.js';
export { EmulatorError } from './errors.js';
export { type Clock, type ClockTimer, FakeClock } from './platform/clock.js';
export type {
  ActorContext,
  ActorFunction,
  DatasetHandle,
  EmulatorOptions,
  FaultKind,
  FaultOptions,
  JsonObject,
  KeyValueRecord,
  KeyValueStoreHandle,
  ListenOptions,
  LocalRunOptions,
  QueueRequest,
  RegisterActorOptions,
  RegisteredActor,
  RequestQueueHandle,
  WebhookDeliveryOptions,
} from './types.js';
export { APPLIED_FAULT_KINDS, FAULT_KINDS } from './types.js';
