import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { createConsole, isConsolePath } from './console/app.js';
import { checkOptions, deliveryPolicy, processHost } from './emulator-options.js';
import type { ApiError } from './errors.js';
import { EmulatorError, errorResponse } from './errors.js';
import { checkAuth, createApp } from './http/app.js';
import { DEFAULT_BODY_TIMEOUT_MS } from './http/body.js';
import type { InternalBindings } from './http/context.js';
import { FAULT_HEADER, FaultPicker, reset, truncated } from './http/faults.js';
import { RateLimiter } from './http/rate-limit.js';
import { type NodeBindings, startServer, stopServer } from './http/server.js';
import { EventsServer } from './local-runs/events-server.js';
import { readActorFolder } from './local-runs/folder-actor.js';
import type { ProcessHost } from './local-runs/process-host.js';
import { registerFolderActor } from './local-runs/register-folder.js';
import { type CommitScope, commitScope } from './persistence/platform-commit.js';
import { openPlatform } from './persistence/platform-open.js';
import { compactPlatform, type PlatformStore } from './persistence/platform-store.js';
import { State } from './persistence/state.js';
import { Actors, registeredActor } from './platform/actors.js';
import { systemClock } from './platform/clock.js';
import { Runs } from './platform/runs.js';
import { Schedules } from './platform/schedules/schedules.js';
import { scheduleTargets } from './platform/schedules/targets.js';
import { Tasks } from './platform/tasks.js';
import { Dispatches } from './platform/webhooks/dispatches.js';
import { connectWebhookEvents } from './platform/webhooks/events.js';
import { Webhooks } from './platform/webhooks/webhooks.js';
import type {
  ActorFunction,
  EmulatorOptions,
  FaultKind,
  ListenOptions,
  RegisterActorOptions,
  RegisteredActor,
} from './types.js';

export const DEFAULT_MAX_PAYLOAD_BYTES = 9_437_184;
/** Storage writes journal themselves; every other change is saved with the platform's objects. */
const STORAGE_PATHS = /^\/v2\/(datasets|key-value-stores|request-queues)(\/|$)/;

/** The local Apify API: an in-process fetch handler, and real HTTP servers on demand. */
export interface Emulator extends AsyncDisposable {
  /** Serves one request in-process (no socket). A `reset` fault rejects like a network error. */
  fetch(request: Request): Promise<Response>;
  /** Starts an HTTP server; default 127.0.0.1 and a free port. The URL has no trailing slash and no /v2. */
  listen(options?: ListenOptions): Promise<{ url: string }>;
  /** Registers (or replaces) an in-process actor: `name`, `user/name` or `user~name`. */
  registerActor(nameOrRef: string, fn: ActorFunction, options?: RegisterActorOptions): RegisteredActor;
  /**
   * Registers (or replaces) the actor a folder defines: `.actor/actor.json` (name, input schema, environment
   * variables) and `scripts.start` of its package.json. Its runs are real processes with the platform's
   * environment and events. `name` overrides the name in actor.json.
   */
  registerActor(folder: string, options?: { name?: string }): RegisteredActor;
  /** Stops servers, aborts runs, ends long polls and log streams, and closes the journal. */
  close(): Promise<void>;
}

interface Started {
  state: State;
  /** Null in memory: then there is nothing to save. */
  platform: PlatformStore | null;
  runs: Runs;
  host: ProcessHost;
  schedules: Schedules;
  dispatches: Dispatches;
  app: Hono;
}

class EmulatorImpl implements Emulator {
  private readonly options: EmulatorOptions;
  private readonly faults: FaultPicker;
  private readonly limiter: RateLimiter | null;
  private readonly closing = new AbortController();
  private readonly actors = new Actors();
  private readonly tasks = new Tasks(this.actors);
  private readonly servers = new Set<Server>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly events = new EventsServer();
  /** The first listen()'s URL: what spawned runs are pointed at. */
  private baseUrl: Promise<string> | null = null;
  private readonly ready: Promise<Started>;
  private closePromise: Promise<void> | null = null;

  constructor(options: EmulatorOptions) {
    checkOptions(options);
    this.options = options;
    this.faults = new FaultPicker(options.faults ?? null);
    const perSecond = options.rateLimitPerSecond ?? null;
    this.limiter = perSecond === null ? null : new RateLimiter(perSecond);
    this.ready = this.start();
    // Startup errors surface from fetch()/listen(); keep them from being reported as unhandled meanwhile.
    this.ready.catch(() => undefined);
  }

