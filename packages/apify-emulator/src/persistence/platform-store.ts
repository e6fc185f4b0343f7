import type { Actor, Actors } from '../platform/actors.js';
import { isTerminal, type Run } from '../platform/run.js';
import type { Runs } from '../platform/runs.js';
import type { Schedules } from '../platform/schedules/schedules.js';
import type { Tasks } from '../platform/tasks.js';
import type { Dispatches } from '../platform/webhooks/dispatches.js';
import type { Webhooks } from '../platform/webhooks/webhooks.js';
import type { Persist } from '../storages/common.js';
import type { JournalRecord } from './journal.js';
import {
  actorDoc,
  actorFrom,
  type Doc,
  dispatchDoc,
  dispatchFrom,
  type PlatformKind,
  runDoc,
  runFrom,
  scheduleDoc,
  scheduleFrom,
  taskDoc,
  taskFrom,
  webhookDoc,
  webhookFrom,
} from './platform-codec.js';
import { commitScope } from './platform-commit.js';

export interface Registries {
  actors: Actors;
  tasks: Tasks;
  runs: Runs;
  schedules: Schedules;
  webhooks: Webhooks;
  dispatches: Dispatches;
}

interface DocHeader {
  t: 'platform';
  kind: PlatformKind;
  id: string;
  doc: Doc;
}
interface DropHeader {
  t: 'platform-drop';
  kind: PlatformKind;
  id: string;
}
interface LogHeader {
  t: 'platform-log';
  id: string;
  /** The character offset in the run's log where the payload's text starts. */
  from: number;
}
type PlatformHeader = DocHeader | DropHeader | LogHeader;

/** Restore order: what a later kind refers to comes first. */
const KINDS: readonly PlatformKind[] = ['actor', 'task', 'run', 'schedule', 'webhook', 'dispatch'];

interface Folded {
  docs: Map<string, DocHeader>;
  logs: Map<string, string>;
}

function fold(records: readonly JournalRecord[]): Folded {
  const docs = new Map<string, DocHeader>();
  const logs = new Map<string, string>();
  for (const { header, payload } of records) {
    const h = header as PlatformHeader;
    if (h.t === 'platform') docs.set(`${h.kind}:${h.id}`, h);
    else if (h.t === 'platform-drop') {
      docs.delete(`${h.kind}:${h.id}`);
      if (h.kind === 'run') logs.delete(h.id);
    } else if (h.t === 'platform-log') {
      logs.set(h.id, (logs.get(h.id) ?? '').slice(0, h.from) + payload.toString('utf8'));
    }
  }
  return { docs, logs };
}

/** The platform's records folded to one document per live object and one log record per run. */
export function compactPlatform(records: JournalRecord[]): JournalRecord[] {
  const { docs, logs } = fold(records);
  const kept: JournalRecord[] = [];
  for (const header of docs.values()) {
    kept.push({ header, payload: Buffer.alloc(0) });
    const log = header.kind === 'run' ? logs.get(header.id) : undefined;
    if (log !== undefined && log !== '')
      kept.push({ header: { t: 'platform-log', id: header.id, from: 0 }, payload: Buffer.from(log, 'utf8') });
  }
  return kept;
}

/**
 * Keeps the platform's objects in the journal: after each change that reaches the API (the response
 * waits for it), on run events, and every `intervalMs` while runs are unfinished, each object whose
 * document changed is written again, and each run's new log lines are appended.
 */
