import {
  CollectionClient,
  type IterateOptions,
  type ListOptions,
  type RequestOptions,
  ResourceClient,
  safeId,
} from './base.js';
import { BuildClient, BuildCollectionClient } from './build.js';
import type { PaginatedIterator } from './paginated-iterator.js';
import { RunClient, RunCollectionClient } from './run.js';
import { inputBody } from './run-input.js';
import { RunnableClient } from './runnable.js';
import type { Actor, ActorJobStatus, ApiObject, Build } from './types.js';
import { WebhookCollectionClient } from './webhook.js';

export interface ActorVersion extends ApiObject {
  versionNumber?: string;
}

export interface ActorEnvVar extends ApiObject {
  name: string;
  value?: string;
  isSecret?: boolean;
}

export interface LastRunOptions {
  status?: ActorJobStatus;
  origin?: string;
}

export class ActorClient extends RunnableClient {
  protected readonly forwardsLog = true;

  get(options?: RequestOptions): Promise<Actor | undefined> {
    return this._get<Actor>(options);
  }

  update(fields: Partial<Actor>, options?: RequestOptions): Promise<Actor> {
    return this._update<Actor>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  build(
    versionNumber: string,
    options: RequestOptions & {
      betaPackages?: boolean;
      tag?: string;
      useCache?: boolean;
      waitForFinish?: number;
    } = {},
  ): Promise<Build> {
    const { signal: _signal, httpTimeout: _httpTimeout, ...query } = options;
    return this.sendData<Build>({
      method: 'POST',
      sub: 'builds',
      // The caller's order, as the official client spreads its options into the query.
      params: { version: versionNumber, ...query },
      tier: 'medium',
      options,
      idempotent: false,
    });
  }

  /** The build the Actor runs by default. */
  async defaultBuild(options: RequestOptions & { waitForFinish?: number } = {}): Promise<BuildClient> {
    const build = await this.sendData<Build>({
      method: 'GET',
      sub: 'builds/default',
      params: { waitForFinish: options.waitForFinish },
      tier: 'short',
      options,
      parseDates: false,
    });
    return new BuildClient(this.ctx, `actor-builds/${safeId(build.id)}`);
  }

  /** The last run, optionally filtered; its storages are reached through it (`lastRun().dataset()`). */
  lastRun(options: LastRunOptions = {}): RunClient {
    return new RunClient(this.ctx, `${this.path}/runs/last`, {
      params: { status: options.status, origin: options.origin },
    });
  }

  builds(): BuildCollectionClient {
    return new BuildCollectionClient(this.ctx, `${this.path}/builds`);
  }

  runs(): RunCollectionClient {
    return new RunCollectionClient(this.ctx, `${this.path}/runs`);
  }

  versions(): ActorVersionCollectionClient {
    return new ActorVersionCollectionClient(this.ctx, `${this.path}/versions`);
  }

  version(versionNumber: string): ActorVersionClient {
    return new ActorVersionClient(this.ctx, `${this.path}/versions/${safeId(versionNumber)}`);
  }

  webhooks(): WebhookCollectionClient {
    return new WebhookCollectionClient(this.ctx, `${this.path}/webhooks`);
  }

  /** `true` when the input is valid for the Actor's input schema; invalid input throws `InvalidRequestError`. */
  async validateInput(
    input: unknown,
    options: RequestOptions & { build?: string; contentType?: string } = {},
  ): Promise<boolean> {
    const body = await this.sendData<{ valid?: boolean }>({
      method: 'POST',
      sub: 'validate-input',
      params: { build: options.build },
      ...inputBody(input, options.contentType),
      tier: 'short',
      options,
      idempotent: true,
      parseDates: false,
    });
    return body?.valid ?? true;
  }
}

export interface ActorListParams {
  my?: boolean;
  sortBy?: string;
}

export class ActorCollectionClient extends CollectionClient<Actor, ActorListParams> {
  create(actor: Partial<Actor>, options?: RequestOptions): Promise<Actor> {
    return this._create<Actor>(actor, options);
  }
}

export class ActorVersionClient extends ResourceClient {
  get(options?: RequestOptions): Promise<ActorVersion | undefined> {
    return this._get<ActorVersion>(options);
  }

  update(fields: Partial<ActorVersion>, options?: RequestOptions): Promise<ActorVersion> {
    return this._update<ActorVersion>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  envVars(): ActorEnvVarCollectionClient {
    return new ActorEnvVarCollectionClient(this.ctx, `${this.path}/env-vars`);
  }

  envVar(name: string): ActorEnvVarClient {
    return new ActorEnvVarClient(this.ctx, `${this.path}/env-vars/${safeId(name)}`);
  }
}

export class ActorVersionCollectionClient extends CollectionClient<ActorVersion> {
  /** The API lists them all at once; as in the official client, pagination options are not sent. */
  override list(options: ListOptions & IterateOptions = {}): PaginatedIterator<ActorVersion> {
    return super.list(requestOnly(options));
  }

  create(version: ActorVersion, options?: RequestOptions): Promise<ActorVersion> {
    return this._create<ActorVersion>(version, options);
  }
}

export class ActorEnvVarClient extends ResourceClient {
  get(options?: RequestOptions): Promise<ActorEnvVar | undefined> {
    return this._get<ActorEnvVar>(options);
  }

  update(fields: ActorEnvVar, options?: RequestOptions): Promise<ActorEnvVar> {
    return this._update<ActorEnvVar>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }
}

export class ActorEnvVarCollectionClient extends CollectionClient<ActorEnvVar> {
  /** The API lists them all at once; as in the official client, pagination options are not sent. */
  override list(options: ListOptions & IterateOptions = {}): PaginatedIterator<ActorEnvVar> {
    return super.list(requestOnly(options));
  }

  create(envVar: ActorEnvVar, options?: RequestOptions): Promise<ActorEnvVar> {
    return this._create<ActorEnvVar>(envVar, options);
  }
}

function requestOnly(options: RequestOptions): RequestOptions {
  const request: RequestOptions = {};
  if (options.signal !== undefined) request.signal = options.signal;
  if (options.httpTimeout !== undefined) request.httpTimeout = options.httpTimeout;
  return request;
}