  private async start(): Promise<Started> {
    const state = await State.open(this.options.storageDir ?? null, {
      repair: this.options.repair === true,
      compactPlatform,
    });
    for (const line of state.repaired)
      process.emitWarning(`Journal repaired: dropped ${line}`, { code: 'APIFY_EMULATOR_JOURNAL_REPAIRED' });
    const runs = new Runs(state, this.options.runDurationMs ?? 1000);
    const host = processHost(this.options, this.events, () => this.spawnUrl());
    runs.attachProcessHost(host);
    const clock = this.options.clock ?? systemClock;
    // Schedules start runs through the app's own run routes, which exist only once the app is made.
    let app: Hono | null = null;
    const scheduler: InternalBindings = { runOrigin: 'SCHEDULER' };
    const serve = async (request: Request): Promise<Response> => {
      if (app === null) throw new Error('The emulator is still starting');
      return app.fetch(request, scheduler);
    };
    const schedules = new Schedules(clock, runs, scheduleTargets(runs, serve));
    const webhooks = new Webhooks(clock);
    const dispatches = new Dispatches(clock, deliveryPolicy(this.options));
    connectWebhookEvents(runs, this.actors, webhooks, dispatches);
    const registries = { runs, actors: this.actors, tasks: this.tasks, schedules, webhooks, dispatches };
    const { platform, commit } = await openPlatform(state, registries, this.options.storageDir ?? null);
    app = createApp({
      commit,
      state,
      actors: this.actors,
      runs,
      tasks: this.tasks,
      schedules,
      webhooks,
      dispatches,
      maxPayloadBytes: this.options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxRecordBytes: this.options.maxRecordBytes ?? 256 * 1024 * 1024,
      bodyTimeoutMs: this.options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
      syncRunWaitMs: this.options.syncRunWaitMs ?? 300_000,
      closing: this.closing.signal,
    });
    return { state, platform, runs, host, schedules, dispatches, app };
  }

  /** Spawned runs talk HTTP: to the first server listening, or to one started on a free loopback port. */
  private spawnUrl(): Promise<string> {
    this.baseUrl ??= this.listen().then(({ url }) => url);
    return this.baseUrl;
  }

  registerActor(nameOrRef: string, fn: ActorFunction, options?: RegisterActorOptions): RegisteredActor;
  registerActor(folder: string, options?: { name?: string }): RegisteredActor;
  registerActor(
    nameOrRef: string,
    fnOrOptions?: ActorFunction | { name?: string },
    options: RegisterActorOptions = {},
  ): RegisteredActor {
    if (typeof fnOrOptions !== 'function') {
      if (fnOrOptions !== undefined && (typeof fnOrOptions !== 'object' || fnOrOptions === null))
        throw new EmulatorError('invalid-argument', 'registerActor needs a function, or a folder path alone');
      const name = fnOrOptions?.name;
      let registered: RegisteredActor;
      try {
        registered = registeredActor(registerFolderActor(this.actors, readActorFolder(nameOrRef), name));
      } catch (error) {
        if (error instanceof EmulatorError) throw error;
        throw new EmulatorError('invalid-argument', (error as Error).message, { cause: error });
      }
      this.saveRegistration();
      return registered;
    }
    const fn = fnOrOptions as ActorFunction;
    try {
      const registered = registeredActor(this.actors.register(nameOrRef, fn, options));
      this.saveRegistration();
      return registered;
    } catch (error) {
      throw new EmulatorError('invalid-argument', (error as Error).message, { cause: error });
    }
  }

  /** A registration is not an API write, so nothing else would save it before the next run event. */
  private saveRegistration(): void {
    this.ready.then(({ platform }) => platform?.sync()).catch(() => undefined);
  }

  private console: Hono | null = null;

