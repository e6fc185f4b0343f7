import type { Clock } from './platform/clock.js';

/**
 * One way a request can fail on purpose. The first six apply nothing; the `applied-*` kinds serve
 * the request (a write is durable) and then fail the answer, as a crashed gateway or a lost response
 * would, so a client that replays an ambiguous write duplicates it.
 */
export type FaultKind =
  | '429'
  | '500'
  | '503'
  | 'reset'
  | 'delay'
  | 'truncate'
  | 'applied-500'
  | 'applied-502'
  | 'applied-reset'
  | 'applied-timeout';

/** The default kinds: the request is refused before it is handled, so nothing is applied. */
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '503', 'reset', 'delay', 'truncate'];

/** Kinds that apply the request first, then fail its answer. Chosen only when listed in `kinds`. */
export const APPLIED_FAULT_KINDS: readonly FaultKind[] = [
  'applied-500',
  'applied-502',
  'applied-reset',
  'applied-timeout',
];

export interface FaultOptions {
  /** Fraction of requests (0..1) that fail. */
  rate: number;
  /** Seed of the PRNG: the same seed and request order give the same faults on every run. */
  seed?: number;
  /** Kinds to pick from, uniformly. Default: `FAULT_KINDS` (the `applied-*` kinds only when listed). */
  kinds?: readonly FaultKind[];
  /** How long a `delay` fault holds its 503, and `applied-timeout` its real answer. Default 30_000. */
  delayMs?: number;
}

export interface EmulatorOptions {
  /** null (default): in memory; a folder: every acknowledged write is fsynced there and survives restarts. */
  storageDir?: string | null;
  /**
   * Open a `storageDir` whose journal has damaged frames by keeping every intact record and dropping the
   * damaged bytes (reported as a process warning; the damaged file is kept as `journal.log.damaged-<ms>`).
   * Default false: such a journal makes the emulator refuse to start, naming the byte offset.
   */
  repair?: boolean;
  /** null (default): any token is accepted; a string: other tokens get 401. */
  token?: string | null;
  /** Request body limit in bytes, measured after decoding Content-Encoding. Default 9_437_184. */
  maxPayloadBytes?: number;
  /** Key-value store record limit in bytes (decoded). Default 256 MiB. */
  maxRecordBytes?: number;
  /** The longest pause between two chunks of a request body before it is answered 408. Default 30_000. */
  bodyTimeoutMs?: number;
  /** Deterministic fault injection; off by default. */
  faults?: FaultOptions | null;
  /** How long a run of an actor without a registered function stays RUNNING. Default 1000. */
  runDurationMs?: number;
  /** How long `run-sync` and `run-sync-get-dataset-items` wait for the run before `408`. Default 300_000, as on the platform. */
  syncRunWaitMs?: number;
  /** Per-resource request rate limit answering 429 (the platform's default is 60). null (default): off. */
  rateLimitPerSecond?: number | null;
  /** The time source of schedules and webhook retries; default the system clock. Tests pass a `FakeClock`. */
  clock?: Clock;
  /** How webhook calls are timed out and retried; each field defaults to the platform's value. */
  webhookDelivery?: WebhookDeliveryOptions;
  /** Timing of the processes that folder actors run as; each field defaults to the platform's value. */
  localRuns?: LocalRunOptions;
}

/** Timing of spawned runs (folder actors, `apify-emulator run`), in milliseconds. */
export interface LocalRunOptions {
  /** How often `persistState` is sent over the events WebSocket (and `APIFY_PERSIST_STATE_INTERVAL_MILLIS`). Default 60_000. */
  persistStateIntervalMs?: number;
  /** How often `systemInfo` is sent. Default 1_000. */
  systemInfoIntervalMs?: number;
  /** From `aborting` to SIGTERM when a run is aborted. Default 30_000. */
  abortGracePeriodMs?: number;
  /** From `migrating` to the forced restart of the run's process. Default 30_000. */
  migrationGracePeriodMs?: number;
  /** From SIGTERM to SIGKILL. Default 5_000. */
  killTimeoutMs?: number;
}

export interface WebhookDeliveryOptions {
  /** The wait before the first retry of a failed call; each next retry waits twice as long. Default 60_000. */
  firstRetryDelayMs?: number;
  /** Retries after the first call before the dispatch is FAILED. Default 11. */
  maxRetries?: number;
  /** How long a call waits for the receiver's answer. Default 30_000. */
  timeoutMs?: number;
}

export interface ListenOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export type JsonObject = Record<string, unknown>;

export interface DatasetHandle {
  readonly id: string;
  pushItems(items: JsonObject | readonly JsonObject[]): Promise<void>;
  listItems(): Promise<JsonObject[]>;
}

export interface KeyValueRecord {
  /** Parsed JSON for JSON content types, a string for text/*, bytes otherwise. */
  readonly value: unknown;
  readonly contentType: string;
}

export interface KeyValueStoreHandle {
  readonly id: string;
  getRecord(key: string): Promise<KeyValueRecord | undefined>;
  /**
   * Content type as the official client picks it when omitted: strings are text/plain, bytes are
   * application/octet-stream, everything else is JSON.
   */
  setRecord(key: string, value: unknown, contentType?: string): Promise<void>;
  deleteRecord(key: string): Promise<void>;
}

export interface QueueRequest {
  readonly id: string;
  readonly uniqueKey: string;
  readonly url: string;
  readonly method: string;
  readonly [field: string]: unknown;
}

export interface RequestQueueHandle {
  readonly id: string;
  addRequest(
    request: { url: string; uniqueKey?: string; method?: string; [field: string]: unknown },
    options?: { forefront?: boolean },
  ): Promise<{ requestId: string; wasAlreadyPresent: boolean; wasAlreadyHandled: boolean }>;
  getRequest(id: string): Promise<QueueRequest | undefined>;
  /** The first pending request in queue order, if any (not locked). */
  nextRequest(): Promise<QueueRequest | undefined>;
  markHandled(id: string): Promise<void>;
}

/** What an in-process actor function gets besides its input: the run's storages, log and abort signal. */
export interface ActorContext {
  readonly runId: string;
  readonly actorId: string;
  /**
   * Aborted when the run is aborted, times out, or the emulator closes, and when a metamorph or reboot replaces
   * the running code (its outcome then no longer counts).
   */
  readonly signal: AbortSignal;
  /** The environment variables of the run's actor version (secrets in clear), as of the run's build. */
  readonly env: Readonly<Record<string, string>>;
  readonly dataset: DatasetHandle;
  readonly keyValueStore: KeyValueStoreHandle;
  readonly requestQueue: RequestQueueHandle;
  /** Appends a line to the run log (served at /v2/logs/{runId}, streamed with ?stream=1). */
  log(message: string): void;
  setStatusMessage(message: string): void;
}

/**
 * An emulated actor. Resolving makes the run SUCCEEDED, throwing makes it FAILED (the error goes to the
 * log); the input is the parsed INPUT record (JSON, text or bytes), or undefined when none was sent.
 */
export type ActorFunction = (input: unknown, ctx: ActorContext) => Promise<void> | void;

export interface RegisteredActor {
  readonly id: string;
  readonly name: string;
  readonly username: string;
}

export interface RegisterActorOptions {
  /** Actor ID to use; default: a fresh one (or the existing one when re-registering a name). */
  id?: string;
  /**
   * The actor's input schema (an Apify input schema: JSON Schema with `type: "object"`). Runs and
   * `validate-input` check inputs against it, and its `default` values fill what an input leaves out.
   */
  inputSchema?: JsonObject;
}