export class PlatformStore {
  private readonly written = new Map<string, string>();
  private readonly logLengths = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly persist: Persist,
    private readonly registries: Registries,
  ) {}

  /**
   * Puts the objects read back from the journal in place, and returns the runs that had not finished when
   * the emulator stopped: the caller restarts them. Functions registered before the restore take over the
   * saved actor of the same name, with its ID, builds and runs.
   */
  restore(records: readonly JournalRecord[], restartedAt: string): Run[] {
    const { docs, logs } = fold(records);
    const { actors, tasks, runs, schedules, webhooks, dispatches } = this.registries;
    const byKind = new Map<PlatformKind, DocHeader[]>(KINDS.map((k) => [k, []]));
    for (const header of docs.values()) byKind.get(header.kind)?.push(header);
    const unfinished: Run[] = [];
    for (const { doc } of byKind.get('actor') ?? []) actors.adopt(this.mergeRegistered(actorFrom(doc)));
    for (const { doc } of byKind.get('task') ?? []) {
      const actor = actors.resolve(doc.actorId as string);
      if (actor !== undefined) tasks.adopt(taskFrom(doc, actor));
    }
    for (const { id, doc } of byKind.get('run') ?? []) {
      const run = runFrom(doc, logs.get(id) ?? '', {
        actor: (actorId) => actors.resolve(actorId),
        task: (taskId) => tasks.resolve(taskId),
      });
      if (!isTerminal(run.status)) unfinished.push(run);
      runs.adopt(run);
    }
    for (const { doc } of byKind.get('schedule') ?? []) schedules.adopt(scheduleFrom(doc));
    for (const { doc } of byKind.get('webhook') ?? []) webhooks.adopt(webhookFrom(doc));
    for (const { doc } of byKind.get('dispatch') ?? []) dispatches.adopt(dispatchFrom(doc, restartedAt));
    // What was read back is what the journal holds, so only real changes are written again.
    for (const [key, header] of docs) this.written.set(key, JSON.stringify(header.doc));
    for (const [id, log] of logs) this.logLengths.set(id, log.length);
    return unfinished;
  }

  /** A function or folder registered before the restore runs under the saved actor's identity. */
  private mergeRegistered(saved: Actor): Actor {
    const { actors } = this.registries;
    const registered = actors.resolve(`${saved.username}~${saved.name}`);
    if (registered === undefined || (registered.fn === null && registered.folder === undefined)) return saved;
    const { fn, registeredInputSchema, folder } = registered;
    actors.delete(registered);
    delete saved.missingFunction;
    Object.assign(registered, saved, { fn, registeredInputSchema });
    if (folder === undefined) delete registered.folder;
    else registered.folder = folder;
    return registered;
  }

  /** Writes every change since the last call; resolves once they are durable. */
  sync(): Promise<void> {
    const next = this.chain.then(() => this.flush());
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Journals one object's new document (null: its removal), then installs it; queued with the re-saves,
   * so none of them sees the object half-way (journaled but not yet in place).
   */
  commit<T>(kind: PlatformKind, id: string, doc: Doc | null, install: () => T): Promise<T> {
    const key = `${kind}:${id}`;
    const scope = commitScope.getStore();
    const next = this.chain.then(async () => {
      if (doc === null) {
        await this.persist.write({ t: 'platform-drop', kind, id } satisfies DropHeader);
        this.written.delete(key);
      } else {
        await this.persist.write({ t: 'platform', kind, id, doc } satisfies DocHeader);
        this.written.set(key, JSON.stringify(doc));
      }
      if (scope !== undefined) scope.committed = true;
      return install();
    });
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** Re-saves every `intervalMs` while something changes on its own (a run's status, its log). */
  startTimer(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.registries.runs.hasUnfinished() || this.hasActiveDispatch())
        void this.sync().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private hasActiveDispatch(): boolean {
    return this.registries.dispatches.list().some((d) => d.status === 'ACTIVE');
  }

  private *documents(): Generator<[PlatformKind, string, Doc]> {
    const { actors, tasks, runs, schedules, webhooks, dispatches } = this.registries;
    for (const a of actors.list()) yield ['actor', a.id, actorDoc(a)];
    for (const t of tasks.list()) yield ['task', t.id, taskDoc(t)];
    for (const r of runs.list()) yield ['run', r.id, runDoc(r)];
    for (const s of schedules.list()) yield ['schedule', s.id, scheduleDoc(s)];
    for (const w of webhooks.list()) yield ['webhook', w.id, webhookDoc(w)];
    for (const d of dispatches.list()) yield ['dispatch', d.id, dispatchDoc(d)];
  }

  private async flush(): Promise<void> {
    const writes: Promise<void>[] = [];
    const live = new Set<string>();
    for (const [kind, id, doc] of this.documents()) {
      const key = `${kind}:${id}`;
      live.add(key);
      const json = JSON.stringify(doc);
      if (this.written.get(key) === json) continue;
      const header: DocHeader = { t: 'platform', kind, id, doc };
      writes.push(this.persist.write(header).then(() => void this.written.set(key, json)));
    }
    for (const key of [...this.written.keys()]) {
      if (live.has(key)) continue;
      const [kind, id] = key.split(':') as [PlatformKind, string];
      const header: DropHeader = { t: 'platform-drop', kind, id };
      writes.push(this.persist.write(header).then(() => void this.written.delete(key)));
    }
    for (const run of this.registries.runs.list()) {
      const from = this.logLengths.get(run.id) ?? 0;
      if (run.log.length <= from) continue;
      const header: LogHeader = { t: 'platform-log', id: run.id, from };
      const to = run.log.length;
      const text = run.log.textFrom(from).slice(0, to - from);
      writes.push(
        this.persist
          .write(header, Buffer.from(text, 'utf8'))
          .then(() => void this.logLengths.set(run.id, to)),
      );
    }
    await Promise.all(writes);
  }
}
