import defaultLog, { type Log } from '@apify/log';
import { ApiContext } from './api-context.js';
import { InvalidArgumentError } from './errors.js';
import type { HttpClient } from './http/http-client.js';
import { ImpitHttpClient } from './http/impit-http-client.js';
import { type Compression, findHeader, mergeHeaders } from './http/pipeline.js';
import type { ClientStats } from './http/retrying-http-client.js';
import type { RequestInterceptorFunction } from './request-interceptors.js';
import { ActorClient, ActorCollectionClient } from './resources/actor.js';
import { safeId } from './resources/base.js';
import { BuildClient, BuildCollectionClient } from './resources/build.js';
import { DatasetClient, DatasetCollectionClient } from './resources/dataset.js';
import { KeyValueStoreClient, KeyValueStoreCollectionClient } from './resources/key-value-store.js';
import { LogClient } from './resources/log.js';
import { RequestQueueClient, RequestQueueCollectionClient } from './resources/request-queue.js';
import { RunClient, RunCollectionClient } from './resources/run.js';
import { ScheduleClient, ScheduleCollectionClient } from './resources/schedule.js';
import { TaskClient, TaskCollectionClient } from './resources/task.js';
import { StoreCollectionClient, UserClient } from './resources/user.js';
import {
  WebhookClient,
  WebhookCollectionClient,
  WebhookDispatchClient,
  WebhookDispatchCollectionClient,
} from './resources/webhook.js';
import { readEnv, userAgent } from './user-agent.js';
import { checkCallOptions } from './validation/call-options.js';
import { validateClientOptions } from './validation/options.js';

export interface ApifyClientOptions {
  /** Default: `process.env.APIFY_TOKEN`. */
  token?: string;
  /** Default `https://api.apify.com` (or `APIFY_API_BASE_URL`); `/v2` is appended. */
  baseUrl?: string;
  /** Base of public URLs (record and items URLs); default `https://api.apify.com`, as the official client. */
  publicBaseUrl?: string;
  /** Extra attempts after the first; default 8, as the official client. */
  maxRetries?: number;
  /** Backoff base in ms; default 500. */
  minDelayBetweenRetriesMillis?: number;
  /** Cap of every attempt's timeout, in seconds; default 360. */
  timeoutSecs?: number;
  /** Sent with every request; the caller wins over the defaults. */
  headers?: Record<string, string>;
  userAgentSuffix?: string | string[];
  /** Request-body compression (bodies ≥ 1 KiB); default `'br'`, as the official client. */
  compression?: Compression | null;
  /**
   * Run in order before every call with the request (method, URL, query, headers, body before
   * serialization); each may change it and returns it, sync or async. As the official option.
   */
  requestInterceptors?: RequestInterceptorFunction[];
}

export interface CustomHttpClientOptions {
  token?: string;
  baseUrl?: string;
  publicBaseUrl?: string;
  httpClient: HttpClient;
  headers?: Record<string, string>;
  userAgentSuffix?: string | string[];
  requestInterceptors?: RequestInterceptorFunction[];
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
/** Not exported: only `withCustomHttpClient` can hand the constructor a ready HTTP client. */
const HTTP_CLIENT = Symbol('httpClient');

type InternalOptions = ApifyClientOptions & { [HTTP_CLIENT]?: HttpClient };
const DEFAULT_BASE_URL = 'https://api.apify.com';
/** The official client's defaults, which ours keeps so that a switch changes nothing. */
const DEFAULT_MAX_RETRIES = 8;
const DEFAULT_TIMEOUT_SECS = 360;
let warnedAboutOverride = false;

function apiUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  try {
    new URL(trimmed);
  } catch {
    // The text may hold userinfo: show it with any password masked.
    const shown = baseUrl.replace(/(\/\/[^/@:\s]*):[^/@\s]*@/, '$1:***@');
    throw new InvalidArgumentError(`baseUrl is not a valid URL: ${JSON.stringify(shown)}`);
  }
  return trimmed.endsWith('/v2') ? trimmed : `${trimmed}/v2`;
}

