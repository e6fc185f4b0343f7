import { CollectionClient, type RequestOptions, ResourceClient } from './base.js';
import type { ApiObject } from './types.js';

export interface Schedule extends ApiObject {
  id: string;
  name?: string;
  cronExpression?: string;
}

export class ScheduleClient extends ResourceClient {
  get(options?: RequestOptions): Promise<Schedule | undefined> {
    return this._get<Schedule>(options);
  }

  update(fields: Partial<Schedule>, options?: RequestOptions): Promise<Schedule> {
    return this._update<Schedule>(fields, options);
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  getLog(options?: RequestOptions): Promise<ApiObject[] | undefined> {
    return this.orUndefined(() =>
      this.sendData<ApiObject[]>({ method: 'GET', sub: 'log', tier: 'short', options }),
    );
  }
}

export class ScheduleCollectionClient extends CollectionClient<Schedule> {
  create(schedule: Partial<Schedule>, options?: RequestOptions): Promise<Schedule> {
    return this._create<Schedule>(schedule, options);
  }
}
