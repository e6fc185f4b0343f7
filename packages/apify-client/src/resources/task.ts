import type { LastRunOptions } from './actor.js';
import { CollectionClient, type RequestOptions } from './base.js';
import { RunClient, RunCollectionClient } from './run.js';
import { RunnableClient } from './runnable.js';
import type { ApiObject } from './types.js';
import { WebhookCollectionClient } from './webhook.js';

export interface Task extends ApiObject {
  id: string;
  actId?: string;
  name?: string;
}

export class TaskClient extends RunnableClient {
  protected readonly forwardsLog = false;

  get(options?: RequestOptions): Promise<Task | undefined> {
    return this._get<Task>(options);
  }

  update(fields: Partial<Task>, options?: RequestOptions): Promise<Task> {
    return this._update<Task>(fields, options);
  }

  /** Makes the task public (`isPublic: true`). */
  publish(options?: RequestOptions): Promise<Task> {
    return this.update({ isPublic: true }, options);
  }

  unpublish(options?: RequestOptions): Promise<Task> {
    return this.update({ isPublic: false }, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
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
