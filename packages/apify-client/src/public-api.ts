/** Every public name of the package; `index.ts` re-exports it and adds the default export. */
export { ApifyClient, type ApifyClientOptions, type CustomHttpClientOptions } from './apify-client.js';
export {
  ApifyApiError,
  ApifyClientError,
  ApifyTransportError,
  ConflictError,
  ForbiddenError,
  InvalidArgumentError,
  InvalidRequestError,
  InvalidResponseBodyError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnauthorizedError,
} from './errors.js';
export {
  type FetchFunction,
  FetchHttpClient,
  type FetchHttpClientOptions,
  type FetchInit,
} from './http/fetch-http-client.js';
export type { FetchLikeResponse } from './http/fetch-response.js';
export { type HttpCallOptions, HttpClient, type HttpParamValue } from './http/http-client.js';
export { type HttpResponse, isHttpResponse } from './http/http-response.js';
export { ImpitHttpClient, type ImpitHttpClientOptions } from './http/impit-http-client.js';
export type { Compression } from './http/pipeline.js';
export {
  type ClientStats,
  RetryingHttpClient,
  type RetryingHttpClientOptions,
} from './http/retrying-http-client.js';
export type { ApifyRequestConfig, RequestInterceptorFunction } from './request-interceptors.js';
export * from './resources/actor.js';
export type { IterateOptions, ListOptions, PaginatedList, RequestOptions } from './resources/base.js';
export * from './resources/build.js';
export {
  DatasetClient,
  DatasetCollectionClient,
  type DatasetItemFormat,
  type DatasetItemsPage,
  type DatasetItemsParams,
  type DatasetListParams,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type PushItemsOptions,
} from './resources/dataset.js';
export {
  ActorListSortBy,
  ActorSourceType,
  DownloadItemsFormat,
  PlatformFeature,
  ScheduleActions,
  WebhookDispatchStatus,
} from './resources/enums.js';
export * from './resources/key-value-store.js';
export * from './resources/log.js';
export type { PaginatedIterator } from './resources/paginated-iterator.js';
export {
  type BatchAddOptions,
  type BatchAddResult,
  type ListRequestsOptions,
  type ListRequestsResult,
  type NewRequest,
  type PaginateRequestsOptions,
  type RequestOperationInfo,
  RequestQueueClient,
  RequestQueueCollectionClient,
  type RequestQueueHead,
  type RequestQueueListParams,
  type RequestQueueRequest,
} from './resources/request-queue.js';
export {
  type GetStreamedLogOptions,
  type RunChargeOptions,
  type RunChargeResponse,
  RunClient,
  RunCollectionClient,
  type RunListParams,
  type RunResurrectOptions,
} from './resources/run.js';
export * from './resources/schedule.js';
export type { CallLog, CallOptions, RunSettings, StartOptions } from './resources/start-options.js';
export {
  type LogDestination,
  LoggerActorRedirect,
  StreamedLog,
  type StreamedLogOptions,
} from './resources/streamed-log.js';
export * from './resources/task.js';
export type {
  Actor,
  ActorJobStatus,
  ActorRun,
  ApiObject,
  Build,
  Dataset,
  KeyValueStore,
  RequestQueue,
  StorageObject,
} from './resources/types.js';
export * from './resources/user.js';
export type { WaitForFinishOptions } from './resources/wait.js';
export * from './resources/webhook.js';
export { TIMEOUT_TIERS, type Timeout, type TimeoutTier } from './timeouts.js';
export { VERSION } from './version.js';
