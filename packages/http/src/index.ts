/**
 * HTTPX's `Client` and transport model for TypeScript, on undici's dispatcher API.
 * Guides: `docs/guides/clients.md`, `docs/guides/transports.md`, `docs/migrating-from-httpx.md`.
 *
 * @packageDocumentation
 * @module @pluggable/http
 */
export type { OneOffClientOptions, TopLevelOptions } from './api.js';
export { delete, get, head, options, patch, post, put, request, stream } from './api.js';
export { Auth, type AuthFlow, type AuthLike, BasicAuth, FunctionAuth } from './auth/auth.js';
export { DigestAuth, type DigestAuthOptions } from './auth/digest.js';
export { NetRCAuth } from './auth/netrc.js';
export { FileCacheStore, type FileCacheStoreOptions } from './cache/file-store.js';
export { MemoryCacheStore } from './cache/memory-store.js';
export type { CachedBody, CachedResponse, CacheStore, CacheWriter, StoreBounds } from './cache/store.js';
export {
  type CacheExtensions,
  CacheTransport,
  type CacheTransportOptions,
} from './cache/transport.js';
export {
  type BodyRedactor as CassetteBodyRedactor,
  CassetteMismatch,
  type CassetteMode,
  CassetteTransport,
  type CassetteTransportOptions,
  DEFAULT_SECRET_FIELDS,
  type Matcher as CassetteMatcher,
  type MatcherName as CassetteMatcherName,
  secretFieldRedactor,
} from './cassette/index.js';
export {
  Client,
  type ClientOptions,
  type EventHooks,
  type RequestOptions,
  type SendOptions,
} from './client.js';
export type { BodyInit, ContentInit, DataInit, RequestBody } from './content/body.js';
export { FileSource, fileFromPath } from './content/file-from-path.js';
export type { FileContent, FileInit, FilesInit } from './content/multipart.js';
export {
  ClientClosed,
  CloseError,
  ConnectError,
  ConnectTimeout,
  CookieConflict,
  DecodingError,
  HTTPError,
  HTTPStatusError,
  InvalidURL,
  LocalProtocolError,
  NetworkError,
  PoolTimeout,
  ProtocolError,
  ProxyError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  RequestAborted,
  RequestError,
  RequestNotRead,
  ResponseNotRead,
  ResponseTooLarge,
  StreamClosed,
  StreamConsumed,
  StreamError,
  TimeoutException,
  TooManyRedirects,
  TotalTimeout,
  TransportError,
  UnsupportedProtocol,
  UsageError,
  WriteError,
  WriteTimeout,
} from './errors.js';
export type { PhaseTimeouts, RequestContext } from './lifecycle/request-context.js';
export { codes } from './models/codes.js';
export { type CookieInfo, Cookies, type CookiesInit } from './models/cookies.js';
export { Headers, type HeadersInit } from './models/headers.js';
export { DEFAULT_LIMITS, Limits, type LimitsInit } from './models/limits.js';
export { HTTPProxy as Proxy, type ProxyMode, type ProxyOptions } from './models/proxy.js';
export { type ParamsInit, type Primitive, QueryParams } from './models/query-params.js';
export { Request, type RequestInit } from './models/request.js';
export { Response, type ResponseInit, type ResponseStream } from './models/response.js';
export { Timeout, type TimeoutInit, type TimeoutParts } from './models/timeout.js';
export {
  type AttemptOutcome,
  DEFAULT_SECRET_QUERY_PARAMS,
  DURATION_BUCKETS,
  type OpenTelemetryOptions,
  openTelemetry,
  type SendObserver,
  type Telemetry,
} from './telemetry/index.js';
export { BaseTransport } from './transports/base.js';
export { EnvProxyRouter, getEnvironmentProxies, shouldBypassProxy } from './transports/env-proxies.js';
export {
  type FetchApp,
  type FetchAppInfo,
  FetchAppTransport,
  type FetchAppTransportOptions,
} from './transports/fetch-app.js';
export { HTTPTransport, type HTTPTransportOptions } from './transports/http-transport.js';
export { type MockHandler, MockTransport } from './transports/mock.js';
export { Mounts, type MountsInit, URLPattern } from './transports/mounts.js';
export { type NodeApp, NodeAppTransport, type NodeAppTransportOptions } from './transports/node-app.js';
export { parseRetryAfter, type RetryOptions, RetryTransport } from './transports/retry.js';
export type { CertInit, VerifyInit } from './transports/tls.js';
export { VERSION } from './version.js';
