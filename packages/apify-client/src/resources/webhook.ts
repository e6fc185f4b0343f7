import { CollectionClient, type RequestOptions, ResourceClient } from './base.js';
import type { ApiObject } from './types.js';

export interface Webhook extends ApiObject {
  id: string;
  eventTypes?: string[];
  requestUrl?: string;
}

export interface WebhookDispatch extends ApiObject {
  id: string;
  status?: string;
}

export class WebhookClient extends ResourceClient {
  get(options?: RequestOptions): Promise<Webhook | undefined> {
    return this._get<Webhook>(options);
  }

  update(fields: Partial<Webhook>, options?: RequestOptions): Promise<Webhook> {
    return this._update<Webhook>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  /** Fires a test dispatch; each call sends one more, so it is never replayed. */
  test(options?: RequestOptions): Promise<WebhookDispatch | undefined> {
    return this.orUndefined(() =>
      this.sendData<WebhookDispatch>({
        method: 'POST',
        sub: 'test',
        tier: 'short',
        options,
        idempotent: false,
      }),
    );
  }

  dispatches(): WebhookDispatchCollectionClient {
    return new WebhookDispatchCollectionClient(this.ctx, `${this.path}/dispatches`);
  }
}

export class WebhookCollectionClient extends CollectionClient<Webhook> {
  create(webhook: Partial<Webhook>, options?: RequestOptions): Promise<Webhook> {
    return this._create<Webhook>(webhook, options);
  }
}

export class WebhookDispatchClient extends ResourceClient {
  get(options?: RequestOptions): Promise<WebhookDispatch | undefined> {
    return this._get<WebhookDispatch>(options);
  }
}

export class WebhookDispatchCollectionClient extends CollectionClient<WebhookDispatch> {}
