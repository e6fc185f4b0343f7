import type { ContentEncoding } from '../http/body.js';
import type { Actor, Build } from './actors.js';
import type { JobLog } from './logs.js';
import type { Charges, PricingInfo } from './pricing.js';
import type { Task } from './tasks.js';

export type RunStatus = 'READY' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED-OUT' | 'ABORTING' | 'ABORTED';

const TERMINAL: ReadonlySet<RunStatus> = new Set(['SUCCEEDED', 'FAILED', 'TIMED-OUT', 'ABORTED']);

export interface Metamorph {
  createdAt: string;
  actorId: string;
  buildId: string;
  inputKey: string;
}

export interface Run {
  id: string;
  actor: Actor;
  /** The actor the run was started for: `actors/{it}/runs/{id}` still finds the run after a metamorph. */
  startedActorId: string;
  build: Build;
  /** The build as asked for (`latest`, `beta`, `0.0.3`), shown in the run's options. */
  buildRef: string;
  task: Task | null;
  origin: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  statusMessage: string | null;
  /** Stored as the caller sets it (the SDK sends it with its final message), never derived from the status. */
  isStatusMessageTerminal: boolean;
  generalAccess: string;
  exitCode: number | null;
  timeoutSecs: number;
  memoryMbytes: number;
  maxItems: number | null;
  maxTotalChargeUsd: number | null;
  inputBodyLen: number;
  /** The record the actor reads its input from: `INPUT`, then `INPUT-METAMORPH-n` after the n-th metamorph. */
  inputKey: string;
  datasetId: string;
  keyValueStoreId: string;
  requestQueueId: string;
  /** The build's environment variables, secrets in clear: what the run's process (or function) gets. */
  env: Record<string, string>;
  pricingInfo: PricingInfo | null;
  charges: Charges;
  metamorphs: Metamorph[];
  rebootCount: number;
  resurrectCount: number;
  log: JobLog;
  controller: AbortController;
  /** Bumped whenever the running code is replaced (metamorph, reboot), so the old code's outcome is ignored. */
  attempt: number;
  timers: Set<NodeJS.Timeout>;
  timeoutTimer: NodeJS.Timeout | null;
  finishedListeners: Set<() => void>;
}

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL.has(status);
}

export interface RunInput {
  bytes: Buffer;
  contentType: string;
  encoding: ContentEncoding | null;
  decoded: Buffer;
}

export interface StartOptions {
  input: RunInput | null;
  timeoutSecs: number | undefined;
  memoryMbytes: number | undefined;
  /** Default: the build tagged `latest` (or the actor's newest). */
  build?: Build;
  buildRef?: string;
  task?: Task | null;
  /** `meta.origin`: API unless the emulator starts the run itself (SCHEDULER). */
  origin?: string | undefined;
  maxItems?: number | undefined;
  maxTotalChargeUsd?: number | undefined;
}

export interface ResurrectOptions {
  build?: Build;
  buildRef?: string;
  timeoutSecs?: number | undefined;
  memoryMbytes?: number | undefined;
  maxItems?: number | undefined;
  maxTotalChargeUsd?: number | undefined;
}
