import { Log } from '@apify/log';
import type { ApiContext } from '../api-context.js';
import { checkCallOptions } from '../validation/call-options.js';
import { invalid } from '../validation/options.js';
import { CollectionClient, type QueryParams, type RequestOptions, ResourceClient, safeId } from './base.js';
import { DatasetClient } from './dataset.js';
import { KeyValueStoreClient } from './key-value-store.js';
import { LogClient } from './log.js';
import { RequestQueueClient } from './request-queue.js';
import { inputBody } from './run-input.js';
import { type RunSettings, runSettingsParams } from './start-options.js';
import { type LogDestination, LoggerActorRedirect, LogLevel, StreamedLog } from './streamed-log.js';
import type { Actor, ActorJobStatus, ActorRun } from './types.js';
import { type WaitForFinishOptions, waitForJob } from './wait.js';

/** Options of `run.resurrect()`: the run's settings, as for `start()`. */
export type RunResurrectOptions = RunSettings;

export interface RunChargeOptions extends RequestOptions {
  eventName: string;
  count?: number;
  /** Default: `<runId>-<eventName>-<ms>-<random>`, as the official client makes it. */
  idempotencyKey?: string;
}

/** What `charge()` resolves to: the official client returns its HTTP response, with these fields. */
export interface RunChargeResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

export interface GetStreamedLogOptions {
  /** `'default'` or absent: a `LoggerActorRedirect` prefixed with the Actor name and run ID; `null`: none. */
  toLog?: LogDestination | Log | 'default' | null;
  /** `false` skips lines already written; default `true`. */
  fromStart?: boolean;
}

export class RunClient extends ResourceClient {
  constructor(ctx: ApiContext, path: string, options: { params?: QueryParams; chained?: boolean } = {}) {
    super(ctx, path, options);
  }

  /** The run ID this client addresses (`last` for `lastRun()`). */
  get id(): string {
    return decodeURIComponent(this.path.slice(this.path.lastIndexOf('/') + 1));
  }

  get(options: RequestOptions & { waitForFinish?: number } = {}): Promise<ActorRun | undefined> {
    return this._get<ActorRun>(options, { waitForFinish: options.waitForFinish });
  }

  update(
    fields: { statusMessage?: string; isStatusMessageTerminal?: boolean; generalAccess?: string },
    options?: RequestOptions,
  ): Promise<ActorRun> {
    return this._update<ActorRun>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  abort(options: RequestOptions & { gracefully?: boolean } = {}): Promise<ActorRun> {
    return this.sendData({
      method: 'POST',
      sub: 'abort',
      params: { gracefully: options.gracefully },
      tier: 'medium',
      // Aborting an aborted run changes nothing, so a replay after a 5xx cannot duplicate anything.
      idempotent: true,
      options,
    });
  }

  /** Waits until the run is terminal (or `waitSecs` passes); `undefined` if it never appears. */
  waitForFinish(
    options: WaitForFinishOptions & Pick<RequestOptions, 'httpTimeout'> = {},
  ): Promise<ActorRun | undefined> {
    return waitForJob<ActorRun>(
      (waitSecs) =>
        this.orUndefined(() =>
          this.sendData<ActorRun>({
            method: 'GET',
            params: { waitForFinish: waitSecs },
            tier: 'none',
            options,
          }),
        ),
      options,
    );
  }

  /** `targetActorId` may be `username/name`; it is sent as `username~name`, as in a path. */
  metamorph(
    targetActorId: string,
    input?: unknown,
    options: RequestOptions & { build?: string; contentType?: string } = {},
  ): Promise<ActorRun> {
    const spec = inputBody(input, options.contentType);
    return this.sendData({
      method: 'POST',
      sub: 'metamorph',
      params: { targetActorId: targetActorId.replace('/', '~'), build: options.build },
      ...spec,
      tier: 'medium',
      options,
      idempotent: false,
    });
  }

  resurrect(options: RunResurrectOptions = {}): Promise<ActorRun> {
    return this.sendData({
      method: 'POST',
      sub: 'resurrect',
      params: runSettingsParams(options),
      tier: 'medium',
      options,
    });
  }

  reboot(options?: RequestOptions): Promise<ActorRun> {
    return this.sendData({ method: 'POST', sub: 'reboot', tier: 'medium', options, idempotent: false });
  }

  /** Always sends an idempotency key, so the server deduplicates and a replay is safe. */
  async charge(options: RunChargeOptions): Promise<RunChargeResponse> {
    checkCallOptions({ count: options.count });
    if (typeof options.eventName !== 'string' || options.eventName === '') {
      throw invalid('eventName', options.eventName, 'a non-empty string');
    }
    if (options.idempotencyKey !== undefined && typeof options.idempotencyKey !== 'string') {
      throw invalid('idempotencyKey', options.idempotencyKey, 'a string');
    }
    const randomSuffix = (Math.random() + 1).toString(36).slice(3, 8);
    const idempotencyKey =
      options.idempotencyKey ?? `${this.id}-${options.eventName}-${Date.now()}-${randomSuffix}`;
    const response = await this.send({
      method: 'POST',
      sub: 'charge',
      json: { eventName: options.eventName, count: options.count ?? 1 },
      headers: { 'idempotency-key': idempotencyKey },
      tier: 'short',
      options,
      idempotent: true,
    });
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-length', 'location']) {
      const value = response.headers.get(name);
      if (typeof value === 'string') headers[name] = value;
    }
    const data =
      response.content.byteLength === 0
        ? undefined
        : this.ctx.parseJson(response, { method: 'POST', path: this.path });
    return { status: response.statusCode, headers, data };
  }

