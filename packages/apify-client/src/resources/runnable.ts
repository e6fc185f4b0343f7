import { checkCallOptions } from '../validation/call-options.js';
import { ResourceClient, safeId } from './base.js';
import { RunClient } from './run.js';
import { inputBody } from './run-input.js';
import { type CallOptions, type StartOptions, startParams } from './start-options.js';
import type { ActorRun } from './types.js';

/** What actors and tasks share: starting a run and calling it to completion. */
export abstract class RunnableClient extends ResourceClient {
  /** Tasks do not forward the run's log from `call()`; Actors do (official behaviour). */
  protected abstract readonly forwardsLog: boolean;

  /** Starts a run; a replay after a lost response would start a second run, so it is never replayed. Bad options reject, as in the official client. */
  async start(input?: unknown, options: StartOptions = {}): Promise<ActorRun> {
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

  /**
   * `start()` then `waitForFinish()`; the returned run is terminal unless `waitSecs` ran out. An
   * Actor's run log is forwarded to `log` meanwhile (`'default'`: printed with the run's prefix).
   */
  async call(input?: unknown, options: CallOptions = {}): Promise<ActorRun> {
    const { waitSecs, log, ...startOptions } = options;
    // Checked before the start: a bad wait must not leave a run started behind it.
    checkCallOptions({ waitSecs, ...startOptions });
    const run = await this.start(input, startOptions);
    const runClient = new RunClient(this.ctx, `actor-runs/${safeId(run.id)}`);
    const streamedLog = this.forwardsLog
      ? await runClient.getStreamedLog(log === undefined ? {} : { toLog: log })
      : undefined;
    streamedLog?.start();
    const waitOptions: { waitSecs?: number; signal?: AbortSignal } = {};
    if (waitSecs !== undefined) waitOptions.waitSecs = waitSecs;
    if (options.signal !== undefined) waitOptions.signal = options.signal;
    try {
      const finished = await runClient.waitForFinish(waitOptions);
      return finished ?? run;
    } finally {
      await streamedLog?.stop();
    }
  }
}
