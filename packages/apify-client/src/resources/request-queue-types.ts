import type { RequestOptions } from './base.js';
import type { ApiObject } from './types.js';

/** A request to add: the server derives its ID from `uniqueKey`. */
export interface NewRequest extends ApiObject {
  uniqueKey: string;
  url: string;
  method?: string;
  handledAt?: string | Date | null;
}

export interface RequestQueueRequest extends NewRequest {
  id: string;
}

export interface RequestOperationInfo {
  requestId: string;
  wasAlreadyPresent: boolean;
  wasAlreadyHandled: boolean;
}

export interface BatchAddResult {
  processedRequests: (RequestOperationInfo & { uniqueKey: string })[];
  unprocessedRequests: { uniqueKey: string; url: string; method?: string }[];
}

export interface BatchAddOptions extends RequestOptions {
  forefront?: boolean;
  /** Batches in flight at once; default 5. */
  maxParallel?: number;
  /** How many times unprocessed requests are sent again; default 3. */
  maxUnprocessedRequestsRetries?: number;
  /** Backoff base for those retries in ms; default 500. */
  minDelayBetweenUnprocessedRequestsRetriesMillis?: number;
  /** Bytes per batch body; default 9 MiB − 0.01 %. */
  maxPayloadBytes?: number;
}

export interface RequestQueueHead {
  limit: number;
  queueModifiedAt?: Date;
  hadMultipleClients?: boolean;
  lockSecs?: number;
  queueHasLockedRequests?: boolean;
  clientKey?: string;
  items: (RequestQueueRequest & { lockExpiresAt?: Date })[];
}

export interface ListRequestsOptions extends RequestOptions {
  limit?: number;
  cursor?: string;
  exclusiveStartId?: string;
  filter?: ('locked' | 'pending')[];
}

export interface ListRequestsResult {
  items: RequestQueueRequest[];
  limit: number;
  cursor?: string | null;
  nextCursor?: string | null;
}

export interface PaginateRequestsOptions extends RequestOptions {
  limit?: number;
  cursor?: string;
  exclusiveStartId?: string;
  filter?: ('locked' | 'pending')[];
  /** Requests per page; default 1000. */
  maxPageLimit?: number;
}