  /** The run's default dataset; a 404 on it is an error, not `undefined`. */
  dataset(): DatasetClient {
    return new DatasetClient(this.ctx, `${this.path}/dataset`, { params: this.baseParams, chained: true });
  }

  keyValueStore(): KeyValueStoreClient {
    return new KeyValueStoreClient(this.ctx, `${this.path}/key-value-store`, {
      params: this.baseParams,
      chained: true,
    });
  }

  requestQueue(): RequestQueueClient {
    return new RequestQueueClient(this.ctx, `${this.path}/request-queue`, {
      params: this.baseParams,
      chained: true,
    });
  }

  log(): LogClient {
    return new LogClient(this.ctx, `${this.path}/log`, { params: this.baseParams, chained: true });
  }

  /**
   * A `StreamedLog` that forwards this run's log to `toLog`; call `start()` and `stop()`. With the
   * default destination the prefix names the Actor and the run, which costs two GET requests.
   */
  async getStreamedLog(options: GetStreamedLogOptions = {}): Promise<StreamedLog | undefined> {
    const { fromStart = true } = options;
    let toLog = options.toLog;
    if (toLog === null) return undefined;
    if (toLog === undefined || toLog === 'default') {
      const run = await this.get();
      const actor = run?.actId
        ? await new ResourceGetter(this.ctx, `actors/${safeId(run.actId)}`).get()
        : undefined;
      const name = [actor?.name ?? '', `runId:${run?.id ?? ''}`].filter(Boolean).join(' ');
      toLog = new Log({ level: LogLevel.DEBUG, prefix: `${name} -> `, logger: new LoggerActorRedirect() });
    }
    return new StreamedLog({ logClient: this.log(), toLog, fromStart });
  }
}

/** Reads an Actor without importing `ActorClient`, which itself depends on this file. */
class ResourceGetter extends ResourceClient {
  get(): Promise<Actor | undefined> {
    return this._get<Actor>();
  }
}

export interface RunListParams {
  status?: ActorJobStatus | ActorJobStatus[];
  startedAfter?: Date | string;
  startedBefore?: Date | string;
}

export class RunCollectionClient extends CollectionClient<ActorRun, RunListParams> {}
