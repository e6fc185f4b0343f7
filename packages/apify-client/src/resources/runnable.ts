import { ResourceClient, safeId } from './base.js';
import { inputBody, RunClient } from './run.js';
import { type CallOptions, type StartOptions, startParams } from './start-options.js';
import type { ActorRun } from './types.js';

/** What actors and tasks share: starting a run and calling it to completion. */
export abstract class RunnableClient extends ResourceClient {
  /** Starts a run; a replay after a lost response would start a second run, so it is never replayed. */
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

  /** `start()` then `waitForFinish()`; the returned run is terminal unless `waitSecs` ran out. */
  async call(input?: unknown, options: CallOptions = {}): Promise<ActorRun> {
    const { waitSecs, ...startOptions } = options;
    const run = await this.start(input, startOptions);
    const waitOptions: { waitSecs?: number; signal?: AbortSignal } = {};
    if (waitSecs !== undefined) waitOptions.waitSecs = waitSecs;
    if (options.signal !== undefined) waitOptions.signal = options.signal;
    const finished = await new RunClient(this.ctx, `actor-runs/${safeId(run.id)}`).waitForFinish(waitOptions);
    return finished ?? run;
  }
}