  fetch(request: Request): Promise<Response> {
    return this.track(this.handle(request, null));
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  private async handle(request: Request, node: NodeBindings | null): Promise<Response> {
    const { app, state } = await this.ready;
    if (this.closing.signal.aborted)
      return errorResponse(503, 'service-unavailable', 'The emulator is closed');
    // The console skips API faults and rate limits; it has its own login, and reads through serve().
    if (isConsolePath(new URL(request.url).pathname)) {
      const token = this.options.token ?? null;
      this.console ??= createConsole(
        async (r) => this.serve(app, r, null),
        token,
        token ?? 'emulator-token',
        {
          queue: (id) => state.requestQueues.collection.byId.get(id),
          keyValueStore: (id) => state.keyValueStores.collection.byId.get(id),
        },
      );
      return this.console.fetch(request);
    }
    let fault: ReturnType<FaultPicker['pick']>;
    try {
      fault = this.faults.pick(request.headers.get(FAULT_HEADER));
    } catch (error) {
      const { status, type, message } = error as ApiError;
      return errorResponse(status, type, message);
    }
    const marked = { [FAULT_HEADER]: fault ?? '' };
    if (fault?.startsWith('applied-')) return this.appliedThenFailed(app, request, node, fault, marked);
    // A fault is decided before the handler runs, so a faulted write never reaches storage.
    switch (fault) {
      case '429':
        return errorResponse(429, 'rate-limit-exceeded', 'Rate limit exceeded (emulated fault)', marked);
      case '500':
        return errorResponse(500, 'internal-server-error', 'Internal server error (emulated fault)', marked);
      case '503':
        return errorResponse(503, 'service-unavailable', 'Service unavailable (emulated fault)', marked);
      case 'reset':
        return reset(node);
      case 'delay': {
        await this.sleep(this.faults.delayMs, request.signal);
        return errorResponse(
          503,
          'service-unavailable',
          'Response held past the client timeout (emulated fault)',
          marked,
        );
      }
      case 'truncate': {
        const safe = request.method === 'GET' || request.method === 'HEAD';
        const inner = safe
          ? await this.serve(app, request, node)
          : errorResponse(500, 'internal-server-error', 'Internal server error (emulated fault)');
        return truncated(inner, node);
      }
      default:
        return this.serve(app, request, node);
    }
  }

  /** Serves the request to the end (a write is durable), then fails the answer the way `kind` says. */
  private async appliedThenFailed(
    app: Hono,
    request: Request,
    node: NodeBindings | null,
    kind: FaultKind,
    marked: Record<string, string>,
  ): Promise<Response> {
    const served = await this.serve(app, request, node);
    const body = await served.arrayBuffer();
    switch (kind) {
      case 'applied-500':
        return errorResponse(500, 'internal-server-error', 'Internal server error (emulated fault)', marked);
      case 'applied-502':
        return errorResponse(502, 'bad-gateway', 'Bad gateway (emulated fault)', marked);
      case 'applied-reset':
        return reset(node);
      default: {
        await this.sleep(this.faults.delayMs, request.signal);
        // In-process there is no socket to time out: the caller's abort is the timeout it sees.
        if (node === null) request.signal.throwIfAborted();
        const headers = new Headers(served.headers);
        headers.set(FAULT_HEADER, kind);
        return new Response(body.byteLength === 0 ? null : body, { status: served.status, headers });
      }
    }
  }

  /** `node` becomes Hono's env, so a route can see the socket behind a request (browser-info's client IP). */
  private serve(app: Hono, request: Request, node: NodeBindings | null): Promise<Response> | Response {
    const denied = checkAuth(request, this.options.token ?? null) ?? this.limiter?.check(request) ?? null;
    if (denied !== null) return denied;
    const method = request.method;
    if ((this.options.storageDir ?? null) === null) return app.fetch(request, node ?? undefined);
    if (method === 'GET' || method === 'HEAD' || STORAGE_PATHS.test(new URL(request.url).pathname))
      return app.fetch(request, node ?? undefined);
    const commits: CommitScope = { committed: false };
    const served = commitScope.run(commits, () => app.fetch(request, node ?? undefined));
    return this.savePlatform(served, commits);
  }

  /**
   * A change to actors, runs, tasks... is answered only once it is in the storage folder. A request whose
   * change was committed (journaled, then put in place) answers as it did even when this later save
   * fails: its change is durable, a 500 would make the client repeat it, and what the save missed (log
   * lines, a status that changed since) is saved again on the next event or tick.
   */
  private async savePlatform(served: Promise<Response> | Response, commits: CommitScope): Promise<Response> {
    const response = await served;
    const { platform } = await this.ready;
    if (platform === null) return response;
    try {
      await platform.sync();
    } catch (error) {
      if (commits.committed && response.ok) return response;
      await response.body?.cancel();
      const { message } = error as Error;
      return errorResponse(500, 'internal-server-error', message);
    }
    return response;
  }

  private sleep(ms: number, requestSignal: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([requestSignal, this.closing.signal]);
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      if (signal.aborted) done();
      else signal.addEventListener('abort', done, { once: true });
    });
  }

  listen(options: ListenOptions = {}): Promise<{ url: string }> {
    const listening = this.startListening(options);
    // Set at the call, not once listening: runs restarted while the server starts must be pointed at it.
    if (this.baseUrl === null) {
      const url = listening.then(
        (listened) => listened.url,
        (error: unknown) => {
          this.baseUrl = null;
          throw error;
        },
      );
      // The caller of listen() gets the failure; runs waiting on this URL report it as a failed start.
      url.catch(() => undefined);
      this.baseUrl = url;
    }
    return listening;
  }

  private async startListening(options: ListenOptions): Promise<{ url: string }> {
    await this.ready;
    if (this.closing.signal.aborted) throw new EmulatorError('closed', 'The emulator is closed');
    const { server, url } = await startServer(
      (request, incoming) => this.track(this.handle(request, incoming)),
      {
        port: options.port ?? 0,
        host: options.host ?? '127.0.0.1',
      },
    );
    this.servers.add(server);
    server.on('upgrade', this.events.handleUpgrade);
    await (await this.ready).state.listening(url);
    return { url };
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.closing.abort();
    let started: Started | null = null;
    try {
      started = await this.ready;
    } catch {
      started = null;
    }
    started?.schedules.close();
    started?.runs.close();
    await started?.host.close();
    this.events.close();
    await started?.dispatches.close();
    await Promise.all([...this.servers].map((server) => stopServer(server)));
    this.servers.clear();
    // Let acknowledged-but-unfinished writes reach the journal before it closes.
    await Promise.allSettled([...this.inFlight]);
    started?.platform?.stopTimer();
    await started?.platform?.sync().catch(() => undefined);
    await started?.state.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return new EmulatorImpl(options);
}
