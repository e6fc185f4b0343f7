import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { scheduleDoc } from '../../persistence/platform-codec.js';
import { commitInMemory, type PlatformCommit } from '../../persistence/platform-commit.js';
import { USER } from '../../storages/common.js';
import type { Clock, ClockTimer } from '../clock.js';
import { isTerminal, type Run, type Runs } from '../runs.js';
import { parseCron } from './cron.js';
import type {
  RunActorAction,
  RunActorTaskAction,
  ScheduleAction,
  ScheduleSettings,
} from './schedule-body.js';

/** How a schedule's actions start runs: the actor and task families provide these. */
export interface ScheduleTargets {
  startActor(action: RunActorAction): Promise<Run>;
  startTask(action: RunActorTaskAction): Promise<Run>;
}

export interface ScheduleLogEntry {
  message: string;
  level: 'INFO' | 'ERROR';
  createdAt: string;
}

export interface Schedule {
  id: string;
  name: string;
  title: string | null;
  description: string | null;
  cronExpression: string;
  timezone: string;
  isEnabled: boolean;
  isExclusive: boolean;
  createdAt: string;
  modifiedAt: string;
  lastRunAt: string | null;
  nextRunAt: number | null;
  actions: ScheduleAction[];
  log: ScheduleLogEntry[];
  /** The last run each action started, for `isExclusive`. */
  lastRunIds: Map<string, string>;
  timer: ClockTimer | null;
}

/** The platform keeps the last 1000 entries of a schedule's log. */
const MAX_LOG_ENTRIES = 1000;

