import { CollectionClient, type RequestOptions, ResourceClient } from './base.js';
import type { ApiObject } from './types.js';

export interface User extends ApiObject {
  id?: string;
  username?: string;
}

export class UserClient extends ResourceClient {
  get(options?: RequestOptions): Promise<User | undefined> {
    return this._get<User>(options);
  }

  monthlyUsage(options: RequestOptions & { date?: Date | string } = {}): Promise<ApiObject | undefined> {
    const date = options.date instanceof Date ? options.date.toISOString().slice(0, 10) : options.date;
    return this.orUndefined(() =>
      this.sendData<ApiObject>({
        method: 'GET',
        sub: 'usage/monthly',
        params: { date },
        tier: 'short',
        options,
      }),
    );
  }

  limits(options?: RequestOptions): Promise<ApiObject | undefined> {
    return this.orUndefined(() =>
      this.sendData<ApiObject>({ method: 'GET', sub: 'limits', tier: 'short', options }),
    );
  }

  async updateLimits(
    limits: { maxMonthlyUsageUsd?: number; dataRetentionDays?: number },
    options?: RequestOptions,
  ): Promise<void> {
    await this.send({ method: 'PUT', sub: 'limits', json: limits, tier: 'short', options });
  }
}

export interface StoreListParams {
  search?: string;
  sortBy?: string;
  category?: string;
  username?: string;
  pricingModel?: string;
}

/** The Apify Store: a public, offset-paginated list of Actors. */
export class StoreCollectionClient extends CollectionClient<ApiObject, StoreListParams> {}
