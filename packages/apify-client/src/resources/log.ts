import type { HttpResponse } from '../http/http-response.js';
import { type RequestOptions, ResourceClient } from './base.js';

export interface LogOptions extends RequestOptions {
  /** Keep ANSI escape codes. */
  raw?: boolean;
}

/** A run's or build's log (`logs/{id}`, or `…/log` under a run or build). */
export class LogClient extends ResourceClient {
  async get(options: LogOptions = {}): Promise<string | undefined> {
    const response = await this.orUndefined(() =>
      this.send({ method: 'GET', params: { raw: options.raw }, tier: 'long', options }),
    );
    return response?.text;
  }

  /** Follows the log while the job runs; the response is unread: use `iterBytes()`, then `close()`. */
  stream(options: LogOptions = {}): Promise<HttpResponse | undefined> {
    return this.orUndefined(() =>
      this.send({
        method: 'GET',
        params: { stream: true, raw: options.raw },
        stream: true,
        tier: 'long',
        options,
      }),
    );
  }
}
