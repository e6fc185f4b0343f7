import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { USER } from '../../storages/common.js';
import type { Clock } from '../clock.js';
import { DEFAULT_PAYLOAD_TEMPLATE } from './template.js';
import type { WebhookCondition, WebhookSettings } from './webhook-body.js';

export interface Webhook {
  id: string;
  createdAt: string;
  modifiedAt: string;
  isAdHoc: boolean;
  shouldInterpolateStrings: boolean;
  eventTypes: string[];
  condition: WebhookCondition;
  ignoreSslErrors: boolean;
  doNotRetry: boolean;
  requestUrl: string;
  payloadTemplate: string;
  headersTemplate: string | null;
  description: string | null;
  idempotencyKey: string | null;
}

/** What an event is about, for matching webhook conditions. */
export interface EventSubject {
  actorId: string;
  actorTaskId: string | null;
  actorRunId: string | null;
}

/** The emulator's webhooks: saved ones, and ad-hoc ones bound to one run. */
export class Webhooks {
  private readonly byId = new Map<string, Webhook>();

  constructor(private readonly clock: Clock) {}

  /** Puts a webhook read back from the storage folder in place. */
  adopt(webhook: Webhook): void {
    this.byId.set(webhook.id, webhook);
  }

  list(): Webhook[] {
    return [...this.byId.values()];
  }

  require(id: string): Webhook {
    const webhook = this.byId.get(id);
    if (webhook === undefined) throw notFound(`Webhook '${id}'`);
    return webhook;
  }

  /** A webhook whose `idempotencyKey` was seen before is not created twice: the first one is returned. */
  create(settings: WebhookSettings): Webhook {
    const key = settings.idempotencyKey ?? null;
    const existing = key === null ? undefined : this.list().find((w) => w.idempotencyKey === key);
    if (existing !== undefined) return existing;
    const now = new Date(this.clock.now()).toISOString();
    const webhook: Webhook = {
      id: newId(),
      createdAt: now,
      modifiedAt: now,
      isAdHoc: settings.isAdHoc ?? false,
      shouldInterpolateStrings: settings.shouldInterpolateStrings ?? false,
      eventTypes: settings.eventTypes ?? [],
      condition: settings.condition ?? {},
      ignoreSslErrors: settings.ignoreSslErrors ?? false,
      doNotRetry: settings.doNotRetry ?? false,
      requestUrl: settings.requestUrl ?? '',
      payloadTemplate: settings.payloadTemplate ?? DEFAULT_PAYLOAD_TEMPLATE,
      headersTemplate: settings.headersTemplate ?? null,
      description: settings.description ?? null,
      idempotencyKey: key,
    };
    this.byId.set(webhook.id, webhook);
    return webhook;
  }

  update(webhook: Webhook, settings: WebhookSettings): Webhook {
    const { payloadTemplate, ...fields } = settings;
    Object.assign(webhook, fields);
    if (payloadTemplate !== undefined) webhook.payloadTemplate = payloadTemplate ?? DEFAULT_PAYLOAD_TEMPLATE;
    webhook.modifiedAt = new Date(this.clock.now()).toISOString();
    return webhook;
  }

  delete(webhook: Webhook): void {
    this.byId.delete(webhook.id);
  }

  /** The webhooks that listen to `eventType` and whose condition the subject meets. */
  matching(eventType: string, subject: EventSubject): Webhook[] {
    return this.list().filter((webhook) => {
      if (!webhook.eventTypes.includes(eventType)) return false;
      const { actorId, actorTaskId, actorRunId } = webhook.condition;
      if (actorId !== undefined && actorId !== subject.actorId) return false;
      if (actorTaskId !== undefined && actorTaskId !== subject.actorTaskId) return false;
      if (actorRunId !== undefined && actorRunId !== subject.actorRunId) return false;
      return true;
    });
  }
}

export function webhookObject(
  webhook: Webhook,
  stats: { totalDispatches: number; lastDispatch: { status: string; finishedAt: string | null } | null },
): Record<string, unknown> {
  return {
    id: webhook.id,
    createdAt: webhook.createdAt,
    modifiedAt: webhook.modifiedAt,
    userId: USER.id,
    isAdHoc: webhook.isAdHoc,
    isApifyIntegration: false,
    isEnabled: true,
    actionType: 'HTTP_REQUEST',
    shouldInterpolateStrings: webhook.shouldInterpolateStrings,
    eventTypes: webhook.eventTypes,
    condition: webhook.condition,
    ignoreSslErrors: webhook.ignoreSslErrors,
    doNotRetry: webhook.doNotRetry,
    requestUrl: webhook.requestUrl,
    payloadTemplate: webhook.payloadTemplate,
    headersTemplate: webhook.headersTemplate,
    description: webhook.description,
    idempotencyKey: webhook.idempotencyKey,
    lastDispatch: stats.lastDispatch,
    stats: { totalDispatches: stats.totalDispatches },
  };
}