function defaultHeaders(
  token: string | undefined,
  options: Pick<ApifyClientOptions, 'headers' | 'userAgentSuffix'>,
): Record<string, string> {
  const defaults: Record<string, string> = {
    Accept: 'application/json, */*',
    'User-Agent': userAgent(options.userAgentSuffix),
  };
  if (token !== undefined) defaults.Authorization = `Bearer ${token}`;
  const workflowKey = readEnv('APIFY_WORKFLOW_KEY');
  if (workflowKey !== undefined) defaults['X-Apify-Workflow-Key'] = workflowKey;
  const overridden = ['authorization', 'user-agent'].filter(
    (name) => findHeader(options.headers, name) !== undefined,
  );
  if (overridden.length > 0 && !warnedAboutOverride) {
    warnedAboutOverride = true;
    globalThis.process?.emitWarning?.(
      `ApifyClient: the "headers" option overrides ${overridden.join(' and ')}; the default value is not sent.`,
      { code: 'APIFY_CLIENT_HEADER_OVERRIDE' },
    );
  }
  return mergeHeaders(defaults, options.headers);
}

/** The Apify API v2 client. Every resource is reached through an accessor; all share one HTTP client. */
export class ApifyClient implements AsyncDisposable {
  readonly httpClient: HttpClient;
  readonly baseUrl: string;
  readonly publicBaseUrl: string;
  /** The token requests are sent with, as the official client exposes it. Never printed or serialized. */
  declare readonly token: string | undefined;
  /** An `@apify/log` logger prefixed `ApifyClient`, as the official client's `logger`. */
  readonly logger: Log = defaultLog.child({ prefix: 'ApifyClient' });
  readonly #ctx: ApiContext;
  readonly #hasToken: boolean;

