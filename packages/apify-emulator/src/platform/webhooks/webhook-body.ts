import { ApiError } from '../../errors.js';
import { type Fields, optionalBoolean, optionalString, requiredString, requireObject } from '../fields.js';
import { checkTemplate } from './template.js';

export const RUN_EVENT_TYPES = [
  'ACTOR.RUN.CREATED',
  'ACTOR.RUN.SUCCEEDED',
  'ACTOR.RUN.FAILED',
  'ACTOR.RUN.ABORTED',
  'ACTOR.RUN.TIMED_OUT',
  'ACTOR.RUN.RESURRECTED',
] as const;

export const BUILD_EVENT_TYPES = [
  'ACTOR.BUILD.CREATED',
  'ACTOR.BUILD.SUCCEEDED',
  'ACTOR.BUILD.FAILED',
  'ACTOR.BUILD.ABORTED',
  'ACTOR.BUILD.TIMED_OUT',
] as const;

const EVENT_TYPES: readonly string[] = [...RUN_EVENT_TYPES, ...BUILD_EVENT_TYPES];

export interface WebhookCondition {
  actorId?: string;
  actorTaskId?: string;
  actorRunId?: string;
}

/** The settable fields of a webhook, as a create, update or ad-hoc definition gives them. */
export interface WebhookSettings {
  eventTypes?: string[];
  condition?: WebhookCondition;
  requestUrl?: string;
  payloadTemplate?: string | null;
  headersTemplate?: string | null;
  description?: string | null;
  idempotencyKey?: string | null;
  isAdHoc?: boolean;
  shouldInterpolateStrings?: boolean;
  ignoreSslErrors?: boolean;
  doNotRetry?: boolean;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-value', message);
}

function parseEventTypes(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw invalid(
      `webhook.eventTypes must be a non-empty array of event types, got ${JSON.stringify(value)}`,
    );
  for (const type of value) {
    if (typeof type !== 'string' || !EVENT_TYPES.includes(type))
      throw invalid(`webhook.eventTypes: ${JSON.stringify(type)} is not one of ${EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(value as string[])];
}

function parseCondition(value: unknown): WebhookCondition {
  const body = requireObject(value, 'webhook.condition');
  const condition: WebhookCondition = {};
  for (const field of ['actorId', 'actorTaskId', 'actorRunId'] as const) {
    const id = optionalString(body, field, 'webhook.condition');
    if (typeof id === 'string' && id !== '') condition[field] = id;
  }
  if (Object.keys(condition).length === 0)
    throw invalid('webhook.condition needs one of actorId, actorTaskId or actorRunId');
  return condition;
}

function parseRequestUrl(body: Fields): string {
  const raw = requiredString(body, 'requestUrl', 'webhook');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`webhook.requestUrl '${raw}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(`webhook.requestUrl must be an http or https URL, got '${url.protocol}'`);
  return url.href;
}

/**
 * Checks a webhook body. `creating` requires the fields a new webhook needs; `adHoc` is a definition
 * passed at run start, whose condition is the run itself. Templates are checked against the
 * interpolation setting they will be rendered with (`current` for an update that changes only one).
 */
export function parseWebhookSettings(
  value: unknown,
  mode: 'create' | 'update' | 'adHoc',
  current?: {
    shouldInterpolateStrings: boolean;
    payloadTemplate: string | null;
    headersTemplate: string | null;
  },
): WebhookSettings {
  const body = requireObject(value, mode === 'adHoc' ? 'An ad-hoc webhook' : 'The webhook');
  const settings: WebhookSettings = {};
  if (mode !== 'update' || body.eventTypes !== undefined)
    settings.eventTypes = parseEventTypes(body.eventTypes);
  if (mode === 'create' || (mode === 'update' && body.condition !== undefined))
    settings.condition = parseCondition(body.condition);
  if (mode !== 'update' || body.requestUrl !== undefined) settings.requestUrl = parseRequestUrl(body);
  for (const field of ['payloadTemplate', 'headersTemplate', 'description', 'idempotencyKey'] as const) {
    const text = optionalString(body, field, 'webhook');
    if (text !== undefined) settings[field] = text;
  }
  for (const field of ['isAdHoc', 'shouldInterpolateStrings', 'ignoreSslErrors', 'doNotRetry'] as const) {
    const flag = optionalBoolean(body, field, 'webhook');
    if (flag !== undefined) settings[field] = flag;
  }
  if (mode === 'adHoc') settings.isAdHoc = true;
  const interpolate = settings.shouldInterpolateStrings ?? current?.shouldInterpolateStrings ?? false;
  for (const field of ['payloadTemplate', 'headersTemplate'] as const) {
    const template = settings[field] !== undefined ? settings[field] : (current?.[field] ?? null);
    if (template !== null && template !== undefined) checkTemplate(field, template, interpolate);
  }
  return settings;
}

/** The `webhooks` parameter of a run start: base64 of a JSON array of webhook definitions. */
export function parseAdHocParameter(raw: string | null): WebhookSettings[] {
  if (raw === null || raw === '') return [];
  let definitions: unknown;
  try {
    definitions = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new ApiError(
      400,
      'invalid-parameter',
      "Parameter 'webhooks' must be base64 of a JSON array of webhooks",
    );
  }
  if (!Array.isArray(definitions))
    throw new ApiError(
      400,
      'invalid-parameter',
      "Parameter 'webhooks' must decode to a JSON array of webhooks",
    );
  return definitions.map((definition) => parseWebhookSettings(definition, 'adHoc'));
}
