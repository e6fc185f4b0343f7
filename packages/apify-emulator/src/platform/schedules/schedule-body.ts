import { ApiError } from '../../errors.js';
import { newId } from '../../ids.js';
import {
  type Fields,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  requireObject,
} from '../fields.js';
import { parseCron } from './cron.js';

export interface RunActorAction {
  id: string;
  type: 'RUN_ACTOR';
  actorId: string;
  runInput: { body: string; contentType: string } | null;
  runOptions: {
    build?: string;
    timeoutSecs?: number;
    memoryMbytes?: number;
    restartOnError?: boolean;
  } | null;
}

export interface RunActorTaskAction {
  id: string;
  type: 'RUN_ACTOR_TASK';
  actorTaskId: string;
  input: Fields | null;
}

export type ScheduleAction = RunActorAction | RunActorTaskAction;

/** The settable fields of a schedule, as a create or update body gives them. */
export interface ScheduleSettings {
  name?: string;
  title?: string | null;
  description?: string | null;
  cronExpression?: string;
  timezone?: string;
  isEnabled?: boolean;
  isExclusive?: boolean;
  actions?: ScheduleAction[];
}

function parseRunOptions(value: unknown, what: string): RunActorAction['runOptions'] {
  if (value === undefined || value === null) return null;
  const body = requireObject(value, what);
  const options: NonNullable<RunActorAction['runOptions']> = {};
  const build = optionalString(body, 'build', what);
  if (typeof build === 'string') options.build = build;
  const timeoutSecs = optionalNumber(body, 'timeoutSecs', what, 0);
  if (timeoutSecs !== undefined) options.timeoutSecs = timeoutSecs;
  const memoryMbytes = optionalNumber(body, 'memoryMbytes', what, 128);
  if (memoryMbytes !== undefined) options.memoryMbytes = memoryMbytes;
  const restartOnError = optionalBoolean(body, 'restartOnError', what);
  if (restartOnError !== undefined) options.restartOnError = restartOnError;
  return options;
}

function parseRunInput(value: unknown, what: string): RunActorAction['runInput'] {
  if (value === undefined || value === null) return null;
  const body = requireObject(value, what);
  return {
    body: optionalString(body, 'body', what) ?? '',
    contentType: optionalString(body, 'contentType', what) ?? 'application/json; charset=utf-8',
  };
}

function parseAction(value: unknown, index: number): ScheduleAction {
  const what = `actions[${index}]`;
  const body = requireObject(value, what);
  const id = newId();
  switch (body.type) {
    case 'RUN_ACTOR':
      return {
        id,
        type: 'RUN_ACTOR',
        actorId: requiredString(body, 'actorId', what),
        runInput: parseRunInput(body.runInput, `${what}.runInput`),
        runOptions: parseRunOptions(body.runOptions, `${what}.runOptions`),
      };
    case 'RUN_ACTOR_TASK': {
      const input =
        body.input === undefined || body.input === null ? null : requireObject(body.input, `${what}.input`);
      return { id, type: 'RUN_ACTOR_TASK', actorTaskId: requiredString(body, 'actorTaskId', what), input };
    }
    default:
      throw new ApiError(
        400,
        'invalid-value',
        `${what}.type must be RUN_ACTOR or RUN_ACTOR_TASK, got ${JSON.stringify(body.type)}`,
      );
  }
}

/**
 * Checks a create (`creating`) or update body and returns the fields it sets; the cron expression is
 * checked in the timezone it will run in (`timezone` of the body, else `currentTimezone`).
 */
export function parseScheduleSettings(
  value: unknown,
  creating: boolean,
  current?: { cronExpression: string; timezone: string },
): ScheduleSettings {
  const body = requireObject(value, 'The schedule');
  const what = 'schedule';
  const settings: ScheduleSettings = {};
  if (creating || body.name !== undefined) settings.name = requiredString(body, 'name', what);
  if (creating || body.cronExpression !== undefined)
    settings.cronExpression = requiredString(body, 'cronExpression', what);
  const timezone = optionalString(body, 'timezone', what);
  if (typeof timezone === 'string') settings.timezone = timezone;
  for (const field of ['title', 'description'] as const) {
    const text = optionalString(body, field, what);
    if (text !== undefined) settings[field] = text;
  }
  for (const field of ['isEnabled', 'isExclusive'] as const) {
    const flag = optionalBoolean(body, field, what);
    if (flag !== undefined) settings[field] = flag;
  }
  if (body.actions !== undefined && body.actions !== null) {
    if (!Array.isArray(body.actions))
      throw new ApiError(
        400,
        'invalid-value',
        `schedule.actions must be an array, got ${JSON.stringify(body.actions)}`,
      );
    settings.actions = body.actions.map(parseAction);
  }
  parseCron(
    settings.cronExpression ?? current?.cronExpression ?? '',
    settings.timezone ?? current?.timezone ?? 'UTC',
  );
  return settings;
}
