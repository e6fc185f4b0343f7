import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { isTerminal, type Run, type RunStatus } from '../platform/run.js';
import { actorEnvironment } from './actor-env.js';
import type { EventChannel, EventsServer } from './events-server.js';
import { SystemInfoMeter } from './system-info.js';

/** How a spawned run ended, for the run to take as its terminal status. */
export interface ProcessOutcome {
  status: RunStatus;
  message: string;
  exitCode: number | null;
}

export interface ProcessHostOptions {
  events: EventsServer;
  /** The emulator's base URL; starts a loopback server when none listens yet. */
  baseUrl: () => Promise<string>;
  token: string;
  persistStateIntervalMs: number;
  systemInfoIntervalMs: number;
  /** From `aborting` to SIGTERM. */
  abortGracePeriodMs: number;
  /** From `migrating` to the forced restart. */
  migrationGracePeriodMs: number;
  /** From SIGTERM to SIGKILL. */
  killTimeoutMs: number;
}

interface LiveProcess {
  child: ChildProcess;
  attempt: number;
  channel: EventChannel;
  closed: Promise<void>;
  timers: Set<NodeJS.Timeout>;
  migrating: (() => void) | null;
  stopping: boolean;
}

/** Variables of the emulator's own environment that would point the actor at another run. */
const INHERITED_RUN_VARIABLE = /^(APIFY|ACTOR)_/;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !INHERITED_RUN_VARIABLE.test(name)) env[name] = value;
  return env;
}

/** Writes a stream's lines to the run log as they come; a last line without a newline when it ends. */
function pipeLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (stream === null) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) write(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (rest !== '') write(rest);
    rest = '';
  });
}

/**
 * Runs folder actors as real processes: the platform's environment, the events WebSocket, output to the
 * run log, and the container's end (abort, timeout, metamorph, reboot, migration) as signals.
 */
export class ProcessHost {
  private readonly options: ProcessHostOptions;
  private readonly live = new Map<string, LiveProcess>();

  constructor(options: ProcessHostOptions) {
    this.options = options;
  }

  isRunning(run: Run): boolean {
    const live = this.live.get(run.id);
    return live !== undefined && !live.stopping;
  }

