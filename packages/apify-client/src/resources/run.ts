import type { ApiContext } from '../api-context.js';
import { CollectionClient, type QueryParams, type RequestOptions, ResourceClient } from './base.js';
import { DatasetClient } from './dataset.js';
import { KeyValueStoreClient } from './key-value-store.js';
import { LogClient } from './log.js';
import { RequestQueueClient } from './request-queue.js';
import { type RunSettings, runSettingsParams } from './start-options.js';
import type { ActorJobStatus, ActorRun } from './types.js';
import { type WaitForFinishOptions, waitForJob } from './wait.js';

/** Options of `run.resurrect()`: the run's settings, as for `start()`. */
export type RunResurrectOptions = RunSettings;

export interface RunChargeOptions extends RequestOptions {
  eventName: string;
  count?: number;
  /** With a key the server deduplicates, so the charge may be replayed after a lost response. */
  idempotencyKey?: string;
}

export class RunClient extends ResourceClient {
  constructor(ctx: ApiContext, path: string, options: { params?: QueryParams; chained?: boolean } = {}) {
    super(ctx, path, options);
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
      options,
    });
  }

  /** Waits until the run is terminal (or `waitSecs` passes); `undefined` if it never appears. */
  waitForFinish(
    options: WaitForFinishOptions & Pick<RequestOptions, 'timeout'> = {},
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

  metamorph(
    targetActorId: string,
    input?: unknown,
    options: RequestOptions & { build?: string; contentType?: string } = {},
  ): Promise<ActorRun> {
    const spec = inputBody(input, options.contentType);
    return this.sendData({
      method: 'POST',
      sub: 'metamorph',
      params: { targetActorId, build: options.build },
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

  async charge(options: RunChargeOptions): Promise<void> {
    const headers: Record<string, string> = {};
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    await this.send({
      method: 'POST',
      sub: 'charge',
      json: { eventName: options.eventName, count: options.count ?? 1 },
      headers,
      tier: 'short',
      options,
      idempotent: options.idempotencyKey !== undefined,
    });
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
    return new RequestQueueClient(this.ctx, `${this.path}/request-queue`, { chained: true });
  }

  log(): LogClient {
    return new LogClient(this.ctx, `${this.path}/log`, { params: this.baseParams, chained: true });
  }
}

/** A run input: JSON by default, or raw with the caller's content type. */
export function inputBody(
  input: unknown,
  contentType: string | undefined,
): { json?: unknown; data?: string | Uint8Array; headers?: Record<string, string> } {
  if (input === undefined) return {};
  if (contentType !== undefined) {
    const data = typeof input === 'string' || input instanceof Uint8Array ? input : JSON.stringify(input);
    return { data, headers: { 'Content-Type': contentType } };
  }
  return { json: input };
}

export interface RunListParams {
  status?: ActorJobStatus | ActorJobStatus[];
  startedAfter?: Date | string;
  startedBefore?: Date | string;
}

export class RunCollectionClient extends CollectionClient<ActorRun, RunListParams> {}
