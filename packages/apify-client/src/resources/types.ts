/** Fields the API adds over time stay reachable through the index signature. */
export interface ApiObject {
  [key: string]: unknown;
}

export interface StorageObject extends ApiObject {
  id: string;
  name?: string | null;
  userId?: string;
  createdAt?: Date;
  modifiedAt?: Date;
  accessedAt?: Date;
}

export interface Dataset extends StorageObject {
  itemCount: number;
  cleanItemCount?: number;
}

export interface KeyValueStore extends StorageObject {}

export interface RequestQueue extends StorageObject {
  totalRequestCount?: number;
  handledRequestCount?: number;
  pendingRequestCount?: number;
  hadMultipleClients?: boolean;
}

export type ActorJobStatus =
  | 'READY'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMING-OUT'
  | 'TIMED-OUT'
  | 'ABORTING'
  | 'ABORTED';

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED-OUT',
  'ABORTED',
]);

export interface ActorRun extends ApiObject {
  id: string;
  actId: string;
  status: ActorJobStatus;
  startedAt?: Date;
  finishedAt?: Date | null;
  defaultDatasetId: string;
  defaultKeyValueStoreId: string;
  defaultRequestQueueId: string;
}

export interface Build extends ApiObject {
  id: string;
  actId?: string;
  status: ActorJobStatus;
}

export interface Actor extends ApiObject {
  id: string;
  name?: string;
  username?: string;
}