  /** Starts the run's process once the one it replaces (metamorph, reboot) has exited. */
  async launch(
    run: Run,
    attempt: number,
    settle: (outcome: ProcessOutcome) => void,
    beforeSpawn?: () => Promise<void>,
  ): Promise<void> {
    const folder = run.actor.folder;
    if (folder === undefined) throw new Error(`Actor ${run.actor.id} is not a folder actor`);
    await this.live.get(run.id)?.closed;
    if (run.attempt !== attempt || isTerminal(run.status)) return;
    await beforeSpawn?.();
    const signal = run.controller.signal;
    let baseUrl: string;
    let webServerPort: number;
    try {
      baseUrl = await this.options.baseUrl();
      webServerPort = await freePort();
    } catch (error) {
      settle({ status: 'FAILED', message: `Run failed: ${(error as Error).message}`, exitCode: null });
      return;
    }
    if (run.attempt !== attempt || isTerminal(run.status)) return;
    const channel = this.options.events.channel(run.id);
    channel.reset();
    const env = actorEnvironment(run, {
      apiBaseUrl: baseUrl,
      token: this.options.token,
      eventsUrl: this.options.events.url(baseUrl, run.id),
      webServerPort,
      persistStateIntervalMs: this.options.persistStateIntervalMs,
      systemInfoIntervalMs: this.options.systemInfoIntervalMs,
      actorEnv: folder.env,
    });
    const [file, ...args] = folder.command;
    run.log.write(`ACTOR: Starting '${folder.commandText}' in ${folder.dir}.`);
    // Its own process group: a shell script's children stop with it, as a container's processes do.
    const child = spawn(file as string, args, {
      cwd: folder.dir,
      env: { ...inheritedEnvironment(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const live: LiveProcess = {
      child,
      attempt,
      channel,
      closed: once(child, 'close').then(
        () => undefined,
        () => undefined,
      ),
      timers: new Set(),
      migrating: null,
      stopping: false,
    };
    this.live.set(run.id, live);
    const write = (line: string): void => {
      if (run.attempt === attempt) run.log.write(line);
    };
    pipeLines(child.stdout, write);
    pipeLines(child.stderr, write);
    this.startPeriodicEvents(run, live);
    const onAbort = (): void => this.stop(live);
    signal.addEventListener('abort', onAbort, { once: true });
    let spawnError: Error | null = null;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('exit', () => this.signalGroup(child, 'SIGKILL'));
    const [code, exitSignal] = (await once(child, 'close').catch(() => [null, null])) as [
      number | null,
      NodeJS.Signals | null,
    ];
    signal.removeEventListener('abort', onAbort);
    for (const timer of live.timers) clearTimeout(timer);
    if (this.live.get(run.id) === live) this.live.delete(run.id);
    if (live.migrating !== null && run.attempt === attempt) {
      live.migrating();
      return;
    }
    if (run.attempt !== attempt) return;
    settle(this.outcome(run, code, exitSignal, spawnError, live));
  }

  private outcome(
    run: Run,
    code: number | null,
    exitSignal: NodeJS.Signals | null,
    spawnError: Error | null,
    live: LiveProcess,
  ): ProcessOutcome {
    if (spawnError !== null)
      return {
        status: 'FAILED',
        message: `Run failed: the command could not start (${spawnError.message}).`,
        exitCode: null,
      };
    if (run.status === 'ABORTING' || live.stopping)
      return { status: 'ABORTED', message: 'Run was aborted.', exitCode: code };
    if (exitSignal !== null)
      return {
        status: 'ABORTED',
        message: `Run was aborted: the process was killed (${exitSignal}).`,
        exitCode: null,
      };
    if (code === 0) return { status: 'SUCCEEDED', message: 'Run succeeded.', exitCode: 0 };
    return { status: 'FAILED', message: `Run failed: the process exited with code ${code}.`, exitCode: code };
  }

  private startPeriodicEvents(run: Run, live: LiveProcess): void {
    const every = (ms: number, fn: () => void): void => {
      if (!(ms > 0)) return;
      const tick = (): void => {
        live.timers.delete(timer);
        fn();
        timer = setTimeout(tick, ms);
        live.timers.add(timer);
      };
      let timer = setTimeout(tick, ms);
      live.timers.add(timer);
    };
    every(this.options.persistStateIntervalMs, () =>
      live.channel.send({ name: 'persistState', data: { isMigrating: false } }, { queue: false }),
    );
    if (live.child.pid !== undefined) {
      const meter = new SystemInfoMeter(live.child.pid, run.memoryMbytes);
      every(this.options.systemInfoIntervalMs, () =>
        live.channel.send({ name: 'systemInfo', data: meter.sample() }, { queue: false }),
      );
    }
  }

  private later(live: LiveProcess, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      live.timers.delete(timer);
      fn();
    }, ms);
    live.timers.add(timer);
  }

  private signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM now, SIGKILL after the kill timeout: the container is stopped. */
  private stop(live: LiveProcess): void {
    if (live.child.exitCode !== null || live.child.signalCode !== null) return;
    live.stopping = true;
    this.signalGroup(live.child, 'SIGTERM');
    this.later(live, this.options.killTimeoutMs, () => this.signalGroup(live.child, 'SIGKILL'));
  }

  /** A graceful abort: `aborting` now, the stop after the grace period; the exit ends the run ABORTED. */
  abort(run: Run): void {
    const live = this.live.get(run.id);
    if (live === undefined) return;
    live.channel.send({ name: 'aborting', data: {} }, { queue: true });
    this.later(live, this.options.abortGracePeriodMs, () => this.stop(live));
  }

  /**
   * `migrating` now; when the process exits, or after the migration grace period, the run's code starts
   * again (`restart`), as the platform restarts a migrated run on another server. An `Actor.reboot()`
   * in between (the SDK's answer to `migrating`) restarts it sooner.
   */
  migrate(run: Run, restart: () => void): boolean {
    const live = this.live.get(run.id);
    if (live === undefined || live.stopping) return false;
    if (live.migrating !== null) return true;
    const attempt = live.attempt;
    live.migrating = () => {
      if (run.attempt === attempt && !isTerminal(run.status)) restart();
    };
    const timeRemainingSecs = this.options.migrationGracePeriodMs / 1000;
    live.channel.send({ name: 'migrating', data: { timeRemainingSecs } }, { queue: true });
    this.later(live, this.options.migrationGracePeriodMs, () => this.stop(live));
    return true;
  }

  /** Kills what still runs and waits for it to be gone. */
  async close(): Promise<void> {
    const all = [...this.live.values()];
    for (const live of all) {
      live.stopping = true;
      this.signalGroup(live.child, 'SIGKILL');
    }
    await Promise.all(all.map((live) => live.closed));
  }
}
