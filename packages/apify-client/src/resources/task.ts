import type { LastRunOptions } from './actor.js';
import { CollectionClient, type RequestOptions, ResourceClient, safeId } from './base.js';
import { inputBody, RunClient, RunCollectionClient } from './run.js';
import { type CallOptions, type StartOptions, startParams } from './start-options.js';
import type { ActorRun, ApiObject } from './types.js';
import { WebhookCollectionClient } from './webhook.js';

export interface Task extends ApiObject {
  id: string;
  actId?: string;
  name?: string;
}

export class TaskClient extends ResourceClient {
  get(options?: RequestOptions): Promise<Task | undefined> {
    return this._get<Task>(options);
  }

  update(fields: Partial<Task>, options?: RequestOptions): Promise<Task> {
    return this._update<Task>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  /** Starts a run of the task; the input overrides the task's saved input. Never replayed. */
  start(input?: unknown, options: StartOptions = {}): Promise<ActorRun> {
    return this.sendData<ActorRun>({
      method: 'POST',
      sub: 'runs',
      params: startParams(options),
      ...inputBody(input, options.contentType),
      tier: 'medium',
      options,
      idempotent: false,
    });
  }

  async call(input?: unknown, options: CallOptions = {}): Promise<ActorRun> {
    const { waitSecs, ...startOptions } = options;
    const run = await this.start(input, startOptions);
    const waitOptions: { waitSecs?: number; signal?: AbortSignal } = {};
    if (waitSecs !== undefined) waitOptions.waitSecs = waitSecs;
    if (options.signal !== undefined) waitOptions.signal = options.signal;
    const finished = await new RunClient(this.ctx, `actor-runs/${safeId(run.id)}`).waitForFinish(waitOptions);
    return finished ?? run;
  }

  getInput(options?: RequestOptions): Promise<unknown> {
    return this.orUndefined(() => this.sendJson({ method: 'GET', sub: 'input', tier: 'short', options }));
  }

  updateInput(input: unknown, options?: RequestOptions): Promise<unknown> {
    return this.sendJson({ method: 'PUT', sub: 'input', json: input, tier: 'short', options });
  }

  runs(): RunCollectionClient {
    return new RunCollectionClient(this.ctx, `${this.path}/runs`);
  }

  lastRun(options: LastRunOptions = {}): RunClient {
    return new RunClient(this.ctx, `${this.path}/runs/last`, {
      params: { status: options.status, origin: options.origin },
    });
  }

  webhooks(): WebhookCollectionClient {
    return new WebhookCollectionClient(this.ctx, `${this.path}/webhooks`);
  }
}

export class TaskCollectionClient extends CollectionClient<Task> {
  create(task: Partial<Task>, options?: RequestOptions): Promise<Task> {
    return this._create<Task>(task, options);
  }
}
