import type { Readable } from 'node:stream';
import { type RequestOptions, ResourceClient } from './base.js';
import { toReadable } from './key-value-store.js';

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

  /** Follows the log while the job runs, as a Node `Readable`; destroy it to stop early. */
  async stream(options: LogOptions = {}): Promise<Readable | undefined> {
    const response = await this.orUndefined(() =>
      this.send({
        method: 'GET',
        params: { stream: true, raw: options.raw },
        stream: true,
        tier: 'long',
        options,
      }),
    );
    return response === undefined ? undefined : toReadable(response);
  }
}
