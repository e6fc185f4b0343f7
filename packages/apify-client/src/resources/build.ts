import { CollectionClient, type RequestOptions, ResourceClient } from './base.js';
import { LogClient } from './log.js';
import type { Build } from './types.js';
import { type WaitForFinishOptions, waitForJob } from './wait.js';

export class BuildClient extends ResourceClient {
  get(options: RequestOptions & { waitForFinish?: number } = {}): Promise<Build | undefined> {
    return this._get<Build>(options, { waitForFinish: options.waitForFinish });
  }

  delete(options?: RequestOptions): Promise<void> {
    return this._delete(options);
  }

  abort(options?: RequestOptions): Promise<Build> {
    return this.sendData({ method: 'POST', sub: 'abort', tier: 'medium', idempotent: true, options });
  }

  getOpenApiDefinition(options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.sendJson({ method: 'GET', sub: 'openapi.json', tier: 'short', options }) as Promise<
      Record<string, unknown>
    >;
  }

  waitForFinish(
    options: WaitForFinishOptions & Pick<RequestOptions, 'httpTimeout'> = {},
  ): Promise<Build | undefined> {
    return waitForJob<Build>(
      (waitSecs) =>
        this.orUndefined(() =>
          this.sendData<Build>({ method: 'GET', params: { waitForFinish: waitSecs }, tier: 'none', options }),
        ),
      options,
    );
  }

  log(): LogClient {
    return new LogClient(this.ctx, `${this.path}/log`, { chained: true });
  }
}

export class BuildCollectionClient extends CollectionClient<Build> {}