/** Schedules whose cron expressions fire on the emulator's clock and start actor and task runs. */
export class Schedules {
  private readonly byId = new Map<string, Schedule>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly runs: Runs,
    private readonly targets: ScheduleTargets,
  ) {}

  private commit: PlatformCommit = commitInMemory;

  /** How a change becomes durable before it is put in place (in memory: at once). */
  attachCommit(commit: PlatformCommit): void {
    this.commit = commit;
  }

  /** Puts a schedule read back from the storage folder in place and arms it from now. */
  adopt(schedule: Schedule): void {
    this.byId.set(schedule.id, schedule);
    this.arm(schedule, this.clock.now());
  }

  list(): Schedule[] {
    return [...this.byId.values()];
  }

  require(id: string): Schedule {
    const schedule = this.byId.get(id);
    if (schedule === undefined) throw notFound(`Schedule '${id}'`);
    return schedule;
  }

  create(settings: ScheduleSettings): Promise<Schedule> {
    const now = new Date(this.clock.now()).toISOString();
    const schedule: Schedule = {
      id: newId(),
      name: settings.name ?? '',
      title: settings.title ?? null,
      description: settings.description ?? null,
      cronExpression: settings.cronExpression ?? '',
      timezone: settings.timezone ?? 'UTC',
      isEnabled: settings.isEnabled ?? true,
      isExclusive: settings.isExclusive ?? false,
      createdAt: now,
      modifiedAt: now,
      lastRunAt: null,
      nextRunAt: null,
      actions: settings.actions ?? [],
      log: [],
      lastRunIds: new Map(),
      timer: null,
    };
    return this.commit('schedule', schedule.id, scheduleDoc(schedule), () => {
      this.byId.set(schedule.id, schedule);
      this.arm(schedule, this.clock.now());
      return schedule;
    });
  }

  /** The schedule is re-armed only once its new settings are durable. */
  async update(schedule: Schedule, settings: ScheduleSettings): Promise<Schedule> {
    const { actions, ...fields } = settings;
    const next: Schedule = { ...schedule, ...fields, modifiedAt: new Date(this.clock.now()).toISOString() };
    if (actions !== undefined) {
      next.actions = actions;
      next.lastRunIds = new Map();
    }
    await this.commit('schedule', schedule.id, scheduleDoc(next), () => {
      const { timer: _timer, nextRunAt: _nextRunAt, ...changed } = next;
      Object.assign(schedule, changed);
      this.arm(schedule, this.clock.now());
    });
    return schedule;
  }

  delete(schedule: Schedule): Promise<void> {
    return this.commit('schedule', schedule.id, null, () => {
      this.disarm(schedule);
      this.byId.delete(schedule.id);
    });
  }

  close(): void {
    this.closed = true;
    for (const schedule of this.byId.values()) this.disarm(schedule);
  }

  private disarm(schedule: Schedule): void {
    schedule.timer?.cancel();
    schedule.timer = null;
    schedule.nextRunAt = null;
  }

  /** Sets the timer for the first fire time after `fromMs`; a disabled schedule has none. */
  private arm(schedule: Schedule, fromMs: number): void {
    this.disarm(schedule);
    if (!schedule.isEnabled || this.closed || !this.byId.has(schedule.id)) return;
    const next = parseCron(schedule.cronExpression, schedule.timezone).nextAfter(fromMs);
    if (next === null) return;
    schedule.nextRunAt = next;
    schedule.timer = this.clock.setTimeout(() => this.invoke(schedule, next), next - this.clock.now());
  }

  private async invoke(schedule: Schedule, dueAt: number): Promise<void> {
    schedule.timer = null;
    schedule.lastRunAt = new Date(dueAt).toISOString();
    // The next time is set before the actions run, so a failing action never stops the schedule; a clock
    // that fell behind (a suspended laptop) skips the missed times instead of firing them in a burst.
    this.arm(schedule, Math.max(dueAt, this.clock.now()));
    this.log(schedule, 'INFO', 'Schedule invoked');
    for (const action of schedule.actions) await this.runAction(schedule, action);
  }

  private async runAction(schedule: Schedule, action: ScheduleAction): Promise<void> {
    const what =
      action.type === 'RUN_ACTOR' ? `Actor "${action.actorId}"` : `Actor task "${action.actorTaskId}"`;
    const previous = this.runs.get(schedule.lastRunIds.get(action.id) ?? '');
    if (schedule.isExclusive && previous !== undefined && !isTerminal(previous.status)) {
      this.log(
        schedule,
        'INFO',
        `Skipped ${what}: its previous run "${previous.id}" has not finished and the schedule is exclusive`,
      );
      return;
    }
    try {
      const run =
        action.type === 'RUN_ACTOR'
          ? await this.targets.startActor(action)
          : await this.targets.startTask(action);
      schedule.lastRunIds.set(action.id, run.id);
    } catch (error) {
      this.log(schedule, 'ERROR', `Cannot start ${what}: ${(error as Error).message}`);
    }
  }

  private log(schedule: Schedule, level: ScheduleLogEntry['level'], message: string): void {
    schedule.log.push({ message, level, createdAt: new Date(this.clock.now()).toISOString() });
    if (schedule.log.length > MAX_LOG_ENTRIES) schedule.log.splice(0, schedule.log.length - MAX_LOG_ENTRIES);
  }
}

function actionObject(action: ScheduleAction): Record<string, unknown> {
  if (action.type === 'RUN_ACTOR') {
    const { id, type, actorId, runInput, runOptions } = action;
    return { id, type, actorId, runInput, runOptions };
  }
  const { id, type, actorTaskId, input } = action;
  return { id, type, actorTaskId, input };
}

export function scheduleObject(schedule: Schedule): Record<string, unknown> {
  return {
    id: schedule.id,
    userId: USER.id,
    name: schedule.name,
    title: schedule.title,
    description: schedule.description,
    cronExpression: schedule.cronExpression,
    timezone: schedule.timezone,
    isEnabled: schedule.isEnabled,
    isExclusive: schedule.isExclusive,
    createdAt: schedule.createdAt,
    modifiedAt: schedule.modifiedAt,
    nextRunAt: schedule.nextRunAt === null ? null : new Date(schedule.nextRunAt).toISOString(),
    lastRunAt: schedule.lastRunAt,
    actions: schedule.actions.map(actionObject),
    notifications: { email: false },
  };
}