  constructor(options: ApifyClientOptions = {}) {
    validateClientOptions(options);
    const httpClient = (options as InternalOptions)[HTTP_CLIENT];
    const token = options.token ?? readEnv('APIFY_TOKEN');
    if (token !== undefined && (typeof token !== 'string' || /[\r\n]/.test(token))) {
      throw new InvalidArgumentError('token must be a single-line string');
    }
    this.baseUrl = apiUrl(options.baseUrl ?? readEnv('APIFY_API_BASE_URL') ?? DEFAULT_BASE_URL);
    this.publicBaseUrl = apiUrl(
      options.publicBaseUrl ?? readEnv('APIFY_API_PUBLIC_BASE_URL') ?? DEFAULT_BASE_URL,
    );
    this.httpClient =
      httpClient ??
      new ImpitHttpClient({
        maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
        ...(options.minDelayBetweenRetriesMillis === undefined
          ? {}
          : { minDelayBetweenRetries: options.minDelayBetweenRetriesMillis }),
        timeout: (options.timeoutSecs ?? DEFAULT_TIMEOUT_SECS) * 1000,
        compression: options.compression === undefined ? 'br' : options.compression,
      });
    this.#hasToken = token !== undefined;
    // Not enumerable, so neither `JSON.stringify`, spreading nor `inspect` can show it.
    Object.defineProperty(this, 'token', { value: token, enumerable: false });
    this.#ctx = new ApiContext(
      this.httpClient,
      this.baseUrl,
      this.publicBaseUrl,
      defaultHeaders(token, options),
      [...(options.requestInterceptors ?? [])],
    );
  }

  /**
   * A client whose every request goes through `httpClient`. The retry, timeout-cap and compression
   * options belong to the default client, so they are not accepted here; wrap the client in
   * `RetryingHttpClient` to get them.
   */
  static withCustomHttpClient(options: CustomHttpClientOptions): ApifyClient {
    const { httpClient, ...rest } = options;
    const internal: InternalOptions = { ...rest, [HTTP_CLIENT]: httpClient };
    return new ApifyClient(internal);
  }

  /** Calls, attempts and 429s per attempt; read from the HTTP client when it keeps them. */
  get stats(): ClientStats {
    return this.#ctx.stats;
  }

  actors(): ActorCollectionClient {
    return new ActorCollectionClient(this.#ctx, 'actors');
  }

  actor(id: string): ActorClient {
    return new ActorClient(this.#ctx, `actors/${safeId(id)}`);
  }

  builds(): BuildCollectionClient {
    return new BuildCollectionClient(this.#ctx, 'actor-builds');
  }

  build(id: string): BuildClient {
    return new BuildClient(this.#ctx, `actor-builds/${safeId(id)}`);
  }

  runs(): RunCollectionClient {
    return new RunCollectionClient(this.#ctx, 'actor-runs');
  }

  run(id: string): RunClient {
    return new RunClient(this.#ctx, `actor-runs/${safeId(id)}`);
  }

  tasks(): TaskCollectionClient {
    return new TaskCollectionClient(this.#ctx, 'actor-tasks');
  }

  task(id: string): TaskClient {
    return new TaskClient(this.#ctx, `actor-tasks/${safeId(id)}`);
  }

  datasets(): DatasetCollectionClient {
    return new DatasetCollectionClient(this.#ctx, 'datasets');
  }

  dataset<T extends object = Record<string, unknown>>(id: string): DatasetClient<T> {
    return new DatasetClient<T>(this.#ctx, `datasets/${safeId(id)}`);
  }

  keyValueStores(): KeyValueStoreCollectionClient {
    return new KeyValueStoreCollectionClient(this.#ctx, 'key-value-stores');
  }

  keyValueStore(id: string): KeyValueStoreClient {
    return new KeyValueStoreClient(this.#ctx, `key-value-stores/${safeId(id)}`);
  }

  requestQueues(): RequestQueueCollectionClient {
    return new RequestQueueCollectionClient(this.#ctx, 'request-queues');
  }

  /** `timeoutSecs` caps every request of this queue client, as in the official client. */
  requestQueue(id: string, options: { clientKey?: string; timeoutSecs?: number } = {}): RequestQueueClient {
    checkCallOptions({ clientKey: options.clientKey, timeoutSecs: options.timeoutSecs });
    return new RequestQueueClient(this.#ctx, `request-queues/${safeId(id)}`, {
      clientKey: options.clientKey,
      timeoutSecs: options.timeoutSecs,
    });
  }

  webhooks(): WebhookCollectionClient {
    return new WebhookCollectionClient(this.#ctx, 'webhooks');
  }

  webhook(id: string): WebhookClient {
    return new WebhookClient(this.#ctx, `webhooks/${safeId(id)}`);
  }

  webhookDispatches(): WebhookDispatchCollectionClient {
    return new WebhookDispatchCollectionClient(this.#ctx, 'webhook-dispatches');
  }

  webhookDispatch(id: string): WebhookDispatchClient {
    return new WebhookDispatchClient(this.#ctx, `webhook-dispatches/${safeId(id)}`);
  }

  schedules(): ScheduleCollectionClient {
    return new ScheduleCollectionClient(this.#ctx, 'schedules');
  }

  schedule(id: string): ScheduleClient {
    return new ScheduleClient(this.#ctx, `schedules/${safeId(id)}`);
  }

  log(id: string): LogClient {
    return new LogClient(this.#ctx, `logs/${safeId(id)}`);
  }

  user(id = 'me'): UserClient {
    return new UserClient(this.#ctx, `users/${safeId(id)}`);
  }

  store(): StoreCollectionClient {
    return new StoreCollectionClient(this.#ctx, 'store');
  }

  /** Sets the status message of the run this code runs in (`ACTOR_RUN_ID`). */
  async setStatusMessage(
    message: string,
    options: {
      isStatusMessageTerminal?: boolean;
      /** Sent with the message, as the official client spreads its options into the run update. */
      level?: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
      signal?: AbortSignal;
    } = {},
  ): Promise<void> {
    const runId = readEnv('ACTOR_RUN_ID');
    if (runId === undefined)
      throw new InvalidArgumentError('setStatusMessage needs the ACTOR_RUN_ID environment variable');
    const { signal, ...fields } = options;
    await this.run(runId).update(
      { statusMessage: message, ...fields },
      signal === undefined ? {} : { signal },
    );
  }

  async close(): Promise<void> {
    await this.httpClient.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      token: this.#hasToken ? '***' : undefined,
      httpClient: this.httpClient.constructor.name,
    };
  }

  [INSPECT](): string {
    return `ApifyClient { baseUrl: '${this.baseUrl}', token: ${this.#hasToken ? "'***'" : 'undefined'}, httpClient: ${this.httpClient.constructor.name} }`;
  }
}
